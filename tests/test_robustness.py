"""No text crashes extraction: the shapes real feeds bring, one by one and mixed at random.

Whole articles as scraped arrive with datelines («عمان ـ ا ف ب:»), kashida runs,
lone letters and punctuation, markup left in the text, hashtags, emoji, and
Latin letters and digits inside Arabic names. Each shape below is a sentence
of ours; the property test glues the same shapes to and between real lexicon
names and cue words, so the text reaches the gazetteer, the cue matcher and
the pattern finders.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import Document, Lexicon, extract
from kg.lexicon import END
from kg.mentions import _trie_matches
from kg.model import Extraction
from kg.text import tokenize

#: (shape, text, labels of nodes the text names and that must still be found)
SHAPES = [
    ("dateline with a lone tatweel", "عمان ـ ا ف ب: قال وزير الخارجية الأردني إن الجيش السوري قصف مدينة درعا.",
     ["درعا"]),
    ("kashida run inside and between words", "قصف الجيــــــش الســــوري مدينة ــــ درعا.", ["درعا"]),
    ("tatweel and diacritics alone", "ـ ً ـــ ٌّ قصفت قوات النظام مدينة حمص ـ.", ["حمص"]),
    ("lone letters and clitics", "و ب ل ال ك ف قصف الجيش مدينة حلب و .", ["حلب"]),
    ("isolated punctuation", "، . ؛ ! ؟ … « » - — قصف الجيش مدينة حلب ، .", ["حلب"]),
    ("SGML header lines", "<DOC>\n<DOCNO>AR_2018_1</DOCNO>\n<TEXT>\nحاصرت قوات النظام مدينة دوما.\n</TEXT>\n</DOC>",
     ["دوما"]),
    ("HTML tags and entities", "<p>قصف <b>الجيش السوري</b> مدينة&nbsp;حلب &amp; ريفها</p>", []),
    ("hashtags", "#عاجل #الجيش_السوري يقصف #حلب و#إدلب", []),
    ("emoji and flags", "🔴 عاجل: قوات النظام 🇸🇾 تحاصر مدينة دوما 💥", ["دوما"]),
    ("Latin and digits in names", "هاجم لواء 313 وF16 الفرقة 4 في حلب2 قرب ISIS و«داعش»", []),
    ("a number glued to a place", "قصف الطيران 3مدن بينها حلب20 و٣٤دمشق", []),
    ("control and format characters", "قصف\u200f الجيش\u200c السوري\u200d مدينة\ufeff حلب\x00.", []),
    ("presentation forms", "ﻻ ﷲ ﷺ قصف الجيش مدينة حلب", ["حلب"]),
]


def _check(ex: Extraction, text: str) -> None:
    """What every extraction must hold, whatever its text."""
    keys = {a.key for a in ex.actors}
    for m in ex.mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert m.actor in keys
    for a in ex.actors:
        assert a.label_ar.strip(), a
    for s in ex.statements:
        assert {s.subject, s.object} <= keys


@pytest.mark.parametrize("shape,text,names", SHAPES, ids=[s[0] for s in SHAPES])
def test_real_feed_shapes_extract(shape: str, text: str, names: list[str], lexicon: Lexicon) -> None:
    ex = extract(Document("shape", text), lexicon)
    _check(ex, text)
    labels = {a.label_ar for a in ex.actors}
    for name in names:
        assert name in labels, f"{shape}: {name} not found among {sorted(labels)}"


def test_a_word_that_normalises_to_nothing_reaches_no_trie_value(lexicon: Lexicon) -> None:
    # a lone tatweel once looked up the trie's end key and got the values where a node belongs
    tokens = tokenize("ـ", 0)
    assert tokens and tokens[0].norm == ""
    assert _trie_matches(tuple(tokens), 0, lexicon.name_trie) == []
    assert END not in {k for t in tokens for k in t.keys}


# --- the same shapes mixed at random with names and cues -----------------------

_LEX: list[Lexicon] = []


def _lex() -> Lexicon:
    if not _LEX:
        _LEX.append(Lexicon.builtin())
    return _LEX[0]


def _names() -> list[str]:
    lex = _lex()
    return sorted({a.label_ar for a in lex.actors.values()})[:4000:7]


def _cues() -> list[str]:
    return sorted({" ".join(words) for words in _lex().cues})[::5]


NOISE = ["ـ", "ـــــ", "ـا", "ا", "و", "ب", "ال", "ً", ".", "،", "؛", "…", "«", "»", "(", ")", "#", "@", "<DOC>",
         "</TEXT>", "<DOCNO>x1</DOCNO>", "&amp;", "&#1600;", "\u200f", "\u200c", "\ufeff", "\x00", "🔴", "🇸🇾",
         "F-16", "313", "٣٤٥", "ISIS", "http://x.example/a?b=1", "ﻻ", "\n", "\n\n", "\t", "عمان ـ ا ف ب:"]


@st.composite
def glued(draw: st.DrawFn) -> str:
    """A name, cue or noise piece, sometimes with a noise piece glued before, after or inside it."""
    word = draw(st.one_of(st.sampled_from(_names()), st.sampled_from(_cues()), st.sampled_from(NOISE)))
    noise = draw(st.sampled_from(NOISE))
    where = draw(st.sampled_from(["alone", "before", "after", "inside"]))
    if where == "before":
        return noise + word
    if where == "after":
        return word + noise
    if where == "inside" and len(word) > 1:
        cut = draw(st.integers(1, len(word) - 1))
        return word[:cut] + noise + word[cut:]
    return word


texts = st.lists(glued(), min_size=1, max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_names_cues_and_noise_mixed_never_crash(text: str) -> None:
    _check(extract(Document("mixed", text), _lex()), text)
