"""kg stats: counts checked against SPARQL over the same graph, the plot, and errors."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli, main
from kg.errors import ExportError, InputError
from kg.stats import GraphStats, read_stats
from kg.store import query

PNG = b"\x89PNG\r\n\x1a\n"
KG = "https://w3id.org/rawabit/ontology#"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, lexicon: kg.Lexicon) -> Path:
    """``kg build examples/ghouta_ar.txt -o tmp`` (ttl, nq)."""
    from tests.conftest import EXAMPLE

    out = tmp_path_factory.mktemp("stats_build")
    kg.build([str(EXAMPLE)], out, "ttl,nq", lexicon=lexicon)
    return out


def _section(text: str, heading: str) -> list[str]:
    """The indented lines below a heading, up to the next blank line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    out = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        out.append(line.strip())
    return out


def _sparql_counts(source: Path, sparql: str) -> dict[tuple[str, ...], int]:
    result = query([source], sparql)
    out: dict[tuple[str, ...], int] = {}
    for row in result.rows:
        *keys, n = row
        out[tuple(str(k.value).rsplit("#", 1)[-1] for k in keys)] = int(n.value)
    return out


def test_stats_sections_match_sparql(built: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", str(built)])
    assert result.exit_code == 0, result.output
    text = result.output
    by_relation = _sparql_counts(built / "graph.nq", f"""
        PREFIX kg: <{KG}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?p ?m (COUNT(?st) AS ?n) WHERE {{
          ?st a kg:Statement ; rdf:predicate ?p ; kg:modality ?m }} GROUP BY ?p ?m""")
    assert by_relation, "the example gives statements"
    rows = _section(text, "Relations by type and modality")
    assert rows[0].split() == ["relation", "Asserted", "Claimed", "Denied", "total"]
    printed = {}
    for row in rows[1:]:
        name, *numbers = row.split()
        printed[name] = [int(x) for x in numbers]
    expected: dict[str, list[int]] = {}
    for (p, m), n in by_relation.items():
        counts = expected.setdefault(p, [0, 0, 0])
        counts[["Asserted", "Claimed", "Denied"].index(m)] += n
    assert printed == {p: [*c, sum(c)] for p, c in expected.items()}
    total = sum(by_relation.values())
    assert "1 documents, " in text and f", {total} statements" in text

    by_type = _sparql_counts(built / "graph.nq", f"""
        PREFIX kg: <{KG}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?t (COUNT(DISTINCT ?a) AS ?n) WHERE {{
          ?st a kg:Statement . {{ ?st rdf:subject ?a }} UNION {{ ?st rdf:object ?a }}
          ?a a ?t }} GROUP BY ?t""")
    actors = {}
    for row in _section(text, "Actors by type"):
        name, n = row.rsplit(maxsplit=1)
        actors[name] = int(n)
    assert actors == {t: n for (t,), n in by_type.items()}

    # Degree: distinct neighbours, counted here from the direct statements.
    ends = query([built / "graph.nq"], f"""
        PREFIX kg: <{KG}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT DISTINCT ?s ?o WHERE {{ ?st a kg:Statement ; rdf:subject ?s ; rdf:object ?o }}""")
    neighbours: dict[str, set[str]] = {}
    for s, o in ends.rows:
        if s != o:
            neighbours.setdefault(s.value, set()).add(o.value)
            neighbours.setdefault(o.value, set()).add(s.value)
    top = _section(text, "Most central actors by degree")
    first = re.match(r"1\.\s+(\d+)\s+.*<([^>]+)>$", top[0])
    assert first is not None, top[0]
    assert int(first[1]) == max(len(v) for v in neighbours.values()) == len(neighbours[first[2]])
    assert len(_section(text, "Most central actors by betweenness")) == 10
    communities = _section(text, "Communities (Louvain)")
    assert communities and all(re.match(r"\d+\.\s+\d+ actors: ", c) for c in communities)
    # The same answer from the Turtle file (one default graph) and from the folder.
    assert read_stats(built / "graph.ttl").to_text() == text


def test_stats_plot_writes_a_png(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.png"
    result = CliRunner().invoke(cli, ["stats", str(built / "graph.nq"), "--plot", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(PNG) and len(data) > 1000


def test_stats_by_day_from_dated_documents(lexicon: kg.Lexicon, tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    rows = [
        {"id": "a", "text": "حاصرت قوات النظام مدينة دوما.", "date": "2018-03-12"},
        {"id": "b", "text": "حاصرت قوات النظام مدينة حرستا.", "date": "2018-03-13"},
        {"id": "c", "text": "قصفت القوات الروسية مدينة دوما.", "date": "2018-03-13"},
    ]
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    kg.build([str(corpus)], tmp_path / "out", "nq", lexicon=lexicon)
    plot = tmp_path / "days.png"
    stats = read_stats(tmp_path / "out", plot=plot)
    per_doc = Counter(
        str(r[0].value)
        for r in query([tmp_path / "out"], f"""PREFIX kg: <{KG}>
            SELECT ?g WHERE {{ GRAPH ?g {{ ?st a kg:Statement }} }}""").rows
    )
    day_of = {"a": "2018-03-12", "b": "2018-03-13", "c": "2018-03-13"}
    expected = Counter()
    for g, n in per_doc.items():
        expected[day_of[g.rsplit("/", 1)[-1]]] += n
    assert dict(stats.by_day) == dict(expected) and stats.by_day
    assert "Statements by day" in stats.to_text()
    assert plot.read_bytes().startswith(PNG)


def test_stats_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match=r"graph .*missing\.nq.* does not exist; give graph\.nq"):
        read_stats(tmp_path / "missing.nq")
    bad = tmp_path / "bad.nq"
    bad.write_text("not rdf at all\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"is not valid N-Quads"):
        read_stats(bad)
    with pytest.raises(InputError, match=r"neither a kg build output"):
        read_stats(tmp_path)
    assert main(["stats", str(tmp_path / "missing.nq")]) == 1
    assert "Error: graph" in capsys.readouterr().err


def test_plot_error(built: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"cannot write the plot .*folder exists"):
        read_stats(built, plot=tmp_path / "missing" / "out.png")


def test_stats_help() -> None:
    result = CliRunner().invoke(cli, ["stats", "--help"])
    assert result.exit_code == 0 and "--plot" in result.output and "central" in result.output


def test_empty_graph(tmp_path: Path) -> None:
    empty = tmp_path / "empty.nq"
    empty.write_text("", encoding="utf-8")
    stats = read_stats(empty)
    assert isinstance(stats, GraphStats) and stats.statements == 0 and stats.communities == ()
    assert stats.to_text().startswith("Graph: 0 documents, 0 actors, 0 statements")
