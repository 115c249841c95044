"""``kg query``: SPARQL 1.1 over graph files, build folders and stores; the example queries answer their questions."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg
from kg.errors import InputError, StoreError
from kg.store import QueryResult, format_result, query, read_query

from conftest import EXAMPLE, ROOT

QUERIES = ROOT / "examples" / "queries"
EXAMPLE_QUERIES = ("who_denies_what", "besieged_or_captured", "denied_claims", "relations_per_actor",
                   "actors_by_degree")
P = """PREFIX kg: <https://w3id.org/rawabit/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
ACTOR = "https://w3id.org/rawabit/id/actor/"


def rows(result: QueryResult) -> list[dict[str, str]]:
    """SELECT solutions as dicts of plain values ('' when unbound)."""
    return [{v: (t.value if t is not None else "") for v, t in zip(result.variables, row)}  # type: ignore[attr-defined]
            for row in result.rows]


def run_example(name: str, source: Path) -> list[dict[str, str]]:
    return rows(query([source], str(QUERIES / f"{name}.rq")))


# --- sources -------------------------------------------------------------------


SOURCE_QUERIES = {
    "besieged": P + "SELECT DISTINCT ?s ?o WHERE { ?s kg:besieges ?o } ORDER BY ?s ?o",
    "direct": P + "SELECT DISTINCT ?s ?p ?o WHERE { ?st rdf:predicate ?p . ?s ?p ?o } ORDER BY ?s ?p ?o",
    "statements": P + "SELECT ?st ?s ?p ?o ?m WHERE { ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; "
                      "rdf:object ?o ; kg:modality ?m } ORDER BY ?st",
    "labels": P + "SELECT DISTINCT ?a ?l WHERE { ?a skos:prefLabel ?l FILTER (lang(?l) = 'ar') } ORDER BY ?a ?l",
}


@pytest.mark.parametrize("name", ["graph.ttl", "graph.trig", "graph.jsonld", "graph.nt", "."])
def test_every_source_gives_the_same_answer(example_build: Path, name: str) -> None:
    """Files with named graphs and files without agree: the default graph is the union of all graphs,
    so each source answers every query exactly as graph.nq does."""
    for what, q in SOURCE_QUERIES.items():
        reference = query([example_build / "graph.nq"], q)
        result = query([example_build / name], q)
        assert result.kind == "select" and result.variables == reference.variables
        assert rows(result) == rows(reference), f"{name}: {what}"
        assert len(rows(reference)) > 1, what
    besieged = [r["o"] for r in rows(query([example_build / name], SOURCE_QUERIES["besieged"]))]
    assert "https://w3id.org/rawabit/id/place/eastern-ghouta" in besieged


