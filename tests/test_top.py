"""``kg build --top N``: the graph page keeps the N actors of highest degree, every other file stays complete.

The expected actors are computed here from ``graph.nq`` with rdflib, not read
from the page: an actor's degree is the number of distinct (subject, relation,
object, modality) statements it takes part in, over every document, which is
what the page draws as edges.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node
from test_dask import DEADLINE, deadline, require_distributed
from test_html import _data
from test_rdf import rdflib_dataset

import kg
from kg.cli import cli, main
from kg.errors import InputError
from kg.export import write_outputs

KG = Namespace("https://w3id.org/rawabit/ontology#")


def build_cli(out: Path, *options: str, inputs: tuple[Path, ...] = (EXAMPLE,)) -> str:
    """``kg build INPUTS -o OUT OPTIONS`` through the CLI runner; its standard output."""
    result = CliRunner().invoke(cli, ["build", *map(str, inputs), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return result.stdout


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def degrees(nq: Path) -> tuple[dict[URIRef, int], dict[URIRef, str]]:
    """(actor IRI -> distinct statements it is subject or object of, actor IRI -> Arabic label) of a graph.nq."""
    ds = rdflib_dataset(nq, "nq")
    parts: dict[Node, dict[Node, Node]] = {}  # statement node -> rdf:subject, rdf:predicate … -> value
    for st, p, o, _ in ds.quads((None, None, None, None)):
        if p in (RDF.subject, RDF.predicate, RDF.object, KG.modality):
            parts.setdefault(st, {})[p] = o
    edges = {(v[RDF.subject], v[RDF.predicate], v[RDF.object], v[KG.modality]) for v in parts.values()}
    degree: dict[URIRef, int] = {}
    for s, _, o, _ in edges:
        for actor in {s, o}:  # a statement about an actor and itself counts once
            assert isinstance(actor, URIRef)
            degree[actor] = degree.get(actor, 0) + 1
    labels = {s: str(o) for s, _, o, _ in ds.quads((None, SKOS.prefLabel, None, None))
              if isinstance(s, URIRef) and isinstance(o, Literal) and o.language == "ar"}
    assert len(set(labels.values())) == len(labels), "Arabic labels name the actors of the example"
    return degree, labels


def page_actors(page: bytes, labels: dict[URIRef, str]) -> set[URIRef]:
    """The IRIs of the nodes drawn in a graph.html, found by their Arabic labels."""
    by_label = {label: iri for iri, label in labels.items()}
    return {by_label[html.unescape(n["name_ar"])] for n in _data(page.decode("utf-8"), "nodes")}


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every file of a build of the example in every format, without --top."""
    out = tmp_path_factory.mktemp("full")
    build_cli(out, "--formats", "all", "-q")
    return files(out)


