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
from kg.rdf import DEFAULT_BASE, to_quads

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
def test_the_builders_nquads_and_ntriples_lines_are_oxigraphs_serialisation(text: str, doc_id: str) -> None:
    """``kg build`` writes N-Quads and N-Triples a line per term triple (str() of pyoxigraph terms),
    not through ``ox.serialize``: the bytes must be the serialiser's, whatever the text holds."""
    ex = extract(Document(doc_id, text), _lex())
    piece = _process(ex.document, _lex(), _Plan(DEFAULT_BASE, ("nq", "nt")))
    quads = list(to_quads(ex))
    assert piece.bodies["nq"] == ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    distinct = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    assert b"".join(run.nt for run in piece.runs) == ox.serialize(distinct, format=ox.RdfFormat.N_TRIPLES)
