"""Building in worker processes: the same bytes whatever ``--workers``, streamed, errors and warnings kept.

The corpus is written here in ``tmp_path``: short Arabic news sentences written
for these tests (no evaluation text), one document repeated under another id
(so actors and relations are shared between documents), one without Arabic,
some with URLs, titles and dates (two that do not parse), and a folder of
``.txt`` files next to the JSONL file.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

import kg
from kg.builder import _view, extract_all
from kg.cli import cli
from kg.errors import ExportError, InputError
from kg.export import write_outputs
from kg.read import read_paths

TEXTS = [
    "حاصرت قوات النظام بلدة مضايا في ريف دمشق. وقصفت الطائرات الروسية الأحياء السكنية في البلدة.",
    "نفى جيش الإسلام وجود مفاوضات مع روسيا حول مدينة دوما.",
    "سيطرت هيئة تحرير الشام على قرية كفرنبل بعد اشتباكات مع فصائل المعارضة.",
    "وزعمت وكالة سانا أن فيلق الرحمن قصف حي جوبر في دمشق.",
    "اعتقلت قوات الأمن عشرات المدنيين في مدينة درعا.",
    "أدانت الأمم المتحدة قصف المستشفيات في محافظة إدلب.",
    "وقال المتحدث باسم حركة أحرار الشام إن الحركة ترفض الاتفاق مع النظام.",
    "توسطت تركيا بين روسيا والمعارضة السورية لوقف إطلاق النار في حلب.",
    "This line holds no Arabic text at all.",
    "هاجم تنظيم الدولة مواقع قوات سوريا الديمقراطية في دير الزور.",
    "وتدعم إيران قوات النظام في معارك ريف حلب الجنوبي.",
]
BAD_DATES = {"d04": "yesterday evening", "d07": "31/02/2018"}


def write_corpus(folder: Path) -> list[str]:
    """A JSONL feed, a folder of .txt files, and the example article: the inputs of one build."""
    rows = []
    for n, text in enumerate([*TEXTS, TEXTS[0]]):  # the last repeats the first under another id
        doc_id = f"d{n:02d}"
        row: dict[str, str] = {"id": doc_id, "text": text}
        if n % 3 == 0:
            row.update(url=f"https://news.example.org/{doc_id}", title="خبر", date="2018-03-12")
        if doc_id in BAD_DATES:
            row["date"] = BAD_DATES[doc_id]
        rows.append(row)
    feed = folder / "feed.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    notes = folder / "notes"
    (notes / "inner").mkdir(parents=True)
    (notes / "a.txt").write_text(TEXTS[1] + "\n" + TEXTS[2], encoding="utf-8")
    (notes / "inner" / "b.txt").write_text(TEXTS[7], encoding="utf-8")
    return [str(feed), str(notes), str(EXAMPLE)]


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def one_worker(corpus: list[str], tmp_path_factory: pytest.TempPathFactory, lexicon: kg.Lexicon) -> dict[str, bytes]:
    """Every file of a build of the corpus in one process, in every format."""
    out = tmp_path_factory.mktemp("one")
    with pytest.warns(UserWarning, match="does not parse"):
        result = kg.build(corpus, out, "all", lexicon=lexicon, workers=1)
    assert result.workers == "1 process"
    return contents(out)


def test_two_workers_write_the_same_bytes_as_one(
    corpus: list[str], one_worker: dict[str, bytes], tmp_path: Path, lexicon: kg.Lexicon
) -> None:
    with pytest.warns(UserWarning, match="does not parse"):
        result = kg.build(corpus, tmp_path, "all", lexicon=lexicon, workers=2)
    assert result.workers == "2 processes"
    assert result.documents == len(TEXTS) + 1 + 2 + 1
    two = contents(tmp_path)
    assert sorted(two) == sorted(one_worker)
    for name, data in one_worker.items():
        assert two[name] == data, f"{name} differs between 1 and 2 workers"


def test_streamed_files_equal_the_all_at_once_writers(
    corpus: list[str], one_worker: dict[str, bytes], tmp_path: Path, lexicon: kg.Lexicon
) -> None:
    """Merging document by document gives what writing every extraction at once gives (kg.export)."""
    with pytest.warns(UserWarning, match="does not parse"):
        write_outputs(extract_all(read_paths(corpus), lexicon), tmp_path, ["all"])
    assert contents(tmp_path) == one_worker


def test_the_example_alone_is_the_same_with_two_workers(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    one = kg.build([str(EXAMPLE)], tmp_path / "one", "all", lexicon=lexicon, workers=1)
    two = kg.build([str(EXAMPLE)], tmp_path / "two", "all", lexicon=lexicon, workers=2)
    assert (one.documents, two.documents) == (1, 1)
    assert contents(tmp_path / "one") == contents(tmp_path / "two")


def test_cli_workers_option(corpus: list[str], one_worker: dict[str, bytes], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", *corpus, "-o", str(tmp_path), "--formats", "all", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "on 2 processes" in result.stdout and "documents/s" in result.stdout
    assert contents(tmp_path) == one_worker


def test_progress_is_reported_once_per_document_in_input_order(
    corpus: list[str], tmp_path: Path, lexicon: kg.Lexicon
) -> None:
    seen: list[str] = []
    with pytest.warns(UserWarning, match="does not parse"):
        kg.build(corpus, tmp_path, "nq", lexicon=lexicon, workers=2, on_document=lambda doc: seen.append(doc.id))
    assert seen == [doc.id for doc in read_paths(corpus)]


def test_warnings_from_workers_reach_the_caller_once_per_document(
    corpus: list[str], tmp_path: Path, lexicon: kg.Lexicon
) -> None:
    with pytest.warns(UserWarning) as caught:
        result = kg.build(corpus, tmp_path, "ttl,nq,trig", lexicon=lexicon, workers=2)
    dates = sorted(str(w.message) for w in caught)
    assert dates == sorted(f"document {k!r}: date {v!r} does not parse; kept as plain text" for k, v in BAD_DATES.items())
    assert result.warnings == ["document 'd08' holds no Arabic text; its graph is empty"]


def test_an_error_in_a_worker_fails_the_build_and_leaves_nothing(corpus: list[str], tmp_path: Path,
                                                                   lexicon: kg.Lexicon) -> None:
    # A base ending in '#' makes sentence IRIs with two '#': the workers cannot mint them.
    out = tmp_path / "out"
    with pytest.raises(ExportError, match=r"cannot make an IRI of 'https://example\.org/kg#doc/d00#s1'"):
        kg.build(corpus, out, "ttl,nq", base="https://example.org/kg#", lexicon=lexicon, workers=2)
    assert not out.exists()


def test_a_few_documents_are_built_in_this_process(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    feed = tmp_path / "few.jsonl"
    feed.write_text("".join(json.dumps({"id": f"f{i}", "text": t}, ensure_ascii=False) + "\n"
                            for i, t in enumerate(TEXTS[:3])), encoding="utf-8")
    result = kg.build([str(feed)], tmp_path / "out", "nq", lexicon=lexicon)
    assert result.workers == "1 process"
    assert result.documents == 3 and result.sentences == 4 and result.quads > 0


@pytest.mark.parametrize(("option", "value", "message"), [
    ("workers", 0, r"workers must be at least 1, got 0"),
    ("partition_size", 0, r"partition_size must be at least 1, got 0"),
])
def test_bad_counts_are_input_errors(tmp_path: Path, option: str, value: int, message: str) -> None:
    with pytest.raises(InputError, match=message):
        kg.build([str(EXAMPLE)], tmp_path / "out", "nq", **{option: value})  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


def test_cli_refuses_zero_workers(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "-o", str(tmp_path / "out"), "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.output


def test_what_the_merge_keeps_of_a_document_is_what_the_page_needs(lexicon: kg.Lexicon) -> None:
    """No text, tokens or mentions; only the sentences statements cite (memory bounded by the graph)."""
    ex = kg.extract(kg.Document("v", EXAMPLE.read_text(encoding="utf-8-sig")), lexicon)
    view = _view(ex)
    cited = sorted({i for st in ex.statements for i in st.sentences})
    assert view.document.text == "" and view.document.id == "v"
    assert view.mentions == ()
    assert [s.index for s in view.sentences] == cited
    assert all(s.tokens == () for s in view.sentences)
    assert view.statements == ex.statements and view.actors == ex.actors


def test_a_failure_to_rename_the_files_leaves_the_folder_as_it_was(
    tmp_path: Path, lexicon: kg.Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    kg.build([str(EXAMPLE)], out, "ttl,nq", lexicon=lexicon)
    before = contents(out)

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("kg.builder.os.replace", refuse)
    with pytest.raises(ExportError, match=r"cannot write into '.*out': Permission denied"):
        kg.build([str(EXAMPLE)], out, "ttl,nq", lexicon=lexicon, base="https://example.org/kg/")
    assert contents(out) == before
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize(("formats", "kept", "page"), [("nq,csv,html", 0, "graph.html"), ("nq,csv,graphml", 2, "graph.graphml")])
def test_the_merge_keeps_documents_only_for_graphml(
    tmp_path: Path, lexicon: kg.Lexicon, formats: str, kept: int, page: str
) -> None:
    """edges.csv is appended to and graph.html folded in as documents arrive: memory grows with the
    graph, not with the corpus. graph.graphml (every node before every edge) needs each document's view."""
    from kg.builder import _Outputs, _Plan, _process
    from kg.rdf import DEFAULT_BASE

    plan = _Plan(DEFAULT_BASE, tuple(formats.split(",")))
    outputs = _Outputs(tmp_path / "out", plan)
    try:
        # two statements each: the regime forces besiege Douma, and capture Harasta
        docs = [kg.Document(f"d{i}", "حاصرت قوات النظام مدينة دوما. وسيطرت قوات النظام على بلدة حرستا.") for i in range(2)]
        outputs.add([_process(doc, lexicon, plan) for doc in docs])
        assert len(outputs.views) == kept
        written = outputs.commit()
    finally:
        outputs.discard()
    with (tmp_path / "out" / "edges.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = [(row["relation"], row["document"]) for row in csv.DictReader(fh)]
    assert rows == [("besieges", "d0"), ("captures", "d0"), ("besieges", "d1"), ("captures", "d1")]
    assert sorted(p.name for p in written) == sorted(["graph.nq", "edges.csv", page])
