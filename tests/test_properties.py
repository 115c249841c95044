"""Property tests: arbitrary text in, no crash; every writer's output parses back to the same graph.

Text is drawn from Arabic letters, diacritics, punctuation, digits, Latin,
control and bidi characters, quotes and markup, mixed with real Arabic words,
so the strategies reach the extractor's paths as well as the escaping.
"""

from __future__ import annotations

import io

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import Document, Lexicon, extract
from kg.builder import _Plan, _process
from kg.rdf import DEFAULT_BASE, document_iri, to_quads

WORDS = [
    "قوات", "النظام", "حاصرت", "مدينة", "دوما", "نفت", "روسيا", "وجود", "مفاوضات", "مع", "جيش", "الإسلام",
    "قصف", "على", "بين", "و", "في", "الناطق", "باسم", "إن", "زعمت", "لم", "تسيطر", "بوساطة", "أممية", "«", "»",
    "،", ".", "\"", "الذي", "التي", "ضد", "المدنيين",
]
HOSTILE = ["<script>alert(1)</script>", "\u202e", "\u200f", "\x00", "\x1b[31m", "\\", '"', "'", "\n", "\r\n", "&amp;",
           "]]>", "-->", "\ufeff", "\U0001f600", "%2F", "#", "/", "javascript:alert(1)"]

text_piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), max_size=8),
    st.text(max_size=6),
)
texts = st.lists(text_piece, max_size=40).map(" ".join)
doc_ids = st.one_of(st.text(min_size=1, max_size=12).filter(lambda s: s.strip() != ""), st.sampled_from(["a b", "س/١", "x#y", "%20", "<i>"]))


_LEX: list[Lexicon] = []


def _lex() -> Lexicon:
    if not _LEX:
        _LEX.append(Lexicon.builtin())  # loaded once; not a fixture, so a failing example prints short
    return _LEX[0]


def _roundtrip(quads: list[ox.Quad], fmt: ox.RdfFormat) -> set[ox.Quad]:
    buf = io.BytesIO()
    ox.serialize(quads, buf, format=fmt)
    back = ox.parse(buf.getvalue(), format=fmt)
    return set(back)


@settings(max_examples=120, deadline=None)
@given(text=texts, doc_id=doc_ids)
def test_any_text_extracts_and_round_trips_through_nquads(text: str, doc_id: str) -> None:
    lex = _lex()
    ex = extract(Document(doc_id, text), lex)
    for m in ex.mentions:
        assert text[m.start : m.end] == m.text  # offsets always point into the original text
    for s in ex.sentences:
        assert text[s.start : s.end] == s.text
    quads = list(to_quads(ex))
    assert _roundtrip(quads, ox.RdfFormat.N_QUADS) == set(quads)
    assert _roundtrip(quads, ox.RdfFormat.TRIG) == set(quads)


@settings(max_examples=60, deadline=None)
@given(text=texts)
def test_no_denied_or_claimed_statement_gets_a_direct_triple(text: str) -> None:
    lex = _lex()
    ex = extract(Document("d", text), lex)
    asserted = {(st.subject, st.predicate, st.object) for st in ex.statements if st.modality == "Asserted"}
    quads = list(to_quads(ex))
    kg = "https://w3id.org/rawabit/ontology#"
    direct = {
        (q.subject.value, q.predicate.value.rsplit("#", 1)[-1], q.object.value)
        for q in quads
        if q.predicate.value.startswith(kg) and q.predicate.value.rsplit("#", 1)[-1] in {st.predicate for st in ex.statements}
        and isinstance(q.object, ox.NamedNode) and "/id/" in q.subject.value and "#r" not in q.subject.value
    }
    keys = {
        (f"https://w3id.org/rawabit/id/{s.split(':', 1)[0]}/{s.split(':', 1)[1]}", p,
         f"https://w3id.org/rawabit/id/{o.split(':', 1)[0]}/{o.split(':', 1)[1]}")
        for s, p, o in asserted
    }
    assert direct <= keys


@settings(max_examples=40, deadline=None)
@given(text=texts)
def test_turtle_and_jsonld_round_trip(text: str) -> None:
    lex = _lex()
    ex = extract(Document("d", text), lex)
    quads = list(to_quads(ex))
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    buf = io.BytesIO()
    ox.serialize(triples, buf, format=ox.RdfFormat.TURTLE)
    back = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(buf.getvalue(), format=ox.RdfFormat.TURTLE)}
    assert back == triples
    buf = io.BytesIO()
    ox.serialize(quads, buf, format=ox.RdfFormat.JSON_LD)
    assert set(ox.parse(buf.getvalue(), format=ox.RdfFormat.JSON_LD)) == set(quads)


@settings(max_examples=80, deadline=None)
@given(text=texts, doc_id=doc_ids)
def test_the_written_lines_read_back_as_the_extraction_in_oxigraphs_own_syntax(text: str, doc_id: str) -> None:
    """``kg build`` writes N-Quads and N-Triples a line at a time (``kg.rdf._lines``), not through
    ``ox.serialize``: whatever the text holds, Oxigraph must read back every string and offset,
    and write the same bytes from what it read."""
    lex = _lex()
    ex = extract(Document(doc_id, text), lex)
    piece = _process(ex.document, lex, _Plan(DEFAULT_BASE, ("nq", "nt")))
    quads = list(ox.parse(piece.bodies["nq"], format=ox.RdfFormat.N_QUADS))

    def values(iri: str) -> list[str]:
        return [q.object.value for q in quads if q.predicate.value == iri]

    kg = "https://w3id.org/rawabit/ontology#"
    assert values("http://purl.org/dc/terms/identifier") == [doc_id]
    assert values(kg + "text") == [s.text for s in ex.sentences]
    assert values(kg + "anchorOf") == [m.text for m in ex.mentions]
    assert values(kg + "beginIndex") == [str(s.start) for s in ex.sentences] + [str(m.start) for m in ex.mentions]
    assert values(kg + "cue") == [st.cue for st in ex.statements]
    assert set(values("http://www.w3.org/2004/02/skos/core#prefLabel")) >= {a.label_ar for a in ex.actors}
    assert {q.graph_name for q in quads} == {document_iri(doc_id)}
    assert ox.serialize(quads, format=ox.RdfFormat.N_QUADS) == piece.bodies["nq"]
    # N-Triples: the distinct triples of the N-Quads, first occurrence first
    triples = [ox.Triple(t.subject, t.predicate, t.object)
               for t in ox.parse(b"".join(run.nt for run in piece.runs), format=ox.RdfFormat.N_TRIPLES)]
    assert triples == list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
