"""The OWL ontology ontology/kg.ttl: it parses, and it defines what RDF_PROFILE.md promises."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, Literal, Namespace, URIRef
from rdflib.collection import Collection

ONTOLOGY_PATH = Path(__file__).resolve().parents[1] / "ontology" / "kg.ttl"

KG = Namespace("https://w3id.org/rawabit/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
ONTOLOGY_IRI = URIRef("https://w3id.org/rawabit/ontology")
VERSION_IRI = URIRef("https://w3id.org/rawabit/ontology/0.1.0")

RELATIONS = {
    "mediates", "denies", "besieges", "captures", "attacks", "kills", "detains",
    "negotiatesWith", "supports", "accuses", "threatens", "condemns",
    "protestsAgainst", "spokespersonOf", "leaderOf", "memberOf", "locatedIn",
}
# Object properties of the statement and mention layer (RDF_PROFILE.md).
PROFILE_OBJECT_PROPERTIES = {"refersTo", "modality", "attributedTo", "place"}
PROFILE_DATATYPE_PROPERTIES = {
    "text", "beginIndex", "endIndex", "anchorOf", "cue", "confidence", "mentionCount",
}
NON_EVENT_RELATIONS = {"spokespersonOf", "leaderOf", "memberOf", "locatedIn"}
ACTOR_SUBCLASSES = {
    "Person", "State", "Government", "StateForces", "ArmedGroup", "PoliticalGroup",
    "InternationalOrganization", "NGO", "MediaOutlet", "Civilians",
}
MODALITIES = {"Asserted", "Claimed", "Denied"}
PLOVER_CATEGORIES = {
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "REQUEST",
    "DEMAND", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
    "COERCE", "ASSAULT",
}
TERM_TYPES = (
    OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
    OWL.NamedIndividual,
)


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_PATH, format="turtle")


def kg_local(term: object) -> str | None:
    """The local name of a kg: IRI, or None for any other term."""
    if isinstance(term, URIRef) and str(term).startswith(str(KG)):
        return str(term)[len(str(KG)):]
    return None


def kg_terms(graph: rdflib.Graph) -> set[URIRef]:
    """Every kg: IRI declared with an OWL type."""
    return {
        s for t in TERM_TYPES for s in graph.subjects(RDF.type, t)
        if kg_local(s) is not None
    }


def literals(graph: rdflib.Graph, subject: URIRef, predicate: URIRef, lang: str) -> list[Literal]:
    return [
        o for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language == lang and str(o).strip()
    ]


def class_members(graph: rdflib.Graph, class_expr: object) -> set[object]:
    """A named class as itself; an owl:unionOf expression as the set of its members."""
    union = graph.value(class_expr, OWL.unionOf)
    if union is None:
        return {class_expr}
    return set(Collection(graph, union))


# --- parsing ---------------------------------------------------------------


def test_rdflib_and_oxigraph_see_the_same_triples(graph: rdflib.Graph) -> None:
    quads = list(pyoxigraph.parse(path=ONTOLOGY_PATH, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(graph) > 0
    assert len(quads) == len(graph)


def test_rapper_accepts_the_file(graph: rdflib.Graph) -> None:
    rapper = shutil.which("rapper")
    if rapper is None:
        if os.environ.get("KG_REQUIRE_TOOLS") == "1":
            pytest.fail("rapper (raptor2-utils) is not installed and KG_REQUIRE_TOOLS=1")
        pytest.skip("rapper (raptor2-utils) is not installed")
    result = subprocess.run(
        [rapper, "-i", "turtle", "-c", str(ONTOLOGY_PATH)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    count = re.search(r"returned (\d+) triples", result.stderr)
    assert count is not None, result.stderr
    assert int(count.group(1)) == len(graph)


def test_no_backslash_escapes_or_slashes_in_prefixed_names() -> None:
    text = ONTOLOGY_PATH.read_text(encoding="utf-8")
    assert "\\" not in text
    code = re.sub(r'"[^"\n]*"', '""', text)  # string literals (no long strings used)
    code = re.sub(r"<[^>\n]*>", "<>", code)  # full IRIs
    code = re.sub(r"#[^\n]*", "", code)  # comments
    names = re.findall(r"(?<![\w<])[A-Za-z][\w.-]*:[^\s;,.()\[\]]*", code)
    assert "kg:Actor" in names  # the scan sees prefixed names at all
    assert [n for n in names if "/" in n] == []


# --- ontology header -------------------------------------------------------


def test_ontology_node_has_version_and_titles(graph: rdflib.Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert list(graph.objects(ONTOLOGY_IRI, OWL.versionIRI)) == [VERSION_IRI]
    assert graph.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    title = URIRef("http://purl.org/dc/terms/title")
    assert literals(graph, ONTOLOGY_IRI, title, "ar")
    assert literals(graph, ONTOLOGY_IRI, title, "en")


# --- classes ---------------------------------------------------------------


def test_actor_classes_are_under_actor_and_place_is_not(graph: rdflib.Graph) -> None:
    for name in ACTOR_SUBCLASSES:
        assert (KG[name], RDF.type, OWL.Class) in graph, name
        assert (KG[name], RDFS.subClassOf, KG.Actor) in graph, name
    assert (KG.Place, RDF.type, OWL.Class) in graph
    assert KG.Actor not in set(graph.transitive_objects(KG.Place, RDFS.subClassOf))


def test_statement_is_an_rdf_statement_and_a_prov_entity(graph: rdflib.Graph) -> None:
    assert (KG.Statement, RDFS.subClassOf, RDF.Statement) in graph
    assert (KG.Statement, RDFS.subClassOf, PROV.Entity) in graph


def test_three_modalities_exactly(graph: rdflib.Graph) -> None:
    members = {kg_local(s) for s in graph.subjects(RDF.type, KG.Modality)}
    assert members == MODALITIES
    for name in MODALITIES:
        assert (KG[name], RDF.type, OWL.NamedIndividual) in graph
    one_of = graph.value(graph.value(KG.Modality, OWL.equivalentClass), OWL.oneOf)
    assert one_of is not None
    assert {kg_local(m) for m in Collection(graph, one_of)} == MODALITIES
    different = [
        {kg_local(m) for m in Collection(graph, graph.value(node, OWL.distinctMembers))}
        for node in graph.subjects(RDF.type, OWL.AllDifferent)
    ]
    assert MODALITIES in different


# --- relations -------------------------------------------------------------


def test_exactly_the_17_relations_are_object_properties(graph: rdflib.Graph) -> None:
    declared = {kg_local(s) for s in graph.subjects(RDF.type, OWL.ObjectProperty)} - {None}
    assert declared - PROFILE_OBJECT_PROPERTIES == RELATIONS
    assert PROFILE_OBJECT_PROPERTIES <= declared


@pytest.mark.parametrize("name", sorted(RELATIONS))
def test_relation_is_documented(graph: rdflib.Graph, name: str) -> None:
    term = KG[name]
    assert len(literals(graph, term, RDFS.label, "ar")) == 1
    assert len(literals(graph, term, RDFS.label, "en")) == 1
    assert literals(graph, term, RDFS.comment, "ar")
    assert literals(graph, term, RDFS.comment, "en")
    for axis in (RDFS.domain, RDFS.range):
        values = list(graph.objects(term, axis))
        assert len(values) == 1, f"{name} needs exactly one {axis}"
        assert class_members(graph, values[0]) <= {KG.Actor, KG.Place, KG.Person}


@pytest.mark.parametrize("name", sorted(RELATIONS))
def test_relation_codes(graph: rdflib.Graph, name: str) -> None:
    cameo = list(graph.objects(KG[name], KG.cameoCode))
    plover = list(graph.objects(KG[name], KG.ploverCategory))
    if name in NON_EVENT_RELATIONS:
        assert cameo == [] and plover == []
        return
    assert len(cameo) == 1 and re.fullmatch(r"\d{2,4}", str(cameo[0])), cameo
    assert len(plover) == 1 and str(plover[0]) in PLOVER_CATEGORIES, plover


def test_relation_characteristics_and_alignment(graph: rdflib.Graph) -> None:
    assert (KG.negotiatesWith, RDF.type, OWL.SymmetricProperty) in graph
    assert (KG.locatedIn, RDF.type, OWL.TransitiveProperty) in graph
    assert (KG.locatedIn, RDFS.domain, KG.Place) in graph
    assert (KG.locatedIn, RDFS.range, KG.Place) in graph
    assert (KG.memberOf, RDFS.subPropertyOf, ORG.memberOf) in graph
    assert (KG.leaderOf, RDFS.subPropertyOf, ORG.headOf) in graph
    assert (KG.locatedIn, RDFS.subPropertyOf, SCHEMA.containedInPlace) in graph
    assert (KG.cameoCode, RDF.type, OWL.AnnotationProperty) in graph
    assert (KG.ploverCategory, RDF.type, OWL.AnnotationProperty) in graph


# --- the other properties of RDF_PROFILE.md ---------------------------------


def test_profile_properties_exist_with_domain_and_range(graph: rdflib.Graph) -> None:
    for name in PROFILE_DATATYPE_PROPERTIES:
        assert (KG[name], RDF.type, OWL.DatatypeProperty) in graph, name
    for name in PROFILE_DATATYPE_PROPERTIES | PROFILE_OBJECT_PROPERTIES:
        assert graph.value(KG[name], RDFS.domain) is not None, name
        assert graph.value(KG[name], RDFS.range) is not None, name
    for name in ("modality", "confidence", "mentionCount"):
        assert (KG[name], RDF.type, OWL.FunctionalProperty) in graph, name
    assert (KG.attributedTo, RDFS.subPropertyOf, PROV.wasAttributedTo) in graph


# --- every kg: term ----------------------------------------------------------


def test_every_kg_term_is_labelled_and_defined_by_the_ontology(graph: rdflib.Graph) -> None:
    terms = kg_terms(graph)
    assert len(terms) >= len(RELATIONS) + len(ACTOR_SUBCLASSES)
    for term in terms:
        assert literals(graph, term, RDFS.label, "ar"), term
        assert literals(graph, term, RDFS.label, "en"), term
        assert literals(graph, term, RDFS.comment, "en"), term
        assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in graph, term


def test_every_kg_iri_used_is_declared(graph: rdflib.Graph) -> None:
    declared = kg_terms(graph)
    used = {t for triple in graph for t in triple if kg_local(t) is not None}
    assert used - declared == set()


def test_every_kg_property_is_defined_in_arabic_and_english(graph: rdflib.Graph) -> None:
    """Issue 4: labels *and definitions* in Arabic and English for every property, not only the relations."""
    props = {
        s for s, _, o in graph.triples((None, RDF.type, None))
        if isinstance(s, URIRef) and str(s).startswith(str(KG))
        and o in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    }
    assert props

    def languages(p: URIRef, annotation: URIRef) -> set[str | None]:
        return {lit.language for lit in graph.objects(p, annotation) if isinstance(lit, rdflib.Literal)}

    for annotation in (RDFS.comment, RDFS.label):
        missing = sorted(str(p) for p in props if not {"ar", "en"} <= languages(p, annotation))
        assert not missing, f"properties without an Arabic and an English {annotation}: {missing}"
