"""Mentions: actors and places found in a sentence.

Two sources, longest match first:

1. the gazetteer (:attr:`Lexicon.names`), matched on clitic-stripped keys so
   ``ولجيش الإسلام`` finds ``جيش الإسلام``;
2. Arabic structure, for actors the gazetteer does not know: a head noun and a
   nisba adjective (``القوات التركية``), an organisation head and a quoted or
   definite name (``فصيل "جيش العزة"``), a place noun and a name
   (``بلدة مسرابا``), a title and a personal name (``الناطق باسم X حمزة
   بيرقدار``), and bare nisba adjectives (``وساطة أممية``).

Found actors that the gazetteer lacks are returned as new :class:`Actor`
values with deterministic keys (see :func:`discovered_key`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterator
from dataclasses import dataclass
from typing import Any

from camel_tools.utils.dediac import dediac_ar  # type: ignore[import-untyped]

from .lexicon import END, Lexicon, index_by_first
from .model import Actor, Mention, Sentence, Token
from .text import is_quote, lexicon_key, normalize, slugify, strip_article, tokenize

__all__ = ["find_mentions", "discovered_key", "SentenceMentions", "RoleLink"]


@dataclass(frozen=True)
class RoleLink:
    """A person's role stated by a title: ``الناطق باسم X`` + name."""

    person: str
    """Actor key of the person."""
    relation: str
    """``spokespersonOf``, ``leaderOf`` or ``memberOf``."""
    org: str
    """Actor key of the organisation or state."""
    cue: str
    """The title words as written."""
    first_token: int = 0
    """Index of the title's first token in the sentence."""
    last_token: int = 0
    """Index of the person name's last token in the sentence."""
    how: str = "title: a title before a personal name"
    """The rule that read it (the statement's ``rule``)."""


@dataclass(frozen=True)
class SentenceMentions:
    """What :func:`find_mentions` found in one sentence."""

    mentions: tuple[Mention, ...]
    """Mentions in text order."""
    actors: tuple[Actor, ...]
    """Actors that the mentions refer to and the gazetteer does not hold."""
    roles: tuple[RoleLink, ...]
    """Roles stated by titles."""
    contained: tuple[tuple[str, str], ...] = ()
    """(facility, place) pairs named together: ``مطار الحديدة`` lies in ``الحديدة``."""
    inner: tuple[Mention, ...] = ()
    """Mentions inside another mention (``الأممي`` in ``المبعوث الأممي``): they name an actor in the
    graph but take no part in reading relations."""


_CLITIC_BEFORE_ARTICLE = re.compile(r"^(?:[وف])?(?:[بلك])?(?=ال\w\w)|^(?:[وف])?ل(?=ل\w\w)")


#: A conjunction written on a word, with its diacritics.
_CONJUNCTION_RE = re.compile("^[\u0648\u0641][\u064b-\u0652]*")


def clean_name(name: str) -> str:
    """A discovered name without the conjunction or preposition written on its first word.

    >>> clean_name("للجيش الوطني")
    'الجيش الوطني'
    >>> clean_name("وبالمدينة")
    'المدينة'
    """
    name = name.strip()
    m = _CLITIC_BEFORE_ARTICLE.match(name)
    if m and m.end():
        rest = name[m.end():]
        return ("ا" + rest) if rest.startswith("ل") and not rest.startswith("ال") else rest
    return name


def discovered_key(type_: str, name: str) -> str:
    """The key of an actor found by structure: its kind and an ASCII slug of its normalised name.

    >>> discovered_key("Place", "مسرابا")
    'place:msrAbA'
    """
    prefix = "place" if type_ == "Place" else "actor"
    words = [strip_article(normalize(w)) for w in clean_name(name).split()]
    slug = slugify(" ".join(words)) or "x"
    return f"{prefix}:{slug}"


#: Particles of foreign names after which the name goes on (ستيفان دي مستورا, فان غال).
_NAME_PARTICLES = frozenset({"دي", "دو", "دا", "فان", "فون", "ديل", "دوس"})

#: Words inside Arabic personal names after which the name goes on (زايد بن سعيد الخيارين).
_NAME_LINKS = {"بن", "ابن", "ولد", "ابو", "عبد", "بنت", "ال"}  # ال is آل (آل نهيان)


def _derived_verb_shape(n: str) -> bool:
    """True for the shapes of forms X, VIII and VII of verbs and their nouns (استمرار, اعترف, انسحب).

    >>> _derived_verb_shape("استمرار"), _derived_verb_shape("انسحب"), _derived_verb_shape("ابراهيم")
    (True, True, False)
    """
    return (n.startswith("است") and len(n) == 7 and n[3] not in "يوا" and n[-2] == "ا") or (
        n[:1] == "ا" and len(n) == 5 and (n[2] == "ت" or n[1] == "ن") and n[3] not in "يوا")


def _derived_noun_shape(n: str) -> bool:
    """True for the verbal nouns of forms VIII and VII, افتعال / انفعال (انتخاب, انسحاب), weak roots aside.

    Some given names have this shape (انتصار, اعتماد): the caller lets listed given names through.

    >>> _derived_noun_shape("انتخاب"), _derived_noun_shape("انسحاب"), _derived_noun_shape("انطوان")
    (True, True, False)
    """
    return n[:1] == "ا" and len(n) == 6 and (n[2] == "ت" or n[1] == "ن") and n[3] not in "يوا" and n[4] == "ا"


def _has(tok: Token, words: frozenset[str]) -> bool:
    return not words.isdisjoint(tok.keys)


def _place_noun(tok: Token, place_nouns: frozenset[str]) -> bool:
    """True when the word is a place noun, also in the accusative with its tanween alif (بلدات ومدنا, جبالا).

    >>> _place_noun(tokenize("ومدنا")[0], frozenset({"مدن"})), _place_noun(tokenize("مدني")[0], frozenset({"مدن"}))
    (True, False)
    """
    return _has(tok, place_nouns) or any(k.endswith("ا") and k[:-1] in place_nouns for k in tok.keys)


def _trie_matches(tokens: tuple[Token, ...], i: int, trie: dict[str | None, Any]) -> list[tuple[int, object, str]]:
    """All (end index inclusive, value, key of the first word) matches of the trie at token i."""
    out: list[tuple[int, object, str]] = []
    frontier: list[tuple[dict[str | None, Any], int, str]] = [(trie, i, "")]
    while frontier:
        node, j, first = frontier.pop()
        if j >= len(tokens) or tokens[j].punct:
            continue
        for key in tokens[j].name_keys if j == i else (tokens[j].norm,):
            child = node.get(key)
            if child is None:
                continue
            f = key if j == i else first
            if END in child:
                out.append((j, child[END], f))
            frontier.append((child, j + 1, f))
    return out


def clitics_before(norm: str, key: str) -> str:
    """The clitic letters written before ``key`` in the word ``norm`` (``وب`` for ``وبدمشق``/``دمشق``).

    >>> clitics_before("للامم", "الامم")
    'ل'
    """
    if norm.endswith(key):
        return norm[: len(norm) - len(key)]
    if key.startswith("ال") and norm.endswith(key[2:]) and norm[: len(norm) - len(key) + 2].endswith("لل"):
        return norm[: len(norm) - len(key) + 1]
    return ""


def _inner_keys(tok: Token) -> tuple[str, ...]:
    # a word inside a name carries at most the article (no conjunction or preposition)
    return tuple(dict.fromkeys((tok.norm, strip_article(tok.norm))))


def _letters(text: str) -> str:
    """The word as written without diacritics or tatweel: hamza seats and alef maqsura kept."""
    return str(dediac_ar(text)).replace("\u0640", "")


def _definite(tok: Token) -> bool:
    """True when the word is written with the article, after a conjunction or a preposition (والعدل, للبرلمان),
    read from its letters: «آلية» and «أليكسيس», which normalise to the same letters, have none.

    >>> _definite(tokenize("والعدل")[0]), _definite(tokenize("آلية")[0])
    (True, False)
    """
    w = _letters(tok.text)
    if w[:1] in ("و", "ف") and len(w) >= 5:
        w = w[1:]
    return w.startswith(("ال", "بال", "لل", "كال"))


#: Letters whose spelling the matcher folds: a text that writes one of them means it.
_MARKED = frozenset("أإآؤئى")


def _same_letters(text: str, name: str) -> bool:
    """True when ``text`` spells ``name`` (same length): a hamza or alef maqsura written in the text is the name's own.

    >>> _same_letters("وأم", "وام"), _same_letters("ادلب", "إدلب")
    (False, True)
    """
    return all(a == b or a not in _MARKED for a, b in zip(text, name))


def _spelled_as(tok: Token, key: str, forms: frozenset[str]) -> bool:
    """True when the word ends in ``key`` (its normalised reading) spelled as one of ``forms``: a hamza or
    alef maqsura the text writes is the listed word's own, and a final ى may stand for a listed final ي.

    >>> _spelled_as(tokenize("وأدى")[0], "وادي", frozenset({"وادي"}))
    False
    >>> _spelled_as(tokenize("واقليم")[0], "اقليم", frozenset({"إقليم"}))
    True
    """
    letters = _letters(tok.text)
    if not tok.norm.endswith(key) or len(letters) != len(tok.norm):
        return False
    stem = letters[len(letters) - len(key):]
    return any(_same_letters(stem, form) or (stem[-1:] == "ى" and form[-1:] == "ي" and _same_letters(stem[:-1], form[:-1]))
               for form in forms if len(form) == len(stem))


def _letters_cut(text: str, n: int) -> int:
    """How many characters of ``text`` hold its first ``n`` letters (with their diacritics)."""
    k = seen = 0
    while k < len(text) and seen < n:
        k += 1
        seen += 1
        while k < len(text) and (unicodedata.combining(text[k]) or text[k] == "\u0640"):
            k += 1
    return k


#: How many earlier mentions an anaphor («الحركة», «المدينة») may reach back over.
_ANAPHORA_REACH = 200
#: Relations whose cue takes a place as its object (a quoted name after one is a place).
_PLACE_CUE_RELATIONS = ("captures", "besieges", "attacks")