@pytest.fixture(scope="module")
def top5(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of a build of the example in every format with --top 5."""
    out = tmp_path_factory.mktemp("top5")
    build_cli(out, "--formats", "all", "--top", "5", "-q")
    return out


@pytest.fixture(scope="module")
def paragraphs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example cut into one document per paragraph: enough documents for two worker processes."""
    lines = [line for line in EXAMPLE.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    path = tmp_path_factory.mktemp("paragraphs") / "ghouta.jsonl"
    path.write_text("".join(json.dumps({"id": f"p{i:02d}", "text": line}, ensure_ascii=False) + "\n"
                            for i, line in enumerate(lines)), encoding="utf-8")
    return path


def test_the_page_holds_the_five_actors_of_highest_degree(top5: Path) -> None:
    degree, labels = degrees(top5 / "graph.nq")
    ranked = sorted(degree, key=lambda iri: (-degree[iri], str(iri)))  # ties by IRI, i.e. by actor key
    expected = set(ranked[:5])
    assert len(degree) > 5
    page = (top5 / "graph.html").read_bytes()
    drawn = page_actors(page, labels)
    assert len(_data(page.decode("utf-8"), "nodes")) == 5
    assert drawn == expected
    assert min(degree[a] for a in drawn) >= max(degree[a] for a in set(degree) - drawn)
    edges = _data(page.decode("utf-8"), "edges")
    ids = {n["id"] for n in _data(page.decode("utf-8"), "nodes")}
    assert edges and all(e["from"] in ids and e["to"] in ids for e in edges)
    assert f"top 5 of {len(degree)} actors".encode() in page


def test_top_changes_only_the_page(full: dict[str, bytes], top5: Path) -> None:
    trimmed = files(top5)
    assert sorted(trimmed) == sorted(full)
    assert trimmed["graph.html"] != full["graph.html"]
    for name in sorted(set(full) - {"graph.html"}):
        assert trimmed[name] == full[name], f"{name} differs with --top"


def test_a_top_above_the_actor_count_draws_the_whole_page(full: dict[str, bytes], tmp_path: Path) -> None:
    build_cli(tmp_path, "--formats", "html", "--top", "1000", "-q")
    assert (tmp_path / "graph.html").read_bytes() == full["graph.html"]


def test_the_page_with_top_is_the_same_across_runs_and_workers(paragraphs: Path, tmp_path: Path) -> None:
    pages = []
    for name, workers in (("a", "1"), ("b", "1"), ("c", "2")):
        summary = build_cli(tmp_path / name, "--formats", "nq,html", "--top", "5", "--workers", workers,
                            inputs=(paragraphs,))
        assert f"on {workers} process" in summary
        pages.append((tmp_path / name / "graph.html").read_bytes())
    assert pages[0] == pages[1] == pages[2]
    _, labels = degrees(tmp_path / "a" / "graph.nq")
    assert len(page_actors(pages[0], labels)) == 5


def test_the_page_with_top_is_the_same_on_dask(paragraphs: Path, tmp_path: Path, lexicon: kg.Lexicon) -> None:
    require_distributed()
    kg.build([str(paragraphs)], tmp_path / "local", "html", lexicon=lexicon, workers=1, top=5)
    with deadline(DEADLINE):
        kg.build([str(paragraphs)], tmp_path / "dask", "html", lexicon=lexicon, dask="local", workers=2,
                 partition_size=4, top=5)
    assert (tmp_path / "dask" / "graph.html").read_bytes() == (tmp_path / "local" / "graph.html").read_bytes()


@pytest.mark.parametrize("value", ["0", "-1", "abc"])
def test_a_bad_top_is_a_usage_error(value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["build", str(EXAMPLE), "-o", str(out), "--top", value])
    err = capsys.readouterr().err
    assert code == 2
    assert "Error: Invalid value for '--top'" in err and value in err
    assert "Traceback" not in err
    assert not out.exists()


def test_top_without_the_page_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["build", str(EXAMPLE), "-o", str(out), "--formats", "ttl,nq", "--top", "5", "-q"])
    err = capsys.readouterr().err
    assert code == 1
    message = ("Error: --top 5 trims only graph.html, which --formats 'ttl,nq' does not write; "
               "add html to --formats or drop --top")
    assert [line for line in err.splitlines() if line.startswith("Error:")] == [message]
    assert "Traceback" not in err
    assert not out.exists()


def test_the_help_says_top_trims_only_the_page() -> None:
    result = CliRunner().invoke(cli, ["build", "--help"])
    assert result.exit_code == 0
    assert "--top N" in result.output and "graph.html" in result.output
    assert "keep every actor" in " ".join(result.output.split())


@pytest.mark.parametrize(("formats", "top", "message"), [
    ("html", 0, r"top must be at least 1, got 0; --top N keeps the N actors of highest degree"),
    ("nq", 5, r"--top 5 trims only graph\.html, which --formats 'nq' does not write"),
])
def test_bad_tops_are_input_errors(formats: str, top: int, message: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=message):
        kg.build([str(EXAMPLE)], tmp_path / "out", formats, top=top)
    with pytest.raises(InputError, match=message):
        write_outputs([], tmp_path / "all-at-once", [formats], top=top)
    assert not (tmp_path / "out").exists() and not (tmp_path / "all-at-once").exists()


def test_the_all_at_once_writer_keeps_the_same_actors(top5: Path, lexicon: kg.Lexicon, tmp_path: Path) -> None:
    from kg.builder import extract_all
    from kg.read import read_paths

    write_outputs(extract_all(read_paths([str(EXAMPLE)]), lexicon), tmp_path, ["html"], top=5)
    assert (tmp_path / "graph.html").read_bytes() == (top5 / "graph.html").read_bytes()
