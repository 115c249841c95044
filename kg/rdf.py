"""The RDF shape of ``docs/rdf_profile.md``: extractions become quads, one named graph per document.

Quads are built with pyoxigraph (fast); :func:`to_rdflib` gives an rdflib
``Dataset`` on demand for users, SHACL and small SPARQL.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import warnings
from collections.abc import Iterable, Iterator
from urllib.parse import quote

import pyoxigraph as ox

from .errors import ExportError
from .model import Actor, Document, Extraction
from .vocab import KG

__all__ = ["DEFAULT_BASE", "PREFIXES", "mint", "document_iri", "actor_iri", "to_quads", "parse_date", "to_rdflib"]

DEFAULT_BASE = "https://w3id.org/rawabit/id/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_PROV = "http://www.w3.org/ns/prov#"
_DCT = "http://purl.org/dc/terms/"
_OWL = "http://www.w3.org/2002/07/owl#"

_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
_SAFE_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x20]*$")


def PREFIXES(base: str = DEFAULT_BASE) -> dict[str, str]:  # noqa: N802 - a constant-like factory
    """The Turtle prefixes for a base namespace."""
    return {
        "kg": str(KG._NS),
        "actor": base + "actor/",
        "place": base + "place/",
        "doc": base + "doc/",
        "rdf": _RDF,
        "skos": _SKOS,
        "prov": _PROV,
        "dcterms": _DCT,
        "owl": _OWL,
        "xsd": _XSD,
    }


def mint(iri: str) -> ox.NamedNode:
    """The one place IRIs are made: refuse anything that is not a well-formed absolute IRI.

    Raises:
        ExportError: when ``iri`` is not an absolute IRI.
    """
    if not _SAFE_IRI.match(iri):
        raise ExportError(f"cannot make an IRI of {iri!r}; check --base and the document ids")
    try:
        return ox.NamedNode(iri)
    except ValueError as err:
        raise ExportError(f"cannot make an IRI of {iri!r}: {err}") from err


def _local(value: str) -> str:
    if _SAFE_LOCAL.match(value):
        return value
    return quote(value, safe="-._~")


def document_iri(doc_id: str, base: str = DEFAULT_BASE) -> ox.NamedNode:
    """The document's IRI; an id that is not a safe IRI segment is percent-encoded."""
    return mint(f"{base}doc/{_local(doc_id)}")


def actor_iri(actor: Actor | str, base: str = DEFAULT_BASE) -> ox.NamedNode:
    """An actor's or place's IRI from its key (``actor:x`` / ``place:x``)."""
    key = actor.key if isinstance(actor, Actor) else actor
    kind, slug = key.split(":", 1)
    return mint(f"{base}{kind}/{_local(slug)}")


_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(value: str) -> tuple[str, str] | None:
    """``(lexical form, XSD datatype)`` of a date as inputs carry it, or None when it does not parse.

    >>> parse_date("Tue, 13 Mar 2018 10:00:00 +0000")
    ('2018-03-13T10:00:00+00:00', 'dateTime')
    >>> parse_date("12/03/2018")
    ('2018-03-12', 'date')
    """
    v = value.strip()
    m = _DMY.match(v)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat(), "date"
        except ValueError:
            return None
    if re.fullmatch(r"\d{4}-?\d{2}-?\d{2}", v):
        digits = v.replace("-", "")
        try:
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])).isoformat(), "date"
        except ValueError:
            return None
    try:
        stamp = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
        return stamp.isoformat(), "dateTime"
    except ValueError:
        pass
    try:
        stamp = email.utils.parsedate_to_datetime(v)
    except (TypeError, ValueError, IndexError):
        return None
    return (stamp.isoformat(), "dateTime") if stamp is not None else None


def _lit(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def _typed(value: object, xsd: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + xsd))