class _Finder:
    def __init__(self, sentence: Sentence, lex: Lexicon, known: dict[str, Actor], titled: dict[str, str],
                 recent: list[Mention] | None = None) -> None:
        self.recent = recent if recent is not None else []
        self.s = sentence
        self.t = sentence.tokens
        self.lex = lex
        self.known = known
        self.titled = titled
        self.taken = [False] * len(self.t)
        # every reading of every word, so a pass whose trigger words are absent is skipped at once
        self.keyset = frozenset(k for t in self.t for k in t.keys)
        self.name_keyset = frozenset(k for t in self.t for k in t.name_keys)
        self.quotes = [i for i, t in enumerate(self.t) if is_quote(t)]
        self.quoted = bool(self.quotes)
        self.mentions: list[Mention] = []
        self.new: dict[str, Actor] = {}
        self.roles: list[RoleLink] = []
        self.facility_in: list[tuple[str, str]] = []
        self.inner: list[Mention] = []

    # -- helpers ---------------------------------------------------------
    def _quote_pairs(self, reach: int) -> Iterator[tuple[int, int]]:
        """(opening, closing) quotes in order: the next quote at most ``reach`` tokens on, words between.

        A closing quote opens no other pair; a quote with no closing one in reach is skipped.
        """
        after = 0
        quotes = self.quotes
        for n, i in enumerate(quotes):
            if i < after:
                continue
            j = quotes[n + 1] if n + 1 < len(quotes) else -1
            if j < 0 or j - i > reach or j == i + 1:
                continue
            yield i, j
            after = j + 1

    def free(self, i: int, j: int) -> bool:
        return all(not self.taken[k] for k in range(i, j + 1))

    def add(
        self, i: int, j: int, actor: Actor, source: str, start: int | None = None, proclitic: str = ""
    ) -> Mention:
        start = self.t[i].start if start is None else start
        end = self.t[j].end
        text = self.s.text[start - self.s.start : end - self.s.start]
        m = Mention(text, start, end, self.s.index, actor.key, actor.type, source, i, j, proclitic)
        for k in range(i, j + 1):
            self.taken[k] = True
        self.mentions.append(m)
        if actor.key not in self.lex.actors:
            self.new.setdefault(actor.key, actor)
        return m

    def discovered(self, type_: str, name: str, generic: bool = False) -> Actor:
        key = discovered_key(type_, name)
        existing = self.known.get(key) or self.new.get(key) or self.lex.actors.get(key)
        if existing is not None:
            return existing
        return Actor(key, type_, clean_name(name), None, (), None, generic)

    def words(self, name: str) -> frozenset[str]:
        return self.lex.word_set(name)

    def is_name_word(self, tok: Token, first: bool) -> bool:
        if tok.punct or len(tok.norm) < 2 or tok.norm[0].isdigit():
            return False
        lists = self.lex.lists_of(tok.keys)
        if "stopwords" in lists or "clause_openers" in lists:  # the keys start with the word itself
            return False
        if first and tok.norm.startswith("ال") and ("place_nouns" in lists or "transparent" in lists):
            return False
        if self.cue_at(tok):
            return False
        if "person_nouns" in lists or _has(tok, self._title_words()) or (
                tok.norm.endswith("ا") and tok.norm[:-1] in self._title_words()):
            return False  # صقر الجروشي قائد …, «تعيين الملا منصور زعيما»: a title ends the name
        return True

    def _title_words(self) -> frozenset[str]:
        return self.lex.derived("title_first_words", lambda: frozenset(
            strip_article(normalize(k.split()[0])) for k in self.lex.patterns.get("person_titles", {})
        ))

    def _org_heads(self) -> dict[str, str]:
        return self.lex.derived("org_heads", lambda: {
            strip_article(normalize(k)): v for k, v in self.lex.patterns.get("org_heads", {}).items()
        })

    def _name_blocking_heads(self) -> frozenset[str]:
        """Facility, place and organisation head nouns: no personal name is one, nor what one governs."""
        return self.lex.derived("name_blocking_heads", lambda: self.words("facility_nouns") | self.words("place_nouns")
                                | frozenset(self._org_heads()))

    def cue_at(self, tok: Token, relations: Container[str] | None = None) -> bool:
        """True when the word is a one-word cue (of one of ``relations``, when given)."""
        for k in tok.keys:
            node = self.lex.cue_trie.get(k)
            if node and END in node and (relations is None or any(c.relation in relations for c in node[END])):
                return True
        return False

    # -- passes ----------------------------------------------------------
    def run(self) -> SentenceMentions:
        self.gazetteer_and_nisba_heads()
        self.quoted_names()
        self.org_heads()
        self.facilities()
        self.quoted_targets()
        self.loyal_forces()
        self.place_nouns()
        self.titles()
        self.reported_speakers()
        self.aged_people()
        self.office_holders()
        self.vet_people()
        self.surnames()
        self.led_by()
        self.bare_nisba()
        self.drop_generic_heads()
        self.head_anaphora()
        self.mentions.sort(key=lambda m: m.start)
        self.recent.extend(self.mentions)
        return SentenceMentions(tuple(self.mentions), tuple(self.new.values()), tuple(self.roles), tuple(self.facility_in),
                                tuple(self.inner))

    def gazetteer_and_nisba_heads(self) -> None:
        head_keys = self.lex.derived("nisba_head_keys", lambda: [
            (tuple(strip_article(normalize(w)) for w in h["head"].split()), h)
            for h in self.lex.patterns.get("nisba_heads", [])
        ])
        head_first: dict[str, list[int]] = self.lex.derived(
            "nisba_head_first", lambda: index_by_first([w for w, _ in head_keys]))
        trie_firsts, head_firsts = self.lex.name_trie.keys(), head_first.keys()
        # most words start no name and no nisba head: the loop visits only those that may
        starts = [not tok.punct and not trie_firsts.isdisjoint(tok.name_keys) for tok in self.t]
        after = 0  # the first token after the last name found
        for i in [i for i, tok in enumerate(self.t) if starts[i] or not head_firsts.isdisjoint(tok.keys)]:
            if i < after:
                continue
            best: tuple[int, Actor, str, str] | None = None
            tok = self.t[i]
            for j, keys, first in _trie_matches(self.t, i, self.lex.name_trie) if starts[i] else ():
                assert isinstance(keys, tuple)
                if j == i and not self._one_word_name_ok(tok, first):
                    continue
                actor = self.lex.actors[self._pick(keys, i, first)]
                if best is None or j > best[0]:
                    best = (j, actor, "gazetteer", clitics_before(tok.norm, first))
            starting = sorted({n for k in tok.keys for n in head_first.get(k, ())})
            for words, h in (head_keys[n] for n in starting):
                j = i + len(words)
                if j >= len(self.t):
                    continue
                if not all(w in (self.t[i + k].keys if k == 0 else _inner_keys(self.t[i + k])) for k, w in enumerate(words)):
                    continue
                state_key = self._nisba_of(self.t[j])
                word = self.t[j].norm
                if state_key is None or (word[:1] in ("و", "ف") and word not in self.lex.nisba
                                         and strip_article(word) not in self.lex.nisba):
                    continue  # «الجيش والفلسطينيين»: a second party, not an adjective of the head
                if best is None or j > best[0]:
                    pro = next((clitics_before(self.t[i].norm, k) for k in self.t[i].keys if k == words[0]), "")
                    best = (j, self._nisba_actor(state_key, h), "nisba", pro)
            if best is None:
                continue
            j, actor, source, pro = best
            if actor.generic and j == i and self.cue_at(self.t[i]):
                continue  # a generic word that is also a relation cue (معتقلين) is read as the cue
            if actor.generic and j == i and self._nisba_adjective(i, actor, first):
                self.taken[i] = True  # read: no title («صحفي مشترك») nor name starts at the adjective
                continue  # «تحالفا عسكريا», «مؤتمر صحفي», «الفكر الإرهابي»: an adjective, not soldiers or journalists
            if actor.generic and self._named_overlap(i, j):
                continue  # «مقاتلات التحالف العربي»: the named coalition, not generic «coalition jets»
            if actor.type in ("State", "Place", "Person") and self._renamed_by_next(j):
                after = j + 2  # «مصر الجديدة» is a district of Cairo, «جورج بوش الأب» the father: not the name
                continue
            if j == i and self._common_noun_here(j):
                after = j + 2  # «القاعدة الجوية الروسية» is an air base, «الشباب الفلسطيني» young people
                continue
            if actor.type == "Person" and i > 0 and self.t[i - 1].norm in ("بن", "ابن", "بنت"):
                after = j + 1  # «فيصل بن سلمان بن عبدالعزيز»: the father's name inside another name
                continue
            if actor.type in ("State", "Place") and self._after_non_actor_head(i):
                after = j + 1  # «منتخب مصر», «نادي نجران»: a team or a company, not the state or the town
                continue
            if actor.type not in ("Place", "State", "Person") and j == i and i > 0 \
                    and _has(self.t[i - 1], self.words("facility_nouns")):
                after = j + 1  # «جامعة سبأ»: the university is named after the word, it is not the agency
                continue
            self.add(i, j, actor, source, proclitic=pro)
            after = j + 1

    def _nisba_adjective(self, i: int, actor: Actor, first: str) -> bool:
        """True when the one-word generic name at token i is a singular nisba adjective of the word before it.

        The name is a singular nisba (عسكريا, صحفي, الإرهابي, انتحارية) when its sound plural (عسكريين) is a
        name of the same actor. It describes the word before it when that word is an indefinite noun in the
        accusative (its tanween alif, not a verb's «وا») with no number before it (تحالفا عسكريا, not 15 عسكريا
        nor 20 عنصرا إرهابيا), a noun of
        ``nisba_described_nouns`` as definite as it (مؤتمر صحفي, الفكر الإرهابي; not مقتل صحفي), or, with the
        article, the organisation named right before it («داعش» الإرهابي). After a noun of attack the word
        names the attackers (هجوم انتحاري), and a conjunction on it joins it to the words before (22 جنديا ومدنيا).
        """
        tok = self.t[i]
        stem = strip_article(first)
        if i == 0 or clitics_before(tok.norm, first)[:1] in ("و", "ف") or not stem.endswith(("ي", "يا", "يه")):
            return False
        base = stem if stem.endswith("ي") else stem[:-1]
        plural = base + "ين"
        if actor.key not in self.lex.names.get((plural,), ()) + self.lex.names.get(("ال" + plural,), ()):
            return False  # «أهالي» is a plural, no nisba
        k = i - 1
        while k > 0 and is_quote(self.t[k]):
            k -= 1
        named = next((m for m in self.mentions if m.last_token == k), None)
        if named is not None:
            return _definite(tok) and named.type not in ("Person", "Place", "State", "Civilians")
        prev = self.t[i - 1]
        if prev.punct or self.taken[i - 1]:
            return False
        if self.cue_at(prev, ("attacks",)):
            return False  # «هجوما إرهابيا», «تفجير انتحاري»: the word names who attacked
        if stem.endswith("يا"):
            counted = i > 1 and (self.t[i - 2].norm[:1].isdigit() or self.has_word_at(i - 2, "number_words"))
            return (len(prev.norm) >= 4 and prev.norm.endswith("ا") and not prev.norm.endswith(("وا", "ها"))
                    and not counted and not {"number_words", "stopwords", "time_words", "not_name_words"}
                    & self.lex.lists_of(prev.keys))
        return _has(prev, self.words("nisba_described_nouns")) and _definite(prev) == _definite(tok)

    def _one_word_name_ok(self, tok: Token, first: str) -> bool:
        """True unless spelling folding alone makes the word a one-word gazetteer name.

        The matcher folds hamza and alef maqsura and treats the article as optional, so an
        ordinary word can fold into a short name: «البصري» (optic) into ال + بصرى (Bosra),
        «الحماس» (enthusiasm) into حماس, «وأم» (and a mother) into وام (the Emirates agency).
        A one-word name listed without the article does not match the word with it, and in a
        name of under five letters a hamza or alef maqsura the text writes must be the name's own.
        """
        forms: dict[str, frozenset[str]] = self.lex.derived("one_word_name_forms", self._one_word_name_forms)
        written = forms.get(first)
        if written is None:
            return False  # only the article-toggled variant of a one-word name reads so
        if first != tok.norm and tok.norm in self.words("personal_names"):
            return False  # «فاطمة» is a name, not ف + أطمة
        if len(first) >= 5 or not tok.norm.endswith(first):
            return True
        stem = _letters(tok.text)[len(tok.norm) - len(first):]
        return len(stem) != len(first) or any(_same_letters(stem, form) for form in written)

    def _one_word_name_forms(self) -> dict[str, frozenset[str]]:
        """{normalised one-word gazetteer name: its spellings as listed, without diacritics}."""
        out: dict[str, set[str]] = {}
        for actor in self.lex.actors.values():
            for name in (actor.label_ar, *actor.alt_ar):
                if name and len(name.split()) == 1:
                    out.setdefault(normalize(name), set()).add(_letters(name))
        return {k: frozenset(v) for k, v in out.items()}

    def _renamed_by_next(self, j: int) -> bool:
        """True when the word after a known name makes it name something else (مصر الجديدة, بوش الأب)."""
        if j + 1 >= len(self.t):
            return False
        nxt = self.t[j + 1]
        return not nxt.punct and nxt.norm.startswith("ال") and strip_article(nxt.norm) in self.words("name_changing_words")

    def _common_noun_here(self, j: int) -> bool:
        """True when the one-word name at j is one of ``common_noun_names`` (a group named by a common noun:
        القاعدة, الشباب) and a definite adjective follows it, as it follows the noun, not the name."""
        if j + 1 >= len(self.t) or not self.has_word_at(j, "common_noun_names"):
            return False
        nxt = self.t[j + 1]
        return not nxt.punct and nxt.norm.startswith("ال") and nxt.norm.endswith(("ي", "يه")) and len(nxt.norm) >= 5

    def _after_non_actor_head(self, i: int) -> bool:
        """True when a sport, business or culture head noun stands right before token i (المنتخب السعودي)."""
        heads = self.words("non_actor_heads")
        k = i - 1
        while k >= 0 and i - k <= 3 and not self.t[k].punct:
            if _has(self.t[k], heads):
                return True
            if not (self.t[k].norm.startswith("ال") and self.t[k].norm.endswith(("ي", "يه"))):
                return False
            k -= 1  # «الفرق الرياضية الأوروبية»: past the adjectives between
        return False

    def _named_overlap(self, i: int, j: int) -> bool:
        """True when a named (non-generic) gazetteer name starts inside [i+1, j] and ends after j."""
        for q in range(i + 1, j + 1):
            for end, keys, _ in _trie_matches(self.t, q, self.lex.name_trie):
                assert isinstance(keys, tuple)
                if end > j and not self.lex.actors[keys[0]].generic:
                    return True
        return False

    def _pick(self, keys: tuple[str, ...], i: int, first: str) -> str:
        """Of a name's readings (روسيا the state, روسيا the place), the place after a locative preposition."""
        if len(keys) == 1:
            return keys[0]
        places = [k for k in keys if k.startswith("place:")]
        actors = [k for k in keys if not k.startswith("place:")]
        if not places or not actors:
            return keys[0]
        tok = self.t[i]
        locative = self.words("locative_preps")
        prev = self.t[i - 1] if i > 0 else None
        if prev is not None and not prev.punct and (prev.norm in locative or prev.norm.lstrip("وف") in locative):
            return places[0]
        if "ب" in clitics_before(tok.norm, first):
            return places[0]
        return actors[0]

    def _nisba_of(self, tok: Token) -> str | None:
        for k in tok.keys:
            if k in self.lex.nisba:
                return self.lex.nisba[k]
            if k.startswith("ال") and k[2:] in self.lex.nisba:
                return self.lex.nisba[k[2:]]
        return None

    def _nisba_actor(self, state_key: str, head: dict[str, Any]) -> Actor:
        state = self.lex.actors[state_key]
        if head["type"] == "Place":
            # «الأراضي السورية»: the country as a place
            return self.lex.actors.get(f"place:{state.slug}", state)
        key = f"actor:{state.slug}-{head['suffix']}"
        if key in self.lex.actors:
            return self.lex.actors[key]
        label_en = f"{state.label_en} {head['en']}" if state.label_en else None
        nisba_adj = self._nisba_label(state_key)
        label_ar = f"{head['ar']} {nisba_adj}" if nisba_adj else head["ar"]
        return Actor(key, head["type"], label_ar, label_en, (), None, False)

    def _nisba_label(self, state_key: str) -> str | None:
        forms = sorted(f for f, k in self.lex.nisba.items() if k == state_key and f.endswith("ه"))
        return "ال" + forms[0][:-1] + "ة" if forms else None

    def quoted_names(self) -> None:
        """A quoted span that starts with an organisation head noun names an actor of that type."""
        if not self.quoted:
            return
        org_heads = self._org_heads()
        for i, j in self._quote_pairs(9):
            a, b = i + 1, j - 1
            if self.free(a, b) and not any(t.punct for t in self.t[a : b + 1]):
                head = next((org_heads[k] for k in self.t[a].keys if k in org_heads), None)
                if head is not None and b > a:
                    name = self.s.text[self.t[a].start - self.s.start : self.t[b].end - self.s.start]
                    self.add(a, b, self.discovered(head, name), "pattern")

    def org_heads(self) -> None:
        """``فصيل "X"`` or ``حركة X`` (definite words): an organisation of the head's type."""
        org_heads = self._org_heads()
        if org_heads.keys().isdisjoint(self.keyset):
            return
        need_quotes = self.words("org_heads_needing_quotes")
        heads = org_heads.keys()
        for i in [i for i, tok in enumerate(self.t[:-1]) if not heads.isdisjoint(tok.keys)]:
            tok = self.t[i]
            if self.taken[i] or tok.punct:
                continue
            head = next((org_heads[k] for k in tok.keys if k in org_heads), None)
            if head is None:
                continue
            nxt = i + 1
            if is_quote(self.t[nxt]):
                j = nxt + 1
                while j < len(self.t) and not is_quote(self.t[j]) and j - nxt <= 6:
                    j += 1
                if j < len(self.t) and is_quote(self.t[j]) and j > nxt + 1 and self.free(nxt + 1, j - 1):
                    if not any(t.punct for t in self.t[nxt + 1 : j]):
                        name = self._span(nxt + 1, j - 1)
                        self.add(nxt + 1, j - 1, self.discovered(head, name), "pattern")
                continue
            if _has(tok, need_quotes):
                continue
            if _has(tok, self.words("person_nouns")) and not self._ordinal_at(nxt):
                continue  # «اللواء السعيد» is General al-Saeed; «اللواء الثالث» is a brigade
            j = nxt
            while j < len(self.t) and j - nxt < 2 and not self.taken[j] and self.t[j].norm.startswith("ال") and self.is_name_word(self.t[j], False) and self._nisba_of(self.t[j]) is None:
                if _has(self.t[j], self.words("not_place_names")):
                    break
                j += 1
            if j > nxt and any(k.startswith("ال") for k in tok.name_keys) and self._descriptive(nxt):
                continue  # «الجماعة المتشددة», «الحزب الحاكم»: a description of an actor named elsewhere
            if j > nxt:
                cut = len(tok.text) - len(clean_name(tok.text))  # «للجيش الوطني» is «الجيش الوطني»
                if cut or clean_name(tok.text) != tok.text:
                    start = tok.start + cut
                    name = self.s.text[start - self.s.start : self.t[j - 1].end - self.s.start]
                    self.add(i, j - 1, self.discovered(head, name), "pattern", start=start, proclitic=tok.norm[:cut])
                else:  # «لحركة النهضة» is «حركة النهضة»
                    self._add_headed(i, j - 1, head, *self._proclitic_cut(tok, heads))

    def quoted_targets(self) -> None:
        """«تمكنت من تحرير "القلعة القديمة" و"محكمة موزع"»: quoted names after a capture or attack are places."""
        if not self.quoted:
            return
        after_place = False
        for i, j in self._quote_pairs(6):
            if not self.free(i + 1, j - 1):
                inside = next((m for m in self.mentions if m.first_token == i + 1), None)
                after_place = inside is not None and inside.type == "Place"
                continue
            k = i - 1
            joined = k >= 0 and self.t[k].norm in ("و", "،") and after_place
            words = self.t[i + 1 : j]
            clause = any({"negators", "stopwords"} & self.lex.lists_of((t.norm,)) for t in words)
            if k >= 0 and (self.cue_at(self.t[k], _PLACE_CUE_RELATIONS) or joined) and not any(t.punct for t in words) and not clause:
                self.add(i + 1, j - 1, self.discovered("Place", self._span(i + 1, j - 1)), "pattern")
                after_place = True
            else:
                after_place = False

    def loyal_forces(self) -> None:
        """«القوات الموالية للحكومة», «القوات التابعة للاتحاد الإفريقي»: forces named by whom they are loyal or
        belong to (the head is the mention; the cue after it states the relation)."""
        heads = self.lex.derived("force_heads", lambda: {
            strip_article(normalize(k)): v for k, v in self.lex.patterns.get("force_heads", {}).items()
        })
        loyal = self.words("loyal_words")
        if heads.keys().isdisjoint(self.keyset):
            return
        firsts = heads.keys()
        for i in [i for i, tok in enumerate(self.t[:-2]) if not firsts.isdisjoint(tok.keys)]:
            tok = self.t[i]
            # a generic word the gazetteer read («المسلحين») is the head of the more specific name
            generic = next((m for m in self.mentions if m.first_token == i == m.last_token and m.source == "gazetteer"
                            and (a := self.lex.actors.get(m.actor)) is not None and a.generic), None)
            if tok.punct or (self.taken[i] and generic is None):
                continue
            typ = next((heads[k] for k in tok.keys if k in heads), None)
            if typ is None:
                continue
            j = i + 1
            if not self.taken[j] and not _has(self.t[j], loyal) and self.t[j].norm.startswith("ال") and j + 1 < len(self.t):
                j += 1  # an adjective between: القوات العسكرية الموالية
            if self.taken[j] or not _has(self.t[j], loyal):
                continue
            reach = (j + 1, j + 2) if j + 2 < len(self.t) and (is_quote(self.t[j + 1]) or self.t[j + 1].norm in ("ل", "لـ")) \
                else (j + 1,)
            target = next((m for m in self.mentions if m.first_token in reach), None)
            if target is None:
                continue
            start, pro = tok.start, ""
            if tok.norm[:1] in ("و", "ف") and tok.norm not in heads:
                cut = len(tok.text) - len(_CONJUNCTION_RE.sub("", tok.text, count=1))  # «وانفصاليين موالين لروسيا»
                start, pro = start + cut, tok.norm[0]
            name = self.s.text[start - self.s.start:target.end - self.s.start]
            if generic is not None:
                self.mentions.remove(generic)
                self.taken[i] = False
            self.add(i, j - 1, self.discovered(typ, name), "pattern", start=start, proclitic=pro)

    def facilities(self) -> None:
        """``مستشفى الثورة العام``, ``مطار الحديدة``: a facility noun and its name is a place.

        The conjunction or preposition written on the noun is not part of the name
        («بمستشفى بقيق» is مستشفى بقيق). A definite noun with a descriptive adjective names
        no particular place («المعسكر الاستراتيجي»); one with a country's adjective does
        («السفارة الروسية»).
        """
        heads = self.words("facility_nouns")
        if heads.isdisjoint(self.keyset):
            return
        not_names = self.words("not_place_names")
        for i, tok in enumerate(self.t[:-1]):
            if tok.punct or self.taken[i] or not _has(tok, heads):
                continue
            if self._after_non_actor_head(i):
                continue  # «سهم مجمع …»: a listed company, not a place
            cut, prefix, pro = self._proclitic_cut(tok, heads)
            definite = tok.norm[len(pro):].startswith(("ال", "لل")) or prefix == "ا"
            j = i + 1
            if is_quote(self.t[j]):
                k = j + 1
                while k < len(self.t) and not is_quote(self.t[k]) and k - j <= 5:
                    k += 1
                if k < len(self.t) and is_quote(self.t[k]) and k > j + 1 and self.free(j + 1, k - 1):
                    self._add_headed(i, k, "Place", cut, prefix, pro)
                continue
            named = next((m for m in self.mentions if m.first_token == j and m.type not in ("Place", "Person", "State")
                          and m.source == "gazetteer" and not m.proclitic), None)
            if named is not None and not definite:
                # «مستشفى الحرس الوطني»: a facility named after an organisation is a place, not the organisation
                self.mentions.remove(named)
                for x in range(named.first_token, named.last_token + 1):
                    self.taken[x] = False
                self._add_headed(i, named.last_token, "Place", cut, prefix, pro)
                continue
            known = next((m for m in self.mentions if m.first_token == j and m.type == "Place"), None)
            if known is not None:
                if known.proclitic or definite:
                    continue  # «مطار باليونان»: a place with a preposition is where, not the name
                # مطار الحديدة: a facility of a known place, which it lies in
                self.mentions.remove(known)
                for x in range(known.first_token, known.last_token + 1):
                    self.taken[x] = False
                facility = self._add_headed(i, known.last_token, "Place", cut, prefix, pro)
                self.facility_in.append((facility.actor, known.actor))
                continue
            end = j
            while end < len(self.t) and end - j < 3 and not self.taken[end] and self.is_name_word(self.t[end], False) \
                    and self.t[end].norm.startswith("ال") and not _has(self.t[end], not_names):
                word = self.t[end].norm
                if definite and self._nisba_of(self.t[end]) is None:
                    break  # «المعسكر الاستراتيجي», «السجن المركزي»: a description, not a name
                if word.endswith(("ين", "ون")) and end > j:
                    break  # «السجن المحكومين»: a plural noun or adjective starts a new phrase
                if _has(self.t[end], self.words("non_actor_heads")):
                    break  # «معسكر الفريق»: a team's camp, not a named place
                if end > j and self.t[end - 1].norm.endswith(("ي", "يه")) and not word.endswith(("ي", "يه")):
                    break  # «مطار الثعلة العسكري الخاصرة»: a noun after the name's adjective
                end += 1
            if end > j:
                self._add_headed(i, end - 1, "Place", cut, prefix, pro)

    def _descriptive(self, k: int) -> bool:
        """True when token k is an adjective that describes rather than names (المتشددة, الحاكم, الحكومي)."""
        n = self.t[k].norm
        return (n.startswith("المت") and len(n) >= 7) or strip_article(n) in self.words("descriptive_adjectives")

    def _ordinal_at(self, k: int) -> bool:
        """True when token k is a number or an ordinal adjective (الثالث, 55)."""
        if k >= len(self.t):
            return False
        tok = self.t[k]
        return tok.norm[:1].isdigit() or strip_article(tok.norm) in self.words("ordinals")

    def _proclitic_cut(self, tok: Token, heads: Container[str]) -> tuple[int, str, str]:
        """The conjunction or preposition written on a head noun: (characters to cut, letters to put back, normalised clitics).

        «بمستشفى» cuts ب; «للجامعة» cuts one ل and puts back the alef of the article.
        """
        key = next((k for k in tok.keys if k in heads), None)
        if key is None:
            return 0, "", ""
        pro = clitics_before(tok.norm, key)
        if pro.endswith("ال"):
            pro = pro[:-2]
        elif pro.endswith("لل"):
            return _letters_cut(tok.text, len(pro) - 1), "ا", pro[:-1]
        if len(tok.norm) - len(pro) < 2:
            return 0, "", ""
        return _letters_cut(tok.text, len(pro)), "", pro

    def _add_headed(self, i: int, j: int, type_: str, cut: int, prefix: str, pro: str) -> Mention:
        """Add tokens i..j as a discovered actor named from its head noun on, without the clitics before it."""
        start = self.t[i].start + cut
        name = prefix + self.s.text[start - self.s.start : self.t[j].end - self.s.start]
        return self.add(i, j, self.discovered(type_, name), "pattern", start=start, proclitic=pro)

    def place_nouns(self) -> None:
        """``مدينة X``, ``بلدات X وY``, ``جبهة "X"``: places named after a place noun."""
        place_nouns = self.words("place_nouns")
        named_only = self.words("place_nouns_named_only")
        not_names = self.words("not_place_names")
        starters = self.words("compound_place_starters")
        enumeration = self.words("enumeration_heads")
        if place_nouns.isdisjoint(self.keyset):
            return
        spellings = self.lex.derived("place_noun_spellings", lambda: self._spellings("place_nouns"))
        for i, tok in enumerate(self.t[:-1]):
            if tok.punct or not _has(tok, place_nouns):
                continue
            if not any(_spelled_as(tok, k, spellings[k]) for k in tok.keys if k in spellings):
                continue  # «وأدى» (and it led) folds into «وادي» (valley): the hamza it writes is not the noun's
            j = i + 1
            quoted = is_quote(self.t[j])
            if quoted:
                j += 1
            elif _has(tok, named_only):
                continue  # وسط / محيط / شمال introduce a place only when it is known or quoted
            elif tok.norm.lstrip("وفبل").startswith("ال") or tok.norm.startswith("لل"):
                continue  # «المدينة» with the article points back to a place; no name follows it
            while True:
                if j >= len(self.t) or self.taken[j] or not self.is_name_word(self.t[j], True):
                    break
                if _place_noun(self.t[j], place_nouns) or (self.t[j].norm.startswith("و") and (self.t[j].norm[1:],) not in self.lex.names
                                                    and _has(self.t[j], place_nouns | not_names)):
                    break
                word = self.t[j]
                plural = _has(tok, enumeration)
                if not quoted and (
                    _has(word, not_names) or word.norm.startswith(("بال", "لل", "كال", "وال", "فال"))
                    or self._nisba_of(word) is not None
                    or (word.norm.startswith("ال") and word.norm.endswith(("يه", "ي", "يين", "يون")))
                    or (not word.norm.startswith("ال") and word.norm.endswith("يه") and len(word.norm) >= 5)
                    or (plural and (word.norm.endswith("ه") and not word.norm.startswith("ال")
                                    or word.norm.startswith("ال") and word.norm.endswith("ات")))
                    or (len(word.norm) >= 5 and word.norm.endswith(("هم", "هما", "هن", "كم")))
                ):
                    break  # an adjective or a common noun, not a name: المناطق السكنية, مناطق أخرى, مناطق مدنية
                end = j
                while (_has(self.t[end], starters) or quoted) and end - j < 2 and end + 1 < len(self.t) \
                        and not self.taken[end + 1] and self.is_name_word(self.t[end + 1], False):
                    end += 1  # «خان بني سعد»: a compound name runs on while a word of it opens one
                    if quoted:
                        break
                if not quoted and end == j and self._second_name_word(j + 1):
                    end += 1  # «جبل مون روايال», «مطار بنظير بوتو»: a foreign name of two words
                if quoted and (end + 1 >= len(self.t) or not is_quote(self.t[end + 1])):
                    break
                name = self._span(j, end)
                if j == end and not quoted and self.t[j].norm in self.words("personal_names"):
                    # «مدينة عيسى» is Isa Town, not عيسى: a lone personal name keeps its head noun
                    cut, prefix, _ = self._proclitic_cut(tok, place_nouns)
                    name = prefix + self.s.text[tok.start + cut - self.s.start : self.t[end].end - self.s.start]
                # the mention keeps its head noun («بلدة مسرابا»): the most complete form as written;
                # the place itself is named without it, so «مسرابا» alone is the same place
                head_first = i if (j == i + 1 and not _has(tok, self.words("enumeration_heads"))) else j
                self.add(head_first, end, self.discovered("Place", name), "pattern",
                         proclitic=tok.norm[: len(tok.norm) - len(tok.norm.lstrip("وفبل"))] if head_first == i else "")
                # a list of places after a plural head: بلدات الحارة وسملين وزمرين
                k = end + 1
                while plural and k < len(self.t):
                    if self.t[k].norm == "و":
                        k += 1
                    if k >= len(self.t) or not self.t[k].norm.startswith("و") or len(self.t[k].norm) <= 2 or self.taken[k]:
                        break
                    nxt = self.t[k]
                    if not self.is_name_word(nxt, True) or _place_noun(nxt, place_nouns) or _has(nxt, not_names):
                        break
                    stem = nxt.norm[1:]
                    if len(stem) < 3 or stem[0] in "يت" and len(stem) >= 5 and (stem[1] == "ت" or stem[2] == "ا"):
                        break  # «وتحاول»: a verb, not another place of the list
                    cut = _letters_cut(nxt.text, 1)
                    self.add(k, k, self.discovered("Place", nxt.text[cut:]), "pattern", start=nxt.start + cut, proclitic="و")
                    k += 1
                break

    def _spellings(self, name: str) -> dict[str, frozenset[str]]:
        """A word list of ``patterns.json`` as {lexicon key: its spellings as listed, without diacritics or article}."""
        out: dict[str, set[str]] = {}
        for word in self.lex.patterns.get(name, []):
            key, letters = lexicon_key(word), _letters(word)
            out.setdefault(key, set()).add(letters[len(letters) - len(key):])
        return {k: frozenset(v) for k, v in out.items()}

    def _second_name_word(self, k: int) -> bool:
        """True when token k, after a one-word place name, can only be the second word of that name.

        An indefinite word that is no particle, verb, adjective, place noun or known name
        («سان موريتز», «نايتس بريدج»); a word with the article, a clitic, a verb's or adjective's
        ending or a comma ends the name.
        """
        if k >= len(self.t) or self.taken[k]:
            return False
        tok = self.t[k]
        n = tok.norm
        if tok.punct or len(n) < 3 or n.startswith(("ال", "و", "ف", "ب", "ل", "ك", "ي", "ت", "س")) \
                or n.endswith(("ت", "ه", "ا", "ون", "ين", "ان")) or not self.is_name_word(tok, False):
            return False
        if _has(tok, self.words("place_nouns")) or _has(tok, self.words("not_place_names")) or self._nisba_of(tok):
            return False
        return not self.lex.lists_of(tok.keys) and not any(k in self.lex.name_trie for k in tok.name_keys)

    def titles(self) -> None:
        """A title (``الناطق باسم``, ``الرئيس``, ``وزير``), an organisation or nisba, then a personal name.

        Also the appositive order, the name right before the title (after a comma or not):
        ``NAME، الأمين العام لـ ORG``, ``NAME المتحدث باسم ORG``. When no organisation is found after
        the title (``NAME المتحدث باسم شرطة المدينة``), the name is still a Person, with no role.
        """
        title_keys = self.lex.derived("title_keys", lambda: sorted(
            ((tuple(strip_article(normalize(w)) for w in k.split()), v)
             for k, v in self.lex.patterns.get("person_titles", {}).items()),
            key=lambda kv: -len(kv[0]),
        ))
        person_nouns = self.words("person_nouns")
        role_words = self.lex.derived("role_words_and_heads", lambda: self.words("role_words") | frozenset(
            strip_article(normalize(k)) for k in self.lex.patterns.get("org_heads", {})
        ))
        locative = self.words("locative_preps")
        first_words = self.lex.derived("title_first_keys", lambda: frozenset(w[0] for w, _ in title_keys))
        triggers = self.lex.derived("title_triggers", lambda: first_words | person_nouns)
        # «المتحدث» alone is a title, «متحدث» alone is not (لمتحدث حكومي توضيح): a key written with the
        # article and no indefinite twin matches only a word with the article
        definite_only = self.lex.derived("definite_only_titles", lambda: frozenset(
            tuple(strip_article(normalize(w)) for w in k.split()) for k in self.lex.patterns.get("person_titles", {})
            if " " not in k and normalize(k).startswith("ال") and normalize(k)[2:] not in {
                normalize(x) for x in self.lex.patterns.get("person_titles", {})}))
        later_words: dict[str, frozenset[str]] = self.lex.derived("title_later_words", lambda: {
            w[0]: frozenset(x for v, _ in title_keys if v[0] == w[0] for x in v[1:]) for w, _ in title_keys})
        for i in [i for i, tok in enumerate(self.t) if not triggers.isdisjoint(tok.keys)]:  # a title starts here
            tok = self.t[i]
            if tok.punct or self.taken[i]:
                continue
            relation = None
            joined = False
            bare = False
            j = i
            for words, rel in title_keys if not first_words.isdisjoint(tok.keys) else ():
                n = len(words)
                if i + n <= len(self.t) and all(
                    words[k] in (self.t[i + k].keys if k == 0 else _inner_keys(self.t[i + k])) for k in range(n)
                ) and not (words in definite_only and not clitics_before(tok.norm, words[0]).endswith(("ال", "لل"))):
                    relation, j = rel, i + n
                    bare = words in definite_only
                    # «ووزير», «لرئيس»: a title after a conjunction or a preposition describes no name before it
                    joined = clitics_before(tok.norm, words[0]) not in ("", "ال")
                    break
            if relation is None and not _has(tok, person_nouns):
                continue
            # «وزير الصحة», «مدير الأمن»: a one-word title without the article is in construct state, and
            # the definite word right after it, its portfolio, is part of the title
            construct = relation is not None and j == i + 1 and not clitics_before(tok.norm, words[0]).endswith(
                ("ال", "لل"))
            portfolio = False
            if relation is None:
                j = i + 1
                joined = tok.norm.startswith("و")
            # «المتحدث العسكري باسم الجيش»: a later word of a longer title of the same first word, after an
            # adjective, still belongs to the title (باسم is no given name here)
            later = later_words.get(words[0], frozenset()) if relation is not None else frozenset()
            title_end = j - 1
            org: Mention | None = None
            org_end = title_end
            # past role words, quotes, the organisation (or a nisba), and where the post is (إلى اليمن)
            while j < len(self.t):
                t = self.t[j]
                m = next((m for m in self.mentions if m.first_token == j), None)
                if m is None and relation is not None and org is None and self._nisba_of(t) is not None and not self.taken[j]:
                    m = self.add(j, j, self.lex.actors[self._nisba_of(t) or ""], "nisba")
                if m is None and relation is not None and org is None and not self.taken[j] and not t.punct \
                        and j + 1 < len(self.t) and _has(self.t[j + 1], person_nouns):
                    m = self._head_anaphor(j, True)  # «المتحدث باسم الجيش العقيد X»: the army the text is about
                adjective = (m is None and org is None and not t.punct and t.norm.startswith("ال")
                             and t.norm.endswith(("ي", "يه")) and self._nisba_of(t) is None)  # المنسق الإنساني لـ…
                if m is None and (is_quote(t) or _has(t, role_words) or adjective or (t.norm in ("،", ",") and org is not None)
                                  or (org is None and not self.taken[j] and _has(t, later))):
                    j += 1
                    continue
                if m is None and construct and not portfolio and j == title_end + 1 and not self.taken[j] and not t.punct \
                        and _definite(t) and len(t.norm) >= 4 and not _has(t, person_nouns):
                    portfolio = True  # «وزيرة العدل الإسرائيلية ايليت شاكيد»
                    j += 1
                    title_end += 1
                    continue
                if m is not None and org is None and relation is not None and m.type != "Person":
                    org = m  # an organisation, or a state named as a place (وزير خارجية روسيا)
                    j = org_end = m.last_token + 1
                    org_end -= 1
                    if m.first_token > 0 and is_quote(self.t[m.first_token - 1]):
                        while j < len(self.t) and not is_quote(self.t[j]) and j - m.last_token < 8:
                            j += 1  # «رئيس "المركز الروسي للمصالحة بين …"»: the quoted name runs on
                    continue
                if m is not None and m.type == "Place" and org is not None and j - 1 >= 0 and (
                    _has(self.t[j - 1], locative) or m.proclitic.strip("وف")[:1] in ("ب", "ل")
                ):
                    j = m.last_token + 1  # المبعوث الأممي إلى اليمن
                    continue
                if m is None and org is not None and _has(t, locative) and j + 1 < len(self.t):
                    nxt = next((x for x in self.mentions if x.first_token == j + 1 and x.type == "Place"), None)
                    if nxt is not None:
                        j = nxt.last_token + 1
                        continue
                if _has(t, person_nouns) and not self.taken[j]:
                    j += 1
                    continue
                break
            phrase = " ".join(strip_article(self.t[x].norm) for x in range(i, j) if not self.t[x].punct)
            # «محمد عبد السلام الناطق الرسمي باسم جماعة الحوثي»: a person right before the title (no comma,
            # the title not opening a new list item with و) is the one it describes
            adjacent = next((m for m in self.mentions if m.last_token == i - 1 and m.type == "Person"), None)
            before_title = i - 1 if not (i >= 1 and _has(self.t[i - 1], self.words("deputy_words"))) else i - 2
            if adjacent is None and before_title != i - 1:
                adjacent = next((m for m in self.mentions if m.last_token == before_title and m.type == "Person"), None)
            if adjacent is None and relation is not None and org is not None and not joined and before_title >= 1:
                a = self._name_before(before_title)
                if a is not None:
                    adjacent = self.add(a, before_title, self.discovered("Person", self._span(a, before_title)), "pattern")
            if adjacent is not None and relation is not None and org is not None and not joined:
                self._role(adjacent.actor, relation, org, adjacent.first_token, title_end, org_end, cue_start=i)
                continue
            # the name itself: a known person, or up to three name words (not a new list item: «، وX»)
            known_person = next((m for m in self.mentions if m.first_token == j and m.type == "Person"), None)
            if known_person is not None and self.t[j].norm.startswith("و") and known_person.proclitic.startswith("و"):
                known_person = None
                if j > 0 and self.t[j - 1].text in ("،", ","):
                    j = j - 1  # let the appositive-before reading below find the name
            if known_person is not None:
                self._role(known_person.actor, relation, org, i, title_end, known_person.last_token)
                if relation is not None and org is not None:
                    self.titled.setdefault(phrase, known_person.actor)
                continue
            start = j
            j = self._name_words_end(start)
            if j > start and portfolio and not self._name_boundary(start, j):
                j = start  # «وزير الخارجية يلتقي وفدا»: after a portfolio, words running on are no name
            name = self._span(start, j - 1) if j > start else ""
            if j > start and j + 1 < len(self.t) and self.t[j].text == "#":
                # «بنيامين #نتنياهو»: the family name written as a hashtag belongs to the name
                tagged = next((m for m in self.mentions if m.first_token == j + 1 and m.type == "Person"), None)
                if tagged is not None:
                    self._role(tagged.actor, relation, org, i, title_end, tagged.last_token)
                    continue
                if not self.taken[j + 1] and self.is_name_word(self.t[j + 1], False):
                    name = f"{name} {self.t[j + 1].text}"
                    j += 2
            fresh = portfolio or bare
            if j - start == 1 and relation is not None and not (j < len(self.t) and self.t[j].punct):
                # a lone word after a title, running on into the sentence, is not a name (استغلال …); after
                # a definite title a listed given name closed by a boundary is one (وقال الرئيس هادي إن)
                fresh = True
                if construct or not self._lone_given_name(i, start):
                    j = start
            if j > start and self._name_end(start, j - 1) is None:
                j = start  # «رئيس وحدة الدراسات»: the words after the title are its complement, no name
            past = self._after_complement(start) if j == start and relation is not None else start
            after_complement = past > start
            if after_complement:
                # «رئيس مركز الدراسات الكردية في ألمانيا نواف خليل إن»: the name after the complement, two
                # name words or more, closed by a boundary
                start, fresh = past, True
                j = self._name_words_end(start)
                if j - start < 2 or self._name_end(start, j - 1) != j - 1 or not self._name_boundary(start, j):
                    j = start
                name = self._span(start, j - 1) if j > start else ""
            if j > start and fresh and not self._plain_name(start, j - 1):
                j = start
            if j > start:
                person = self.discovered("Person", name)
                self.add(start, j - 1, person, "pattern")
                self._role(person.key, relation, org, i, title_end, j - 1)
                if relation is not None and org is not None:
                    self.titled.setdefault(phrase, person.key)
                if not after_complement:
                    continue  # past a complement, the name before the title is read too (X عضو شرف النادي والأستاذ Y)
            if j == start and relation is not None and org is not None and phrase in self.titled:
                # «الرئيس اليمني» again, without the name: the person the document named with it
                person_key = self.titled[phrase]
                actor = self.known.get(person_key) or self.new.get(person_key) or self.lex.actors.get(person_key)
                if actor is not None and self.free(i, title_end):
                    last = title_end
                    if org.source == "nisba" and org.first_token == org_end:
                        self.mentions.remove(org)  # «الرئيس اليمني» is the president here, not Yemen
                        self.taken[org_end] = False
                        last = org_end
                    self.add(i, last, actor, "title")
                    continue
            # NAME، TITLE ORG: the person stands before the title
            k = i - 1
            while k >= 0 and (self.t[k].text in ("،", ",") or is_quote(self.t[k])):
                k -= 1
            before = next((m for m in self.mentions if m.last_token == k and m.type == "Person"), None)
            # with no organisation known, the title must go on with its complement («المتحدث باسم شرطة …»)
            complement = org is not None or portfolio or (title_end + 1 < len(self.t) and not self.t[title_end + 1].punct)
            commas = all(self.t[x].text in ("،", ",") for x in range(k + 1, i))  # no quote: «اسم "مدير …"»
            if before is None and relation is not None and not joined and complement and k >= 0 and not (
                    bare and org is None) and (
                    (k < i - 1 and (org is not None or commas)) or (org is None and k == before_title)):
                a = self._name_before(k)
                if a is not None:
                    before = self.add(a, k, self.discovered("Person", self._span(a, k)), "pattern")
            if before is not None and relation is not None and org is not None:
                self._role(before.actor, relation, org, before.first_token, title_end, org_end, cue_start=i)

    def _name_words_end(self, start: int) -> int:
        """The token after up to three name words from ``start`` (six with links: ``عبد الله بن X``)."""
        j = start
        while j < len(self.t) and (j - start < 3 or (j - start < 6 and any(
                self.t[x].norm in _NAME_LINKS for x in range(start, j))) or (j - start == 3 and self.t[j].norm == "الله")) \
                and not self.taken[j] and (self.is_name_word(self.t[j], j == start)
                                           or (j > start and self.t[j].norm == "الله")
                                           or (j > start and self.t[j - 1].norm in ("عبد", "ال") and not self.t[j].punct)):
            if j == start and self.t[j].norm.startswith("ال"):
                break
            if self.t[j].norm == "الله" or (j > start and self.t[j - 1].norm in ("عبد", "ال")):
                j += 1
                continue
            if self._nisba_of(self.t[j]) is not None and j > start:
                break
            j += 1
        return j

    def _name_boundary(self, start: int, j: int) -> bool:
        """True when the name words start..j-1 are closed at token j: the end, punctuation, «إن/أن», a word
        the lists know (a preposition, a verb of saying, a time word) or a verb; not another plain word,
        which may still belong to the name or show that the words are a phrase (يلتقي وفدا)."""
        if j >= len(self.t):
            return True
        tok = self.t[j]
        given = self.words("personal_names")
        if self.taken[j] or tok.punct or is_quote(tok) or _has(tok, self.words("complementizers")) \
                or not self.is_name_word(tok, False) or self._not_name_word(tok, False, given):
            return True
        if tok.norm in given or tok.norm.startswith("ال") or j - start >= 3:
            return False  # «نواف خليل حسن», «X Y الجديد»: the words may run on
        return self._not_name_word(tok, True, given)

    def _lone_given_name(self, i: int, a: int) -> bool:
        """True when the one word at token a, after the definite title at token i, is a personal name:
        a listed given name closed by a boundary, not the start of a longer name (الرئيس جون بايدن),
        not the title of a facility (جامعة الأمير سلطان), not the last word of a person named before,
        whom «الرئيس هادي» names again (left to :meth:`surnames`)."""
        tok = self.t[a]
        if tok.norm not in self.words("personal_names") or not self._name_boundary(a, a + 1):
            return False
        nxt = self.t[a + 1] if a + 1 < len(self.t) else None
        if nxt is not None and (nxt.norm in _NAME_LINKS or nxt.norm in _NAME_PARTICLES or any(
                m.first_token == a + 1 and m.type == "Person" for m in self.mentions)):
            return False
        prev = self.t[i - 1] if i > 0 else None
        if prev is not None and not prev.punct and (
                _letters(prev.text).endswith("ة") or not self._name_blocking_heads().isdisjoint(prev.keys)):
            return False
        for m in [*self.recent[-_ANAPHORA_REACH:], *self.mentions]:
            if m.type == "Person" and tok.norm in {t.norm for t in tokenize(m.text)}:
                return False
        return True

    def _plain_name(self, a: int, b: int) -> bool:
        """True when the words a..b, read as a name by a reading that has less to go on (after a
        portfolio, a complement or a bare «المتحدث»), have no shape of other words: no quote before
        them, no conjunction inside (مهم وكبير), no adverbial accusative (وطنيا, اعتبارا), no preposition
        on a participle or a plural (بمشروع, لفعاليات), no verbal noun إفعال first (إحباط), and not two
        definite words at the end (النفيعي اللجان)."""
        given = self.words("personal_names")
        if (a > 0 and is_quote(self.t[a - 1])) or (b - a >= 2 and b + 1 < len(self.t) and is_quote(self.t[b + 1])):
            return False  # «"دور السعودية" مهم», «المهندس حامد X مهرجان "العيد"»: a noun before a quoted name
        for x in range(a, b + 1):
            n = self.t[x].norm
            if n in given:
                continue
            if (x > a and n.startswith("و")) or (n.endswith("ا") and len(n) >= 4 and (
                    n[-2] == "ي" or _derived_noun_shape(n[:-1]) or n[:-1] in self._title_words())):
                return False
        first = self.t[a].norm
        if first not in given and ((first[0] in "بل" and (first[1:2] in ("م", "ت") or first.endswith("ات")))
                                   or (len(first) == 5 and first[0] == "ا" and first[3] == "ا" and first[1] not in "يو")):
            return False
        return not (b > a and self.t[b].norm.startswith("ال") and self.t[b - 1].norm.startswith("ال")
                    and self.t[b].norm not in given and self.t[b].norm != "الله")

    def _after_complement(self, k: int) -> int:
        """The token after the complement of a title that starts at token k, or k when none is read there.

        «رئيس مركز الدراسات الكردية في ألمانيا نواف خليل»: indefinite nouns each with the definite word
        or known actor they govern, adjectives, and a preposition with what it governs (في ألمانيا);
        the first indefinite word after a definite one ends the complement, where a name may start.
        """
        locative = self.words("locative_preps")
        given = self.words("personal_names")
        x, definite = k, False
        while x < len(self.t) and x - k < 8:
            tok = self.t[x]
            m = next((m for m in self.mentions if m.first_token == x), None)
            if self.taken[x]:
                if m is None or m.type == "Person" or (m.type == "Place" and self.t[x].norm in given):
                    return k  # «صلاح الدين عبد الكريم»: a place named like a person may open the name
                x, definite = m.last_token + 1, True
                continue
            if tok.punct or is_quote(tok):
                return k
            if _definite(tok):
                x, definite = x + 1, True
                continue
            if _has(tok, locative):
                x, definite = x + 1, False  # في: a noun follows, definite or in construct
                continue
            if definite:
                return x if x > k else k
            nxt = self.t[x + 1] if x + 1 < len(self.t) else None
            governs = nxt is not None and not nxt.punct and (
                any(m.first_token == x + 1 and m.type != "Person" for m in self.mentions) if self.taken[x + 1]
                else _definite(nxt))
            if not governs or self.cue_at(tok) or {"stopwords", "clause_openers", "negators", "auxiliaries", "time_words",
                                                    "number_words", "complementizers", "modal_particles"} \
                    & self.lex.lists_of(tok.keys):
                return k  # an indefinite noun of the complement governs the definite word or actor after it
            x += 1
        return k

    def _name_before(self, k: int) -> int | None:
        """The first token of a personal name that ends at token k, right before an appositive title, or None.

        Two to six tokens, at most four of them names besides links (``عبد``, ``بن``) and the second word
        of a compound given name (``عبد الله``); a definite word only at the end or after a link. A verb
        or a definite noun before the name is left out, and so are the words before a given name
        (``وقف حامد X``); a noun in ة, an organisation or place head, or a nisba before the name governs
        it (``صحيفة X``), and words not opened by a given name right after a preposition
        (``noun_governing_preps``: ``على حد قول``, ``في عهد X``) are a noun phrase: no name then.
        """
        given = self.words("personal_names")

        def is_given(tok: Token) -> bool:
            return tok.norm in given or (tok.norm[:1] in ("و", "ف") and tok.norm[1:] in given)  # «وخالد»

        heads = self._name_blocking_heads()

        def inside(x: int) -> bool:
            tok = self.t[x]
            n = tok.norm
            if self.taken[x] or tok.punct or not self.is_name_word(tok, False):
                return False
            if n in given:
                return True
            compound = x > 0 and self._not_name_word(tok, False, given) and self._name_end(x - 1, x) == x
            if self._not_name_word(tok, False, given) and not compound:
                return False  # a word that is never a name (قال, الحكومية) or has a pronoun on it
            if x < k and n.startswith("ال") and not compound and not (x > 0 and self.t[x - 1].norm in _NAME_LINKS):
                return False  # «الجيش X»: a definite word inside the name only after a link (عبد الرؤوف)
            if (x < k and _letters(tok.text).endswith("ة")) or not heads.isdisjoint(tok.keys):
                return False  # «حكومة X», «موقع»: a noun in ة or a head noun inside the words is no name
            if _derived_noun_shape(n) or (n[0] in "لب" and _derived_noun_shape(n[1:])):
                return False  # «موعد انتخاب الرئيس», «لاختيار رئيس»: a verbal noun governs the title
            return not (n[0] == "و" and len(n) >= 4 and n[1:] not in given)  # «وتهاني»: a conjunction joins two nouns

        if not inside(k):
            return None
        s = k
        while s - 1 >= 0 and k - s < 6 and inside(s - 1):
            s -= 1
        if s - 1 >= 0 and inside(s - 1):
            return None  # a run of more than six name-like words: where the name starts is not known
        b = self.t[s - 1] if s > 0 else None
        if b is not None and not self.taken[s - 1] and not b.punct and (
                _letters(b.text).endswith("ة") or not heads.isdisjoint(b.keys)):
            return None  # «لإعادة إرساء X», «خليفة X»: a noun in ة or a head noun governs the words, or opens the name
        a = s
        while a < k and (self._not_name_word(self.t[a], True, given) or self.t[a].norm.startswith("ال")):
            tok = self.t[a]
            if _letters(tok.text).endswith("ة") or not heads.isdisjoint(tok.keys) or self._nisba_of(tok) is not None:
                return None  # «صحيفة X Y», «جيش X»: a noun that governs the words after it
            if tok.norm in _NAME_LINKS:
                return None  # a name opened by «بن»: its first name was read as something else
            a += 1  # a verb or a definite noun before the name (وقال, المهندس)
        opened = is_given(self.t[a]) or self.t[a].norm in _NAME_LINKS
        if not opened:
            # «وقف حامد البلوي», «تحت ظل تيد كيندي»: the words before a given name govern the name
            x = a + 1
            while x < k and not is_given(self.t[x]) and self.t[x].norm not in _NAME_LINKS:
                x += 1
            if x < k and is_given(self.t[x]):
                a, opened = x, True
        if a == k:
            return None  # one word alone may be anything
        if not opened and a > 0 and _has(self.t[a - 1], self.words("noun_governing_preps")):
            return None  # «على حد قول», «في عهد X»: a preposition governs a noun phrase
        names = sum(1 for x in range(a, k + 1) if self.t[x].norm not in _NAME_LINKS
                    and not (x > a and self._not_name_word(self.t[x], False, given)))
        if names > 4 or self._name_end(a, k) != k:
            return None
        return a

    def reported_speakers(self) -> None:
        """«وقال فالح ناصر إن …», «وأكد عبد الرحمن النعيمي أن …»: right after a verb of saying, a personal
        name opened by a given name (``personal_names``) and closed by «أن/إن», a comma, a colon or a
        quote is the speaker, a Person, though no title stands beside it."""
        verbs = self.lex.derived("report_verbs", lambda: frozenset(
            cue.words[0] for cues in self.lex.cues.values() for cue in cues
            if cue.kind == "report" and cue.pos == "verb" and len(cue.words) == 1))
        given = self.words("personal_names")
        closers = self.words("complementizers")
        for i in range(len(self.t) - 3):
            tok = self.t[i]
            if not any(k in verbs or (k.endswith("ت") and k[:-1] in verbs) for k in tok.keys):
                continue
            a = i + 1
            first = self.t[a]
            if self.taken[a] or len(first.norm) < 3 or not self.is_name_word(first, True) \
                    or self._not_name_word(first, True, given) or not (
                        first.norm in given or first.norm in ("عبد", "ابو") or self.t[a + 1].norm in given):
                continue  # «قال لي», «قال متحدث باسم», «أكد المصمم ناصر …»: no name opens here
            b = a
            while b + 1 < len(self.t) and b - a < 3 and not self.taken[b + 1] and not self.t[b + 1].punct \
                    and self.t[b + 1].norm not in closers and (self.t[b].norm in _NAME_LINKS or (
                        self.is_name_word(self.t[b + 1], False) and not self._not_name_word(self.t[b + 1], False, given))):
                b += 1
            end = b + 1 < len(self.t) and (self.t[b + 1].text in ("،", ",", ":") or is_quote(self.t[b + 1])
                                             or self.t[b + 1].norm in closers)
            if b == a or not end or self.t[b].norm in _NAME_LINKS:
                continue
            self.add(a, b, self.discovered("Person", self._span(a, b)), "pattern")

    def aged_people(self) -> None:
        """«واعتقل راندولف بروس اداير (70 عاما)», «ريموند لوسانو، 24 عاما،»: the words right before an age
        between brackets or commas are a personal name when :meth:`_name_before` reads one there."""
        ages = self.words("age_words")
        for i in range(2, len(self.t) - 2):
            tok, opener, closer = self.t[i], self.t[i - 1], self.t[i + 2]
            if not tok.norm[:1].isdigit() or not _has(self.t[i + 1], ages):
                continue
            if not ((opener.text == "(" and closer.text == ")")
                    or (opener.text in ("،", ",") and (closer.text in ("،", ",") or is_quote(closer)))):
                continue
            k = i - 2
            if self.taken[k] or self.t[k].punct:
                continue
            a = self._name_before(k)
            if a is None or not self.free(a, k):
                continue
            prev = self.t[a - 1] if a > 0 else None
            if self.t[a].norm not in self.words("personal_names") and prev is not None and not prev.punct \
                    and not _definite(prev) \
                    and not (prev.norm[:1] in ("و", "ف") and len(prev.norm) >= 5 and not self.lex.lists_of(prev.keys)):
                continue  # «وقد فاز بلاتر (79 عاما)», «مصير نافاس»: a word before may govern, or be a verb of, the words
            self.add(a, k, self.discovered("Person", self._span(a, k)), "pattern")

    def vet_people(self) -> None:
        """Persons found by structure must be personal names: a word glued after the name is cut off,
        and a span that is a clause, a phrase or an organisation («وقدم له التهنئة», «قبول دعوة»,
        «بلدية حدودية», «شركة X») is no Person at all. Where the words cannot tell, the node is left out.
        """
        remap: dict[str, str | None] = {}
        for m in list(self.mentions):
            if m.type != "Person" or m.source != "pattern" or m.actor in self.lex.actors:
                continue
            end = self._name_end(m.first_token, m.last_token)
            first = self.t[m.first_token]
            given = self.words("personal_names")
            conj = first.norm[:1] in ("و", "ف") and first.norm[1:] in given and first.norm not in given \
                and m.start == first.start  # «وخالد العيسى»: the conjunction is not part of the name
            if end == m.last_token and not conj:
                continue
            self.mentions.remove(m)
            for x in range(m.first_token, m.last_token + 1):
                self.taken[x] = False
            if end is None:
                remap[m.actor] = None
                continue
            start, pro = m.start, m.proclitic
            if conj:
                start, pro = first.start + _letters_cut(first.text, 1), first.norm[0]
            person = self.discovered("Person", self.s.text[start - self.s.start : self.t[end].end - self.s.start])
            self.add(m.first_token, end, person, "pattern", start=start, proclitic=pro)
            remap[m.actor] = person.key
        kept = {m.actor for m in self.mentions}
        remap = {k: v for k, v in remap.items() if k not in kept}  # another mention still names it
        for key in remap:
            self.new.pop(key, None)
        if not remap:
            return
        roles = []
        for r in self.roles:
            person, org = remap.get(r.person, r.person), remap.get(r.org, r.org)
            if person is not None and org is not None:
                roles.append(RoleLink(person, r.relation, org, r.cue, r.first_token, r.last_token))
        self.roles = roles
        for phrase, key in list(self.titled.items()):
            if key in remap:
                if remap[key] is None:
                    del self.titled[phrase]
                else:
                    self.titled[phrase] = remap[key] or key

    def surnames(self) -> None:
        """«هشام عشماوي … وأضاف عشماوي»: a person named in full before is named again by the last word of the
        name alone (not a given name, not «بن»), when one person of the document so far has that last word."""
        given = self.words("personal_names")
        by_last: dict[str, set[str]] = {}
        for m in [*self.recent[-_ANAPHORA_REACH:], *self.mentions]:
            if m.type != "Person" or m.last_token == m.first_token:
                continue
            actor = self._actor(m.actor)
            name = actor.label_ar if actor is not None and m.actor in self.lex.actors else m.text
            toks = [t for t in tokenize(name) if not t.punct]
            words = [t.norm for t in toks]
            if len(words) < 2 or words[-2] in _NAME_LINKS or words[-1] in ("الله", "الدين"):
                continue  # «عبد الله», «نور الدين», «بن سلمان»: the last word is no family name alone
            if m.actor not in self.lex.actors and (words[0] not in given or any(
                    self._not_name_word(t, k == 0, given) for k, t in enumerate(toks))):
                continue  # a person the structure found, not opened by a given name, may be words («قوة الواجب»)
            last = strip_article(words[-1])
            if len(last) >= 3 and last not in given and words[-1] not in given:
                by_last.setdefault(last, set()).add(m.actor)
        if not by_last:
            return
        for i, tok in enumerate(self.t):
            if self.taken[i] or tok.punct:
                continue
            prev = self.t[i - 1] if i > 0 else None
            if prev is not None and prev.norm in given:
                continue  # «وقال سامي عشماوي»: a first name before it makes another person
            if prev is not None and not prev.punct and not is_quote(prev) and not self.lex.lists_of(prev.keys) \
                    and not self.cue_at(prev) and prev.norm[:1] not in ("و", "ف") and not prev.norm.startswith("ال"):
                continue  # «جيب بوش»: an unknown word before may be another first name
            if prev is not None and tok.norm.startswith("ال") and prev.norm.startswith(("ال", "وال")):
                continue  # «مجلس التفاهم العالمي»: a definite word after a definite noun is its adjective
            form = next((k for k in tok.name_keys if strip_article(k) in by_last), None)
            hits = by_last.get(strip_article(form), set()) if form is not None else set()
            if form is None or len(hits) != 1:
                continue
            actor = self._actor(next(iter(hits)))
            if actor is not None:
                self.add(i, i, actor, "surname", proclitic=clitics_before(tok.norm, form))

    def _name_end(self, a: int, b: int) -> int | None:
        """The last token of the personal name tokens a..b start, or None when they do not start one."""
        given = self.words("personal_names")
        first = self.t[a]
        if self._not_name_word(first, True, given):
            return None
        if a == b and first.norm[0] in "لب" and len(first.norm) >= 5 and first.norm not in given:
            return None  # one word with a preposition on it (لعرقلة, لتقديم) is no name
        end = a
        base = a + 1 if first.norm in ("عبد", "ابو") else a  # «عبد الرزاق شيما»: عبد الرزاق is one first name
        for x in range(a + 1, b + 1):
            tok, prev = self.t[x], self.t[x - 1]
            if prev.norm in _NAME_LINKS or prev.norm in _NAME_PARTICLES:
                end = x
                continue
            n = tok.norm
            if tok.text == "#":
                continue
            if n == "الله":
                end = x  # عبد الله, فضل الله, رامي الحمد الله
                continue
            if self._not_name_word(tok, False, given) or n not in given and (
                (x - base >= 2 and n.startswith("و") and len(n) > 3)
                or (x - base >= 2 and n.endswith("ه"))
                or n.startswith("وو")
                or (n.startswith("و") and n.endswith("ه") and len(n) >= 5)
                or (n[0] in ("يت" if x - base >= 2 else "ي") and 3 <= len(n) <= 4)
                or (n.startswith("و") and n[1:] in self.words("not_name_words"))
                or (x - base >= 2 and (n[0] in "بل" and len(n) >= 4 or n.endswith("ا") and len(n) >= 4))
                or (x - base >= 2 and (n.endswith("ات") or n.startswith(("سي", "ست")) and len(n) >= 5))
                or (x - base >= 2 and n.startswith("المت") and len(n) >= 6)
                or (x - base >= 2 and n.startswith(("يت", "تت", "يست", "تست")) and len(n) >= 5)  # X Y يتساءل
                or (n.startswith("ال") and n.endswith("يه"))
                or _derived_verb_shape(n)  # «جاك ديلور اقترح»: a verb after the name
                or (n[0] in "بل" and ((n[1:],) in self.lex.names or n.endswith("ه") and len(n) >= 5))
                or _has(tok, self.words("person_nouns"))
            ):
                break  # «جاك شيراك وقرينته», «ميشيل بلاتيني فكرة»: the name ended before
            end = x
        while end > a and self.t[end].norm in _NAME_LINKS | _NAME_PARTICLES:
            end -= 1  # «فيصل بن»: a name does not end with بن
        if end == a and b > a:
            return None  # one word left of a longer span: the rest was no name, nor likely is it
        if end == a and 0 < a and a + 1 < len(self.t) and is_quote(self.t[a - 1]) and is_quote(self.t[a + 1]):
            return None  # one quoted word after a title («فيفا») names an organisation or a work
        if end > a and first.norm[0] in "لب" and len(first.norm) >= 4 and first.norm not in given \
                and self.t[a + 1].norm.endswith("ه"):
            return None  # a preposition on a verbal noun and its object (بحصر مهمة, ببدء ممارسة)
        if end > a and first.norm.endswith("ه") and self.t[a + 1].norm.endswith("ه") and first.norm not in given:
            return None  # a noun and its agreeing adjective (بلدية حدودية, عراقية وزوجة)
        if first.norm[0] in "لب" and len(first.norm) >= 4 and first.norm not in given and any(
                self.t[x].norm.startswith("ال") for x in range(a + 1, end + 1)):
            return None  # a preposition on a noun with its genitive (لعملية السلام, لتعزيز نفوذ الحزب)
        return end

    def _not_name_word(self, tok: Token, first: bool, given: frozenset[str]) -> bool:
        """True when the word cannot be part of a personal name (at its start when ``first``)."""
        n = tok.norm
        bare = strip_article(n)
        if tok.punct:
            return True
        if first and n in ("بن", "ابن", "بنت"):
            return True  # a name does not start with بن: its first name was read as something else
        if n in given or n in _NAME_LINKS:
            return False
        never = self.words("not_name_words")
        if n in never or bare in never or {"stopwords", "clause_openers", "negators", "time_words", "number_words",
                                            "superlatives"} & self.lex.lists_of((n,)):
            return True
        letters = _letters(tok.text)
        if tok.text.endswith(("\u064b", "\u064bا")) or (len(n) >= 4 and n.endswith(("ها", "هما", "هم", "هن", "كم"))) \
                or (len(letters) >= 4 and letters.endswith("ه") and not letters.endswith("يه")):
            return True  # an indefinite accusative (اتصالاً) or a word with a pronoun (طرحها, حضره) is no name
        if (n.startswith(("بال", "وال", "فال", "كال")) and len(n) >= 6) or (n.startswith("لل") and len(n) >= 5) \
                or (n.startswith(("بت", "لت")) and len(n) >= 6):
            return True  # a preposition on the article or on a verbal noun (بتجميد, لتقديم); not فالح, بالي
        if len(n) >= 4 and n.endswith("وا"):
            return True  # a verb in the plural (نفذوا)
        if not first:
            return False
        if n.startswith("ال") or self._nisba_of(tok) is not None:
            return True  # a name does not start with the article or a nisba (ناشط إسرائيلي)
        if n[0] in "يت" and 3 <= len(n) <= 4:
            return True  # a short imperfect verb (يقف, تسعى); given names of this shape are listed
        if n[0] == "ا" and len(n) == 4:
            return True  # the pattern أفعل of verbs and elatives (أثار, أحدث, أسمى); names of it are listed
        if n.startswith(("يت", "تت", "ين", "تن", "يست", "تست")) and len(n) >= 5:
            return True  # an imperfect verb of the derived forms (يتطلع, ينتظر, تتضمن)
        if _derived_verb_shape(n):
            return True  # forms X, VIII and VII of verbs and their nouns (استمرار, اعترف, انسحب)
        if n[0] in "لب" and (n[1:] in never or strip_article(n[1:]) in never):
            return True  # a preposition on a word that is never a name (لأول مرة)
        if (n,) in self.lex.names and any(k.startswith("place:") or self.lex.actors[k].type == "State"
                                          for k in self.lex.names[(n,)]):
            return True  # a known place or state (خراسان محسن الفضلي, نيوزيلندا جون كي) opens no personal name
        if len(n) == 3 and n.endswith("ا"):
            return True  # a defective verb (شكا, دعا, بدا); names of this shape are listed
        if n[0] == "ت" and len(n) == 5 and (n[2] == "ا" or n[3] == "ي"):
            return True  # a verbal noun تفاعل / تفعيل (تناقض, تقديم); names of this shape are listed
        if n.endswith("ت") and len(n) == 4:
            return True  # a verb in the past with ت (نجحت, بدأت); names in ت are listed
        if n[0] == "و" and (n[1:] in never or strip_article(n[1:]) in never):
            return True  # «وتم إبلاغ»: a conjunction on a word that is never a name
        if letters.endswith("ة"):
            return True  # a noun in ة (قضية, حملة); given names in ة are listed
        if n[0] == "و" and len(n) >= 4 and n[1:] not in given:
            return True  # a conjunction on a word (وقدم); a name after it is one the list knows
        return not self._name_blocking_heads().isdisjoint(tok.keys)

    def office_holders(self) -> None:
        """An office named in the gazetteer (``مبعوث الأمم المتحدة``) then a person: the person holds it."""
        title_keys = self.lex.derived("title_first_word_relations", lambda: {
            strip_article(normalize(k.split()[0])): v for k, v in self.lex.patterns.get("person_titles", {}).items()
        })
        known_roles = {(r.person, r.org) for r in self.roles}
        for m in list(self.mentions):
            if m.type in ("Person", "Place") or m.source != "gazetteer":
                continue
            relation = next((title_keys[k] for k in self.t[m.first_token].keys if k in title_keys), None)
            if relation is None:
                continue
            j = m.last_token + 1
            while j < len(self.t) and (self.t[j].text in ("،", ",") or is_quote(self.t[j])):
                j += 1
            # past where the post is: مبعوث الأمم المتحدة لليمن / إلى اليمن
            place = next((x for x in self.mentions if x.first_token == j and x.type in ("Place", "State")), None)
            if place is not None and j == m.last_token + 1:
                j = place.last_token + 1
            elif j < len(self.t) and self.t[j].norm in ("الي", "في", "لدي"):
                nxt = next((x for x in self.mentions if x.first_token == j + 1), None)
                if nxt is not None and nxt.type in ("Place", "State"):
                    j = nxt.last_token + 1
            while j < len(self.t) and (self.t[j].text in ("،", ",") or is_quote(self.t[j])):
                j += 1
            person = next((x for x in self.mentions if x.first_token == j and x.type == "Person"), None)
            if person is None:
                end = j
                while end < len(self.t) and end - j < 3 and not self.taken[end] and self.is_name_word(self.t[end], end == j):
                    if end == j and self.t[end].norm.startswith(("ال", "ل", "ب", "و")):
                        break  # a name does not start with a preposition or a conjunction
                    end += 1
                if end - j >= 2:  # a first name and a family name: «جان كوبيس»
                    person = self.add(j, end - 1, self.discovered("Person", self._span(j, end - 1)), "pattern")
            org = self._office_parent(m) or m.actor  # «المبعوث الأممي» is an envoy of the United Nations
            if person is not None and (person.actor, org) not in known_roles:
                self.roles.append(RoleLink(person.actor, relation, org, m.text, m.first_token, person.last_token))

    def _office_parent(self, office: Mention) -> str | None:
        """The organisation or state an office named by a title belongs to: its nisba (الأممي) or a name in it."""
        for k in range(office.first_token + 1, office.last_token + 1):
            key = self._nisba_of(self.t[k])
            if key is not None:
                tok, actor = self.t[k], self.lex.actors[key]
                self.inner.append(Mention(tok.text, tok.start, tok.end, self.s.index, key, actor.type, "nisba", k, k))
                return key
            for _, keys, _ in _trie_matches(self.t, k, self.lex.name_trie):
                assert isinstance(keys, tuple)
                actor = self.lex.actors[keys[0]]
                if actor.type not in ("Place", "Person") and not actor.generic:
                    return actor.key
        return None

    def led_by(self) -> None:
        """``الجيش الوطني الليبي بقيادة حفتر``, ``قوات صالح``, ``نظام الأسد``: a leader named after the organisation."""
        led = self.lex.derived("led_by", lambda: [
            tuple(normalize(w) for w in p.split()) for p in self.lex.patterns.get("led_by", [])
        ])
        heads = self.words("leader_heads")
        self._eponyms(led)
        for m in list(self.mentions):
            if m.type != "Person":
                continue
            k = m.first_token - 1
            org: Mention | None = None
            for words in led:
                a = k - len(words) + 1
                if a >= 1 and all(self.t[a + n].norm == w or w in self.t[a + n].keys for n, w in enumerate(words)):
                    org = next((x for x in self.mentions if x.last_token == a - 1 and x.type not in ("Person", "Place")), None)
                    if org is not None:
                        self.roles.append(RoleLink(m.actor, "leaderOf", org.actor, self._span(a, k), org.first_token, m.last_token))
                    break
            if org is None:
                k = self._before_titles(k)  # «قوات الرئيس المخلوع صالح», «نظام الرئيس السوري بشار الأسد»
            if org is None and k >= 0 and not self.taken[k] and _has(self.t[k], heads) \
                    and not self.t[k].norm.lstrip("وف").startswith(("ال", "لل")) \
                    and (k < m.first_token - 1 or m.proclitic.lstrip("وف")[:1] not in ("ل", "ب")):
                # «رئيس الحكومة X», «أنصار لX»: no «حكومة X»
                head = next((v for h, v in self.lex.patterns.get("leader_head_types", {}).items()
                             if strip_article(normalize(h)) in self.t[k].keys), "ArmedGroup")
                # «وقوات صالح», «لحكومة آبي»: the conjunction or preposition is not part of the name
                cut, _, pro = self._proclitic_cut(self.t[k], heads)
                name, start = self._span(k, m.last_token)[cut:], self.t[k].start + cut
                org_actor = self.discovered(head, name)
                # the person, and the nisba of its title («السوري»), become the organisation's name
                for x in [x for x in self.mentions if k <= x.first_token and x.last_token <= m.last_token]:
                    self.mentions.remove(x)
                for x in range(k, m.last_token + 1):
                    self.taken[x] = False
                self.add(k, m.last_token, org_actor, "pattern", start=start, proclitic=pro)
                self.roles.append(RoleLink(m.actor, "leaderOf", org_actor.key, name, k, m.last_token))

    def _before_titles(self, k: int) -> int:
        """The token before the title words ending at token k (``person_nouns``, ``title_modifiers``, a nisba:
        «الرئيس المخلوع», «الرئيس السوري»), at most three of them; k itself when there are none."""
        nisbas = {m.first_token for m in self.mentions if m.source == "nisba" and m.first_token == m.last_token}
        h = k
        while h >= 1 and k - h < 3 and (
                not self.taken[h] and (_has(self.t[h], self.words("person_nouns"))
                                       or _has(self.t[h], self.words("title_modifiers")))
                or h in nisbas or not self.taken[h] and self._nisba_of(self.t[h]) is not None):
            h -= 1
        return h if h < k and _has(self.t[h + 1], self.words("person_nouns")) else k

    def _eponyms(self, led: list[tuple[str, ...]]) -> None:
        """«قوات الأسد», «نظام بشار الأسد», «التحالف الذي تقوده الولايات المتحدة»: a known organisation whose
        name holds the name of a known person (or a state after «تقوده/بقيادة») names its leader in it."""
        for m in list(self.mentions):
            if m.source != "gazetteer" or m.type in ("Person", "Place", "State", "Civilians") \
                    or m.first_token == m.last_token:
                continue
            org = self.lex.actors.get(m.actor)
            if org is None or org.generic:
                continue
            k = m.first_token + 1
            while k <= m.last_token:
                after_led = next((len(w) for w in led if k + len(w) <= m.last_token and all(
                    self.t[k + n].norm == x or x in self.t[k + n].keys for n, x in enumerate(w))), 0)
                leader = None
                for end, keys, _ in sorted(_trie_matches(self.t, k + after_led, self.lex.name_trie), key=lambda x: -x[0]):
                    assert isinstance(keys, tuple)
                    actor = self.lex.actors[keys[0]]
                    if end <= m.last_token and not actor.generic and actor.key != m.actor and (
                            actor.type == "Person" or (after_led and actor.type == "State")):
                        leader = (end, actor)
                        break
                if leader is None:
                    k += 1
                    continue
                end, actor = leader
                a = k + after_led
                self.inner.append(Mention(self._span(a, end), self.t[a].start, self.t[end].end, self.s.index,
                                          actor.key, actor.type, "gazetteer", a, end))
                self.roles.append(RoleLink(actor.key, "leaderOf", m.actor, m.text, m.first_token, m.last_token,
                                           "eponym: a leader named inside the organisation's name"))
                break

    def _role(self, person: str, relation: str | None, org: Mention | None, first: int, title_end: int,
              last: int, cue_start: int | None = None) -> None:
        cue_from = first if cue_start is None else cue_start
        if relation is None or org is None:
            # a title with no organisation («الرئيس X»): the span still names the person
            self.roles.append(RoleLink(person, "", "", self._span(cue_from, title_end), first, last))
            return
        org_key = self._role_org(org)
        if org_key is not None and org_key != person:
            self.roles.append(RoleLink(person, relation, org_key, self._span(cue_from, title_end), first, last))

    def drop_generic_heads(self) -> None:
        """«ميليشيات حزب الله», «مقاتلي داعش»: a generic noun right before a named actor is its head, not an actor."""
        by_first = {m.first_token: m for m in self.mentions}
        for m in list(self.mentions):
            nxt = by_first.get(m.last_token + 1)
            actor = self.lex.actors.get(m.actor)
            if actor is None or not actor.generic or nxt is None or nxt.type in ("Place", "Person"):
                continue
            named = self.lex.actors.get(nxt.actor) or self.new.get(nxt.actor)
            head = self.t[m.first_token].norm.lstrip("وف")
            if head.startswith("ال") or nxt.proclitic.startswith(("و", "ف")) or self.t[nxt.first_token].norm[:1] == "و" and nxt.proclitic:
                continue  # «المسلحين الحوثيين» (an adjective) or «الفصائل وإسرائيل» (a list) keep both
            if named is not None and not named.generic and m.type != "Civilians":
                self.mentions.remove(m)

    def _role_org(self, org: Mention) -> str | None:
        """The organisation a title names; a country named as a place is its state."""
        if not org.actor.startswith("place:"):
            return org.actor
        state = "actor:" + org.actor.split(":", 1)[1]
        if state in self.lex.actors:
            return state
        return self.lex.metonyms.get(org.actor)

    def bare_nisba(self) -> None:
        """A nisba adjective not inside a name refers to its state or organisation (وساطة أممية)."""
        for i, tok in enumerate(self.t):
            if self.taken[i] or tok.punct:
                continue
            key = self._nisba_of(tok)
            if key is None:
                continue
            if self._after_non_actor_head(i):
                continue  # «المنتخب السعودي», «الشركة الروسية»: a team or a company, not the state
            prev = next((m for m in self.mentions if m.last_token == i - 1), None)
            if prev is not None and prev.type == "Person" and tok.norm.startswith("ال"):
                continue  # «أبو الوليد المصري»: a nisba after a personal name is part of it
            if prev is not None and prev.type not in ("Place", "Person") and key != prev.actor:
                # an adjective of the actor before it: فصائل المعارضة السورية
                self.mentions.remove(prev)
                self.taken[i] = True
                end = tok.end
                self.mentions.append(
                    Mention(self.s.text[prev.start - self.s.start : end - self.s.start], prev.start, end,
                            prev.sentence, prev.actor, prev.type, prev.source, prev.first_token, i, prev.proclitic)
                )
                continue
            self.add(i, i, self.lex.actors[key], "nisba")

    def head_anaphora(self) -> None:
        """«الحركة», «التنظيم», «المدينة», «هذه المنطقة»: a bare definite head noun refers back.

        «حركة طالبان … واتهمت الحركة»: a head noun with no name or adjective after it refers to
        the latest actor before it named on the same noun (in its name or in how it was
        mentioned: «مدينة الحديدة … المدينة»). After a demonstrative (هذه المنطقة) a place noun
        refers to the latest place named before it that is not a country.
        """
        heads = self.lex.derived("anaphoric_heads", lambda: self._definite_forms("anaphoric_heads"))
        places = self.lex.derived("anaphoric_place_nouns", lambda: self._definite_forms("anaphoric_place_nouns"))
        if heads.keys().isdisjoint(self.name_keyset) and places.keys().isdisjoint(self.name_keyset):
            return
        for i, tok in enumerate(self.t):
            if not self.taken[i] and not tok.punct:
                self._head_anaphor(i, False)

    def _head_anaphor(self, i: int, titled: bool) -> Mention | None:
        """The mention of the actor a bare definite head noun at token i refers back to (see :meth:`head_anaphora`),
        added, or None. After a title (``titled``) the person's rank or title after the noun leaves it bare:
        «المتحدث باسم الجيش العقيد X»; elsewhere such a word may be its adjective (الحزب المعارض)."""
        heads = self.lex.derived("anaphoric_heads", lambda: self._definite_forms("anaphoric_heads"))
        places = self.lex.derived("anaphoric_place_nouns", lambda: self._definite_forms("anaphoric_place_nouns"))
        tok = self.t[i]
        org_form = next((k for k in tok.name_keys if k in heads), None)
        place_form = next((k for k in tok.name_keys if k in places), None)
        nxt = self.t[i + 1] if i + 1 < len(self.t) else None
        if (org_form is None and place_form is None) or (
            nxt is not None and not nxt.punct and (nxt.norm.startswith("ال") or self.taken[i + 1])
            and not (titled and org_form is not None and _has(nxt, self.words("person_nouns")))
        ):
            return None  # «الحركة الإسلامية», «الحركة التجارية», «المدينة القديمة»: not a bare head
        demonstrative = i > 0 and self.has_word_at(i - 1, "demonstratives")
        earlier = [m for m in self.mentions if m.last_token < i]
        history = self.recent[-_ANAPHORA_REACH:] + sorted(earlier, key=lambda m: m.start)
        if org_form is not None:
            found = self._named_on(history, heads[org_form], places=False)
            if found is None and not demonstrative:
                found = self._country_own(heads[org_form], history, self.mentions)
            if found is None and not demonstrative:
                found = self._unnamed(heads[org_form])
        else:
            assert place_form is not None
            found = self._named_on(history, places[place_form], places=True)
            if found is None and demonstrative:
                found = next((self._actor(m.actor) for m in reversed(history) if m.type == "Place"
                              and self.lex.state_of(m.actor) == m.actor), None)
        if found is None:
            return None
        first = i - 1 if demonstrative else i
        form = org_form or place_form or ""
        proclitic = "" if demonstrative else clitics_before(tok.norm, form)
        construct = self._construct_noun(i) if org_form is not None and not proclitic else None
        if construct is not None:  # «قوات الجيش»: the forces of the army named before
            first, proclitic = i - 1, clitics_before(self.t[i - 1].norm, construct)
        return self.add(first, i, found, "pronoun", start=self.t[first].start, proclitic=proclitic)

    def _unnamed(self, head: str) -> Actor | None:
        """«المقاومة», «التحالف» with no actor named on them before: an actor the text names by its head
        alone (``unnamed_actor_heads`` gives which heads, and their type). Generic: a node only when a
        statement is about it."""
        types = self.lex.derived("unnamed_actor_heads", lambda: {
            strip_article(normalize(k)): (v, k) for k, v in self.lex.patterns.get("unnamed_actor_heads", {}).items()})
        if head not in types:
            return None
        type_, written = types[head]
        return self.discovered(type_, "ال" + written, generic=True)

    def _country_own(self, head: str, history: list[Mention], here: list[Mention]) -> Actor | None:
        """«الجيش», «الحكومة» with no actor named on them before: the army or government of the country
        the document is about so far, named as ``country_own_heads`` says («الجيش المصري») when the
        gazetteer knows it. The country is the state most mentions so far belong to (itself, its
        capital, a place inside it, an institution named after it), when it has at least two and more
        than any other state, and the sentence itself (``here``) names no state or names that one."""
        templates = self.lex.derived("country_own_heads", lambda: {
            strip_article(normalize(k)): tuple(v) for k, v in self.lex.patterns.get("country_own_heads", {}).items()})
        if head not in templates:
            return None
        counts: dict[str, int] = {}
        for m in history:
            state = self._state_containing(m.actor)
            if state is not None:
                counts[state] = counts.get(state, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        named_here = {state for m in here if (state := self._state_containing(m.actor)) is not None}
        if named_here and ranked[0][0] not in named_here:
            return None  # «… البنتاغون يدرس عودة ماكماستر إلى الجيش» in an article about Russia
        stems = self.lex.derived("nisba_stems", self._nisba_stems)
        for stem in stems.get(ranked[0][0], ()):
            for template in templates[head]:
                words = tuple(t.norm for t in tokenize(template.replace("{}", stem)) if not t.punct)
                keys = self.lex.names.get(words, ())
                if len(keys) == 1:
                    return self._actor(keys[0])
        return None

    def _state_containing(self, key: str) -> str | None:
        """The state actor a mention's actor is, lies in (through the gazetteer's containment) or is named
        after by a nisba adjective («الجيش الإسرائيلي», «الحكومة العراقية»), or None."""
        named: dict[str, str | None] = self.lex.derived("state_by_nisba_of_actor", dict)
        if key not in named:
            actor = self.lex.actors.get(key)
            names = (actor.label_ar, *actor.alt_ar) if actor is not None else ()
            states = {self.lex.nisba[w] for name in names for w in (strip_article(normalize(x)) for x in name.split())
                      if w in self.lex.nisba}
            named[key] = states.pop() if len(states) == 1 else None
        if named[key] is not None:
            return named[key]
        for place in (key, *self.lex.containing(key, 5)):
            state = self.lex.state_of(place)
            actor = self.lex.actors.get(state)
            if actor is not None and actor.type == "State":
                return state
        return None

    def _nisba_stems(self) -> dict[str, tuple[str, ...]]:
        """State actor key -> the stems of its nisba adjective (مصري), from the gazetteer's nisba forms."""
        out: dict[str, list[str]] = {}
        for form, key in sorted(self.lex.nisba.items()):
            if form + "ه" in self.lex.nisba and self.lex.nisba[form + "ه"] == key:
                out.setdefault(key, []).append(form)
        return {k: tuple(v) for k, v in out.items()}

    def _construct_noun(self, i: int) -> str | None:
        """The noun of ``anaphoric_construct_nouns`` (as written after its clitics) the head noun at ``i`` is
        the genitive of («قوات الجيش», «عناصر التنظيم»), or None."""
        if i == 0 or self.taken[i - 1] or self.t[i - 1].punct:
            return None
        nouns = self.lex.derived("anaphoric_construct_nouns",
                                 lambda: frozenset(normalize(w) for w in self.lex.patterns.get("anaphoric_construct_nouns", [])))
        return next((k for k in self.t[i - 1].keys if k in nouns), None)

    def _definite_forms(self, name: str) -> dict[str, str]:
        """A noun list of ``patterns.json`` as {its form with the article: the noun} (الحركة -> حركه)."""
        nouns = (strip_article(normalize(h)) for h in self.lex.patterns.get(name, []))
        return {"ال" + noun: noun for noun in nouns}

    def has_word_at(self, i: int, name: str) -> bool:
        return name in self.lex.lists_of((self.t[i].norm,))

    def _actor(self, key: str) -> Actor | None:
        return self.known.get(key) or self.new.get(key) or self.lex.actors.get(key)

    def _named_on(self, history: list[Mention], head: str, places: bool) -> Actor | None:
        """The latest actor of ``history`` whose name or mention is built on the noun ``head`` (and, for a head of
        ``anaphoric_head_types``, is of one of its types: «الجيش» is a state's army, not «الجيش الحر»)."""
        typed = self.lex.derived("anaphoric_head_types", lambda: {
            strip_article(normalize(k)): frozenset(v) for k, v in self.lex.patterns.get("anaphoric_head_types", {}).items()})
        allowed = typed.get(head)
        for m in reversed(history):
            if (m.type == "Place") != places or m.type == "Person":
                continue
            actor = self._actor(m.actor)
            if actor is None or (allowed is not None and actor.type not in allowed):
                continue
            words = self._name_words(actor) | {strip_article(normalize(w)) for w in m.text.split()}
            if head in words:
                return actor
        return None

    def _name_words(self, actor: Actor) -> frozenset[str]:
        memo: dict[str, frozenset[str]] = self.lex.derived("actor_name_words", dict)
        words = memo.get(actor.key)
        if words is None:
            words = frozenset(strip_article(normalize(w)) for name in (actor.label_ar, *actor.alt_ar) for w in name.split())
            if actor.key in self.lex.actors:
                memo[actor.key] = words
        return words

    def _span(self, i: int, j: int) -> str:
        return self.s.text[self.t[i].start - self.s.start : self.t[j].end - self.s.start]


def find_mentions(
    sentence: Sentence,
    lex: Lexicon,
    known: dict[str, Actor] | None = None,
    titled: dict[str, str] | None = None,
    recent: list[Mention] | None = None,
) -> SentenceMentions:
    """Find the actor and place mentions of one sentence.

    Args:
        sentence: a sentence with tokens (from :func:`kg.text.split_sentences`).
        lex: the lexicons.
        known: actors discovered earlier in the document, so repeats keep one key.
        titled: title phrases seen with a name earlier in the document (``الرئيس اليمني`` ->
            the person); updated in place, so a later bare title refers to that person.
        recent: the actors mentioned earlier in the document, in order; this sentence's are
            appended, so a later «الحركة» finds the movement named before it.

    Returns:
        The mentions, the actors they introduce, and the roles titles state.
    """
    return _Finder(sentence, lex, known or {}, titled if titled is not None else {}, recent).run()
