"""The RDF files kg writes: they parse everywhere, agree across formats, and follow RDF_PROFILE.md.

The profile checks are SPARQL queries over a pyoxigraph store loaded from
``graph.nq`` (one named graph per document), so each check also holds per
document graph.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import warnings
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic

import kg
from kg.errors import ExportError
from kg.model import ACTOR_TYPES, RELATIONS
from kg.rdf import DEFAULT_BASE, PREFIXES, mint, parse_date

from conftest import EXAMPLE, RDF_FORMATS, require_tool

KG = "https://w3id.org/rawabit/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SPARQL_PREFIXES = """
PREFIX kg: <https://w3id.org/rawabit/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
RELATION_VALUES = " ".join(f"kg:{r}" for r in RELATIONS)

OX_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}
DATASET_FORMATS = ("nq", "trig", "jsonld")
RAPPER_SYNTAX = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "trig": "trig"}


# --- helpers ---------------------------------------------------------------


def ox_parse(path: Path, fmt: str) -> list[ox.Quad]:
    return list(ox.parse(path=path, format=OX_FORMATS[fmt]))


def rdflib_dataset(path: Path, fmt: str) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    with warnings.catch_warnings():
        # rdflib 7.6's own parsers still go through its deprecated ConjunctiveGraph API.
        warnings.filterwarnings("ignore", r"(Dataset\.default_context|ConjunctiveGraph) is deprecated",
                                DeprecationWarning)
        ds.parse(path, format=RDFLIB_FORMATS[fmt])
    return ds


