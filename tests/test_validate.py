"""SHACL: ``ontology/shapes.ttl`` says what a valid graph is; every graph kg writes conforms, broken ones do not."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

import kg
from kg.errors import InputError, OntologyError
from kg.lexicon import ontology_path
from kg.rdf import to_quads
from kg.validate import SHAPES_IRI, Problem, ValidationReport, validate, validate_quads

from conftest import EXAMPLE, ROOT, require_tool

SPECS = ROOT / "tests" / "data" / "specs_ar.jsonl"
N_SPECS = sum(1 for line in SPECS.read_text("utf-8").splitlines() if line.strip())
KG = "https://w3id.org/rawabit/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
DOC = "https://w3id.org/rawabit/id/doc/small"
TEXT = "حاصرت قوات النظام مدينة دوما. نفت حركة أحرار الشام وجود مفاوضات مع روسيا."

Quads = list[ox.Quad]


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


G = n(DOC)


@pytest.fixture(scope="module")
def small(lexicon: kg.Lexicon) -> Quads:
    """One document with an asserted siege, a denial and the denied negotiation."""
    quads = list(to_quads(kg.extract(kg.Document("small", TEXT), lexicon)))
    mods = {q.object.value for q in quads if q.predicate.value == KG + "modality"}  # type: ignore[union-attr]
    assert {KG + "Asserted", KG + "Denied"} <= mods
    return quads


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory: pytest.TempPathFactory, lexicon: kg.Lexicon) -> Path:
    out = tmp_path_factory.mktemp("validate_corpus")
    kg.build([str(EXAMPLE), str(SPECS)], out, "ttl,nq,trig,jsonld,nt", lexicon=lexicon)
    return out


def subjects(quads: Quads, predicate: str, obj: ox.NamedNode | None = None) -> list[ox.NamedNode]:
    return [q.subject for q in quads  # type: ignore[misc]
            if q.predicate.value == predicate and (obj is None or q.object == obj)]


def statement(quads: Quads, modality: str) -> ox.NamedNode:
    return subjects(quads, KG + "modality", n(KG + modality))[0]


def value_of(quads: Quads, node: ox.NamedNode, predicate: str) -> ox.Literal | ox.NamedNode:
    return next(q.object for q in quads if q.subject == node and q.predicate.value == predicate)  # type: ignore[return-value]


def without(quads: Quads, node: ox.NamedNode, predicate: str) -> Quads:
    return [q for q in quads if not (q.subject == node and q.predicate.value == predicate)]


def violations(report: ValidationReport) -> list[Problem]:
    return [p for p in report.problems if p.severity == "Violation"]


# --- the shapes file --------------------------------------------------------


def test_shapes_are_packaged_and_parse_everywhere() -> None:
    path = ontology_path("shapes.ttl")
    assert path.is_file()
    g = rdflib.Graph().parse(path, format="turtle")
    assert (rdflib.URIRef(SHAPES_IRI), rdflib.RDF.type, rdflib.OWL.Ontology) in g
    assert len(list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))) == len(g)


def test_shapes_file_is_valid_shacl() -> None:
    """pyshacl's meta-validation checks the shapes graph against SHACL's own shapes (SHACL-SHACL)."""
    import pyshacl

    shapes = rdflib.Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    conforms, _, text = pyshacl.validate(rdflib.Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_rapper_reads_the_shapes() -> None:
    rapper = require_tool("rapper")
    done = subprocess.run([rapper, "-q", "-i", "turtle", "-c", str(ontology_path("shapes.ttl"))],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


# --- every graph the build writes conforms ------------------------------------


def test_the_example_conforms(example_build: Path) -> None:
    report = validate([example_build])
    assert report.conforms, report.to_text()
    assert (report.graphs, violations(report)) == (1, [])
    assert report.triples == len(list(ox.parse(path=example_build / "graph.nq", format=ox.RdfFormat.N_QUADS)))


@pytest.mark.parametrize("name", ["graph.nq", "graph.ttl"])  # the other formats hold the same graphs (test_formats)
def test_every_file_of_a_multi_document_corpus_conforms(corpus_build: Path, name: str) -> None:
    report = validate([corpus_build / name])
    assert report.conforms, report.to_text()
    expected_graphs = 1 + N_SPECS if name in ("graph.nq", "graph.trig", "graph.jsonld") else 1
    assert report.graphs == expected_graphs
    assert "conforms" in report.to_text().splitlines()[-1]


def test_a_store_built_from_the_corpus_conforms(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    """Oxigraph stores offsets as xsd:integer: the shapes accept that, with the same bounds."""
    kg.build([str(SPECS)], tmp_path / "out", "nq", lexicon=lexicon, store=tmp_path / "db")
    report = validate([], store=tmp_path / "db")
    assert report.conforms, report.to_text()
    assert report.graphs == N_SPECS, "the ontology graph of the store is vocabulary, not data"


def test_small_document_conforms(small: Quads) -> None:
    report = validate_quads(small)
    assert report.conforms, report.to_text()


# --- broken graphs do not ----------------------------------------------------


def _strip_provenance(q: Quads) -> Quads:
    return without(q, statement(q, "Denied"), PROV + "wasDerivedFrom")


def _french_label(q: Quads) -> Quads:
    actor = subjects(q, SKOS + "prefLabel")[0]
    return [*q, ox.Quad(actor, n(SKOS + "prefLabel"), ox.Literal("Russie", language="fr"), G)]


def _two_arabic_labels(q: Quads) -> Quads:
    actor = subjects(q, SKOS + "prefLabel")[0]
    return [*q, ox.Quad(actor, n(SKOS + "prefLabel"), ox.Literal("اسم آخر", language="ar"), G)]


def _no_arabic_label(q: Quads) -> Quads:
    actor = subjects(q, SKOS + "prefLabel")[0]
    return [x for x in q if not (x.subject == actor and x.predicate.value == SKOS + "prefLabel"
                                 and x.object.language == "ar")]  # type: ignore[union-attr]


def _no_modality(q: Quads) -> Quads:
    return without(q, statement(q, "Denied"), KG + "modality")


def _two_modalities(q: Quads) -> Quads:
    return [*q, ox.Quad(statement(q, "Denied"), n(KG + "modality"), n(KG + "Claimed"), G)]


def _unknown_modality(q: Quads) -> Quads:
    st = statement(q, "Denied")
    return [*without(q, st, KG + "modality"), ox.Quad(st, n(KG + "modality"), n(KG + "Rumoured"), G)]


def _confidence_above_one(q: Quads) -> Quads:
    st = statement(q, "Denied")
    bad = ox.Literal("1.5", datatype=n(XSD + "decimal"))
    return [*without(q, st, KG + "confidence"), ox.Quad(st, n(KG + "confidence"), bad, G)]


def _confidence_as_text(q: Quads) -> Quads:
    st = statement(q, "Denied")
    return [*without(q, st, KG + "confidence"), ox.Quad(st, n(KG + "confidence"), ox.Literal("high"), G)]


def _no_subject(q: Quads) -> Quads:
    return without(q, statement(q, "Denied"), RDF + "subject")


def _not_a_relation(q: Quads) -> Quads:
    st = statement(q, "Denied")
    return [*without(q, st, RDF + "predicate"), ox.Quad(st, n(RDF + "predicate"), n(KG + "likes"), G)]


def _sentence_of_no_document(q: Quads) -> Quads:
    return without(q, subjects(q, RDF + "type", n(KG + "Sentence"))[0], DCT + "isPartOf")


def _mention_outside_its_sentence(q: Quads) -> Quads:
    sentences = subjects(q, RDF + "type", n(KG + "Sentence"))
    mention = next(m for m in subjects(q, RDF + "type", n(KG + "Mention"))
                   if value_of(q, m, PROV + "wasDerivedFrom") == sentences[0])
    other = sentences[1]  # point the mention at the other sentence: its offsets fall outside
    return [*without(q, mention, PROV + "wasDerivedFrom"), ox.Quad(mention, n(PROV + "wasDerivedFrom"), other, G)]


def _mention_text_of_the_wrong_length(q: Quads) -> Quads:
    mention = subjects(q, RDF + "type", n(KG + "Mention"))[0]
    return [*without(q, mention, KG + "anchorOf"), ox.Quad(mention, n(KG + "anchorOf"), ox.Literal("x"), G)]


def _mention_ending_before_it_begins(q: Quads) -> Quads:
    mention = subjects(q, RDF + "type", n(KG + "Mention"))[0]
    begin = value_of(q, mention, KG + "beginIndex")
    return [*without(q, mention, KG + "endIndex"), ox.Quad(mention, n(KG + "endIndex"), begin, G)]


def _denied_content_as_a_fact(q: Quads) -> Quads:
    st = statement(q, "Denied")
    s, p, o = (value_of(q, st, RDF + x) for x in ("subject", "predicate", "object"))
    return [*q, ox.Quad(s, p, o, G)]  # type: ignore[arg-type]


def _asserted_without_its_triple(q: Quads) -> Quads:
    st = statement(q, "Asserted")
    s, p, o = (value_of(q, st, RDF + x) for x in ("subject", "predicate", "object"))
    return [x for x in q if not (x.subject == s and x.predicate == p and x.object == o)]


def _untyped_actor(q: Quads) -> Quads:
    actor = value_of(q, statement(q, "Denied"), RDF + "object")
    return [x for x in q if not (x.subject == actor and x.predicate.value == RDF + "type")]


BROKEN: dict[str, tuple[Callable[[Quads], Quads], str]] = {
    "statement stripped of its provenance": (_strip_provenance, "derived from at least one kg:Sentence"),
    "label in French": (_french_label, r"tagged @ar or @en"),
    "two Arabic labels": (_two_arabic_labels, r"one skos:prefLabel per language|exactly one Arabic"),
    "no Arabic label": (_no_arabic_label, r"exactly one Arabic skos:prefLabel"),
    "statement without modality": (_no_modality, r"exactly one kg:modality"),
    "statement with two modalities": (_two_modalities, r"exactly one kg:modality"),
    "modality outside the three": (_unknown_modality, r"kg:Asserted, kg:Claimed or kg:Denied"),
    "confidence above 1": (_confidence_above_one, r"kg:confidence, an xsd:decimal in \[0, 1\]"),
    "confidence as text": (_confidence_as_text, r"kg:confidence, an xsd:decimal"),
    "statement without subject": (_no_subject, r"exactly one rdf:subject"),
    "predicate not a relation": (_not_a_relation, r"one of the 17 kg: relations"),
    "sentence of no document": (_sentence_of_no_document, r"part of exactly one kg:Document"),
    "mention outside its sentence": (_mention_outside_its_sentence, r"not inside its sentence"),
    "mention text of the wrong length": (_mention_text_of_the_wrong_length, r"span a different length"),
    "mention ending before it begins": (_mention_ending_before_it_begins, r"below its kg:endIndex"),
    "denied content written as a fact": (_denied_content_as_a_fact, r"no kg:Asserted statement behind it"),
    "asserted statement without its triple": (_asserted_without_its_triple, r"its direct triple .* is missing"),
    "actor without a type": (_untyped_actor, r"typed kg:Actor or kg:Place"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_graph_does_not_conform(small: Quads, name: str) -> None:
    mutate, message = BROKEN[name]
    report = validate_quads(mutate(small))
    assert not report.conforms, name
    found = violations(report)
    assert found and all(p.graph == DOC for p in found)
    assert any(re.search(message, p.message) for p in found), report.to_text()
    assert report.to_text().splitlines()[-1].startswith("does not conform: ")


def test_the_report_names_the_statement_stripped_of_its_provenance(small: Quads) -> None:
    st = statement(small, "Denied")
    report = validate_quads(_strip_provenance(small))
    (problem,) = violations(report)
    assert (problem.focus, problem.path) == (st.value, PROV + "wasDerivedFrom")
    text = report.to_text()
    assert "in graph doc:small:" in text
    assert f"Violation: doc:small#{st.value.rsplit('#', 1)[1]} prov:wasDerivedFrom: a statement is derived" in text
    assert text.splitlines()[-1] == "does not conform: 1 violation, 0 warnings in 1 of 1 graph, " \
                                    f"{len(small) - 1} triples"


def test_a_graph_wide_check_reports_the_offending_node(small: Quads) -> None:
    report = validate_quads(_denied_content_as_a_fact(small))
    (problem,) = violations(report)
    subject = value_of(small, statement(small, "Denied"), RDF + "subject")
    assert problem.focus == subject.value
    assert problem.message.startswith(f"the direct triple actor:{subject.value.rsplit('/', 1)[1]} kg:negotiatesWith ")


def test_a_relation_outside_its_range_is_a_warning_not_a_violation(small: Quads) -> None:
    st = statement(small, "Asserted")  # the siege: an actor besieges a place
    s, o = (value_of(small, st, RDF + x) for x in ("subject", "object"))
    captures = n(KG + "captures")  # whose range is kg:Place only; make its object an actor
    quads = [q for q in small if not (q.subject == st and q.predicate.value in (RDF + "predicate", RDF + "object"))
             and not (q.subject == s and q.object == o)]
    quads += [ox.Quad(st, n(RDF + "predicate"), captures, G), ox.Quad(st, n(RDF + "object"), s, G),
              ox.Quad(s, captures, s, G)]  # type: ignore[arg-type]
    report = validate_quads(quads)
    assert report.conforms, report.to_text()
    (warning,) = [p for p in report.problems if p.severity == "Warning"]
    assert warning.message == (f"actor:{s.value.rsplit('/', 1)[1]}, the object of kg:captures, is outside the "
                               "rdfs:range the ontology gives it")
    assert "1 warning" in report.to_text()


def test_each_named_graph_is_validated_on_its_own(small: Quads) -> None:
    """An actor typed and labelled only in another document's graph does not make this graph valid."""
    other = n("https://w3id.org/rawabit/id/doc/other")
    st = statement(small, "Denied")
    actor = value_of(small, st, RDF + "object")
    moved = [ox.Quad(q.subject, q.predicate, q.object, other) if q.subject == actor else q for q in small]
    assert not validate_quads(moved).conforms
    merged = [ox.Quad(q.subject, q.predicate, q.object) for q in moved]
    assert validate_quads(merged).conforms, "one default graph: everything is together"


