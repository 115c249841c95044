"""One bad document never costs the corpus.

A document whose extraction raises (a bug of ours, never the input's fault) is
left out: the build goes on, writes every other document whole, lists the one
left out in ``failed.jsonl`` (a file ``kg build`` reads again), names it in
one stderr line and exits 3. ``--fail-fast`` stops at it instead: one
``Error:`` line, exit 1, nothing written.

The fault is injected through the lexicon, which is plain data sent to every
worker (a process of the pool or of a Dask cluster): a word of the name trie
whose node is not a trie node makes extraction raise on the documents that
hold that word, and on no other.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_cli import error_lines, files_in, graph_names, run, write_jsonl
from test_dask import DEADLINE, deadline, require_distributed

import kg
from kg.builder import FAILED_FILE

#: The word that trips the injected fault: no lexicon or text of ours holds it.
TRIGGER = "زلزلزل"
GOOD = "حاصرت قوات النظام مدينة دوما."
BAD = f"قال {TRIGGER} إن قوات النظام حاصرت مدينة دوما."
DOC = "https://w3id.org/rawabit/id/doc/"


@pytest.fixture(scope="module")
def broken(lexicon: kg.Lexicon) -> kg.Lexicon:
    """The packaged lexicon with one trie node broken: extracting a text with :data:`TRIGGER` raises."""
    trie = dict(lexicon.name_trie)
    trie[TRIGGER] = 7  # an int where a node (a dict) belongs
    return dataclasses.replace(lexicon, name_trie=trie, memo={})


def rows(n: int = 12, bad: tuple[int, ...] = (5,)) -> list[dict[str, str]]:
    return [{"id": f"d{i:02d}", "text": BAD if i in bad else GOOD, "url": f"https://example.org/{i}"}
            for i in range(n)]


def test_the_injected_fault_raises_only_on_its_word(broken: kg.Lexicon) -> None:
    kg.extract(kg.Document("ok", GOOD), broken)
    with pytest.raises(TypeError):
        kg.extract(kg.Document("bad", BAD), broken)


@pytest.mark.parametrize("how", ["1 worker", "2 workers", "dask"])
def test_a_failing_document_is_left_out_and_the_rest_written_whole(
    how: str, tmp_path: Path, lexicon: kg.Lexicon, broken: kg.Lexicon
) -> None:
    corpus = write_jsonl(tmp_path / "in.jsonl", *rows(12, bad=(5, 9)))
    good_only = write_jsonl(tmp_path / "good.jsonl", *[r for r in rows(12, bad=(5, 9)) if r["text"] == GOOD])
    expected = tmp_path / "expected"
    kg.build([str(good_only)], expected, "nq,ttl,csv", lexicon=lexicon, workers=1)

    out, store = tmp_path / "out", tmp_path / "store"
    seen: list[kg.builder.Failure] = []
    options = {"workers": 1} if how == "1 worker" else {"workers": 2} if how == "2 workers" else {"workers": 2, "dask": "local"}
    if how == "dask":
        require_distributed()
    with deadline(DEADLINE):
        result = kg.build([str(corpus)], out, "nq,ttl,csv", lexicon=broken, store=store,
                          on_failure=seen.append, **options)  # type: ignore[arg-type]

    assert [f.id for f in result.failed] == ["d05", "d09"] == [f.id for f in seen]
    first = result.failed[0]
    assert first.origin == f"{corpus}:6" and first.error == "TypeError"
    assert "Traceback" in first.traceback and "TypeError" in first.traceback
    assert result.documents == 12 and "failed: 2 documents left out" in result.summary()
    # every other document is written whole: the same bytes as a build without the two
    for name in ("graph.nq", "graph.ttl", "edges.csv"):
        assert (out / name).read_bytes() == (expected / name).read_bytes(), name
    assert graph_names(out / "graph.nq") == {f"{DOC}d{i:02d}" for i in range(12) if i not in (5, 9)}
    # the store holds the same graphs
    held = {str(g.value) for g in ox.Store.read_only(str(store)).named_graphs() if g.value.startswith(DOC)}
    assert held == graph_names(out / "graph.nq")
    # failed.jsonl: each input row with its error and traceback
    listed = [json.loads(line) for line in (out / FAILED_FILE).read_text("utf-8").splitlines()]
    assert [r["id"] for r in listed] == ["d05", "d09"]
    assert listed[0]["text"] == BAD and listed[0]["url"] == "https://example.org/5"
    assert listed[0]["input"] == f"{corpus}:6" and listed[0]["error"].startswith("TypeError: ")
    assert "Traceback" in listed[0]["traceback"]
    if how == "dask":
        shards = sorted((out / "shards").iterdir())
        assert b"".join(p.read_bytes() for p in shards) == (out / "graph.nq").read_bytes()


def test_cli_names_the_document_exits_3_and_failed_jsonl_builds_again(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    lexicon: kg.Lexicon, broken: kg.Lexicon
) -> None:
    corpus = write_jsonl(tmp_path / "in.jsonl", *rows(4, bad=(2,)))
    out = tmp_path / "out"
    monkeypatch.setattr(kg.Lexicon, "builtin", classmethod(lambda cls: broken))
    code, stdout, err = run(capsys, "build", corpus, "-o", out, "--formats", "nq", "--workers", "1")
    assert code == 3
    failed = [line for line in err.splitlines() if line.startswith("Failed:")]
    assert failed == [f"Failed: document 'd02' ({corpus}:3) could not be extracted, left out: "
                      "TypeError: argument of type 'int' is not iterable"], err
    assert "Traceback" not in err and not error_lines(err)
    assert "documents: 4" in stdout and "failed: 1 document left out, listed in failed.jsonl" in stdout
    assert files_in(out) == ["failed.jsonl", "graph.nq"]
    assert graph_names(out / "graph.nq") == {f"{DOC}d00", f"{DOC}d01", f"{DOC}d03"}

    # once the bug is fixed, failed.jsonl is an input like any other
    monkeypatch.setattr(kg.Lexicon, "builtin", classmethod(lambda cls: lexicon))
    again = tmp_path / "again"
    code, _, err = run(capsys, "build", out / FAILED_FILE, "-o", again, "--formats", "nq", "-q")
    assert code == 0 and not err
    assert graph_names(again / "graph.nq") == {f"{DOC}d02"}
    # a later build into the same folder with no failure removes the stale list
    code, _, err = run(capsys, "build", corpus, "-o", out, "--formats", "nq", "-q")
    assert code == 0 and not err
    assert files_in(out) == ["graph.nq"]
    assert len(graph_names(out / "graph.nq")) == 4


@pytest.mark.parametrize("workers", ["1", "2"])
def test_fail_fast_stops_with_one_error_and_writes_nothing(
    workers: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    broken: kg.Lexicon
) -> None:
    corpus = write_jsonl(tmp_path / "in.jsonl", *rows(12, bad=(7,)))
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.nq").write_bytes(b"earlier\n")
    monkeypatch.setattr(kg.Lexicon, "builtin", classmethod(lambda cls: broken))
    code, stdout, err = run(capsys, "build", corpus, "-o", out, "--formats", "nq,ttl",
                            "--workers", workers, "--fail-fast")
    assert code == 1 and not stdout
    assert error_lines(err) == [f"Error: document 'd07' ({corpus}:8) could not be extracted, nothing written: "
                                "TypeError: argument of type 'int' is not iterable; without --fail-fast a build "
                                "leaves such a document out and goes on"], err
    assert "Traceback" not in err
    assert files_in(out) == ["graph.nq"] and (out / "graph.nq").read_bytes() == b"earlier\n"


def test_fail_fast_in_the_api_raises_extraction_error(tmp_path: Path, broken: kg.Lexicon) -> None:
    corpus = write_jsonl(tmp_path / "in.jsonl", *rows(3, bad=(1,)))
    with pytest.raises(kg.errors.ExtractionError, match=r"document 'd01' .* could not be extracted"):
        kg.build([str(corpus)], tmp_path / "out", "nq", lexicon=broken, workers=1, fail_fast=True)
    assert not (tmp_path / "out").exists()