def triples_of(ds: rdflib.Dataset) -> rdflib.Graph:
    """Every triple of every graph of ``ds``, as one graph."""
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def named_graphs_of(ds: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    graphs: dict[str, rdflib.Graph] = defaultdict(rdflib.Graph)
    for s, p, o, c in ds.quads((None, None, None, None)):
        graphs[str(getattr(c, "identifier", c))].add((s, p, o))
    return dict(graphs)


def assert_isomorphic(a: rdflib.Graph, b: rdflib.Graph, what: str) -> None:
    if not isomorphic(a, b):
        _, only_a, only_b = graph_diff(a, b)
        pytest.fail(f"{what} differ:\nonly in first:\n{only_a.serialize(format='nt')}\n"
                    f"only in second:\n{only_b.serialize(format='nt')}")


def store_of(path: Path, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> ox.Store:
    store = ox.Store()
    store.load(path=path, format=fmt)
    return store


def value(term: object) -> object:
    """A query result term as a plain Python value (IRIs and literals as str, integers as int)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value in (XSD + "nonNegativeInteger", XSD + "positiveInteger",
                                                                  XSD + "integer"):
        return int(term.value)
    return term.value  # type: ignore[attr-defined]


def select(store: ox.Store, query: str) -> list[dict[str, object]]:
    solutions = store.query(SPARQL_PREFIXES + query)
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    return [{n: value(sol[n]) for n in names} for sol in solutions]  # type: ignore[union-attr]


def by_key(rows: list[dict[str, object]], key: str) -> dict[object, list[dict[str, object]]]:
    out: dict[object, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        out[row[key]].append(row)
    return dict(out)


def write_jsonl(path: Path, *rows: dict[str, object]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


# --- fixtures --------------------------------------------------------------


@pytest.fixture(scope="module")
def store(example_build: Path) -> ox.Store:
    return store_of(example_build / "graph.nq")


TWO_DOCS = (
    {"id": "denial", "text": "نفت حركة أحرار الشام وجود مفاوضات مع روسيا."},
    {"id": "siege", "text": "حاصرت قوات النظام مدينة دوما بدعم من روسيا. وقصفت قوات النظام دوما."},
)


@pytest.fixture(scope="module")
def two_doc_build(tmp_path_factory: pytest.TempPathFactory, lexicon: kg.Lexicon) -> Path:
    """Two documents that mention the same actor (Russia), built as ttl and nq."""
    tmp = tmp_path_factory.mktemp("two_docs")
    src = write_jsonl(tmp / "two.jsonl", *TWO_DOCS)
    kg.build([str(src)], tmp / "out", "ttl,nq", lexicon=lexicon)
    return tmp / "out"


# --- every file parses, and the formats agree ------------------------------


@pytest.mark.parametrize("fmt", list(OX_FORMATS))
def test_file_parses_with_pyoxigraph(example_build: Path, fmt: str) -> None:
    quads = ox_parse(example_build / f"graph.{fmt}", fmt)
    assert len(quads) > 100
    in_default_graph = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    if fmt in DATASET_FORMATS:
        assert in_default_graph == [], "dataset formats put every triple in a document's named graph"
    else:
        assert len(in_default_graph) == len(quads)


@pytest.mark.parametrize("fmt", list(RDFLIB_FORMATS))
def test_file_parses_with_rdflib_to_the_same_number_of_statements(example_build: Path, fmt: str) -> None:
    ds = rdflib_dataset(example_build / f"graph.{fmt}", fmt)
    n_quads = sum(1 for _ in ds.quads((None, None, None, None)))
    assert n_quads == len(set(ox_parse(example_build / f"graph.{fmt}", fmt)))


def test_triples_agree_across_all_formats(example_build: Path) -> None:
    ttl = triples_of(rdflib_dataset(example_build / "graph.ttl", "ttl"))
    assert_isomorphic(ttl, triples_of(rdflib_dataset(example_build / "graph.nt", "nt")), "ttl and nt")
    for fmt in DATASET_FORMATS:
        union = triples_of(rdflib_dataset(example_build / f"graph.{fmt}", fmt))
        assert_isomorphic(ttl, union, f"ttl and the union of the {fmt} graphs")


def test_named_graphs_agree_between_nquads_trig_and_jsonld(example_build: Path) -> None:
    nq = named_graphs_of(rdflib_dataset(example_build / "graph.nq", "nq"))
    assert list(nq) == [DEFAULT_BASE + "doc/ghouta_ar"]
    for fmt in ("trig", "jsonld"):
        other = named_graphs_of(rdflib_dataset(example_build / f"graph.{fmt}", fmt))
        assert sorted(other) == sorted(nq)
        for name, graph in nq.items():
            assert_isomorphic(graph, other[name], f"graph {name} in nq and {fmt}")


@pytest.mark.parametrize("fmt", list(RAPPER_SYNTAX))
def test_rapper_parses_the_file_to_the_same_count(example_build: Path, fmt: str) -> None:
    rapper = require_tool("rapper")
    path = example_build / f"graph.{fmt}"
    done = subprocess.run([rapper, "-i", RAPPER_SYNTAX[fmt], "-c", str(path)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr.lower(), done.stderr
    count = re.search(r"returned (\d+) triples", done.stderr)
    assert count is not None, done.stderr
    assert int(count.group(1)) == len(ox_parse(path, fmt))


def test_two_documents_give_two_named_graphs_each_standing_alone(two_doc_build: Path) -> None:
    quads = ox_parse(two_doc_build / "graph.nq", "nq")
    graphs = {q.graph_name.value for q in quads}  # type: ignore[union-attr]
    assert graphs == {DEFAULT_BASE + "doc/denial", DEFAULT_BASE + "doc/siege"}
    russia = ox.NamedNode(DEFAULT_BASE + "actor/russia")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for name in graphs:
        typed = [q for q in quads if q.graph_name.value == name and q.subject == russia  # type: ignore[union-attr]
                 and q.predicate == rdf_type]
        assert len(typed) == 1, f"actor:russia is typed in {name}"


# --- the profile: documents, sentences, mentions ---------------------------


def test_one_document_per_input_with_its_identifier(store: ox.Store) -> None:
    rows = select(store, "SELECT ?g ?d ?id WHERE { GRAPH ?g { ?d a kg:Document . "
                         "OPTIONAL { ?d dcterms:identifier ?id } } }")
    assert rows == [{"g": DEFAULT_BASE + "doc/ghouta_ar", "d": DEFAULT_BASE + "doc/ghouta_ar", "id": "ghouta_ar"}]


def test_identifier_is_written_on_documents_only(store: ox.Store) -> None:
    rows = select(store, "SELECT ?x WHERE { GRAPH ?g { ?x dcterms:identifier ?id "
                         "FILTER NOT EXISTS { ?x a kg:Document } } }")
    assert rows == []


def test_each_named_graph_is_named_by_its_document(two_doc_build: Path) -> None:
    store = store_of(two_doc_build / "graph.nq")
    rows = select(store, "SELECT ?g ?d WHERE { GRAPH ?g { ?d a kg:Document } }")
    assert {r["g"] for r in rows} == {n.value for n in store.named_graphs()}
    assert all(r["g"] == r["d"] for r in rows)
    assert len(rows) == len(TWO_DOCS)


def test_sentences_belong_to_their_document_and_quote_it_exactly(store: ox.Store, example_text: str) -> None:
    rows = select(store, """
        SELECT ?g ?s ?doc ?b ?e ?text WHERE { GRAPH ?g { ?s a kg:Sentence .
            OPTIONAL { ?s dcterms:isPartOf ?doc } OPTIONAL { ?s kg:beginIndex ?b }
            OPTIONAL { ?s kg:endIndex ?e } OPTIONAL { ?s kg:text ?text } } }""")
    assert len(rows) >= 5
    for s, found in by_key(rows, "s").items():
        assert len(found) == 1, f"{s} has one isPartOf, beginIndex, endIndex and text"
        (row,) = found
        assert row["doc"] == row["g"]
        assert isinstance(row["b"], int) and isinstance(row["e"], int), s
        assert 0 <= row["b"] < row["e"] <= len(example_text)
        assert row["text"] == example_text[row["b"]:row["e"]], s  # type: ignore[misc]
        assert str(s).startswith(str(row["doc"]) + "#s")


def test_mentions_anchor_the_original_text_inside_their_sentence(store: ox.Store, example_text: str) -> None:
    rows = select(store, """
        SELECT ?m ?anchor ?b ?e ?actor ?sb ?se WHERE { GRAPH ?g { ?m a kg:Mention .
            OPTIONAL { ?m kg:anchorOf ?anchor } OPTIONAL { ?m kg:beginIndex ?b }
            OPTIONAL { ?m kg:endIndex ?e } OPTIONAL { ?m kg:refersTo ?actor }
            OPTIONAL { ?m prov:wasDerivedFrom ?s . ?s a kg:Sentence ; kg:beginIndex ?sb ; kg:endIndex ?se } } }""")
    assert len(rows) >= 20
    for m, found in by_key(rows, "m").items():
        assert len(found) == 1, f"{m}: one anchor, span, actor and sentence"
        (row,) = found
        assert row["anchor"] and row["actor"], m
        assert row["anchor"] == example_text[row["b"]:row["e"]], m  # type: ignore[misc]
        assert row["sb"] is not None, f"{m} is derived from a sentence"
        assert row["sb"] <= row["b"] < row["e"] <= row["se"], m  # type: ignore[operator]


# --- the profile: statements -----------------------------------------------


def test_statements_have_one_subject_predicate_object_and_modality(store: ox.Store) -> None:
    rows = select(store, """
        SELECT ?st (COUNT(DISTINCT ?s) AS ?ns) (COUNT(DISTINCT ?p) AS ?np) (COUNT(DISTINCT ?o) AS ?no)
               (COUNT(DISTINCT ?mod) AS ?nm) (SAMPLE(?p) AS ?pred) (SAMPLE(?mod) AS ?modality)
        WHERE { GRAPH ?g { ?st a kg:Statement .
            OPTIONAL { ?st rdf:subject ?s } OPTIONAL { ?st rdf:predicate ?p }
            OPTIONAL { ?st rdf:object ?o } OPTIONAL { ?st kg:modality ?mod } } }
        GROUP BY ?st""")
    assert len(rows) >= 10
    for row in rows:
        assert (row["ns"], row["np"], row["no"], row["nm"]) == (1, 1, 1, 1), row
        assert row["pred"] in {KG + r for r in RELATIONS}, row
        assert row["modality"] in {KG + "Asserted", KG + "Claimed", KG + "Denied"}, row


def test_example_has_claimed_and_denied_statements(store: ox.Store) -> None:
    rows = select(store, "SELECT DISTINCT ?mod WHERE { GRAPH ?g { ?st a kg:Statement ; kg:modality ?mod } }")
    assert {r["mod"] for r in rows} == {KG + "Asserted", KG + "Claimed", KG + "Denied"}


def test_statement_confidence_is_a_decimal_in_the_unit_interval(store: ox.Store) -> None:
    solutions = store.query(SPARQL_PREFIXES + "SELECT ?st ?c WHERE { GRAPH ?g { ?st a kg:Statement . "
                                              "OPTIONAL { ?st kg:confidence ?c } } }")
    seen: dict[str, int] = defaultdict(int)
    for sol in solutions:  # type: ignore[union-attr]
        c = sol["c"]
        assert isinstance(c, ox.Literal), f"{sol['st']} has a confidence"
        assert c.datatype == ox.NamedNode(XSD + "decimal")
        assert Decimal(0) <= Decimal(c.value) <= Decimal(1)
        seen[sol["st"].value] += 1
    assert seen and set(seen.values()) == {1}


def test_statement_is_derived_from_sentences_of_its_document_and_counts_them(store: ox.Store) -> None:
    rows = select(store, """
        SELECT ?st ?count (COUNT(DISTINCT ?s) AS ?sentences) (COUNT(DISTINCT ?alien) AS ?aliens)
        WHERE { GRAPH ?g { ?st a kg:Statement . OPTIONAL { ?st kg:mentionCount ?count }
            OPTIONAL { ?st prov:wasDerivedFrom ?s . ?s a kg:Sentence ; dcterms:isPartOf ?g }
            OPTIONAL { ?st prov:wasDerivedFrom ?alien FILTER NOT EXISTS { ?alien dcterms:isPartOf ?g } } } }
        GROUP BY ?st ?count""")
    assert len({r["st"] for r in rows}) == len(rows), "one kg:mentionCount per statement"
    for row in rows:
        assert row["sentences"] >= 1, row  # type: ignore[operator]
        assert row["aliens"] == 0, row
        assert isinstance(row["count"], int) and row["count"] >= row["sentences"], row  # type: ignore[operator]


def test_claimed_and_denied_statements_never_give_a_direct_triple(store: ox.Store) -> None:
    rows = select(store, """
        SELECT ?g ?st ?s ?p ?o WHERE { GRAPH ?g {
            ?st a kg:Statement ; kg:modality ?mod ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
            FILTER (?mod != kg:Asserted)
            ?s ?p ?o .
            FILTER NOT EXISTS { ?a kg:modality kg:Asserted ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } } }""")
    assert rows == []


def test_every_direct_relation_triple_is_backed_by_an_asserted_statement(store: ox.Store) -> None:
    rows = select(store, f"""
        SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ VALUES ?p {{ {RELATION_VALUES} }} ?s ?p ?o .
            FILTER NOT EXISTS {{ ?a kg:modality kg:Asserted ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }} }} }}""")
    assert rows == []


def test_every_asserted_statement_gives_its_direct_triple(store: ox.Store) -> None:
    rows = select(store, """
        SELECT ?st WHERE { GRAPH ?g { ?st kg:modality kg:Asserted ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
            FILTER NOT EXISTS { ?s ?p ?o } } }""")
    assert rows == []


def test_merged_turtle_has_no_direct_triple_only_claimed_or_denied(example_build: Path) -> None:
    ttl = store_of(example_build / "graph.ttl", ox.RdfFormat.TURTLE)
    rows = select(ttl, """
        SELECT ?st WHERE { ?st kg:modality ?mod ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
            FILTER (?mod != kg:Asserted) ?s ?p ?o .
            FILTER NOT EXISTS { ?a kg:modality kg:Asserted ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }""")
    assert rows == []


# --- the profile: actors and places ----------------------------------------

ACTORS_USED = """
    SELECT ?g ?a (COUNT(DISTINCT ?t) AS ?types) (SAMPLE(?t) AS ?type) (COUNT(DISTINCT ?l) AS ?labels)
    WHERE { GRAPH ?g {
        { ?x rdf:subject ?a } UNION { ?x rdf:object ?a } UNION { ?x kg:attributedTo ?a }
        UNION { ?x kg:place ?a } UNION { ?x kg:refersTo ?a }
        OPTIONAL { ?a a ?t } OPTIONAL { ?a skos:prefLabel ?l FILTER (lang(?l) = "ar") } } }
    GROUP BY ?g ?a"""


@pytest.mark.parametrize("build", ["example_build", "two_doc_build"])
def test_every_actor_node_used_has_one_type_and_one_arabic_label_in_its_graph(
    build: str, request: pytest.FixtureRequest
) -> None:
    rows = select(store_of(request.getfixturevalue(build) / "graph.nq"), ACTORS_USED)
    assert len(rows) >= 3
    for row in rows:
        assert row["types"] == 1 and row["labels"] == 1, row
        assert row["type"] in {KG + t for t in ACTOR_TYPES}, row
        is_place = str(row["a"]).startswith(DEFAULT_BASE + "place/")
        assert (row["type"] == KG + "Place") == is_place, f"places under place/, actors under actor/: {row}"


def test_merged_turtle_gives_each_actor_one_arabic_label(two_doc_build: Path) -> None:
    ttl = store_of(two_doc_build / "graph.ttl", ox.RdfFormat.TURTLE)
    rows = select(ttl, """SELECT ?a (COUNT(DISTINCT ?l) AS ?n) WHERE {
        ?a skos:prefLabel ?l FILTER (lang(?l) = "ar") } GROUP BY ?a HAVING (COUNT(DISTINCT ?l) > 1)""")
    assert rows == []


def test_data_graphs_do_not_copy_the_ontology(store: ox.Store) -> None:
    rows = select(store, "SELECT ?x WHERE { GRAPH ?g { ?x a ?c FILTER (?c IN (owl:Class, owl:ObjectProperty, "
                         "owl:DatatypeProperty, owl:Ontology)) } }")
    assert rows == []


# --- Turtle for people and for Virtuoso ------------------------------------


def test_turtle_declares_the_profile_prefixes(example_build: Path) -> None:
    text = (example_build / "graph.ttl").read_text(encoding="utf-8")
    declared = dict(re.findall(r"@prefix (\w*): <([^>]*)> \.", text))
    expected = PREFIXES(DEFAULT_BASE)
    for name in ("kg", "actor", "place", "doc"):
        assert declared.get(name) == expected[name], name
    assert expected["kg"] == KG


def test_turtle_has_no_backslash_escaped_prefixed_names(example_build: Path) -> None:
    text = (example_build / "graph.ttl").read_text(encoding="utf-8")
    code = re.sub(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"', '""', text)  # string literals
    code = re.sub(r"<[^>\n]*>", "<>", code)  # full IRIs
    names = re.findall(r"(?<![\w<])[A-Za-z][\w.-]*:\S*", code)
    assert "kg:Document" in names  # the scan sees prefixed names at all
    escaped = sorted({n for n in names if "\\" in n or "/" in n})
    assert escaped == [], f"escaped local names (Virtuoso keeps the backslash): {escaped[:5]}"


@pytest.mark.parametrize("seed", ["0", "4242"])
def test_build_is_deterministic(example_build: Path, tmp_path: Path, seed: str) -> None:
    """``kg build`` in another process, under another hash seed (set and dict order differ), with
    worker processes, writes every RDF file byte for byte as this process did."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "kg", "build", str(EXAMPLE), "-o", str(tmp_path), "--formats",
                           RDF_FORMATS, "--workers", "2", "-q"], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    for fmt in RDF_FORMATS.split(","):
        assert (tmp_path / f"graph.{fmt}").read_bytes() == (example_build / f"graph.{fmt}").read_bytes(), fmt


