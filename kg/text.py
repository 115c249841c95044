"""Arabic text: normalisation, sentences, tokens with offsets, clitic-aware keys.

The same :func:`normalize` is applied to the text and to every lexicon entry,
so a lexicon row matches the text whatever its spelling of hamza, alef
maqsura or ta marbuta, and whatever diacritics the text carries. Offsets always
point into the original document text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from camel_tools.tokenizers.word import simple_word_tokenize  # type: ignore[import-untyped]
from camel_tools.utils.charmap import CharMapper  # type: ignore[import-untyped]
from camel_tools.utils.dediac import dediac_ar  # type: ignore[import-untyped]
from camel_tools.utils.normalize import (  # type: ignore[import-untyped]
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

from .model import Sentence, Token

__all__ = [
    "normalize",
    "split_sentences",
    "iter_sentences",
    "tokenize",
    "readings",
    "lexicon_key",
    "strip_article",
    "strip_name_clitics",
    "is_quote",
    "slugify",
    "transliterator",
    "is_arabic",
    "ENCLITICS",
]

_TATWEEL = "\u0640"
_HAMZA_SEATS = str.maketrans({"\u0624": "\u0648", "\u0626": "\u064a"})  # ؤ -> و, ئ -> ي
_QUOTES = "\"'«»“”‘’„"
_PUNCT_RE = re.compile(r"^[\W_]+$", re.UNICODE)
_ARABIC_RE = re.compile(r"[\u0600-\u06ff]")
# A sentence ends at . ! ? ؟ (not inside a number) or at a line break.
_BOUNDARY_RE = re.compile(r"(?<!\d)[.!?\u061f]+(?!\d)[\"'»”)]*|\n+")

# Proclitics, normalised: conjunction, then preposition, then the article.
_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")
_ARTICLE = "ال"
#: Pronoun suffixes a verb or noun may carry (normalised), longest first.
ENCLITICS: tuple[str, ...] = ("هما", "كما", "هم", "هن", "كم", "نا", "ها", "ه", "ك", "ي")
_MIN_STEM = 2


def normalize(text: str) -> str:
    """Return ``text`` without diacritics or tatweel, with alef, alef maqsura, ta marbuta and hamza seats unified.

    >>> normalize("الإسلامُ") == normalize("الاسلام")
    True
    """
    text = dediac_ar(text).replace(_TATWEEL, "")
    text = normalize_alef_ar(text)
    text = normalize_alef_maksura_ar(text)
    text = normalize_teh_marbuta_ar(text)
    return text.translate(_HAMZA_SEATS)


def is_arabic(text: str) -> bool:
    """True when ``text`` holds at least one Arabic letter."""
    return bool(_ARABIC_RE.search(text))


def _strip_article(stem: str, article: bool) -> Iterator[str]:
    yield stem
    if article and stem.startswith(_ARTICLE) and len(stem) - 2 >= _MIN_STEM:
        yield stem[2:]


def _proclitic_readings(word: str, article: bool) -> Iterator[str]:
    """Every reading of ``word`` with zero or more proclitics removed."""
    bases = [word]
    if word[:1] in _CONJ and len(word) - 1 >= _MIN_STEM:
        bases.append(word[1:])
    for base in bases:
        yield from _strip_article(base, article)
        if base.startswith("لل") and len(base) - 2 >= _MIN_STEM:  # li- + al- with the alef elided
            if article:
                yield base[2:]
            yield "ال" + base[2:]
        if base[:1] in _PREP and len(base) - 1 >= _MIN_STEM:
            yield from _strip_article(base[1:], article)
        if base[:1] == "س" and len(base) > 3 and base[1:2] in "يتنا":  # future sa- on a verb
            yield base[1:]


def readings(norm: str, article: bool = True) -> tuple[str, ...]:
    """All lookup keys of a normalised word: itself and its clitic-stripped forms, in a stable order.

    Args:
        norm: a word normalised with :func:`normalize`.
        article: also strip the definite article (cue and word-list lookups);
            names keep it, so ``السورية`` (Syrian) never reads as ``سورية`` (Syria).

    >>> "جيش" in readings(normalize("وجيش"))
    True
    >>> "سوريه" in readings(normalize("السورية"), article=False)
    False
    """
    seen: dict[str, None] = {}
    for r in _proclitic_readings(norm, article):
        seen.setdefault(r, None)
    return tuple(seen)


def lexicon_key(word: str) -> str:
    """The key a lexicon word is stored under: normalised, without the article.

    >>> lexicon_key("الإسلام")
    'اسلام'
    """
    return strip_article(normalize(word))


def strip_article(norm: str) -> str:
    """A normalised word without its definite article (kept when too little would remain)."""
    if norm.startswith(_ARTICLE) and len(norm) - 2 >= _MIN_STEM:
        return norm[2:]
    return norm


_NAME_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال")


def strip_name_clitics(word: str) -> str:
    """A word of a name without its conjunction, preposition and article, as annotated names are
    compared with the text (the shared scorer's folding).

    >>> strip_name_clitics("للنظام"), strip_name_clitics("وحماس")
    ('نظام', 'حماس')
    """
    for p in _NAME_PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 2:
            return word[len(p):]
    if word[:1] in ("و", "ف") and len(word) >= 5:
        return strip_name_clitics(word[1:])
    return word


def tokenize(text: str, offset: int = 0) -> tuple[Token, ...]:
    """Split ``text`` into tokens with offsets (``offset`` is added to each).

    Words come from camel-tools' ``simple_word_tokenize``, which splits at
    whitespace and then separates punctuation inside each chunk; the split and
    analysis of a chunk are memoised (see :func:`_chunk`), so offsets are the
    chunk's own plus the word's place in it.

    >>> [(t.text, t.start) for t in tokenize("قال: «نعم»", 10)]
    [('قال', 10), (':', 13), ('«', 15), ('نعم', 16), ('»', 19)]
    """
    tokens: list[Token] = []
    for match in _CHUNK_RE.finditer(text):
        base = match.start() + offset
        for start, end, word, norm, keys, name_keys, punct in _chunk(match.group()):
            tokens.append(Token(word, base + start, base + end, norm, keys, name_keys, punct))
    return tuple(tokens)


_CHUNK_RE = re.compile(r"\S+")
_Analysed = tuple[int, int, str, str, tuple[str, ...], tuple[str, ...], bool]


@lru_cache(maxsize=1 << 17)
def _chunk(chunk: str) -> tuple[_Analysed, ...]:
    """The words of one whitespace-free chunk with their offsets in it and their analysis.

    Memoised: news vocabulary is Zipfian, so most chunks of a corpus were seen
    before and cost one dictionary lookup.
    """
    out: list[_Analysed] = []
    pos = 0
    for word in simple_word_tokenize(chunk):
        start = chunk.find(word, pos)
        if start < 0:  # the tokenizer changed the string; skip what cannot be located
            continue
        pos = start + len(word)
        out.append((start, pos, word, *_analyse(word)))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def _analyse(word: str) -> tuple[str, tuple[str, ...], tuple[str, ...], bool]:
    """A word's normal form, lookup keys, name keys and whether it is punctuation.

    """
    punct = bool(_PUNCT_RE.match(word))
    norm = normalize(word)
    if punct:
        return norm, (), (), True
    return norm, readings(norm), readings(norm, article=False), False


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Split a document into sentences with offsets and tokens.

    >>> [s.text for s in split_sentences("قال. ثم ذهب")]
    ['قال.', 'ثم ذهب']
    >>> [len(s.text) for s in split_sentences("كلمة " * 1000)]  # no punctuation: cut at a space
    [1999, 1999, 999]
    """
    return tuple(iter_sentences(text))


def iter_sentences(text: str) -> Iterator[Sentence]:
    """The sentences of :func:`split_sentences`, one at a time (a long document's tokens need not all be held)."""
    sentences: list[Sentence] = []  # the sentences found so far, for their index; emptied as they are yielded
    count = 0
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        end = match.end()
        _add_sentence(sentences, text, start, end, count)
        start = end
        count += len(sentences)
        yield from sentences
        sentences.clear()
    _add_sentence(sentences, text, start, len(text), count)
    yield from sentences


#: Longest sentence, in characters. News sentences stay far below it (a few hundred); text
#: without punctuation (a transcript, a list) is cut into pieces this long, at a comma or
#: a space, so the work per sentence stays bounded.
MAX_SENTENCE = 2000
_SOFT_BREAK_RE = re.compile(r"[،,؛;:]\s")


def _add_sentence(out: list[Sentence], text: str, start: int, end: int, first: int = 0) -> None:
    while end - start > MAX_SENTENCE:
        window = text[start : start + MAX_SENTENCE]
        cut = max((m.end() for m in _SOFT_BREAK_RE.finditer(window)), default=-1)
        if cut <= MAX_SENTENCE // 2:
            cut = window.rfind(" ") + 1
        if cut <= 0:
            cut = MAX_SENTENCE  # one word longer than a sentence: cut it
        _add_one(out, text, start, start + cut, first)
        start += cut
    _add_one(out, text, start, end, first)


def _add_one(out: list[Sentence], text: str, start: int, end: int, first: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    e = s + len(stripped)
    out.append(Sentence(first + len(out), s, e, stripped, tokenize(stripped, s)))


def is_quote(token: Token) -> bool:
    """True for a quotation mark token."""
    return token.punct and (token.text in _QUOTES if len(token.text) == 1 else all(ch in _QUOTES for ch in token.text))


@lru_cache(maxsize=1)
def transliterator() -> CharMapper:
    """camel-tools' safe Buckwalter mapper (ASCII, case-sensitive), loaded from the package once."""
    return CharMapper.builtin_mapper("ar2safebw")


_SLUG_JUNK_RE = re.compile(r"[^A-Za-z0-9]+")


def slugify(name: str, mapper: CharMapper | None = None) -> str:
    """A deterministic ASCII slug of an Arabic (or Latin) name, case kept, words joined by ``-``.

    >>> slugify("جيش الإسلام")
    'jyc-AlAslAm'
    """
    mapper = mapper or transliterator()
    ascii_text = mapper(normalize(name))
    return _SLUG_JUNK_RE.sub("-", ascii_text).strip("-")