def test_the_report_stops_at_the_limit(small: Quads) -> None:
    broken = _no_modality(_mention_text_of_the_wrong_length(_strip_provenance(small)))
    report = validate_quads(broken)
    assert len(report.problems) >= 3
    lines = report.to_text(limit=1).splitlines()
    assert lines[2] == f"  … and {len(report.problems) - 1} more"


def test_the_packaged_shapes_must_be_readable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import kg.validate as v

    (tmp_path / "shapes.ttl").write_text("this is not turtle", encoding="utf-8")
    (tmp_path / "kg.ttl").write_text("", encoding="utf-8")
    monkeypatch.setattr(v, "ontology_path", lambda name="": tmp_path / name)
    with pytest.raises(OntologyError, match=r"(?s)cannot read the packaged shapes or ontology: .*reinstall rawabit"):
        v._shapes_and_ontology.__wrapped__()


def test_a_missing_graph_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"graph '.*nope\.nq' does not exist"):
        validate([tmp_path / "nope.nq"])


# --- kg validate -------------------------------------------------------------


def test_kg_validate_exits_0_when_the_graph_conforms(example_build: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    assert main(["validate", str(example_build / "graph.nq")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("conforms (1 graph, ") and err == ""


def test_kg_validate_exits_1_and_prints_the_report_when_it_does_not(
    small: Quads, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg.cli import main

    path = tmp_path / "broken.nq"
    path.write_bytes(ox.serialize(_strip_provenance(small), format=ox.RdfFormat.N_QUADS) or b"")
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "prov:wasDerivedFrom: a statement is derived from at least one kg:Sentence" in out
    assert out.splitlines()[-1].startswith("does not conform: 1 violation")
    assert "Error" not in err


def test_kg_validate_on_a_missing_file_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    assert main(["validate", str(tmp_path / "missing.ttl")]) == 1
    _, err = capsys.readouterr()
    assert err.startswith("Error: graph ") and err.count("\n") == 1


def test_no_graph_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"no graph given; name a graph file, a kg build folder, or --store DIR"):
        validate([])


def test_a_broken_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.nq"
    path.write_text("<a> <b> <c> <d> <e> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"'.*broken\.nq' is not valid N-Quads: .*; check the file or its extension"):
        validate([path])


def test_a_file_that_cannot_be_read_is_an_input_error(monkeypatch: pytest.MonkeyPatch, example_build: Path) -> None:
    import errno

    import kg.store

    def unreadable(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(kg.store.ox, "parse", unreadable)
    with pytest.raises(InputError, match=r"cannot read '.*graph\.nq': Permission denied"):
        validate([example_build / "graph.nq"])