def test_named_graphs_stay_queryable(example_build: Path) -> None:
    result = query([example_build / "graph.nq"], "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert rows(result) == [{"g": "https://w3id.org/rawabit/id/doc/ghouta_ar"}]


def test_several_files_are_queried_together(example_build: Path, tmp_path: Path, lexicon: kg.Lexicon) -> None:
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps({"id": "other", "text": "حاصرت قوات النظام مدينة دوما."}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    kg.build([str(src)], tmp_path / "out", "nq", lexicon=lexicon)
    result = query([example_build, tmp_path / "out" / "graph.nq"],
                   "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert rows(result) == [{"n": "2"}]


def test_ask_and_construct(example_build: Path) -> None:
    ask = query([example_build], P + "ASK { ?st kg:modality kg:Denied }")
    assert (ask.kind, ask.boolean) == ("ask", True)
    assert format_result(ask) == "true\n"
    assert json.loads(format_result(ask, "json")) == {"head": {}, "boolean": True}
    graph = query([example_build], P + "CONSTRUCT { ?s kg:besieges ?o } WHERE { ?s kg:besieges ?o }")
    assert graph.kind == "graph" and graph.triples
    turtle = format_result(graph)
    assert "@prefix kg: <https://w3id.org/rawabit/ontology#>" in turtle and "kg:besieges" in turtle
    assert len(list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) == len(set(graph.triples))
    table = list(csv.reader(io.StringIO(format_result(graph, "csv"))))
    assert table[0] == ["subject", "predicate", "object"] and len(table) == len(graph.triples) + 1
    jsonld = format_result(graph, "json")
    assert len(list(ox.parse(jsonld, format=ox.RdfFormat.JSON_LD))) == len(set(graph.triples))


# --- output formats ---------------------------------------------------------------


def test_table_shortens_iris_and_counts_rows(example_build: Path) -> None:
    text = format_result(query([example_build], P + "SELECT ?s ?o WHERE { ?s kg:besieges ?o } ORDER BY ?o"))
    lines = text.splitlines()
    assert lines[0].split(" | ")[0].strip() == "s" and set(lines[1]) <= {"-", "+"}
    assert "actor:syrian-regime-forces" in text and "https://" not in text
    assert re.fullmatch(r"\(\d+ rows?\)", lines[-1])


def test_table_uses_the_query_s_own_prefixes(example_build: Path) -> None:
    q = "PREFIX x: <https://w3id.org/rawabit/ontology#> SELECT DISTINCT ?p WHERE { ?st x:modality ?p }"
    text = format_result(query([example_build], q))
    assert "x:Denied" in text and "kg:Denied" not in text


def test_csv_and_json_are_the_sparql_results_formats(example_build: Path) -> None:
    result = query([example_build], P + 'SELECT ?a ?l ?none WHERE { ?a a kg:State ; skos:prefLabel ?l '
                                       'FILTER (lang(?l) = "ar") OPTIONAL { ?a kg:nothing ?none } } LIMIT 1')
    table = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert table[0] == ["a", "l", "none"]
    assert table[1][0].startswith(ACTOR) and table[1][2] == ""
    data = json.loads(format_result(result, "json"))
    assert data["head"]["vars"] == ["a", "l", "none"]
    (binding,) = data["results"]["bindings"]
    assert binding["a"]["type"] == "uri" and binding["l"]["xml:lang"] == "ar" and "none" not in binding


def test_json_literals_carry_their_datatype(example_build: Path) -> None:
    result = query([example_build / "graph.nq"], P + "SELECT ?c WHERE { ?st kg:confidence ?c } LIMIT 1")
    (binding,) = json.loads(format_result(result, "json"))["results"]["bindings"]
    assert binding["c"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"


# --- mistakes --------------------------------------------------------------------


def test_query_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("ASK {}", encoding="utf-8")
    assert read_query(str(path)) == "ASK {}"
    assert read_query("ASK {}") == "ASK {}"


def test_missing_query_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot read query file '.*missing\.rq'"):
        read_query(str(tmp_path / "missing.rq"))


def test_syntax_error_is_an_input_error(example_build: Path) -> None:
    with pytest.raises(InputError, match=r"the SPARQL query does not parse: .*; fix the query"):
        query([example_build], "SELECT WHERE")


def test_an_update_is_refused(example_build: Path) -> None:
    with pytest.raises(InputError, match=r"kg query answers queries .*not updates"):
        query([example_build], P + "INSERT DATA { kg:a kg:b kg:c }")


def test_no_source_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"no graph given; name a graph file, a kg build folder, or --store DIR"):
        query([], "ASK {}")


def test_unknown_result_format_is_an_input_error(example_build: Path) -> None:
    with pytest.raises(InputError, match=r"unknown result format 'xml'; choose table, csv or json"):
        format_result(query([example_build], "ASK {}"), "xml")


def test_a_folder_that_is_no_build_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"folder '.*' is neither a kg build output .*nor an Oxigraph store"):
        query([tmp_path], "ASK {}")


def test_an_unknown_extension_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "graph.txt"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"cannot tell the RDF format of '.*graph\.txt' from its extension"):
        query([path], "ASK {}")


def test_a_broken_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(InputError, match=r"'.*broken\.ttl' is not valid Turtle: .*; check the file"):
        query([path], "ASK {}")


def test_a_store_with_other_sources_is_a_store_error(tmp_path: Path, example_build: Path) -> None:
    with pytest.raises(StoreError, match=r"give a store alone, without other graphs or stores"):
        query([example_build], "ASK {}", store=tmp_path / "db")


# --- the example queries -----------------------------------------------------------


def test_every_example_query_is_documented() -> None:
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    names = sorted(p.stem for p in QUERIES.glob("*.rq"))
    assert names == sorted(EXAMPLE_QUERIES)
    for name in names:
        text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
        assert text.startswith("# "), f"{name}.rq opens with what it answers"
        assert f"kg query examples/out examples/queries/{name}.rq" in text
        assert f"`{name}.rq`" in readme


@pytest.fixture(scope="module")
def example_store(tmp_path_factory: pytest.TempPathFactory, lexicon: kg.Lexicon) -> Path:
    tmp = tmp_path_factory.mktemp("example_store")
    kg.build([str(EXAMPLE)], tmp / "out", "nq", lexicon=lexicon, store=tmp / "db")
    return tmp / "db"


@pytest.mark.parametrize("name", EXAMPLE_QUERIES)
def test_example_query_gives_the_same_rows_on_every_source(example_build: Path, example_store: Path,
                                                           name: str) -> None:
    """Over graph.nq, graph.ttl and a store the answers agree."""
    from_nq = run_example(name, example_build / "graph.nq")
    assert from_nq, f"{name} finds something in the example"
    assert run_example(name, example_build / "graph.ttl") == from_nq
    assert rows(query([], str(QUERIES / f"{name}.rq"), store=example_store)) == from_nq


def test_who_denies_what_and_whose_claim(example_build: Path) -> None:
    found = run_example("who_denies_what", example_build)
    assert all(r["denier"] and r["whose_claim"] and r["sentence"] for r in found)
    assert any(r["whose_claim"] == "روسيا" for r in found)
    denied = [r for r in found if r["denied_relation"]]
    assert denied, "at least one denial says what it denies"
    assert any(r["denied_relation"] == "negotiatesWith" and r["denied_object"] == "روسيا" for r in denied)


def test_places_besieged_or_captured(example_build: Path, example_text: str) -> None:
    found = run_example("besieged_or_captured", example_build)
    assert {r["relation"] for r in found} <= {"besieges", "captures"}
    assert any(r["relation"] == "besieges" and r["place"] == "الغوطة الشرقية" and r["modality"] == "Asserted"
               for r in found)
    for r in found:
        assert r["sentence"] in example_text and r["document"] == "ghouta_ar"
        assert (r["modality"] == "Asserted") or r["according_to"], r


def test_denied_claims(example_build: Path) -> None:
    found = run_example("denied_claims", example_build)
    assert any(r["relation"] == "negotiatesWith" and r["object"] == "روسيا" and r["denied_by"] for r in found)


def test_denied_claims_finds_who_claimed_it(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    rows_in = [{"id": "claim", "text": "زعمت قناة حميميم العسكرية أن جيش الإسلام يتفاوض مع روسيا."},
               {"id": "denial", "text": "نفى جيش الإسلام وجود مفاوضات مع روسيا."}]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows_in) + "\n", encoding="utf-8")
    kg.build([str(src)], tmp_path / "out", "nq", lexicon=lexicon)
    found = run_example("denied_claims", tmp_path / "out")
    assert query([tmp_path / "out"], P + "ASK { ?c kg:modality kg:Claimed }").boolean
    pairs = {(r["subject"], r["relation"], r["object"], r["denied_by"], r["claimed_by"]) for r in found}
    assert ("جيش الإسلام", "negotiatesWith", "روسيا", "جيش الإسلام", "قناة حميميم") in pairs, found


