"""The ``kg:`` vocabulary as a closed rdflib namespace (the ontology file is the source of truth).

A test checks these names against ``ontology/kg.ttl`` both ways; using a name
that is not here raises ``AttributeError`` at once.
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["KG", "KG_NS", "ONTOLOGY_IRI"]

KG_NS = "https://w3id.org/rawabit/ontology#"
ONTOLOGY_IRI = "https://w3id.org/rawabit/ontology"


class KG(DefinedNamespace):
    """Terms of the rawabit ontology."""

    _NS = Namespace(KG_NS)
    _fail = True

    # classes
    Actor: URIRef
    Person: URIRef
    State: URIRef
    Government: URIRef
    StateForces: URIRef
    ArmedGroup: URIRef
    PoliticalGroup: URIRef
    InternationalOrganization: URIRef
    NGO: URIRef
    MediaOutlet: URIRef
    Civilians: URIRef
    Place: URIRef
    Document: URIRef
    Sentence: URIRef
    Mention: URIRef
    Statement: URIRef
    Modality: URIRef
    # modality individuals
    Asserted: URIRef
    Claimed: URIRef
    Denied: URIRef
    # relations
    mediates: URIRef
    denies: URIRef
    besieges: URIRef
    captures: URIRef
    attacks: URIRef
    kills: URIRef
    detains: URIRef
    negotiatesWith: URIRef
    supports: URIRef
    accuses: URIRef
    threatens: URIRef
    condemns: URIRef
    protestsAgainst: URIRef
    spokespersonOf: URIRef
    leaderOf: URIRef
    memberOf: URIRef
    locatedIn: URIRef
    # other properties
    text: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef
    refersTo: URIRef
    modality: URIRef
    attributedTo: URIRef
    cue: URIRef
    confidence: URIRef
    place: URIRef
    mentionCount: URIRef
    cameoCode: URIRef
    ploverCategory: URIRef
