"""Every output format: RDF read back by rdflib as the extraction, and by rapper and Oxigraph alike; edges.csv and graph.graphml hold the statements.

Graphs are compared as graphs (``rdflib.compare.isomorphic``, per named graph
for dataset formats), never as strings.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic

import kg
import kg.rdf
from kg.rdf import _to_rdflib_term
from kg.errors import ExportError
from kg.export import ALIASES, CSV_COLUMNS, FORMATS, resolve_formats, write_outputs
from kg.model import Actor, Document, Extraction, Sentence, Statement

from conftest import EXAMPLE, ROOT, require_tool

SPECS = ROOT / "tests" / "data" / "specs_ar.jsonl"
KG = "https://w3id.org/rawabit/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OX_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
RAPPER = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "trig": "trig"}  # rapper reads no JSON-LD
ALL_FILES = ["edges.csv", "graph.graphml", "graph.html", "graph.jsonld", "graph.nq", "graph.nt", "graph.trig",
             "graph.ttl"]


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory: pytest.TempPathFactory, lexicon: kg.Lexicon) -> Path:
    """The example article and the documents of the executable specs, built in every format."""
    out = tmp_path_factory.mktemp("corpus_build")
    kg.build([str(EXAMPLE), str(SPECS)], out, "all", lexicon=lexicon)
    return out


# --- helpers ---------------------------------------------------------------


#: rdflib's parser names of our formats.
RDFLIB_NAMES = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}


def graphs_of(quads: list[ox.Quad]) -> dict[str, rdflib.Graph]:
    """Quads as rdflib graphs, one per graph name ("" for the default graph)."""
    out: dict[str, rdflib.Graph] = defaultdict(rdflib.Graph)
    for q in quads:
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        out[name].add((_to_rdflib_term(q.subject), _to_rdflib_term(q.predicate), _to_rdflib_term(q.object)))
    return dict(out)


def graphs_read_by_rdflib(path: Path, fmt: str) -> dict[str, rdflib.Graph]:
    """The file read by rdflib, as graphs by name ("" for the default graph)."""
    import warnings

    ds = rdflib.Dataset()
    with warnings.catch_warnings():
        # rdflib 7.6's own parsers still go through its deprecated ConjunctiveGraph API.
        warnings.filterwarnings("ignore", r"(Dataset\.default_context|ConjunctiveGraph) is deprecated",
                                DeprecationWarning)
        ds.parse(path, format=RDFLIB_NAMES[fmt])
    out: dict[str, rdflib.Graph] = defaultdict(rdflib.Graph)
    for s, p, o, c in ds.quads((None, None, None, None)):
        name = str(getattr(c, "identifier", c))
        out["" if name.startswith("urn:x-rdflib:") else name].add((s, p, o))
    return dict(out)


def assert_same_dataset(a: list[ox.Quad], b: list[ox.Quad], what: str) -> None:
    ga, gb = graphs_of(a), graphs_of(b)
    assert sorted(ga) == sorted(gb), f"{what}: graph names differ"
    for name in ga:
        if not isomorphic(ga[name], gb[name]):
            _, only_a, only_b = graph_diff(ga[name], gb[name])
            pytest.fail(f"{what}: graph {name!r} differs:\nonly in first:\n{only_a.serialize(format='nt')}\n"
                        f"only in second:\n{only_b.serialize(format='nt')}")


def parse(path: Path, fmt: str) -> list[ox.Quad]:
    return list(ox.parse(path=path, format=OX_FORMATS[fmt]))


def statements_in(nq: Path) -> set[str]:
    return {q.subject.value for q in ox.parse(path=nq, format=ox.RdfFormat.N_QUADS)  # type: ignore[union-attr]
            if q.predicate.value == RDF_TYPE and q.object == ox.NamedNode(KG + "Statement")}


def read_edges(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


# --- the registry ----------------------------------------------------------


def test_all_means_every_format_of_the_issue(corpus_build: Path) -> None:
    assert set(FORMATS) == {"ttl", "nt", "nq", "trig", "jsonld", "csv", "graphml", "html"}
    assert resolve_formats("all") == list(FORMATS)
    assert sorted(p.name for p in corpus_build.iterdir()) == ALL_FILES


def test_edges_is_an_alias_of_csv() -> None:
    assert ALIASES["edges"] == "csv"
    assert resolve_formats("edges,graphml") == ["csv", "graphml"]


def test_unknown_format_lists_csv_and_graphml() -> None:
    with pytest.raises(ExportError, match=r"unknown format 'xlsx'; choose from .*csv, graphml, html, all"):
        resolve_formats("xlsx")


# --- RDF files round-trip ----------------------------------------------------


@pytest.fixture(scope="module")
def corpus_extractions(lexicon: kg.Lexicon) -> list[Extraction]:
    """The corpus's documents extracted in memory, as the build read them."""
    docs = [Document(EXAMPLE.stem, EXAMPLE.read_bytes().decode("utf-8-sig"))]
    rows = [json.loads(line) for line in SPECS.read_text("utf-8").splitlines() if line.strip()]
    docs += [Document(row["id"], row["text"]) for row in rows]
    return [kg.extract(doc, lexicon) for doc in docs]