# --- document ids, dates and --base ----------------------------------------


def test_unsafe_document_id_is_percent_encoded_in_the_iri_and_kept_in_the_identifier(
    tmp_path: Path, lexicon: kg.Lexicon
) -> None:
    doc_id = "تقرير دوما #2/ب"
    src = write_jsonl(tmp_path / "in.jsonl", {"id": doc_id, "text": "حاصرت قوات النظام مدينة دوما."})
    kg.build([str(src)], tmp_path / "out", "nq", lexicon=lexicon)
    store = store_of(tmp_path / "out" / "graph.nq")
    (row,) = select(store, "SELECT ?g ?d ?id WHERE { GRAPH ?g { ?d a kg:Document ; dcterms:identifier ?id } }")
    assert row["id"] == doc_id
    assert row["d"] == row["g"]
    prefix = DEFAULT_BASE + "doc/"
    segment = str(row["d"])[len(prefix):]
    assert str(row["d"]).startswith(prefix)
    assert segment.isascii() and not re.search(r"[\s/#]", segment), segment
    assert unquote(segment) == doc_id
    sentences = select(store, "SELECT ?s WHERE { GRAPH ?g { ?s a kg:Sentence } }")
    assert sentences and all(str(r["s"]).startswith(f"{row['d']}#s") for r in sentences)