def _iri(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


_TYPE = ox.NamedNode(_RDF + "type")
_PREF = ox.NamedNode(_SKOS + "prefLabel")
_ALT = ox.NamedNode(_SKOS + "altLabel")
_DERIVED = ox.NamedNode(_PROV + "wasDerivedFrom")
_SAME_AS = ox.NamedNode(_OWL + "sameAs")
_IS_PART_OF = ox.NamedNode(_DCT + "isPartOf")
_SUBJECT = ox.NamedNode(_RDF + "subject")
_PREDICATE = ox.NamedNode(_RDF + "predicate")
_OBJECT = ox.NamedNode(_RDF + "object")
_NON_NEGATIVE = ox.NamedNode(_XSD + "nonNegativeInteger")
_POSITIVE = ox.NamedNode(_XSD + "positiveInteger")
_DECIMAL = ox.NamedNode(_XSD + "decimal")
# The kg: terms as pyoxigraph nodes, made once: looking them up through the rdflib namespace and
# making a node per quad was most of the time of to_quads. Names outside the closed namespace
# still go through KG[...] (see _kg), which raises for them.
_KG_NODES = {name: ox.NamedNode(str(KG._NS) + name) for name in KG.__annotations__}
_K_SENTENCE, _K_MENTION, _K_STATEMENT = _KG_NODES["Sentence"], _KG_NODES["Mention"], _KG_NODES["Statement"]
_K_TEXT, _K_BEGIN, _K_END = _KG_NODES["text"], _KG_NODES["beginIndex"], _KG_NODES["endIndex"]
_K_REFERS, _K_ANCHOR, _K_MODALITY = _KG_NODES["refersTo"], _KG_NODES["anchorOf"], _KG_NODES["modality"]
_K_ATTRIBUTED, _K_CUE, _K_CONFIDENCE = _KG_NODES["attributedTo"], _KG_NODES["cue"], _KG_NODES["confidence"]
_K_PLACE, _K_COUNT = _KG_NODES["place"], _KG_NODES["mentionCount"]


def _kg(name: str) -> ox.NamedNode:
    node = _KG_NODES.get(name)
    return node if node is not None else _iri(KG[name])


def _node(iri: str) -> ox.NamedNode:
    """A node whose IRI is a minted IRI plus an ASCII suffix; :func:`mint` reports any failure."""
    try:
        return ox.NamedNode(iri)
    except ValueError:
        return mint(iri)


_Term = ox.NamedNode | ox.Literal
_Spo = tuple[ox.NamedNode, ox.NamedNode, _Term]


def _actor_triples(actor: Actor, node: ox.NamedNode) -> Iterator[_Spo]:
    yield node, _TYPE, _kg(actor.type)
    yield node, _PREF, ox.Literal(actor.label_ar, language="ar")
    if actor.label_en:
        yield node, _PREF, ox.Literal(actor.label_en, language="en")
    for alt in actor.alt_ar:
        if alt != actor.label_ar:
            yield node, _ALT, ox.Literal(alt, language="ar")
    if actor.same_as:
        yield node, _SAME_AS, mint(actor.same_as)


def _document_triples(doc: Document, g: ox.NamedNode) -> Iterator[_Spo]:
    yield g, _TYPE, _iri(KG.Document)
    yield g, ox.NamedNode(_DCT + "identifier"), _lit(doc.id)
    if doc.url:
        if _SAFE_IRI.match(doc.url) and doc.url.lower().startswith(("http://", "https://")):
            yield g, ox.NamedNode(_DCT + "source"), mint(doc.url)
        else:
            yield g, ox.NamedNode(_DCT + "source"), _lit(doc.url)
    if doc.title:
        yield g, ox.NamedNode(_DCT + "title"), _lit(doc.title, "ar")
    if doc.date:
        parsed = parse_date(doc.date)
        if parsed is None:
            warnings.warn(f"document {doc.id!r}: date {doc.date!r} does not parse; kept as plain text", stacklevel=3)
            yield g, ox.NamedNode(_DCT + "date"), _lit(doc.date)
        else:
            yield g, ox.NamedNode(_DCT + "date"), _typed(parsed[0], parsed[1])


# The terms of the loops below in N-Triples syntax, made once.
_NT = {name: str(node) for name, node in _KG_NODES.items()}
_NT_TYPE, _NT_PART_OF, _NT_DERIVED = str(_TYPE), str(_IS_PART_OF), str(_DERIVED)
_NT_SUBJECT, _NT_PREDICATE, _NT_OBJECT = str(_SUBJECT), str(_PREDICATE), str(_OBJECT)
_NT_NON_NEGATIVE, _NT_POSITIVE = str(_NON_NEGATIVE), str(_POSITIVE)


def _kg_nt(name: str) -> str:
    term = _NT.get(name)
    return term if term is not None else str(_kg(name))


def _lines(extraction: Extraction, g: ox.NamedNode, base: str) -> Iterator[str]:
    """Every triple of the document's graph ``g``, in order, as an N-Triples line without its `` .``.

    This is the one definition of a document's graph: :func:`to_quads` parses these lines, and
    ``kg build`` writes them (N-Triples, N-Quads) or parses them (Turtle, TriG, JSON-LD). Every
    term is Oxigraph's: an IRI is a pyoxigraph node (which checks it), a literal a pyoxigraph
    literal, each written as ``str()`` gives it, which is its N-Triples form with Oxigraph's
    escapes; the nodes inside a document are its IRI and ``#`` and an ASCII name (``s1``, ``m2``,
    ``r3``), checked once. Lines are made directly, not through pyoxigraph quads: making a quad
    whose object is a literal costs a microsecond, more than the line.
    """
    for subject, predicate, obj in _document_triples(extraction.document, g):
        yield f"{subject} {predicate} {obj}"
    literal = ox.Literal  # local names: the loops below run once per triple
    doc = str(g)
    frag = str(_node(g.value + "#s1"))[:-3]  # "<…#" (the node checked, as every node below)
    actors: dict[str, str] = {}

    def actor(key: str) -> str:
        node = actors.get(key)
        if node is None:
            node = actors[key] = str(actor_iri(key, base))
        return node

    typ, derived, non_negative = _NT_TYPE, _NT_DERIVED, _NT_NON_NEGATIVE
    k_text, k_begin, k_end = _NT["text"], _NT["beginIndex"], _NT["endIndex"]
    for s in extraction.sentences:
        node = f"{frag}s{s.index + 1}>"
        yield f"{node} {typ} {_NT['Sentence']}"
        yield f"{node} {_NT_PART_OF} {doc}"
        yield f"{node} {k_text} {literal(s.text, language='ar')}"
        yield f'{node} {k_begin} "{s.start}"^^{non_negative}'
        yield f'{node} {k_end} "{s.end}"^^{non_negative}'
    for a in extraction.actors:
        for subject, predicate, obj in _actor_triples(a, actor_iri(a.key, base)):
            yield f"{subject} {predicate} {obj}"
    k_mention, k_refers, k_anchor = _NT["Mention"], _NT["refersTo"], _NT["anchorOf"]
    for n, m in enumerate(extraction.mentions, 1):
        node = f"{frag}m{n}>"
        yield f"{node} {typ} {k_mention}"
        yield f"{node} {k_refers} {actor(m.actor)}"
        yield f"{node} {k_anchor} {literal(m.text)}"
        yield f'{node} {k_begin} "{m.start}"^^{non_negative}'
        yield f'{node} {k_end} "{m.end}"^^{non_negative}'
        yield f"{node} {derived} {frag}s{m.sentence + 1}>"
    for n, st in enumerate(extraction.statements, 1):
        node = f"{frag}r{n}>"
        subj, obj_, pred = actor(st.subject), actor(st.object), _kg_nt(st.predicate)
        yield f"{node} {typ} {_NT['Statement']}"
        yield f"{node} {_NT_SUBJECT} {subj}"
        yield f"{node} {_NT_PREDICATE} {pred}"
        yield f"{node} {_NT_OBJECT} {obj_}"
        yield f"{node} {_NT['modality']} {_kg_nt(st.modality)}"
        if st.attributed_to:
            yield f"{node} {_NT['attributedTo']} {actor(st.attributed_to)}"
        yield f"{node} {_NT['cue']} {literal(st.cue, language='ar')}"
        yield f"{node} {_NT['confidence']} {literal(f'{st.confidence:.2f}', datatype=_DECIMAL)}"
        if st.place:
            yield f"{node} {_NT['place']} {actor(st.place)}"
        yield f'{node} {_NT["mentionCount"]} "{st.count}"^^{_NT_POSITIVE}'
        for i in st.sentences:
            yield f"{node} {derived} {frag}s{i + 1}>"
        if st.modality == "Asserted":
            yield f"{subj} {pred} {obj_}"


def nquads(extraction: Extraction, g: ox.NamedNode, base: str = DEFAULT_BASE) -> bytes:
    """The document's graph ``g`` as N-Quads."""
    end = f" {g} .\n"
    return (end.join(_lines(extraction, g, base)) + end).encode()


def to_quads(extraction: Extraction, base: str = DEFAULT_BASE) -> Iterator[ox.Quad]:
    """The quads of one document's named graph (see ``docs/rdf_profile.md``).

    Args:
        extraction: what was extracted from the document.
        base: the instance namespace (ends with ``/``).

    Raises:
        ExportError: when an IRI cannot be made from the base or the document id.
    """
    g = document_iri(extraction.document.id, base)
    yield from ox.parse(nquads(extraction, g, base), format=ox.RdfFormat.N_QUADS)


def _to_rdflib_term(term: object):  # type: ignore[no-untyped-def]
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD + "string":
        return rdflib.Literal(term.value)  # as rdflib's parsers give a simple literal, so graphs compare equal
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def to_rdflib(quads: Iterable[ox.Quad]):  # type: ignore[no-untyped-def]
    """An rdflib ``Dataset`` holding the quads, one graph per document (for SHACL, small SPARQL, rdflib users)."""
    import rdflib

    ds = rdflib.Dataset()
    graphs: dict[str, rdflib.Graph] = {}
    for q in quads:
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        g = graphs.get(name)
        if g is None:
            g = graphs[name] = ds.graph(rdflib.URIRef(name)) if name else ds.default_graph
        g.add((_to_rdflib_term(q.subject), _to_rdflib_term(q.predicate), _to_rdflib_term(q.object)))
    return ds
