"""The RDF shape of ``RDF_PROFILE.md``: extractions become quads, one named graph per document.

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


def _actor_quads(actor: Actor, g: ox.NamedNode, base: str) -> Iterator[ox.Quad]:
    node = actor_iri(actor, base)
    yield ox.Quad(node, _TYPE, _iri(KG[actor.type]), g)
    yield ox.Quad(node, _PREF, _lit(actor.label_ar, "ar"), g)
    if actor.label_en:
        yield ox.Quad(node, _PREF, _lit(actor.label_en, "en"), g)
    for alt in actor.alt_ar:
        if alt != actor.label_ar:
            yield ox.Quad(node, _ALT, _lit(alt, "ar"), g)
    if actor.same_as:
        yield ox.Quad(node, ox.NamedNode(_OWL + "sameAs"), mint(actor.same_as), g)


def _document_quads(doc: Document, g: ox.NamedNode) -> Iterator[ox.Quad]:
    yield ox.Quad(g, _TYPE, _iri(KG.Document), g)
    yield ox.Quad(g, ox.NamedNode(_DCT + "identifier"), _lit(doc.id), g)
    if doc.url:
        if _SAFE_IRI.match(doc.url) and doc.url.lower().startswith(("http://", "https://")):
            yield ox.Quad(g, ox.NamedNode(_DCT + "source"), mint(doc.url), g)
        else:
            yield ox.Quad(g, ox.NamedNode(_DCT + "source"), _lit(doc.url), g)
    if doc.title:
        yield ox.Quad(g, ox.NamedNode(_DCT + "title"), _lit(doc.title, "ar"), g)
    if doc.date:
        parsed = parse_date(doc.date)
        if parsed is None:
            warnings.warn(f"document {doc.id!r}: date {doc.date!r} does not parse; kept as plain text", stacklevel=2)
            yield ox.Quad(g, ox.NamedNode(_DCT + "date"), _lit(doc.date), g)
        else:
            yield ox.Quad(g, ox.NamedNode(_DCT + "date"), _typed(parsed[0], parsed[1]), g)


def to_quads(extraction: Extraction, base: str = DEFAULT_BASE) -> Iterator[ox.Quad]:
    """The quads of one document's named graph (see ``RDF_PROFILE.md``).

    Args:
        extraction: what was extracted from the document.
        base: the instance namespace (ends with ``/``).

    Raises:
        ExportError: when an IRI cannot be made from the base or the document id.
    """
    doc = extraction.document
    g = document_iri(doc.id, base)
    frag = str(g.value) + "#"
    yield from _document_quads(doc, g)
    sent_node = {}
    for s in extraction.sentences:
        node = mint(f"{frag}s{s.index + 1}")
        sent_node[s.index] = node
        yield ox.Quad(node, _TYPE, _iri(KG.Sentence), g)
        yield ox.Quad(node, ox.NamedNode(_DCT + "isPartOf"), g, g)
        yield ox.Quad(node, _iri(KG.text), _lit(s.text, "ar"), g)
        yield ox.Quad(node, _iri(KG.beginIndex), _typed(s.start, "nonNegativeInteger"), g)
        yield ox.Quad(node, _iri(KG.endIndex), _typed(s.end, "nonNegativeInteger"), g)
    for actor in extraction.actors:
        yield from _actor_quads(actor, g, base)
    for n, m in enumerate(extraction.mentions, 1):
        node = mint(f"{frag}m{n}")
        yield ox.Quad(node, _TYPE, _iri(KG.Mention), g)
        yield ox.Quad(node, _iri(KG.refersTo), actor_iri(m.actor, base), g)
        yield ox.Quad(node, _iri(KG.anchorOf), _lit(m.text), g)
        yield ox.Quad(node, _iri(KG.beginIndex), _typed(m.start, "nonNegativeInteger"), g)
        yield ox.Quad(node, _iri(KG.endIndex), _typed(m.end, "nonNegativeInteger"), g)
        yield ox.Quad(node, _DERIVED, sent_node[m.sentence], g)
    for n, st in enumerate(extraction.statements, 1):
        node = mint(f"{frag}r{n}")
        subj, obj, pred = actor_iri(st.subject, base), actor_iri(st.object, base), _iri(KG[st.predicate])
        yield ox.Quad(node, _TYPE, _iri(KG.Statement), g)
        yield ox.Quad(node, ox.NamedNode(_RDF + "subject"), subj, g)
        yield ox.Quad(node, ox.NamedNode(_RDF + "predicate"), pred, g)
        yield ox.Quad(node, ox.NamedNode(_RDF + "object"), obj, g)
        yield ox.Quad(node, _iri(KG.modality), _iri(KG[st.modality]), g)
        if st.attributed_to:
            yield ox.Quad(node, _iri(KG.attributedTo), actor_iri(st.attributed_to, base), g)
        yield ox.Quad(node, _iri(KG.cue), _lit(st.cue, "ar"), g)
        yield ox.Quad(node, _iri(KG.confidence), _typed(f"{st.confidence:.2f}", "decimal"), g)
        if st.place:
            yield ox.Quad(node, _iri(KG.place), actor_iri(st.place, base), g)
        yield ox.Quad(node, _iri(KG.mentionCount), _typed(st.count, "positiveInteger"), g)
        for i in st.sentences:
            yield ox.Quad(node, _DERIVED, sent_node[i], g)
        if st.modality == "Asserted":
            yield ox.Quad(subj, pred, obj, g)


def _to_rdflib_term(term: object):  # type: ignore[no-untyped-def]
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
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