def test_safe_document_id_is_used_as_is(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", {"id": "aj-2018.03_12", "text": "حاصرت قوات النظام مدينة دوما."})
    kg.build([str(src)], tmp_path / "out", "nq", lexicon=lexicon)
    rows = select(store_of(tmp_path / "out" / "graph.nq"), "SELECT ?d WHERE { GRAPH ?g { ?d a kg:Document } }")
    assert rows == [{"d": DEFAULT_BASE + "doc/aj-2018.03_12"}]


DATED = (
    {"id": "iso", "text": "حاصرت قوات النظام مدينة دوما.", "date": "2018-03-12", "url": "https://example.org/a?x=1",
     "title": "حصار دوما"},
    {"id": "dmy", "text": "حاصرت قوات النظام مدينة دوما.", "date": "13/03/2018", "url": "ftp://example.org/b"},
    {"id": "rfc", "text": "حاصرت قوات النظام مدينة دوما.", "date": "Tue, 13 Mar 2018 10:00:00 +0000"},
)


def test_document_dates_are_typed_and_urls_are_sources(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", *DATED)
    kg.build([str(src)], tmp_path / "out", "nq", lexicon=lexicon)
    dcterms = "http://purl.org/dc/terms/"
    got = {(q.subject.value.rsplit("/", 1)[-1], q.predicate.value[len(dcterms):]): q.object  # type: ignore[union-attr]
           for q in ox_parse(tmp_path / "out" / "graph.nq", "nq") if q.predicate.value.startswith(dcterms)}
    assert got[("iso", "date")] == ox.Literal("2018-03-12", datatype=ox.NamedNode(XSD + "date"))
    assert got[("dmy", "date")] == ox.Literal("2018-03-13", datatype=ox.NamedNode(XSD + "date"))
    assert got[("rfc", "date")] == ox.Literal("2018-03-13T10:00:00+00:00", datatype=ox.NamedNode(XSD + "dateTime"))
    assert got[("iso", "source")] == ox.NamedNode("https://example.org/a?x=1")
    assert got[("iso", "title")] == ox.Literal("حصار دوما", language="ar")
    assert got[("dmy", "source")] == ox.Literal("ftp://example.org/b")
    assert ("rfc", "source") not in got and ("rfc", "title") not in got


def test_unparseable_date_stays_a_plain_literal_with_a_warning(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", {"id": "d", "text": "حاصرت قوات النظام مدينة دوما.", "date": "أمس"})
    with pytest.warns(UserWarning, match=r"date 'أمس' does not parse"):
        kg.build([str(src)], tmp_path / "out", "nq", lexicon=lexicon)
    rows = select(store_of(tmp_path / "out" / "graph.nq"), "SELECT ?date WHERE { GRAPH ?g { ?d dcterms:date ?date } }")
    assert rows == [{"date": "أمس"}]
    (quad,) = [q for q in ox_parse(tmp_path / "out" / "graph.nq", "nq") if q.predicate.value.endswith("/date")]
    assert quad.object.datatype == ox.NamedNode(XSD + "string")  # type: ignore[union-attr]


def test_base_option_changes_the_instance_namespace(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", {"id": "d1", "text": "حاصرت قوات النظام مدينة دوما."})
    kg.build([str(src)], tmp_path / "out", "ttl", base="https://example.org/kb/", lexicon=lexicon)
    iris = {t.value for q in ox_parse(tmp_path / "out" / "graph.ttl", "ttl") for t in (q.subject, q.object)
            if isinstance(t, ox.NamedNode)}
    assert "https://example.org/kb/doc/d1" in iris
    assert "https://example.org/kb/place/douma" in iris
    assert not any(i.startswith(DEFAULT_BASE) for i in iris)


def test_bad_base_fails_with_an_export_error(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", {"id": "d1", "text": "حاصرت قوات النظام مدينة دوما."})
    with pytest.raises(ExportError, match=r"--base 'no base/' must be an http\(s\) IRI"):
        kg.build([str(src)], tmp_path / "out", "ttl", base="no base/", lexicon=lexicon)
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_base_without_a_trailing_slash_does_not_glue_names_together(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    """``--base https://example.org/kb`` must not give ``…/kbdoc/d1``: refuse it, or treat it as ``…/kb/``."""
    src = write_jsonl(tmp_path / "in.jsonl", {"id": "d1", "text": "حاصرت قوات النظام مدينة دوما."})
    try:
        kg.build([str(src)], tmp_path / "out", "nq", base="https://example.org/kb", lexicon=lexicon)
    except ExportError as err:
        assert "https://example.org/kb" in str(err)
        return
    graphs = {q.graph_name.value for q in ox_parse(tmp_path / "out" / "graph.nq", "nq")}  # type: ignore[union-attr]
    assert graphs == {"https://example.org/kb/doc/d1"}


def test_to_rdflib_gives_one_graph_per_document(lexicon: kg.Lexicon) -> None:
    from kg.rdf import to_quads, to_rdflib

    extractions = [kg.extract(kg.Document(str(d["id"]), str(d["text"])), lexicon) for d in TWO_DOCS]
    ds = to_rdflib(q for ex in extractions for q in to_quads(ex))
    graphs = named_graphs_of(ds)
    assert sorted(graphs) == [DEFAULT_BASE + "doc/denial", DEFAULT_BASE + "doc/siege"]
    assert all(len(g) > 10 for g in graphs.values())


# --- parse_date and mint ---------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param("2018-03-12", ("2018-03-12", "date"), id="iso-date"),
        pytest.param(" 2018-03-12\n", ("2018-03-12", "date"), id="iso-date-padded"),
        pytest.param("20180312", ("2018-03-12", "date"), id="iso-basic-date"),
        pytest.param("2018-03-12T10:15:00Z", ("2018-03-12T10:15:00+00:00", "dateTime"), id="iso-datetime-z"),
        pytest.param("2018-03-12T10:15:00+03:00", ("2018-03-12T10:15:00+03:00", "dateTime"), id="iso-datetime-offset"),
        pytest.param("Tue, 13 Mar 2018 10:00:00 +0000", ("2018-03-13T10:00:00+00:00", "dateTime"), id="rfc2822"),
        pytest.param("Tue, 13 Mar 2018 10:00:00 GMT", ("2018-03-13T10:00:00+00:00", "dateTime"), id="rfc2822-gmt"),
        pytest.param("2018-03-12 10:15:00", ("2018-03-12T10:15:00", "dateTime"), id="sql-datetime"),
        pytest.param("12/03/2018", ("2018-03-12", "date"), id="day-first"),
        pytest.param("3/1/2018", ("2018-01-03", "date"), id="day-first-short"),
        pytest.param("25/12/2017", ("2017-12-25", "date"), id="day-first-day-over-12"),
    ],
)
def test_parse_date_reads_the_forms_inputs_carry(given: str, expected: tuple[str, str]) -> None:
    assert parse_date(given) == expected
    lexical, xsd = expected
    assert not rdflib.Literal(lexical, datatype=rdflib.XSD[xsd]).ill_typed


@pytest.mark.parametrize("garbage", ["", "yesterday", "أمس", "12/25/2017", "31/02/2018", "2018-02-30",
                                     "2018-13-01 10:00:00", "Tue, 45 Foo 2018", "12/03/18"])
def test_parse_date_gives_none_for_what_does_not_parse(garbage: str) -> None:
    assert parse_date(garbage) is None


@pytest.mark.parametrize("bad", ["", "not an iri", "doc/ghouta_ar", "https://example.org/a b",
                                 "https://example.org/<x>", "https://example.org/\"q\""])
def test_mint_refuses_what_is_not_an_absolute_iri(bad: str) -> None:
    with pytest.raises(ExportError, match=r"cannot make an IRI of .*; check --base and the document ids"):
        mint(bad)


def test_mint_refuses_an_iri_pyoxigraph_rejects_and_chains_the_cause() -> None:
    with pytest.raises(ExportError, match=r"cannot make an IRI of 'https://example.org/%zz': .*percent") as info:
        mint("https://example.org/%zz")
    assert isinstance(info.value.__cause__, ValueError)


def test_mint_accepts_an_iri_with_arabic_characters() -> None:
    assert mint("https://example.org/دوما").value == "https://example.org/دوما"
