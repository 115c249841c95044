"""The persistent store: ``kg build --store`` adds documents, a rebuilt document replaces its graph, queries read it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg
import kg.rdf
import kg.store
from kg.errors import InputError, StoreError
from kg.store import StoreLoad, StoreWriter, is_store, load_store, open_store, query
from kg.vocab import ONTOLOGY_IRI

from conftest import EXAMPLE

DOC = "https://w3id.org/rawabit/id/doc/"
P = "PREFIX kg: <https://w3id.org/rawabit/ontology#>\n"
SIEGE = "حاصرت قوات النظام مدينة دوما."
DENIAL = "نفت حركة أحرار الشام وجود مفاوضات مع روسيا."
CAPTURE = "سيطرت هيئة تحرير الشام على مدينة إدلب."


def write_jsonl(path: Path, *docs: tuple[str, str]) -> Path:
    path.write_text("\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in docs) + "\n",
                    encoding="utf-8")
    return path


def graph_sizes(db: Path) -> dict[str, int]:
    """Quads per named graph of the store at ``db`` (the store is closed again on return)."""
    store = open_store(db)
    sizes = {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g))  # type: ignore[union-attr]
             for g in store.named_graphs()}
    del store
    return sizes


XSD = "http://www.w3.org/2001/XMLSchema#"
#: Integer datatypes of the profile.
INTEGERS = {XSD + t for t in ("integer", "nonNegativeInteger", "positiveInteger")}


def _norm(term: object) -> object:
    """``term``, or the value of a number: the store keeps an integer of any integer datatype as
    ``xsd:integer`` and a decimal in canonical form (``0.80`` as ``0.8``)."""
    if isinstance(term, ox.Literal) and term.datatype.value in INTEGERS:
        return ("integer", int(term.value))
    if isinstance(term, ox.Literal) and term.datatype.value == XSD + "decimal":
        return ("decimal", Decimal(term.value))
    return term


def _triples(quads: object) -> set[tuple[object, object, object]]:
    return {(q.subject, q.predicate, _norm(q.object)) for q in quads}  # type: ignore[attr-defined]


def graph_quads(db: Path) -> dict[str, set[tuple[object, object, object]]]:
    """The triples of each named graph of the store at ``db``, integers normalised (the store is closed on return)."""
    store = open_store(db)
    graphs = {g.value: _triples(store.quads_for_pattern(None, None, None, g))  # type: ignore[union-attr]
              for g in store.named_graphs()}
    del store
    return graphs


def nq_quads(nq: Path) -> dict[str, set[tuple[object, object, object]]]:
    """The triples of each named graph of an N-Quads file, integers normalised."""
    graphs: dict[str, list[ox.Quad]] = {}
    for q in ox.parse(path=nq, format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(q.graph_name.value, []).append(q)  # type: ignore[union-attr]
    return {g: _triples(qs) for g, qs in graphs.items()}


def documents(graphs: dict[str, set[tuple[object, object, object]]]) -> dict[str, set[tuple[object, object, object]]]:
    """The document graphs of a store's graphs (the ontology's left out)."""
    return {g: t for g, t in graphs.items() if g != ONTOLOGY_IRI}


def _local(term: object) -> str:
    return str(term.value).rsplit("/", 1)[-1].rsplit("#", 1)[-1]  # type: ignore[attr-defined]


def relations(db: Path) -> set[tuple[str, ...]]:
    """(document, relation, object) of every statement in the store, by local names."""
    result = query([], P + "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
                           "SELECT DISTINCT ?g ?p ?o WHERE { GRAPH ?g { ?st a kg:Statement ; "
                           "rdf:predicate ?p ; rdf:object ?o } }", store=db)
    return {tuple(_local(t) for t in row) for row in result.rows}


# --- building into a store ---------------------------------------------------


def test_build_into_a_store_holds_each_document_graph_as_written(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", ("siege", SIEGE), ("denial", DENIAL))
    result = kg.build([str(src)], tmp_path / "out", "nq", lexicon=lexicon, store=tmp_path / "db")
    assert is_store(tmp_path / "db")
    expected = nq_quads(tmp_path / "out" / "graph.nq")
    assert documents(graph_quads(tmp_path / "db")) == expected
    n = sum(len(t) for t in expected.values())
    assert isinstance(result.stored, StoreLoad)
    assert (result.stored.documents, result.stored.quads, result.stored.graphs) == (2, n, 2)
    assert f"stored 2 documents ({n} quads) in {tmp_path / 'db'}" in result.summary()


def test_the_store_holds_the_ontology_in_its_own_graph(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    kg.build([str(EXAMPLE)], tmp_path / "out", "nq", lexicon=lexicon, store=tmp_path / "db")
    kg.build([str(EXAMPLE)], tmp_path / "out", "nq", lexicon=lexicon, store=tmp_path / "db")
    ontology = len(list(ox.parse(path=kg.lexicon.ontology_path("kg.ttl"), format=ox.RdfFormat.TURTLE)))
    assert graph_sizes(tmp_path / "db")[ONTOLOGY_IRI] == ontology, "replaced, not added twice"
    result = query([], P + "SELECT ?code WHERE { GRAPH <" + ONTOLOGY_IRI + "> { kg:besieges kg:cameoCode ?code } }",
                   store=tmp_path / "db")
    assert [r[0].value for r in result.rows] == ["191"]  # type: ignore[union-attr]


def test_building_twice_leaves_the_same_store(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", ("siege", SIEGE), ("denial", DENIAL))
    kg.build([str(src)], tmp_path / "out", "nq", lexicon=lexicon, store=tmp_path / "db")
    first, first_sizes = graph_quads(tmp_path / "db"), graph_sizes(tmp_path / "db")
    kg.build([str(src)], tmp_path / "out", "nq", lexicon=lexicon, store=tmp_path / "db")
    assert documents(graph_quads(tmp_path / "db")) == documents(first)
    assert graph_sizes(tmp_path / "db") == first_sizes, "the ontology (blank nodes and all) replaced, not added"


def test_documents_are_added_incrementally(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    kg.build([str(write_jsonl(tmp_path / "a.jsonl", ("siege", SIEGE)))], tmp_path / "a", "nq", lexicon=lexicon,
             store=tmp_path / "db")
    result = kg.build([str(write_jsonl(tmp_path / "b.jsonl", ("denial", DENIAL)))], tmp_path / "b", "nq",
                      lexicon=lexicon, store=tmp_path / "db")
    assert result.stored is not None and (result.stored.documents, result.stored.graphs) == (1, 2)
    assert documents(graph_quads(tmp_path / "db")) == {**nq_quads(tmp_path / "a" / "graph.nq"),
                                                       **nq_quads(tmp_path / "b" / "graph.nq")}


def test_rebuilding_a_document_replaces_its_graph_without_stale_statements(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    db = tmp_path / "db"
    kg.build([str(write_jsonl(tmp_path / "v1.jsonl", ("news", SIEGE), ("other", DENIAL)))], tmp_path / "o1", "nq",
             lexicon=lexicon, store=db)
    assert ("news", "besieges", "douma") in relations(db)
    kg.build([str(write_jsonl(tmp_path / "v2.jsonl", ("news", CAPTURE)))], tmp_path / "o2", "nq",
             lexicon=lexicon, store=db)
    found = relations(db)
    assert ("news", "besieges", "douma") not in found, "the old version of the document is gone"
    assert ("news", "captures", "idlib") in found
    assert ("other", "negotiatesWith", "russia") in found, "other documents are untouched"
    assert graph_quads(db)[DOC + "news"] == nq_quads(tmp_path / "o2" / "graph.nq")[DOC + "news"]


def test_a_failed_build_leaves_the_store_as_it_was(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    db = tmp_path / "db"
    kg.build([str(write_jsonl(tmp_path / "v1.jsonl", ("news", SIEGE)))], tmp_path / "o1", "nq",
             lexicon=lexicon, store=db)
    before, before_sizes = documents(graph_quads(db)), graph_sizes(db)
    good = write_jsonl(tmp_path / "v2.jsonl", ("news", CAPTURE))
    bad = tmp_path / "v3.jsonl"
    bad.write_text('{"id": "x", "text": \n', encoding="utf-8")
    with pytest.raises(InputError):
        kg.build([str(good), str(bad)], tmp_path / "o2", "nq", lexicon=lexicon, store=db)
    assert documents(graph_quads(db)) == before and graph_sizes(db) == before_sizes
    assert ("news", "besieges", "douma") in relations(db)


# --- the API ---------------------------------------------------------------------


def test_load_store_writes_extractions(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    exs = [kg.extract(kg.Document(i, t), lexicon) for i, t in (("a", SIEGE), ("b", DENIAL), ("c", CAPTURE))]
    loaded = load_store(exs, tmp_path / "db", batch_size=2)
    assert (loaded.documents, loaded.graphs) == (3, 3)
    stored = documents(graph_quads(tmp_path / "db"))
    assert stored == {kg.rdf.document_iri(ex.document.id).value: _triples(kg.rdf.to_quads(ex)) for ex in exs}
    assert loaded.quads == sum(len(t) for t in stored.values())
    assert loaded.summary() == f"stored 3 documents ({loaded.quads} quads) in {tmp_path / 'db'}; " \
                               "it holds 3 document graphs"


def test_a_discarded_writer_leaves_no_trace(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    writer = StoreWriter(tmp_path / "db")
    writer.add(kg.extract(kg.Document("a", SIEGE), lexicon))
    writer.discard()
    assert graph_sizes(tmp_path / "db") == {}


def test_a_write_failure_is_a_store_error(tmp_path: Path, lexicon: kg.Lexicon, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(kg.store, "_replace_graphs", full)
    with pytest.raises(StoreError, match=r"cannot write to store '.*db': No space left on device; check the folder"):
        load_store([kg.extract(kg.Document("a", SIEGE), lexicon)], tmp_path / "db")


# --- mistakes --------------------------------------------------------------------


def test_a_store_in_use_is_a_store_error(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    held = open_store(tmp_path / "db", create=True)
    src = write_jsonl(tmp_path / "in.jsonl", ("siege", SIEGE))
    with pytest.raises(StoreError, match=r"store '.*db' is in use by another process .*query the server"):
        kg.build([str(src)], tmp_path / "out", "nq", lexicon=lexicon, store=tmp_path / "db")
    with pytest.raises(StoreError, match=r"is in use by another process"):
        query([], "ASK {}", store=tmp_path / "db")
    assert not (tmp_path / "out").exists(), "the store is opened before any work"
    del held


def test_a_folder_of_other_files_is_not_made_a_store(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    kg.build([str(EXAMPLE)], tmp_path / "out", "nq", lexicon=lexicon)
    with pytest.raises(StoreError, match=r"folder '.*out' holds files but is not an Oxigraph store; "
                                         r"give --store an empty or new folder"):
        kg.build([str(EXAMPLE)], tmp_path / "out2", "nq", lexicon=lexicon, store=tmp_path / "out")


def test_a_file_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "db").write_text("", encoding="utf-8")
    with pytest.raises(StoreError, match=r"store '.*db' is a file, not a folder"):
        open_store(tmp_path / "db", create=True)


def test_querying_a_missing_store_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"no Oxigraph store at '.*db'; make one with: kg build INPUT --store"):
        query([], "ASK {}", store=tmp_path / "db")
    assert not (tmp_path / "db").exists(), "querying never makes a store"


def test_an_unreadable_store_is_a_store_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_path: str) -> ox.Store:
        raise OSError("Corruption: bad block")

    monkeypatch.setattr(kg.store.ox, "Store", broken)
    with pytest.raises(StoreError, match=r"cannot open store '.*db': Corruption: bad block; check the folder"):
        open_store(tmp_path / "db", create=True)


# --- the command line --------------------------------------------------------------


def test_kg_build_store_then_kg_query_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    src = write_jsonl(tmp_path / "in.jsonl", ("siege", SIEGE))
    assert main(["build", str(src), "-o", str(tmp_path / "out"), "--formats", "nq", "--store",
                 str(tmp_path / "db")]) == 0
    out, _ = capsys.readouterr()
    assert "stored 1 document (" in out and str(tmp_path / "db") in out
    q = P + "SELECT ?o WHERE { ?s kg:besieges ?o }"
    assert main(["query", "--store", str(tmp_path / "db"), q, "--format", "csv"]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines() == ["o", "https://w3id.org/rawabit/id/place/douma"]
    assert main(["query", str(tmp_path / "db"), q, "--format", "csv"]) == 0, "a store folder works in place of a file"
    assert capsys.readouterr()[0].splitlines()[1:] == ["https://w3id.org/rawabit/id/place/douma"]


def test_a_parallel_build_stores_the_same_graphs(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    """Worker processes send each document's N-Quads back; the store gets exactly the file's graphs."""
    specs = Path(__file__).parent / "data" / "specs_ar.jsonl"
    result = kg.build([str(specs)], tmp_path / "out", "nq", lexicon=lexicon, store=tmp_path / "db", workers=2)
    assert result.workers == "2 processes"
    assert documents(graph_quads(tmp_path / "db")) == nq_quads(tmp_path / "out" / "graph.nq")


def test_the_store_does_not_need_the_nquads_file(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", ("siege", SIEGE))
    kg.build([str(src)], tmp_path / "out", "ttl", lexicon=lexicon, store=tmp_path / "db")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["graph.ttl"]
    triples = _triples(ox.parse(path=tmp_path / "out" / "graph.ttl", format=ox.RdfFormat.TURTLE))
    assert graph_quads(tmp_path / "db")[DOC + "siege"] == triples