@pytest.mark.parametrize("fmt", list(OX_FORMATS))
def test_file_read_by_rdflib_holds_each_documents_extraction(corpus_build: Path, corpus_extractions: list[Extraction],
                                                              fmt: str) -> None:
    """The bytes ``kg build`` wrote (Turtle and TriG with our prefixes, JSON-LD, N-Quads, N-Triples),
    read by rdflib, hold each document's graph as made in memory from its extraction (``to_quads``):
    per named graph in the dataset formats, their union in Turtle and N-Triples."""
    read = graphs_read_by_rdflib(corpus_build / f"graph.{fmt}", fmt)
    expected = [q for ex in corpus_extractions for q in kg.rdf.to_quads(ex)]
    if fmt in ("ttl", "nt"):
        expected = [ox.Quad(q.subject, q.predicate, q.object) for q in expected]
    ours = graphs_of(expected)
    assert sorted(read) == sorted(ours)
    for graph, g in ours.items():
        if not isomorphic(g, read[graph]):
            _, only_ours, only_file = graph_diff(g, read[graph])
            pytest.fail(f"graph.{fmt}, graph {graph!r}:\nonly in the extraction:\n{only_ours.serialize(format='nt')}\n"
                        f"only in the file:\n{only_file.serialize(format='nt')}")


@pytest.mark.parametrize("fmt", list(OX_FORMATS))
def test_file_parses_with_rdflib_to_the_same_graphs(corpus_build: Path, fmt: str) -> None:
    theirs = graphs_read_by_rdflib(corpus_build / f"graph.{fmt}", fmt)
    ours = graphs_of(parse(corpus_build / f"graph.{fmt}", fmt))
    assert sorted(theirs) == sorted(ours)
    for graph, g in ours.items():
        assert isomorphic(g, theirs[graph]), f"graph.{fmt}: graph {graph!r} differs between rdflib and Oxigraph"