def test_relations_per_actor(example_build: Path) -> None:
    found = run_example("relations_per_actor", example_build)
    assert {r["direction"] for r in found} == {"in", "out"}
    for r in found:
        assert int(r["statements"]) >= int(r["asserted_statements"]) >= 0
    russia = [r for r in found if r["a"] == ACTOR + "russia"]
    assert any(r["relation"] == "negotiatesWith" and r["direction"] == "in" for r in russia)


def test_actors_by_degree(example_build: Path) -> None:
    found = run_example("actors_by_degree", example_build)
    degrees = [int(r["degree"]) for r in found]
    assert degrees == sorted(degrees, reverse=True)
    assert all(r["type"] != "Place" and not r["a"].startswith("https://w3id.org/rawabit/id/place/") for r in found)
    total = rows(query([example_build], P + "SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE { ?st a kg:Statement ; "
                                            "rdf:subject ?s . ?s a ?c FILTER (?c != kg:Place) }"))
    top = found[0]
    assert 0 < int(top["degree"]) and int(top["neighbours"]) >= 1
    assert max(degrees) <= int(total[0]["n"]) * 2


# --- kg query ---------------------------------------------------------------------


def test_kg_query_prints_a_table(example_build: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    assert main(["query", str(example_build), str(QUERIES / "actors_by_degree.rq")]) == 0
    out, err = capsys.readouterr()
    head = [cell.strip() for cell in out.splitlines()[0].split(" | ")]
    assert head == ["a", "actor", "type", "degree", "neighbours"]
    assert "روسيا" in out and err == ""


def test_kg_query_csv_and_json(example_build: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    assert main(["query", str(example_build), P + "SELECT ?s WHERE { ?s kg:besieges ?o }", "--format", "csv"]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[0] == "s"
    assert main(["query", str(example_build), P + "ASK { ?s kg:besieges ?o }", "--format", "json"]) == 0
    out, _ = capsys.readouterr()
    assert json.loads(out)["boolean"] is True


def test_kg_query_mistake_is_one_error_line(example_build: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    assert main(["query", str(example_build), "SELECT nonsense"]) == 1
    _, err = capsys.readouterr()
    assert err.startswith("Error: the SPARQL query does not parse") and err.count("\n") == 1


def test_a_store_that_fails_while_read_is_a_store_error(monkeypatch: pytest.MonkeyPatch, example_build: Path) -> None:
    import kg.store

    class Failing:
        def query(self, *_args: object, **_kwargs: object) -> None:
            raise OSError("IO error: read failed")

    monkeypatch.setattr(kg.store, "open_sources", lambda *_a, **_k: Failing())
    with pytest.raises(StoreError, match=r"cannot read the store: IO error: read failed"):
        query([example_build], "ASK {}")


def test_a_file_that_cannot_be_read_is_an_input_error(monkeypatch: pytest.MonkeyPatch, example_build: Path) -> None:
    import errno

    import kg.store

    class Unreadable:
        def load(self, *_args: object, **_kwargs: object) -> None:
            raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(kg.store.ox, "Store", Unreadable)
    with pytest.raises(InputError, match=r"cannot read '.*graph\.nq': Permission denied"):
        query([example_build / "graph.nq"], "ASK {}")