@pytest.mark.parametrize("fmt", list(RAPPER))
def test_file_round_trips_through_rapper(corpus_build: Path, fmt: str) -> None:
    """rapper (Raptor) reads the file and writes N-Quads: the same graphs as Oxigraph reads."""
    rapper = require_tool("rapper")
    path = corpus_build / f"graph.{fmt}"
    done = subprocess.run([rapper, "-q", "-i", RAPPER[fmt], "-o", "nquads", str(path)],
                          capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert b"error" not in done.stderr.lower(), done.stderr.decode()
    from_rapper = list(ox.parse(done.stdout, format=ox.RdfFormat.N_QUADS))
    assert_same_dataset(parse(path, fmt), from_rapper, f"graph.{fmt} read by rapper")


def test_all_rdf_formats_hold_the_same_triples(corpus_build: Path) -> None:
    union = graphs_of([ox.Quad(q.subject, q.predicate, q.object) for q in parse(corpus_build / "graph.nq", "nq")])[""]
    for fmt in ("ttl", "nt", "trig", "jsonld"):
        triples = [ox.Quad(q.subject, q.predicate, q.object) for q in parse(corpus_build / f"graph.{fmt}", fmt)]
        assert isomorphic(graphs_of(triples)[""], union), fmt


def test_dataset_files_have_one_named_graph_per_document(corpus_build: Path) -> None:
    n_docs = 1 + sum(1 for line in SPECS.read_text("utf-8").splitlines() if line.strip())
    for fmt in ("nq", "trig", "jsonld"):
        names = set(graphs_of(parse(corpus_build / f"graph.{fmt}", fmt)))
        assert len(names) == n_docs and "" not in names, fmt


def test_files_keep_the_integer_datatypes_of_the_profile(corpus_build: Path) -> None:
    """Offsets are xsd:nonNegativeInteger in every file (only an Oxigraph *store* turns them into xsd:integer)."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for fmt in OX_FORMATS:
        types = {q.object.datatype.value for q in parse(corpus_build / f"graph.{fmt}", fmt)  # type: ignore[union-attr]
                 if q.predicate.value == KG + "beginIndex"}
        assert types == {xsd + "nonNegativeInteger"}, fmt


# --- Turtle for people and for Virtuoso ------------------------------------


@pytest.mark.parametrize("fmt", ["ttl", "trig"])
def test_turtle_keeps_prefixes_and_no_backslash_escaped_names(corpus_build: Path, fmt: str) -> None:
    text = (corpus_build / f"graph.{fmt}").read_text(encoding="utf-8")
    declared = dict(re.findall(r"@prefix (\w*): <([^>]*)> \.", text))
    assert {"kg", "actor", "place", "doc", "skos", "prov", "dcterms"} <= set(declared)
    code = re.sub(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"', '""', text)  # string literals out
    code = re.sub(r"<[^>\n]*>", "<>", code)  # full IRIs out
    names = set(re.findall(r"(?<![\w<])[A-Za-z][\w.-]*:\S*", code))
    assert {"kg:Statement", "kg:modality"} <= names
    assert any(n.startswith("actor:") for n in names) and any(n.startswith("place:") for n in names)
    escaped = sorted(n for n in names if "\\" in n or "/" in n)
    assert escaped == [], f"escaped local names (Virtuoso keeps the backslash): {escaped[:5]}"


def test_actor_local_names_never_need_escaping_in_turtle(corpus_build: Path) -> None:
    """Gazetteer ids and slugs of discovered actors are plain ASCII names, so prefixed names stay readable."""
    safe = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$")
    base = "https://w3id.org/rawabit/id/"
    locals_ = {t.value[len(base):].split("/", 1)[1] for q in parse(corpus_build / "graph.nq", "nq")
               for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)
               and t.value.startswith((base + "actor/", base + "place/"))}
    assert len(locals_) > 20
    assert [n for n in locals_ if not safe.match(n)] == []


# --- edges.csv -------------------------------------------------------------


def test_edges_csv_has_one_row_per_statement_with_the_analyst_columns(corpus_build: Path) -> None:
    data = (corpus_build / "edges.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so spreadsheets read Arabic"
    rows = read_edges(corpus_build / "edges.csv")
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert CSV_COLUMNS[:7] == ("subject", "relation", "object", "modality", "attributed_to", "document", "sentence")
    assert {r["statement_iri"] for r in rows} == statements_in(corpus_build / "graph.nq")
    assert len(rows) == len({r["statement_iri"] for r in rows})
    for row in rows:
        assert row["modality"] in {"Asserted", "Claimed", "Denied"}, row
        assert row["relation"] in {p for p in kg.model.RELATIONS}, row
        assert row["subject"] and row["object"] and row["sentence"] and row["document"], row
        assert 0 <= float(row["confidence"]) <= 1 and int(row["mentions"]) >= 1, row


def test_edges_csv_reads_like_the_graph(corpus_build: Path, example_text: str) -> None:
    rows = [r for r in read_edges(corpus_build / "edges.csv") if r["document"] == "ghouta_ar"]
    denied = [r for r in rows if r["modality"] == "Denied"]
    assert denied and all(r["attributed_to"] for r in denied)
    assert any(r["relation"] == "negotiatesWith" and r["object"] == "روسيا" for r in denied)
    for r in rows:
        for sentence in r["sentence"].split("\n"):
            assert sentence in example_text
    assert any(r["relation_ar"] == "يحاصر" for r in rows if r["relation"] == "besieges")


def _hand_made(sentence: str) -> Extraction:
    doc = Document("formula", sentence)
    a = Actor("actor:x", "ArmedGroup", "=HYPERLINK(\"http://evil\")")
    b = Actor("place:y", "Place", "دوما")
    st = Statement("actor:x", "besieges", "place:y", "Asserted", "حاصر", 0.9, (0,))
    return Extraction(doc, (Sentence(0, 0, len(sentence), sentence),), (a, b), (), (st,))


def test_edges_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    write_outputs([_hand_made("-حاصرت الجماعة دوما.")], tmp_path, ["csv"])
    (row,) = read_edges(tmp_path / "edges.csv")
    assert row["subject"] == "'=HYPERLINK(\"http://evil\")"
    assert row["sentence"] == "'-حاصرت الجماعة دوما."
    assert row["object"] == "دوما"


# --- graph.graphml -----------------------------------------------------------


def test_graphml_holds_the_actors_and_one_edge_per_statement(corpus_build: Path) -> None:
    g = nx.read_graphml(corpus_build / "graph.graphml", force_multigraph=True)
    assert isinstance(g, nx.MultiDiGraph)
    edges = list(g.edges(keys=True, data=True))
    assert {k for _, _, k, _ in edges} == statements_in(corpus_build / "graph.nq")
    for s, o, _, d in edges:
        assert d["relation"] in kg.model.RELATIONS and d["modality"] in {"Asserted", "Claimed", "Denied"}
        assert d["sentence"] and d["document"] and 0 <= d["confidence"] <= 1
        assert g.nodes[s]["label"] and g.nodes[o]["label"]
    russia = g.nodes["https://w3id.org/rawabit/id/actor/russia"]
    assert (russia["label_ar"], russia["label_en"], russia["type"], russia["kind"]) == ("روسيا", "Russia", "State",
                                                                                        "actor")


def test_graphml_is_the_networkx_projection(lexicon: kg.Lexicon) -> None:
    from kg.network import to_networkx

    ex = kg.extract(kg.Document("d1", "نفت حركة أحرار الشام وجود مفاوضات مع روسيا."), lexicon)
    g = to_networkx([ex])
    assert {(d["relation"], d["modality"]) for _, _, d in g.edges(data=True)} == {
        (st.predicate, st.modality) for st in ex.statements}
    assert all(k.startswith("https://w3id.org/rawabit/id/doc/d1#r") for _, _, k in g.edges(keys=True))


def test_csv_and_graphml_of_a_bad_base_fail_like_the_rdf_formats(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"--base 'nope' must be an http\(s\) IRI"):
        write_outputs([_hand_made("حاصرت الجماعة دوما.")], tmp_path, ["csv", "graphml"], base="nope")
