"""Relations: cues with their arguments, attribution and modality.

For each sentence the cues of ``cues.jsonl`` are found (through clitics and
inflections), then each cue's arguments are read from Arabic clause order:

* a verb's subject follows it (VSO) or stands before it in its clause (SVO);
  when it has none, the subject of the previous event is used (omitted
  subject), first in the sentence, then one sentence back;
* objects are marked by the cue's prepositions (``على``, ``مع``, ``بين … و``),
  or follow directly; a pronoun suffix (``تحاصرهم``, ``عليها``) points back to
  the nearest actor before it;
* a verbal noun's genitive is its agent or patient (``قصف النظام``,
  ``حصار الغوطة``), agents also come from ``من قبل``/``على يد``/``لدى``;
* coordinated actors (``دمشق وموسكو``) each get the relation.

Scopes decide modality: a report by a party to the conflict makes what it
reports ``Claimed`` by it; a claim verb makes ``Claimed``; a denial makes a
``denies`` statement plus its content as ``Denied``; negation makes
``Denied``; hypothetical or future wording drops the event.

Nothing here knows Arabic words: they all come from the lexicons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from .lexicon import END, Cue, Lexicon, index_by_first
from .mentions import RoleLink, SentenceMentions
from .model import Mention, Sentence, Statement, Token
from .text import ENCLITICS, is_quote, normalize, strip_article

__all__ = ["CueMatch", "Frame", "find_cues", "extract_relations", "located_in", "member_in", "Trace", "OPEN"]

#: Subject of a statement whose agent the sentence leaves unstated (filled per document).
OPEN = "?"

_PARTY_TYPES = {"ArmedGroup", "StateForces", "Government", "State", "PoliticalGroup"}
_NEUTRAL_TYPES = {"NGO", "MediaOutlet", "InternationalOrganization", "Civilians"}
_LIST_PUNCT = {"،", ","}
_BOUNDARY_PUNCT = {"؛", ";", ":", "-", "–", "—"}
_SKIP_PUNCT = {"(", ")", "[", "]"}
#: Relations a text states by describing an actor (apposition), outside any report's scope.
_DESCRIPTIVE = {"memberOf", "leaderOf", "spokespersonOf", "locatedIn"}
#: Verbal nouns that, after li- (لتحرير, للسيطرة, لاعتقال), state a purpose, not an event.
_PURPOSE_RELATIONS = {"captures", "detains", "kills"}
#: Relations whose object may be a place; for the others a capital or country is its state.
_PLACE_PATIENTS = {"attacks", "besieges", "captures", "locatedIn"}
#: Relations of armed force (and support), whose verbs sport and market language also use (issue 14).
_FORCE = frozenset({"attacks", "besieges", "captures", "kills", "supports"})
_WINDOW = 8


@dataclass(frozen=True)
class CueMatch:
    """A cue found in a sentence."""

    cue: Cue
    """The lexicon cue."""
    first: int
    """Index of its first token."""
    last: int
    """Index of its last token."""
    text: str
    """The words as written."""
    enclitic: str = ""
    """A pronoun suffix on the cue word (``هم`` in ``تحاصرهم``)."""
    proclitic: str = ""
    """The proclitics before the cue word (``ب`` in ``بوساطة``)."""
    alternatives: tuple[Cue, ...] = ()
    """Other readings of the same row (the verbal noun of a verb form)."""


@dataclass
class Frame:
    """One reading of a cue: its arguments and the decision about it (for ``kg explain``)."""

    match: CueMatch
    agents: list[str] = field(default_factory=list)
    patients: list[str] = field(default_factory=list)
    locative: set[str] = field(default_factory=set)
    """Patients reached through في/بـ/داخل: where it happened, not a party."""
    how: list[str] = field(default_factory=list)
    modality: str = "Asserted"
    by: str | None = None
    decision: str = ""


@dataclass
class Trace:
    """What the extractor saw in one sentence."""

    sentence: Sentence
    mentions: tuple[Mention, ...]
    cues: list[CueMatch]
    frames: list[Frame]
    open_denials: list[str] = field(default_factory=list)
    """Deniers whose denial names no content or source here («نفت ذلك»): it points back."""
    reporters: list[str] = field(default_factory=list)
    """Who the sentence reports or claims for (holders of report and claim scopes)."""
    candidates: list[tuple[Any, list[str], float]] = field(default_factory=list)
    """With a relation model: each candidate statement, its features and probability (see :mod:`kg.decision`)."""
    modality_at: Callable[[int], tuple[str, str | None, bool]] | None = field(default=None, repr=False)
    """The scope rules' reading of an event at a token: (modality, attributed to, hypothetical)."""


@dataclass
class _Scope:
    kind: str  # report | claim | deny | open (a negated claim or denial: neither)
    start: int  # first token index the scope covers
    end: int  # last token index covered
    holders: list[str]
    party: bool
    cue: CueMatch


def _cue_keys(tok: Token) -> tuple[tuple[str, str], ...]:
    """(key, enclitic) readings of a token for cue lookup."""
    return _cue_readings(tok.text, tok.keys)


def _cue_starts(tok: Token, lex: Lexicon) -> tuple[tuple[str, str, dict[str, Any]], ...]:
    """(key, enclitic, trie node) of each reading of ``tok`` that starts a cue; memoised per word."""
    memo: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, str, dict[str, Any]], ...]] = lex.derived("cue_starts", dict)
    found = memo.get((tok.text, tok.keys))
    if found is None:
        found = tuple((key, enc, lex.cue_trie[key]) for key, enc in _cue_keys(tok) if key in lex.cue_trie)
        if len(memo) < 1 << 17:
            memo[(tok.text, tok.keys)] = found
    return found


@lru_cache(maxsize=1 << 16)
def _cue_readings(text: str, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = [(k, "") for k in keys]
    written_h = text.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652").endswith("ه")
    for k in keys:
        for enc in _THIRD_PERSON:
            if enc == "ه" and not written_h:
                continue  # a final ta marbuta is not the pronoun
            if k.endswith(enc) and len(k) - len(enc) >= 3 and k[: -len(enc)][-1:] in ("ي", "و"):
                out.append((k[: -len(enc) - 1] + "ء", enc))  # لقائه -> لقاء: the hamza takes a seat before a suffix

            if k.endswith(enc) and len(k) - len(enc) >= 3:
                out.append((k[: -len(enc)], enc))
                if k[: -len(enc)].endswith("ت") and enc:  # ta marbuta before a suffix: قيادته -> قياده
                    out.append((k[: -len(enc) - 1] + "ه", enc))
    return tuple(out)


#: How a frame reads when its subject is the noun a relative clause describes (الفصائل التي تسيطر).
_RELATIVE = "subject: the noun the relative clause describes"

#: How a frame reads when its agent is only the actor before it in its clause.
_CLAUSE_AGENT = "agent: the actor before it in its clause"


def _token_lists(tok: Token, lex: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """The word lists a token is in by any reading, and as a function word; memoised by its text."""
    memo: dict[str, tuple[frozenset[str], frozenset[str]]] = lex.derived("token_lists", dict)
    found = memo.get(tok.text)
    if found is None:
        found = (lex.lists_of(tok.keys), lex.lists_of(_function_word_keys(tok.norm)))
        if len(memo) < 1 << 17:
            memo[tok.text] = found
    return found


@lru_cache(maxsize=1 << 16)
def _function_word_keys(norm: str) -> tuple[str, ...]:
    """A function word's lookup keys: itself, and without a conjunction (و / ف) if it has one."""
    return (norm, norm[1:]) if norm[:1] in ("و", "ف") else (norm,)


@lru_cache(maxsize=1 << 16)
def _marker_word(norm: str, marker: str) -> bool:
    """True when the word ``norm`` is the one-word marker (a preposition), with a conjunction,
    as a proclitic (ب / ل) or with a pronoun suffix."""
    base = norm[1:] if norm[:1] in "وف" and len(norm) > len(marker) else norm
    if base == marker or norm == marker:
        return True
    if len(marker) == 1 and base.startswith(marker) and len(base) > 2:
        return True  # ب / ل as a proclitic
    return bool(_enclitic_after(norm, marker))


@lru_cache(maxsize=1 << 16)
def _enclitic_after(norm: str, prep: str) -> str:
    """The pronoun suffix on a preposition (عليها -> ها, معه -> ه), or ``""``."""
    base = norm[1:] if norm[:1] in "وف" else norm
    for pf in (prep, {"علي": "عل", "الي": "ال", "لدي": "لد"}.get(prep, prep)):
        if base.startswith(pf) and len(base) > len(pf):
            rest = base[len(pf) :]
            if prep in ("علي", "الي", "لدي") and rest.startswith("ي"):
                rest = rest[1:]
            if rest in ENCLITICS:
                return rest
    return ""


def find_cues(sentence: Sentence, lex: Lexicon) -> list[CueMatch]:
    """Every cue of the lexicon in a sentence, longest first, not overlapping.

    Args:
        sentence: a tokenised sentence.
        lex: the lexicons.
    """
    toks = sentence.tokens
    out: list[CueMatch] = []
    after = 0  # the first token after the last cue found
    memo: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, str, dict[str, Any]], ...]] = lex.derived("cue_starts", dict)
    starts = [() if t.punct else found if (found := memo.get((t.text, t.keys))) is not None else _cue_starts(t, lex)
              for t in toks]
    for i in [i for i, found in enumerate(starts) if found]:  # most words start no cue
        if i < after:
            continue
        best: tuple[int, tuple[Cue, ...], str, str] | None = None
        for key, enc, node in starts[i]:
            if END in node and (best is None or best[0] < i):
                best = (i, node[END], enc, key)
            elif END in node and best is not None and best[0] == i and best[2] == enc:
                # «سيطرتهم»: the verb سيطرت and the noun سيطرة both read here; keep both, choose later
                merged = best[1] + tuple(c for c in node[END] if c not in best[1])
                best = (i, merged, enc, best[3])
            j = i + 1
            while j < len(toks) and not toks[j].punct and not enc:
                nxt = None
                for k in (toks[j].norm, strip_article(toks[j].norm), *toks[j].keys):
                    if k in node:
                        nxt = node[k]
                        break
                if nxt is None:
                    break
                node = nxt
                if END in node and (best is None or best[0] < j):
                    best = (j, node[END], "", key)
                j += 1
        if best is None:
            continue
        j, cues, enc, key = best
        text = sentence.text[toks[i].start - sentence.start : toks[j].end - sentence.start]
        norm = toks[i].norm
        pro = norm[: norm.find(key)] if key in norm and norm.find(key) > 0 else ""
        for cue in _choose_readings(cues, toks, i, key, pro, enc):
            alts = tuple(c for c in cues if c.id == cue.id and c.pos != cue.pos)
            out.append(CueMatch(cue, i, j, text, enc, pro, alts))
        after = j + 1
    return out


#: Pronoun suffixes looked for on cue words: news speaks of third persons (أيدي is «hands», not «أيد» + my).
_THIRD_PERSON = ("هما", "هم", "هن", "ها", "ه")

_PREPOSITIONS = {"الي", "عن", "علي", "في", "من", "بعد", "قبل", "حول", "عبر", "خلال", "اثر", "عقب", "جراء", "ل", "ب",
                 "خلفيه", "اعقاب", "ضوء"}


def _choose_readings(
    cues: tuple[Cue, ...], toks: tuple[Token, ...], i: int, key: str, pro: str, enc: str = ""
) -> list[Cue]:
    """One part of speech per cue row: a word like عقد لقاء or قصف is a verb or a verbal noun by its context."""
    by_id: dict[str, list[Cue]] = {}
    for cue in cues:
        by_id.setdefault(cue.id, []).append(cue)
    out: list[Cue] = []
    norm = toks[i].norm
    definite = (norm.startswith("ال") or "ال" in pro or norm.startswith("لل") or (norm[:1] in "وف" and norm[1:3] == "ال")) \
        and not key.startswith("ال")  # التقى: the alif-lam is the verb's own, not the article
    prev = toks[i - 1].norm if i > 0 else ""
    after_prep = pro.strip("وف")[:1] in ("ب", "ل") or prev in _PREPOSITIONS or prev[1:] in _PREPOSITIONS
    for group in by_id.values():
        pos = {c.pos: c for c in group}
        if (definite or after_prep) and set(pos) <= {"verb", "passive_verb"}:
            continue  # «التحالف» with the article, «بعد تدخل» after a preposition: a noun, never the verb
        if len(pos) == 1:
            out.append(group[0])
            continue
        stem = norm[: len(norm) - len(enc)] if enc else ""
        if enc and stem.endswith("ت") and "noun" in pos:
            out.append(pos["noun"])  # «سيطرتهم»: their control (ة before a suffix), not «she controlled them»
        elif definite and "passive_participle" in pos and i > 0 and not toks[i - 1].punct:
            out.append(pos["passive_participle"])
        elif (definite or after_prep) and "noun" in pos:
            out.append(pos["noun"])
        elif "verb" in pos:
            out.append(pos["verb"])
        else:
            out.append(group[0])
    return out


class _Sentence:
    """Working state for one sentence."""

    def __init__(
        self,
        sentence: Sentence,
        found: SentenceMentions,
        lex: Lexicon,
        prev_agent: str | None,
        role_of: dict[str, str],
        types: dict[str, str],
    ) -> None:
        self.s = sentence
        self.t = sentence.tokens
        self.lex = lex
        # the word lists each token is in: by any reading, and as a function word (only و/ف attached)
        memo: dict[str, tuple[frozenset[str], frozenset[str]]] = lex.derived("token_lists", dict)
        lists = [memo.get(t.text) or _token_lists(t, lex) for t in self.t]
        self.key_lists = [k for k, _ in lists]
        self.word_lists = [w for _, w in lists]
        self.mentions = list(found.mentions)
        self.roles = list(found.roles)
        self.prev_agent = prev_agent
        self.role_of = role_of  # person -> organisation (spokesperson, member, leader)
        self.types = types
        self.at: dict[int, Mention] = {}
        for m in self.mentions:
            for k in range(m.first_token, m.last_token + 1):
                self.at[k] = m
        # a title span stands for its person: المتحدث باسم "فيلق الرحمن" وائل علوان
        self.title_person: dict[int, Mention] = {}
        for r in self.roles:
            person = next((m for m in self.mentions if m.actor == r.person and m.last_token == r.last_token), None)
            if person is None:
                continue
            for k in range(r.first_token, r.last_token + 1):
                self.title_person[k] = person
        self.cues = [
            c for c in find_cues(sentence, lex)
            if not any(k in self.at and self.at[k].source != "nisba" for k in range(c.first, c.last + 1))
        ]
        self.cue_at: dict[int, CueMatch] = {}
        for c in self.cues:
            for k in range(c.first, c.last + 1):
                self.cue_at.setdefault(k, c)
        self.frames: list[Frame] = []
        self.last_agent: list[str] = []
        self.open_denials: list[str] = []

    # -- word tests ------------------------------------------------------
    def has(self, i: int, name: str) -> bool:
        """True when a reading of token ``i`` is in the word list ``name``."""
        return 0 <= i < len(self.t) and name in self.key_lists[i]

    def has_word(self, i: int, name: str) -> bool:
        """Like :meth:`has` for function words: only a conjunction may be attached (``كما`` is not ``ما``)."""
        return 0 <= i < len(self.t) and name in self.word_lists[i]

    def is_boundary(self, i: int) -> bool:
        tok = self.t[i]
        if tok.punct:
            return tok.text in _BOUNDARY_PUNCT or tok.text in _LIST_PUNCT
        return self.has_word(i, "clause_openers")

    def type_of(self, key: str) -> str:
        return self.types.get(key, "")

    def sport_or_market(self, c: CueMatch) -> bool:
        """True when a cue of force speaks of a game or a market, not of fighting.

        Its subject right next to it is a team, a player or a company (``non_actor_heads``:
        «هاجم اللاعب», «استهدفت الشركة»), or the words it governs, before any actor, are a
        match, time or market word (``non_conflict_objects``: «على المباراة», «قتل الوقت»).
        """
        if any(0 <= k < len(self.t) and not self.t[k].punct and self.has(k, "non_actor_heads")
               for k in (c.first - 1, c.last + 1)):
            return True
        k = c.last + 1
        while k < len(self.t) and k <= c.last + 4 and k not in self.at and not self.is_boundary(k):
            if self.has(k, "non_conflict_objects"):
                return True
            k += 1
        return False

    def mention_prep(self, m: Mention) -> str:
        """The preposition governing a mention: a proclitic on its first word, or the word before."""
        pro = m.proclitic.lstrip("وف")
        if pro[:1] in ("ب", "ل", "ك"):
            return pro[:1]
        k = m.first_token - 1
        while k >= 0 and is_quote(self.t[k]):
            k -= 1
        if k >= 0 and not self.t[k].punct:
            prev = self.t[k].norm
            if prev in ("ل", "ب"):
                return prev
            for w in ("في", "الى", "من", "على", "عن", "مع", "ضد", "بين", "لدي", "داخل", "نحو", "حول"):
                if prev == w or prev in ("و" + w, "ف" + w):
                    return w
        return ""

    # -- argument search -------------------------------------------------
    def person_at(self, i: int) -> Mention | None:
        return self.title_person.get(i)

    def mention_from(self, i: int) -> Mention | None:
        """The mention (or title-person) at token i."""
        p = self.person_at(i)
        if p is not None:
            return p
        return self.at.get(i)

    def coordinated(self, m: Mention) -> list[Mention]:
        """``m`` and the actors coordinated with it (``دوما وحرستا``, ``X، وY``)."""
        out = [m]
        end = self._end_of(m)
        while True:
            k = end + 1
            saw_and = False
            skipped = 0
            while k < len(self.t) and skipped < 4:
                tok = self.t[k]
                if tok.text in _LIST_PUNCT or is_quote(tok):
                    k += 1
                    skipped += 1
                    continue
                if tok.norm == "و":
                    saw_and = True
                    k += 1
                    continue
                nxt = self.mention_from(k)
                if nxt is not None and nxt.actor != m.actor:
                    if saw_and or tok.norm.startswith("و"):
                        break
                    nxt = None
                if tok.norm.startswith("و") and self.has(k, "transparent"):
                    saw_and = True
                    k += 1
                    skipped += 1
                    continue
                ally = self.cue_at.get(k)
                if tok.norm.startswith("و") and ally is not None and ally.cue.apposition:
                    saw_and = True  # «الحكومة السورية وحليفتاها روسيا وإيران»: the allies join the list
                    k = ally.last + 1
                    skipped += 1
                    continue
                if saw_and and self.has(k, "transparent"):
                    k += 1
                    skipped += 1
                    continue
                break
            if k >= len(self.t):
                break
            nxt = self.mention_from(k)
            if nxt is None or nxt in out or not (saw_and or self.t[k].norm.startswith("و")):
                break
            if self.actorlike(nxt) != self.actorlike(m) and (nxt.type == "Place") != (m.type == "Place"):
                break
            out.append(nxt)
            end = self._end_of(nxt)
        return out

    def coordinated_left(self, m: Mention) -> list[Mention]:
        """``m`` and the actors coordinated before it (``X وY`` found from Y), in text order."""
        out = [m]
        while True:
            first = self._start_of(out[0])
            ally = self.cue_at.get(first - 1) if first > 0 else None
            if ally is not None and ally.cue.apposition and ally.first > 0 and (
                self.t[ally.first - 1].norm in ("مع", "و") or self.t[ally.first].norm.startswith("و")
            ):
                first = ally.first  # «دمشق مع حليفتها موسكو»: the ally noun joins the two
                if self.t[first].norm.startswith("و"):
                    prev = self.mention_from(first - 1)
                    if prev is not None and prev not in out and self.actorlike(prev):
                        out.insert(0, prev)
                        continue
            tok = self.t[first]
            with_ = first > 0 and self.t[first - 1].norm == "مع"  # واشنطن مع باريس
            if not (tok.norm.startswith("و") or (first > 0 and self.t[first - 1].norm == "و") or with_):
                break
            k = first - 1
            if k >= 0 and self.t[k].norm in ("و", "مع"):
                k -= 1
            while k >= 0 and (self.t[k].text in _LIST_PUNCT or is_quote(self.t[k])):
                k -= 1
            prev = self.mention_from(k) if k >= 0 else None
            if prev is None or prev in out or self.mention_prep(prev) not in ("", "مع"):
                break
            if self.actorlike(prev) != self.actorlike(m) and (prev.type == "Place") != (m.type == "Place"):
                break
            out.insert(0, prev)
        return out

    def relative_subject(self, c: CueMatch) -> Mention | None:
        """``السعودية التي تدعم الحكومة``: a verb after a relative pronoun has the noun before it as subject."""
        k = c.first - 1
        if k < 0 or not self.has_word(k, "relative_pronouns"):
            return None
        k -= 1
        while k >= 0 and (self.t[k].text in _LIST_PUNCT or is_quote(self.t[k])):
            k -= 1
        m = self.mention_from(k) if k >= 0 else None
        if m is None or m.type == "Place" and not self._metonym(m):
            return None
        return m

    def _end_of(self, m: Mention) -> int:
        end = m.last_token
        while end + 1 < len(self.t) and self.person_at(end + 1) is m:
            end += 1
        return end

    def _start_of(self, m: Mention) -> int:
        start = m.first_token
        while start - 1 >= 0 and self.person_at(start - 1) is m:
            start -= 1
        return start

    def subject_right(self, c: CueMatch, allow_place: bool = False) -> Mention | None:
        k = c.last + 1
        said = self.cue_at.get(k)
        if said is not None and said.cue.kind == "report" and said.cue.pos == "noun" and said.last + 1 < len(self.t):
            # «اتهم بيان للجناح العسكري إسرائيل»: a statement of X as the subject is X speaking
            m = self.mention_from(said.last + 1)
            if m is not None and self.mention_prep(m) in ("", "ل") and self.actorlike(m):
                return m
        steps = 0
        while k < len(self.t) and steps < 6:
            tok = self.t[k]
            m = self.mention_from(k)
            if m is not None:
                if self.mention_prep(m) or (m.type == "Place" and not allow_place and not self._metonym(m)):
                    return None
                return m
            if tok.punct and (tok.text in _LIST_PUNCT or tok.text in _SKIP_PUNCT):
                k += 1
                steps += 1
                continue
            if is_quote(tok) or tok.norm[:1].isdigit() or self.has(k, "number_words"):
                k += 1
                continue
            if self.has_word(k, "stopwords") and not self.has(k, "time_words"):
                return None
            if k in self.cue_at:
                return None
            k += 1
            steps += 1
        return None

    def subject_left(self, c: CueMatch) -> Mention | None:
        k = c.first - 1
        steps = 0
        while k >= 0 and self.has_word(k, "auxiliaries"):
            k -= 1  # «X، كانت أعلنت»: the auxiliary before the verb, and the comma of a parenthesis before it
            if k >= 1 and self.t[k].text in ("،", ","):
                k -= 1
        while k >= 0 and steps < _WINDOW:
            m = self.mention_from(k)
            if m is not None:
                if self.mention_prep(m) or (m.type == "Place" and not self._metonym(m)):
                    return None
                return m
            if self.is_boundary(k):
                if self.has_word(k, "complementizers"):
                    return None
                return None
            if k in self.cue_at and self.cue_at[k].cue.kind != "relation":
                return None
            k -= 1
            steps += 1
        return None

    def state_of(self, key: str) -> str:
        """A capital's or country's place key as its state's actor key; other keys unchanged."""
        return self.lex.state_of(key)

    def actorlike(self, m: Mention) -> bool:
        """An actor, or a capital or country name standing for its state."""
        return m.type != "Place" or self._metonym(m)

    def _metonym(self, m: Mention) -> bool:
        """A capital or country name that can stand for its state (not after a place noun: مدينة دمشق)."""
        if not m.actor.startswith("place:"):
            return False
        k = m.first_token - 1
        while k >= 0 and is_quote(self.t[k]):
            k -= 1
        if k >= 0 and self.has(k, "place_nouns"):
            return False
        return m.actor in self.lex.metonyms or ("actor:" + m.actor.split(":", 1)[1]) in self.lex.actors

    def agent_key(self, m: Mention) -> str:
        """A place acting as an agent is its state (a capital or a country name)."""
        if m.type == "Place":
            if m.actor in self.lex.metonyms:
                return self.lex.metonyms[m.actor]
            state = "actor:" + m.actor.split(":", 1)[1]
            if state in self.lex.actors:
                return state
        return m.actor

    def marked_object(self, c: CueMatch, start: int, markers: Iterable[str], window: int = _WINDOW) -> tuple[list[Mention], str] | None:
        """The actor after one of the markers (prepositions) within the window, and the marker."""
        split = [(m, m.split()) for m in markers if m]
        k = start
        limit = min(len(self.t), start + window)
        while k < limit:
            tok = self.t[k]
            if tok.punct and tok.text not in _LIST_PUNCT and not is_quote(tok):
                return None
            if k > start and self.has_word(k, "clause_openers") and not self.has_word(k, "complementizers"):
                return None
            for marker, words in split:
                if self._marker_at(k, words):
                    after = k + len(words)
                    if len(words) == 1 and tok.norm != words[0] and not tok.norm.endswith(words[0]):
                        after = k  # marker is a proclitic on this word: بالمدفعية, لقوات
                    # a pronoun suffix on the preposition: عليها, معه
                    enc = self._enclitic_on(k, words[0])
                    if enc and len(words) == 1:
                        return ([], f"{marker}+{enc}")
                    m = self._first_mention(after, 4)
                    if m is not None:
                        return (self.coordinated(m), marker)
            k += 1
        return None

    def _marker_at(self, k: int, words: list[str]) -> bool:
        tok = self.t[k]
        first = words[0]
        norm = tok.norm
        if len(words) == 1:
            return _marker_word(norm, first)
        base = norm[1:] if norm[:1] in "وف" and len(norm) > len(first) else norm
        if base != first and norm != first and not (len(first) == 1 and base.startswith(first)):
            return False
        for n, w in enumerate(words[1:], 1):
            if k + n >= len(self.t):
                return False
            if w not in self.t[k + n].keys and self.t[k + n].norm != w:
                return False
        return True

    def _enclitic_on(self, k: int, prep: str) -> str:
        return _enclitic_after(self.t[k].norm, prep)

    def _first_mention(self, start: int, skip: int) -> Mention | None:
        k = start
        skipped = 0
        while k < len(self.t) and skipped <= skip:
            m = self.mention_from(k)
            if m is not None:
                return m
            tok = self.t[k]
            if is_quote(tok) or self.has(k, "transparent") or tok.norm[:1].isdigit() or self.has(k, "number_words") \
                    or self.has(k, "place_nouns"):
                k += 1
                skipped += 1
                continue
            if k == start and tok.norm in ("ل", "ب"):
                k += 1
                continue
            if k > start and self._adjective_like(k):
                k += 1  # مواقع عسكرية في سوريا: an adjective inside the object phrase
                skipped += 1
                continue
            other = self.cue_at.get(k)
            if k > start and other is not None and other.cue.apposition and other.cue.relation == "memberOf":
                # «مواقع تابعة لحماس»: the owner of what is named is the one reached
                return self._first_mention(other.last + 1, 1)
            if k > start and tok.norm in ("في", "داخل") and k + 1 < len(self.t):
                m = self.mention_from(k + 1) or (self.mention_from(k + 2) if self.has(k + 1, "place_nouns") else None)
                if m is not None and m.type == "Place":
                    return m  # ضربات على مواقع عسكرية في سوريا: where the targets are
            return None
        return None

    def _adjective_like(self, k: int) -> bool:
        """A word that reads as an adjective (nisba or participle ending), not a cue, name or function word."""
        tok = self.t[k]
        if tok.punct or k in self.cue_at or self.has_word(k, "stopwords") or self.at.get(k) is not None:
            return False
        norm = tok.norm
        participle = norm.startswith("م") and norm.endswith("ه") and len(norm) >= 5  # محددة، متفرقة
        return (norm.endswith(("يه", "يين", "يون", "ي")) and len(norm) >= 4) or participle

    def np_places(self, after: int) -> list[Mention]:
        """Places where an attack's targets are: «تحصينات الحوثيين داخل مطار الحديدة»."""
        k = after
        while k < len(self.t) and (is_quote(self.t[k]) or self._adjective_like(k)):
            k += 1
        if k < len(self.t) and self.t[k].norm in ("في", "داخل") and k + 1 < len(self.t):
            m = self.mention_from(k + 1) or (self.mention_from(k + 2) if self.has(k + 1, "place_nouns") else None)
            if m is not None and m.type == "Place":
                return self.coordinated(m)
        return []

    def _skip_apposition(self, k: int) -> int:
        """Past «الموالية للحكومة» / «التابعة لـX» after a noun phrase: the index after its object, or k."""
        other = self.cue_at.get(k)
        if other is None or not other.cue.apposition:
            return k
        m = self._first_mention(other.last + 1, 1)
        return self._end_of(m) + 1 if m is not None else k

    def direct_object(self, c: CueMatch, start: int, exclude: set[str], allowed_preps: Iterable[str]) -> list[Mention]:
        allowed = set(allowed_preps) | {""}
        k = self._skip_apposition(start)
        steps = 0
        while k < len(self.t) and steps < _WINDOW:
            tok = self.t[k]
            if tok.punct and tok.text not in _LIST_PUNCT and not is_quote(tok):
                break
            if k > start and self.is_boundary(k) and not (tok.text in _LIST_PUNCT):
                break
            if tok.text in _LIST_PUNCT:
                break
            m = self.mention_from(k)
            if m is not None and m.actor not in exclude:
                prep = self.mention_prep(m)
                if prep in allowed or (prep == "ل" and "ل" in allowed):
                    return self.coordinated(m)
                k = self._end_of(m) + 1
                steps += 1
                continue
            if m is not None:
                k = self._end_of(m) + 1
                continue
            if k in self.cue_at and self.cue_at[k].cue.kind == "relation" and k > c.last + 1:
                break
            k += 1
            steps += 1
        return []

    def antecedent(self, before: int, types: tuple[str, ...] = (), adjacent: bool = False) -> Mention | None:
        k = before - 1
        steps = 0
        while k >= 0 and steps < 12:
            m = self.mention_from(k)
            if m is not None and (not types or m.type in types):
                return m
            if adjacent and not self.t[k].punct and not self.has_word(k, "clause_openers") and not self.has(k, "superlatives"):
                if m is None:
                    return None
            k -= 1
            steps += 1
        return None

    def genitive(self, c: CueMatch) -> Mention | None:
        """The actor right after a verbal noun (its genitive), past numbers and coordinated nouns."""
        k = c.last + 1
        steps = 0
        while k < len(self.t) and steps < 3:
            m = self.mention_from(k)
            if m is not None:
                return None if self.mention_prep(m) else m
            tok = self.t[k]
            if tok.norm[:1].isdigit() or self.has(k, "number_words") or is_quote(tok) or self.has(k, "time_words"):
                k += 1
                steps += 1
                continue
            other = self.cue_at.get(k)
            if other is not None and other.cue.relation == c.cue.relation and tok.norm.startswith("و"):
                k = other.last + 1  # بمساندة وتخطيط روسي
                steps += 1
                continue
            return None
        return None

    def agent_by_marker(self, c: CueMatch) -> list[Mention]:
        found = self.marked_object(c, c.last + 1, c.cue.agents, window=4)
        return found[0] if found else []

    def scopes(self) -> list[_Scope]:
        out: list[_Scope] = []
        for c in self.cues:
            if c.cue.kind == "relation":
                continue
            if c.cue.pos == "noun" and c.cue.kind == "report":
                continue  # بيان / تصريح: not a scope on their own
            holder = self.subject_right(c) or self.subject_left(c)
            holders = [holder] if holder else []
            if holder is not None:
                holders = self.coordinated(holder)
            elif c.cue.kind in ("report", "claim", "deny") and c.cue.pos in ("participle",) and out:
                holders = []
            keys = [self.agent_key(h) for h in holders]
            if not keys and out and c.cue.pos == "participle":
                continue  # مضيفا / مشيرة: the same speaker goes on, in the same scope
            if not keys and c.cue.kind in ("deny", "claim") and self.prev_agent and c.first <= 2:
                keys = [self.prev_agent]
            end = len(self.t) - 1
            for k in range(c.last + 1, len(self.t)):
                if self.has_word(k, "main_clause_breaks"):
                    end = k - 1
                    break
            start = c.last + 1
            if holders:
                start = max(start, self._end_of(holders[-1]) + 1)
            party = any(self._is_party(k) for k in keys)
            kind = c.cue.kind
            if kind in ("deny", "claim") and any(self.has_word(k, "negators") for k in range(max(0, c.first - 3), c.first)):
                kind = "open"  # «لم تؤكد أو تنفي اجتماعها بطالبان»: neither confirmed nor denied
            out.append(_Scope(kind, start, end, keys, party, c))
        return out

    def _is_party(self, key: str) -> bool:
        t = self.type_of(key)
        if t in _PARTY_TYPES:
            return True
        if t == "Person":
            org = self.role_of.get(key)
            return org is not None and self.type_of(org) in _PARTY_TYPES
        return False

    def read(self, c: CueMatch) -> Frame | None:
        cue = c.cue
        f = Frame(c)
        if cue.pos in ("verb",):
            self.read_verb(c, f)
            noun = next((a for a in c.alternatives if a.pos == "noun"), None)
            if noun is not None and not ({"subject after the verb", "subject before the verb"} & set(f.how)):
                # no subject around it: read it as the verbal noun instead (استأنفت قوات النظام، صباح اليوم، قصف …)
                c2 = CueMatch(noun, c.first, c.last, c.text, c.enclitic, c.proclitic, (cue,))
                f = Frame(c2)
                self.read_noun(c2, f)
                f.how.insert(0, "no subject for a verb: read as its verbal noun")
        elif cue.pos in ("passive_participle", "passive_verb"):
            self.read_passive(c, f)
        elif cue.pos == "participle" and cue.apposition:
            self.read_apposition(c, f)
        else:
            self.read_noun(c, f)
        return f

    def _agent_ok(self, key: str, cue: Cue) -> bool:
        t = self.type_of(key)
        if cue.agent_types:
            return t in cue.agent_types
        return t not in ("Place", "")

    def _patient_ok(self, key: str, cue: Cue) -> bool:
        t = self.type_of(key)
        if cue.patient_types:
            return t in cue.patient_types
        return t != ""

    def read_verb(self, c: CueMatch, f: Frame) -> None:
        cue = c.cue
        rel_subject = self.relative_subject(c)
        patients_before: list[str] = []
        resumptive = bool(c.enclitic) or (
            c.last + 1 < len(self.t) and any(self._enclitic_on(c.last + 1, p) for p in cue.objects if len(p.split()) == 1)
        )
        # «السعودية التي تدعم الحكومة»: the relative clause's noun is the subject, unless a pronoun
        # in the clause takes it back as the object («الذي تسيطر عليه وحدات …»)
        subj = None if rel_subject is not None and not resumptive else self.subject_right(c)
        after = c.last + 1
        passive = False
        if subj is not None and cue.ambiguous_passive and (subj.type == "Civilians" or self._counted(subj)):
            passive = True  # قتل 10 مدنيين: the victims follow a passive verb
        if subj is not None and not passive:
            f.how.append("subject after the verb")
            subjects = self.coordinated(subj)
            after = self._end_of(subjects[-1]) + 1
            owner = self.mention_from(after) if after < len(self.t) else None
            if owner is not None and self.mention_prep(owner) == "ل" and self.t[owner.first_token].norm[:1] == "ل":
                after = self._end_of(owner) + 1  # «اتهم الجناح العسكري لحماس إسرائيل»: لحماس belongs to the subject
        else:
            rel = self.relative_subject(c)
            left = rel or self.subject_left(c)
            if left is not None and rel is None and cue.ambiguous_passive and self._counted(left):
                # «17 من المسلحين قتلوا»: counted people before a verb like قتل are its victims (قُتلوا)
                passive = True
                subjects = []
                patients_before = [m.actor for m in self._counted_group(left)]
                f.how.append("passive reading: counted victims before the verb")
            elif left is not None:
                f.how.append(_RELATIVE if rel else "subject before the verb")
                subjects = self.coordinated_left(left)
            else:
                subjects = []
        if subjects and not cue.symmetric:
            subjects += self._comitative(subjects[-1])
        agents = [self.agent_key(m) for m in subjects]
        patients: list[str] = []
        if passive and subj is None:
            patients = patients_before
            agents = [self.agent_key(m) for m in self.agent_by_marker(c)]
        if passive and subj is not None:
            patients = [m.actor for m in self.coordinated(subj)]  # اعتقل 20 متظاهرا / قتل 10 مدنيين
            by = self.agent_by_marker(c)
            agents = [self.agent_key(m) for m in by]
            f.how.append("passive reading: victims after the verb")
        if c.enclitic and c.enclitic in ("هم", "ها", "ه", "هما", "هن"):
            ante = self.antecedent(c.first)
            if ante is not None and ante.actor not in agents:
                patients = [ante.actor]
                f.how.append("object pronoun -> nearest actor before")
        if not patients and subjects and after > c.last + 1:
            nxt = self._first_mention(after, 1)
            if nxt is not None and not self.mention_prep(nxt) and nxt.actor not in agents:
                patients = [m.actor for m in self.coordinated(nxt)]  # VSO: the object right after the subject
                f.how.append("direct object after the subject")
        if not patients and not passive and subjects and after <= c.last + 1:
            first = c.last + 1
            while first < len(self.t) and is_quote(self.t[first]):
                first += 1
            m0 = self.mention_from(first) if first < len(self.t) else None
            if m0 is not None and not self.mention_prep(m0) and m0.actor not in agents and m0.source != "pronoun":
                # «الحوثيون قصفوا مستشفى الثورة في المدينة»: the object right after the verb, not the place after في
                patients = [m.actor for m in self.coordinated(m0)]
                f.how.append("direct object right after the verb")
        if not patients:
            found = self.marked_object(c, c.last + 1 if not subjects or after <= c.last + 1 else after, cue.objects)
            if found is None and subjects and after > c.last + 1:
                found = self.marked_object(c, c.last + 1, cue.objects)
            if found is not None:
                ms, marker = found
                if ms:
                    patients = [m.actor for m in ms]
                    f.how.append(f"object after {marker}")
                    if marker in ("في", "ب", "داخل"):
                        f.locative.update(m.actor for m in ms if m.type == "Place")
                elif "+" in marker:
                    ante = self._relative_antecedent(c)
                    listed = self._listed_after(c)
                    if ante is not None:
                        patients = [ante.actor]
                        f.how.append(f"object pronoun on {marker} -> antecedent")
                    elif listed:
                        patients = [m.actor for m in listed]
                        f.how.append("object pronoun, then «بما في ذلك X وY»: the places listed")
        if not patients and not passive:
            exclude = set(agents) | {m.actor for m in subjects}
            ms = self.direct_object(c, after, exclude, cue.objects)
            patients = [m.actor for m in ms]
            if ms:
                f.how.append("direct object")
        if not agents:
            agents = self.omitted_agent(c, f)
        self._add_target_places(c, f, patients)
        agents, patients = self._between(f, agents, patients)
        f.agents, f.patients = agents, patients

    def _between(self, f: Frame, agents: list[str], patients: list[str]) -> tuple[list[str], list[str]]:
        """«مفاوضات بين X وY», «اشتباكات بين X وY»: with no agent, the first party is the subject.

        Likewise «توصلت X وY إلى اتفاق»: two subjects of a symmetric relation are its two parties.
        """
        if f.match.cue.symmetric and not patients and len(agents) >= 2:
            f.how.append("two subjects of a symmetric relation: each other's party")
            return agents[:1], agents[1:]
        if agents or len(patients) < 2 or not any("بين" in h for h in f.how) or f.match.cue.relation == "mediates":
            return agents, patients
        f.how.append("بين X وY: the first party is the subject")
        return patients[:1], patients[1:]

    def _add_target_places(self, c: CueMatch, f: Frame, patients: list[str]) -> None:
        """For attacks, the place that holds the targets is a target too."""
        if c.cue.relation != "attacks" or not patients:
            return
        last = max((m for m in self.mentions if m.actor == patients[-1] and m.first_token > c.last), default=None,
                   key=lambda m: -m.first_token)
        if last is None or last.type == "Place":
            return
        for m in self.np_places(self._end_of(last) + 1):
            if m.actor not in patients:
                patients.append(m.actor)
                f.how.append("the place of the targets (في/داخل)")

    def _comitative(self, m: Mention) -> list[Mention]:
        """``شنت واشنطن مع باريس ولندن ضربات``: actors joined to a subject by مع act with it."""
        k = self._end_of(m) + 1
        if k < len(self.t) and self.t[k].norm == "مع":
            nxt = self.mention_from(k + 1)
            if nxt is not None and self.actorlike(nxt):
                return self.coordinated(nxt)
        return []

    def _listed_after(self, c: CueMatch) -> list[Mention]:
        """«… عليها بما في ذلك صنعاء وتعز»: the actors a list introducer names after the cue."""
        for k in range(c.last + 1, min(len(self.t), c.last + 5)):
            if self.has_word(k, "list_introducers"):
                q = k + 1
                while q < len(self.t) and self.t[q].norm in ("في", "ذلك", "فيها", "فيه", "ذلك،"):
                    q += 1
                m = self.mention_from(q)
                return self.coordinated(m) if m is not None else []
        return []

    def _victims_before(self, c: CueMatch) -> Frame | None:
        """A killing with victims and no killer right before a clash noun after a preposition, if any.

        «قُتل 17 من X خلال مواجهات مع Y», «مقتل جنديين في اشتباكات مع Y»: the death happened in the clash.
        """
        if c.first == 0 or self.t[c.first - 1].norm not in _PREPOSITIONS or not self.frames:
            return None
        prev = self.frames[-1]
        if prev.match.cue.relation != "kills" or not prev.patients or c.first - prev.match.last > 6:
            return None
        # a killer only guessed from the clause («أعلن الجيش مقتل …»: the announcer) yields to the named other side
        return prev if not prev.agents or _CLAUSE_AGENT in prev.how else None

    def _speaker_pronoun_at(self, k: int) -> bool:
        """True when the reported clause opens with أنه/أنها (past the time and punctuation after the verb)."""
        for q in range(k, min(k + 4, len(self.t))):
            if self.t[q].norm in ("انه", "انها", "انهم", "انهما"):
                return True
            if not (self.t[q].punct or self.has(q, "time_words")):
                return False
        return False

    def _counted(self, m: Mention) -> bool:
        """«17 من X وY», «عشرات من X», «20 X»: the mention, or the list it ends, is counted."""
        return self._counted_group(m) != []

    def _counted_group(self, m: Mention) -> list[Mention]:
        """The mentions of a counted list ending in ``m`` (a number, or a number and من, before its first), or []."""
        group = [m]
        for _ in range(4):
            first = group[0]
            k = first.first_token - 1
            if k >= 0 and self.has(k, "member_nouns") and not first.proclitic:
                k -= 1  # «ثلاثة من مقاتلي X»: the members counted are of X
            if k >= 1 and self.t[k].norm == "من" and self._is_number(k - 1):
                return group
            if k >= 0 and self._is_number(k) and self.t[k].norm != "من":
                return group
            conj = first.proclitic.startswith("و") or (k >= 0 and self.t[k].norm == "و")
            prev = self.mention_from(k - 1 if k >= 0 and self.t[k].norm == "و" else k) if conj and k >= 0 else None
            if prev is None or prev in group:
                return []
            group.insert(0, prev)
        return []

    def _number_before(self, m: Mention) -> bool:
        return m.first_token >= 1 and self._is_number(m.first_token - 1)

    def _is_number(self, k: int) -> bool:
        """A number written in digits or words (17, سبعة, عشرات)."""
        return self.t[k].norm[:1].isdigit() or self.has(k, "number_words")

    def _relative_antecedent(self, c: CueMatch) -> Mention | None:
        # التي تسيطر عليها المعارضة: the noun right before the relative pronoun
        k = c.first - 1
        while k >= 0 and not self.has_word(k, "relative_pronouns"):
            if c.first - k > 3:
                return None
            k -= 1
        if k <= 0:
            return None
        return self.at.get(k - 1)

    def omitted_agent(self, c: CueMatch, f: Frame) -> list[str]:
        if self.last_agent:
            f.how.append("omitted subject -> the previous event's agent")
            return list(self.last_agent)
        if self.prev_agent and c.first <= 3:
            f.how.append("omitted subject -> the previous sentence's agent")
            return [self.prev_agent]
        return []

    def read_passive(self, c: CueMatch, f: Frame) -> None:
        cue = c.cue
        if cue.pos == "passive_verb":
            subj = self.subject_right(c, allow_place=True)
            patients = [m.actor for m in self.coordinated(subj)] if subj else []
        else:
            ante = self.antecedent(c.first)
            if ante is not None and c.first - self._end_of(ante) > 4:
                ante = None
            patients = [m.actor for m in ([ante] if ante else [])]
        by = self.agent_by_marker(c)
        f.agents = [self.agent_key(m) for m in by]
        f.patients = patients
        f.how.append("passive: patient before/after, agent after " + "/".join(cue.agents))
        if not f.agents:
            f.how.append("no agent stated (filled from the document if another sentence names one)")
            f.decision = "presupposed"

    def read_apposition(self, c: CueMatch, f: Frame) -> None:
        ante = self.antecedent(c.first, adjacent=True)
        found = self.marked_object(c, c.last + 1, c.cue.objects, window=3)
        f.agents = [self.agent_key(ante)] if ante else []
        f.patients = [m.actor for m in found[0]] if found else []
        f.how.append("apposition: the actor before, marked object after")

    def read_noun(self, c: CueMatch, f: Frame) -> None:
        cue = c.cue
        agents: list[str] = []
        patients: list[str] = []
        gen = self.genitive(c)
        if c.enclitic in ("ه", "ها", "هم", "هما") and not cue.apposition:
            # لقائه X / اتصالاته مع X: the pronoun is the agent, what follows is the patient
            ante = self._pronoun_antecedent(c)
            if ante is not None:
                agents = [ante]
                f.how.append("pronoun suffix on the noun -> its agent")
            if gen is not None and cue.genitive != "patient":
                # a noun with a pronoun suffix takes no genitive: the actor after it is its object
                patients = [m.actor for m in self.coordinated(gen)]
                gen = None
                f.how.append("the actor after it is the patient")
        if gen is not None and cue.apposition and c.enclitic:
            # حليفتها موسكو: the pronoun is the one supported, the actor after it the supporter
            ante = self._pronoun_antecedent(c)
            if ante is not None:
                agents = [self.agent_key(m) for m in self.coordinated(gen)]
                patients = [ante]
                gen = None
                f.how.append("ally noun with a pronoun: the actor after supports the pronoun's antecedent")
        if gen is not None:
            role = cue.genitive
            if role == "auto":
                role = "patient" if gen.type in ("Place", "Civilians") else "agent"
            if role == "agent" and gen.type == "Place" and not self._metonym(gen):
                role = "patient"
            after_gen = self._end_of(gen) + 1
            if role == "agent" and cue.relation == "accuses" and after_gen < len(self.t) and self.t[after_gen].norm[:1] == "ب":
                role = "patient"  # اتهام دمشق بتنفيذ هجوم: the accused, charged with ب
            if role == "agent":
                agents = [self.agent_key(m) for m in self.coordinated(gen)]
            else:
                patients = [m.actor for m in self.coordinated(gen)]
            f.how.append(f"genitive is the {role}")
        by = self.agent_by_marker(c)
        if by and not agents:
            agents = [self.agent_key(m) for m in by]
            f.how.append("agent after " + "/".join(cue.agents))
        if not patients:
            found = self.marked_object(c, c.last + 1, cue.objects, window=6)
            if found is not None and found[0]:
                cand = [m.actor for m in found[0] if m.actor not in agents]
                if cand:
                    patients = cand
                    f.how.append(f"object after {found[1]}")
                    if found[1] in ("في", "ب", "داخل"):
                        f.locative.update(m.actor for m in found[0] if m.type == "Place")
                    if found[1] == "بين" and len(cand) >= 2 and not agents and cue.relation != "mediates":
                        # «اتفاق بين X وY»: the two parties are the relation's two ends
                        agents, patients = cand[:1], cand[1:]
                        f.how.append("بين X وY: the first party is the subject")
            elif found is not None and "+" in found[1]:
                listed = self._listed_after(c)
                if listed:
                    patients = [m.actor for m in listed]  # «سيطرتهم عليها بما في ذلك صنعاء وتعز»
                    f.how.append("object pronoun, then «بما في ذلك X وY»: the places listed")
        if cue.apposition and not agents:
            before = self.antecedent(c.first, adjacent=True)
            if before is not None:
                agents = [self.agent_key(before)]
                f.how.append("apposition: the actor before")
        if not agents and cue.result:
            agents = list(self.last_agent)
            if agents:
                f.how.append("outcome noun: agent of the event before")
        if not agents:
            resp = self._responsible_for(c)
            if resp is not None:
                agents = [self.agent_key(resp)]
                f.how.append("«مسؤولية X عن …»: X is the agent")
        if not agents:
            rel_agent = self._relative_agent(c)
            if rel_agent is not None:
                agents = [self.agent_key(rel_agent)]
                f.how.append("agent named in the relative clause after it")
                if not patients:
                    # «الحملة التي شنتها القوات على مواقع الحركة»: the object follows the clause's agent
                    found = self.marked_object(c, self._end_of(rel_agent) + 1, cue.objects, window=5)
                    if found is not None and found[0]:
                        patients = [m.actor for m in found[0] if m.actor not in agents]
                        f.how.append(f"object after {found[1]}, past the relative clause")
        if not agents and (cue.result or self._after_result_phrase(c)) and self.last_agent:
            agents = list(self.last_agent)  # «… أسفرت عن مقتل X»: the killer is the agent of what resulted in it
            f.how.append("after a result phrase: agent of the event before")
        victims = self._victims_before(c) if not agents and patients and cue.relation == "attacks" else None
        if victims is not None:
            # «قُتل 17 من X خلال مواجهات مع Y»: Y fought X, and killed those of X who died
            victims.agents = [p for p in patients if p not in victims.patients]
            if _CLAUSE_AGENT in victims.how:
                victims.how.remove(_CLAUSE_AGENT)
            agents, patients = list(victims.agents), list(victims.patients)
            victims.how.append("killed in the clash that follows: its other side is the killer")
            f.how.append("a clash after a killing with no killer: its other side attacks the victims")
        adverbial_here = cue.adverbial and ("ب" in c.proclitic or (c.first > 0 and self.t[c.first - 1].norm in ("طريق", "عبر")))
        if not agents and not adverbial_here:
            left = self._clause_actor_left(c)
            if left is not None:
                group = self.coordinated_left(left)
                group += self._comitative(group[-1])
                agents = [self.agent_key(m) for m in group]
                f.how.append(_CLAUSE_AGENT)
        if (not agents or not patients) and self.t[c.first].norm.startswith("و") and self.frames:
            prev = self.frames[-1]
            if prev.match.last < c.first:
                if not agents:
                    agents = list(prev.agents)
                if not patients and prev.match.cue.relation == cue.relation or not patients and cue.relation in ("attacks", "kills"):
                    patients = patients or list(prev.patients)
                f.how.append("coordinated with the event before: shares its arguments")
        if not agents and c.first > 0 and (
            self.t[c.first - 1].norm in _PREPOSITIONS or c.proclitic.strip("وف")[:1] in ("ب", "ل")
        ):
            inherited = list(self.last_agent) or ([self.prev_agent] if self.prev_agent and not self.frames else [])
            if inherited and inherited != patients[:1]:
                agents = inherited
                f.how.append("verbal noun after a preposition: agent of the event before")
        if not agents and self._after_result_phrase(c):
            agents = list(self.last_agent)
            if agents:
                f.how.append("after a result phrase: agent of the event before")
        if not patients and agents:
            undergoer = self._undergoer(c)
            if undergoer is not None:
                patients = [m.actor for m in self.coordinated(undergoer)]
                f.how.append("تعرض X لـ: X undergoes the event")
        self._add_target_places(c, f, patients)
        agents, patients = self._between(f, agents, patients)
        f.agents, f.patients = agents, patients

    def _pronoun_antecedent(self, c: CueMatch) -> str | None:
        """The actor a pronoun suffix refers to: the nearest non-place actor before, else the previous agent."""
        ante = self.antecedent(c.first)
        while ante is not None and ante.type == "Place" and not self._metonym(ante):
            ante = self.antecedent(self._start_of(ante))
        if ante is not None and not any(self.is_boundary(k) and self.t[k].text not in _LIST_PUNCT
                                        and not self.has_word(k, "relative_pronouns")
                                        for k in range(self._end_of(ante) + 1, c.first)):
            return self.agent_key(ante)  # a relative clause does not stop a pronoun from looking back
        if self.last_agent:
            return self.last_agent[0]
        return self.prev_agent

    def _undergoer(self, c: CueMatch) -> Mention | None:
        """«تعرض بلدة X لهجوم من Y»: the subject of an undergo verb before the event noun is its patient."""
        for k in range(max(0, c.first - 6), c.first):
            if self.has(k, "undergo_verbs"):
                return self._first_mention(k + 1, 2)
        return None

    def _after_result_phrase(self, c: CueMatch) -> bool:
        for k in range(max(0, c.first - 3), c.first):
            if self.has_word(k, "result_words"):
                return True
        return False

    def _clause_actor_left(self, c: CueMatch) -> Mention | None:
        k = c.first - 1
        steps = 0
        while k >= 0 and steps < _WINDOW:
            m = self.mention_from(k)
            if self.t[k].punct and self.t[k].text in _SKIP_PUNCT | _LIST_PUNCT:
                k -= 1
                continue
            if m is not None:
                if not self.actorlike(m) or self.mention_prep(m) not in ("",):
                    k = self._start_of(m) - 1
                    steps += 1
                    continue
                if self._is_reporter(m):
                    return None
                before = self.cue_at.get(self._start_of(m) - 1)
                if before is not None and before.cue.kind == "relation" and before.cue.pos == "verb":
                    return None  # the subject of another verb (أدانت X الهجوم) is not this noun's agent
                if before is not None and before.cue.adverbial:
                    k = self._start_of(m) - 1  # «برعاية مصر»: the mediator is not the agent of the event
                    steps += 1
                    continue
                return m
            if self.has_word(k, "relative_pronouns"):
                # «حركة طالبان التي تشن هجمات»: the agent is the noun the relative clause describes
                q = k - 1
                while q >= 0 and (self.t[q].text in _LIST_PUNCT or is_quote(self.t[q])):
                    q -= 1
                ante = self.mention_from(q) if q >= 0 else None
                return ante if ante is not None and self.actorlike(ante) and not self.mention_prep(ante) else None
            if self.is_boundary(k) and self.t[k].text not in _LIST_PUNCT:
                return None
            other = self.cue_at.get(k)
            if other is not None and other.cue.kind == "relation" and other.cue.pos == "verb":
                return None  # the subject of another verb (أدانت X الهجوم) is not this noun's agent
            k -= 1
            steps += 1
        return None

    def _responsible_for(self, c: CueMatch) -> Mention | None:
        """«نفت مسؤولية قوات النظام عن (شن أي) هجوم»: the one held responsible is the event's agent."""
        k = c.first - 1
        while k > c.first - 3 and k >= 1 and self.t[k].norm != "عن" and not self.t[k].punct and k not in self.at:
            k -= 1  # «عن شن أي هجوم», «عن تنفيذ الهجوم»: a light verb or a quantifier between
        if k < 1 or self.t[k].norm != "عن":
            return None
        m = self.mention_from(k - 1)
        if m is None:
            return None
        q = self._start_of(m) - 1
        if q >= 0 and self.has(q, "responsibility_words") and self.actorlike(m):
            return m
        return None

    def _relative_agent(self, c: CueMatch) -> Mention | None:
        """``الهجوم الذي شنته X``, ``هجمات يشنها X``: the agent named in a clause right after an event noun."""
        k = c.last + 1
        if k < len(self.t) and self.has_word(k, "relative_pronouns"):
            k += 1
        elif not (k < len(self.t) and k not in self.at and self.t[k].text.endswith(("ها", "ه", "هم"))):
            return None  # without a relative pronoun, the verb must carry the pronoun (يشنها; not a ta marbuta)
        for q in range(k + 1, min(len(self.t), k + 3)):
            m = self.mention_from(q)
            if m is not None:
                return None if self.mention_prep(m) or not self.actorlike(m) else m
        return None

    def _is_reporter(self, m: Mention) -> bool:
        for c in self.cues:
            if c.cue.kind in ("report", "claim", "deny") and c.last < m.first_token <= c.last + 6:
                return not self._is_party(self.agent_key(m))
        return False

    def adverbials(self) -> None:
        """``بوساطة X`` / ``بدعم X``: X relates to the participants of the nearest event."""
        for f in self.frames:
            cue = f.match.cue
            if not cue.adverbial or f.patients:
                continue
            others = [g for g in self.frames if g is not f and g.agents and not g.match.cue.adverbial]
            if not others and cue.relation == "supports":
                first = next(
                    (m for m in self.mentions if m.last_token < f.match.first and m.type != "Place"
                     and not self.mention_prep(m) and not self._is_reporter(m)), None)
                if first is not None:
                    f.patients = [self.agent_key(first)]
                    f.how.append("support of the clause's subject")
                continue
            if not others:
                if cue.relation == "mediates":
                    parties = [
                        m.actor for m in self.mentions
                        if m.type not in ("Place", "MediaOutlet", "Civilians") and self.agent_key(m) not in f.agents
                        and not self._is_reporter(m)
                    ]
                    f.patients = list(dict.fromkeys(parties))
                    f.how.append("mediation without بين: the actors of the sentence")
                continue
            nearest = min(others, key=lambda g: abs(g.match.first - f.match.first))
            if cue.relation == "mediates":
                f.patients = [k for k in dict.fromkeys(nearest.agents + nearest.patients) if self.type_of(k) != "Place"]
                f.how.append("mediation of the nearest event: its parties")
            else:
                f.patients = list(nearest.agents)
                f.how.append("support of the nearest event's agent")

    def event_objects(self) -> None:
        """``أدانت X الهجوم الذي شنته Y``: a verb whose object is an event relates to that event's agent."""
        for f in self.frames:
            if f.patients or f.match.cue.relation not in ("condemns", "accuses", "threatens") or not f.agents:
                continue
            for g in self.frames:
                if g is f or g.match.cue.pos != "noun" or not g.agents:
                    continue
                if 0 < g.match.first - f.match.last <= 4:
                    f.patients = [a for a in g.agents if a not in f.agents]
                    f.how.append(f"object is the event «{g.match.text}»: its agent")
                    break

    def modality(self, f: Frame, scopes: list[_Scope]) -> None:
        c = f.match
        if c.cue.relation in _DESCRIPTIVE or c.cue.apposition:
            return  # «جيش الإسلام المنتمي إلى المعارضة»: the writer's description, not the speaker's claim
        if f.decision == "presupposed":
            pass
        for k in range(max(0, c.first - 3), c.first):
            if self.has_word(k, "negators") and not self.t[k].punct:
                f.modality, f.decision = "Denied", "negated"
        causal = c.first > 0 and self.has(c.first - 1, "causal_words")  # «نتيجة لسيطرة»: a cause, not a purpose
        purpose = c.cue.pos == "noun" and "ل" in c.proclitic and c.cue.relation in _PURPOSE_RELATIONS and not causal
        if (purpose or self._irrealis(c)) and c.cue.relation != "threatens" and f.decision != "negated":
            f.decision = "hypothetical"
            return
        inner = [s for s in scopes if s.start <= c.first <= s.end and s.cue.first < c.first]
        if not inner:
            if f.modality == "Denied" and self.prev_agent is None:
                f.by = None
            return
        denials = [s for s in inner if s.kind == "deny"]
        s = denials[-1] if denials else inner[-1]  # what a denial covers is denied, even inside a claim
        holder = s.holders[0] if s.holders else None
        inherited = any("the event before" in h or "previous sentence" in h for h in f.how)
        if (not f.agents or inherited) and holder and s.kind == "report" and self._speaker_pronoun_at(s.start):
            f.agents = [self.role_of.get(holder, holder)]  # «قالت الحكومة إنها …»: the pronoun is the speaker
            f.how.append("omitted subject after إنها: the speaker")
        if s.kind == "open":
            if f.decision != "presupposed" and _RELATIVE not in f.how:
                f.decision = "hypothetical"  # what nobody confirms or denies is not stated
            return
        if s.kind == "deny":
            if f.decision == "presupposed" or _RELATIVE in f.how:
                return  # a description (الغوطة المحاصرة, الفصائل التي تسيطر على دوما) is not what is denied
            source = self._claim_source(s.start, s.end)
            if any("مسؤولية X" in h for h in f.how):
                source = None  # «نفت مسؤولية X عن الهجوم»: X stays the agent of what is denied
            if c.cue.relation == "accuses" and source is not None and source in f.agents:
                return  # «نفى الاتهامات الأميركية»: the accusation was made; what it charges is denied
            base_agents = [a for a in f.agents if a != source]
            base_patients = list(f.patients) or ([source] if source else [])
            copies = []
            for n, h in enumerate(s.holders or [None]):
                g = f if n == 0 else Frame(f.match, list(f.agents), list(f.patients), set(f.locative), list(f.how))
                g.modality, g.by = "Denied", h
                # what is denied takes its missing parts from the denial: the denier (or its organisation), the claim's source
                org = self.role_of.get(h or "", h)
                g.agents = list(base_agents) or ([org] if org else [])
                g.patients = [p for p in base_patients if p not in g.agents]
                if not base_agents:
                    g.how.append("denied content: omitted subject is the denier")
                if n:
                    copies.append(g)
            self.frames.extend(copies)
            return
        if s.kind == "claim":
            if f.modality != "Denied":
                f.modality = "Claimed"
            f.by = holder
            return
        if s.kind == "report" and s.party:
            if f.modality != "Denied":
                f.modality = "Claimed"
            f.by = holder
            if not f.agents and holder and c.cue.pos == "noun":
                f.agents = [self.role_of.get(holder, holder)]
        elif f.modality == "Denied":
            f.by = holder

    def modality_at(self, k: int, scopes: list[_Scope]) -> tuple[str, str | None, bool]:
        """The modality an event read at token ``k`` would take from the scopes of the sentence:
        (modality, who claims or denies it, whether it is hypothetical or under a negation anywhere
        before it: «لا يعني أن X تدعم Y»). Frames are left as they are."""
        f = Frame(CueMatch(Cue("event", "relation", None, "particle", ()), k, k, ""))
        frames = list(self.frames)
        self.modality(f, scopes)
        self.frames = frames
        if f.modality == "Asserted":
            for acc in frames:
                # «اتهم X Y بالتواطؤ مع Z»: what follows an accusation in its clause is the accuser's claim
                if f.modality == "Asserted" and acc.match.cue.relation == "accuses" and acc.agents \
                        and acc.match.last < k <= self._accusation_end(acc):
                    f.modality, f.by = "Claimed", acc.agents[0]
        negated = any(self.has_word(q, "negators") for q in range(0, k))
        return f.modality, f.by, f.decision == "hypothetical" or negated

    def _accusation_end(self, acc: Frame) -> int:
        """The last token of an accusation's clause (its charge)."""
        for k in range(acc.match.last + 1, len(self.t)):
            if self.has_word(k, "main_clause_breaks") or (
                    self.t[k].punct and self.t[k].text not in _LIST_PUNCT | _SKIP_PUNCT and not is_quote(self.t[k])):
                return k - 1
        return len(self.t) - 1

    def control_frames(self) -> None:
        """«مدينة X الخاضعة لسيطرة Y», «X … بيد Y», «تحريرها من قبضة Y»: Y holds the place before the phrase."""
        phrases = self.lex.derived("control_phrases", lambda: sorted(
            (tuple(normalize(w) for w in p.split()) for p in self.lex.patterns.get("control_phrases", [])),
            key=len, reverse=True,
        ))
        by_first: dict[str, list[int]] = self.lex.derived("control_by_first", lambda: index_by_first(phrases))
        firsts = by_first.keys()
        after = 0  # the first token after the last phrase found
        # the words that may start a phrase (see _phrases_at), and «من» (تحريرها من …)
        for k in [k for k, tok in enumerate(self.t)
                  if not firsts.isdisjoint(tok.keys) or tok.norm[1:] in firsts or tok.norm == "من"]:
            if k < after:
                continue
            hit: tuple[str, ...] | None = None
            tok = self.t[k]
            for words in self._phrases_at(tok, phrases, by_first):
                if all(k + n < len(self.t) and self._word_is(k + n, w) for n, w in enumerate(words)):
                    hit = words
                    break
            if hit is None and self.t[k].norm == "من" and k - 1 >= 0 and (k - 1) in self.cue_at:
                lib = self.cue_at[k - 1]
                if lib.cue.relation == "captures" and lib.cue.pos == "noun" and self.has(lib.first, "liberation_nouns"):
                    hit = ("من",)  # «تحريرها من الحوثيين»: the liberators took it from them
            if hit is None:
                continue
            end = k + len(hit)
            holder = self._first_mention(end, 1)
            if holder is None and end - 1 >= 0:
                holder = self.at.get(end - 1) if self.at.get(end - 1) and self.at[end - 1].first_token == end - 1 else None
            place = None
            before = k - 1
            if before >= 0 and self.t[before].norm.endswith(("ها", "ه")) and before in self.cue_at:
                # «تحريرها من قبضة X»: the pronoun is the place the sentence is about (its first place)
                place = next((m for m in self.mentions if m.type == "Place" and m.last_token < before), None)
            else:
                for q in range(k - 1, max(-1, k - 5), -1):
                    m = self.at.get(q)
                    if m is not None and m.type == "Place":
                        place = m
                        break
            if holder is not None and place is not None and self.actorlike(holder) and holder.type != "Place":
                cue = Cue("control", "relation", "captures", "particle", hit, confidence=0.65)
                text = self.s.text[self.t[k].start - self.s.start : self.t[end - 1].end - self.s.start]
                holders = self.coordinated(holder)
                self.frames.append(Frame(CueMatch(cue, k, end - 1, text), [self.agent_key(h) for h in holders],
                                         [place.actor], how=["control phrase: the holder after it, the place before it"]))
            after = end

    def _phrases_at(self, tok: Token, phrases: list[tuple[str, ...]], by_first: dict[str, list[int]]
                    ) -> list[tuple[str, ...]]:
        """The phrases whose first word ``tok`` may be (see :meth:`_word_is`), in their order in ``phrases``."""
        if by_first.keys().isdisjoint(tok.keys) and tok.norm[1:] not in by_first:  # the keys start with norm
            return []
        return [phrases[n] for n in sorted({n for x in (tok.norm[1:], *tok.keys) for n in by_first.get(x, ())})]

    def _word_is(self, k: int, word: str) -> bool:
        norm = self.t[k].norm
        return norm == word or word in self.t[k].keys or (norm[:1] in "وف" and norm[1:] == word)

    def accusations(self) -> None:
        """What an accuser says the accused did is claimed by the accuser; «المفترض» marks a claim too."""
        for f in self.frames:
            c = f.match
            if f.modality == "Asserted" and any(self.has(k, "alleged_words") for k in range(c.last + 1, min(len(self.t), c.last + 4))):
                f.modality = "Claimed"
                f.how.append("«alleged» after it: a claim, not a fact")
        for acc in [f for f in self.frames if f.match.cue.relation == "accuses"]:
            charge = next((g for g in self.frames if g.match.first > acc.match.last and "ب" in g.match.proclitic
                           and g.match.cue.relation != "accuses"), None)
            if charge is not None and acc.patients and charge.match.first - acc.match.last <= 8:
                # اتهم X Y بدعم Z: Y is the one charged; a genitive after the charge is its object
                if any("genitive is the agent" in h for h in charge.how):
                    charge.patients = [a for a in charge.agents if a not in acc.patients] or charge.patients
                charge.agents = list(acc.patients)
                charge.how.append("the charge of an accusation: the accused is its agent")
            end = len(self.t) - 1
            for k in range(acc.match.last + 1, len(self.t)):
                if self.has_word(k, "main_clause_breaks") or (self.t[k].punct and self.t[k].text not in _LIST_PUNCT | _SKIP_PUNCT and not is_quote(self.t[k])):
                    end = k - 1
                    break
            for f in self.frames:
                if f is acc or f.match.cue.relation == "accuses" or not acc.match.last < f.match.first <= end:
                    continue
                if f.match.cue.relation in _DESCRIPTIVE or f.match.cue.apposition or _RELATIVE in f.how:
                    continue  # «جيش الإسلام المنتمي إلى المعارضة»: the writer describes the accuser, no charge
                if f.modality == "Asserted":
                    f.modality = "Claimed"
                    f.by = acc.agents[0] if acc.agents else None
                    f.how.append("the charge of an accusation: claimed by the accuser")

    @cached_property
    def _directives(self) -> list[int]:
        """The tokens that are directives (طالب، دعا), in order."""
        return [k for k, lists in enumerate(self.word_lists) if "directives" in lists]

    def _irrealis(self, c: CueMatch) -> bool:
        for k in self._directives:
            if k >= c.first:
                break
            # «طالب X بوقف القصف … للسماح بالتفاوض», «دعا إلى …»: what is asked for has not happened,
            # but a relative clause inside it describes what is so («المناطق التي فرضوا سيطرتهم عليها»)
            if not any(
                self.has_word(q, "main_clause_breaks") or self.t[q].text in (".", "؛") or self.has_word(q, "relative_pronouns")
                for q in range(k + 1, c.first)
            ):
                return True
        for k in range(max(0, c.first - 3), c.first):
            if self.has_word(k, "irrealis"):
                return True
            if self.has_word(k, "modal_particles") and k + 1 < len(self.t) and self.t[k + 1].norm[:1] in "يتن":
                return True
        return False

    def deny_frames(self, scopes: list[_Scope]) -> None:
        """A denial gives ``denies`` from the denier to whoever the denied claim came from or is about.

        The target is, in order: the claim's source (الادعاءات الروسية); the accusers of the
        sentence when the denial is of responsibility or claims; the other parties of the denied
        content. A denial with no content of its own answers what the sentence said before it
        (those events become Denied), or else what the previous sentence said (see the pipeline).
        """
        for s in scopes:
            if s.kind != "deny" or not s.holders:
                continue
            # «نفت X مسؤولية النظام، مشددة على أنه ادعاءات من قبل Y»: the claim's source may follow the scope
            # a claim whose source is named (ادعاءات من قبل Y) outranks whom the denied content is about
            # (مسؤولية النظام); the source may follow the scope: «…، مشددة على أنه ادعاءات من قبل Y»
            source = self._claim_source(s.start, self._clause_end(s.end + 1), named_only=True) \
                or self._claim_source(s.start, s.end)
            accusers = [a for f in self.frames if f.match.cue.relation == "accuses" and f.match.last < s.cue.first
                        for a in f.agents]
            mentions_claim = any(self.has(k, "claim_nouns") for k in range(s.start, min(s.end + 1, len(self.t))))
            own_content = any(f.modality == "Denied" and s.start <= f.match.first <= s.end for f in self.frames)
            earlier = [] if own_content else [
                f for f in self.frames if f.match.last < s.cue.first and f.agents and f.patients
                and f.match.cue.relation not in _DESCRIPTIVE and not f.match.cue.apposition
                and f.match.cue.relation != "accuses" and f.match.cue.kind == "relation"
            ]
            for holder in s.holders:
                org = self.role_of.get(holder, holder)
                targets: list[str] = []
                how = "denial: the claim's source"
                if source:
                    targets = [source]
                elif accusers and (mentions_claim or earlier):
                    targets = [a for a in accusers if a not in (holder, org)]
                    how = "denial: answers the accusers of the sentence"
                elif own_content:
                    for f in self.frames:
                        if f.modality == "Denied" and s.start <= f.match.first <= s.end:
                            targets += [k for k in f.agents + f.patients if k not in (holder, org) and self.type_of(k) != "Place"]
                    how = "denial: the denied content's other party"
                for f in earlier:
                    # «تتهم السعودية إيران بدعم الحوثيين، لكن طهران تنفي»: what came before is denied
                    if f.by and f.by not in (holder, org) and not accusers:
                        targets.append(f.by)
                        how = "denial: whoever claimed what the sentence said before"
                    if f.modality != "Denied":
                        f.modality, f.by = "Denied", holder
                        f.how.append("denied later in the sentence")
                for f in self.frames:
                    if f.modality == "Denied" and f.by in s.holders and s.start <= f.match.first <= s.end and not f.patients and source \
                            and not any("مسؤولية X" in h for h in f.how):
                        f.patients = [source]
                for t in dict.fromkeys(targets):
                    self.frames.append(Frame(s.cue, [holder], [t], how=[how]))
                if not targets and not own_content and not earlier:
                    self.open_denials.append(holder)
        # falsity predicates: «الادعاءات الروسية كاذبة» said by a speaker
        for k, tok in enumerate(self.t):
            if not self.has(k, "falsity_predicates"):
                continue
            speaker = next((s for s in scopes if s.kind == "report" and s.start <= k <= s.end and s.holders), None)
            source = self._claim_source(max(0, k - 4), k)
            if speaker is None or source is None:
                continue
            fake = CueMatch(Cue("falsity", "deny", "denies", "particle", (tok.norm,)), k, k, tok.text)
            for holder in speaker.holders:
                self.frames.append(Frame(fake, [holder], [source], how=["a speaker calls the claim false"]))

    def _clause_end(self, k: int) -> int:
        """The last token of the stretch from ``k`` before another speaker's verb (of saying, claiming, denying)."""
        nxt = min((c.first for c in self.cues if c.first >= k and c.cue.kind in ("report", "claim", "deny")
                   and c.cue.pos == "verb"), default=len(self.t))
        return nxt - 1

    def _claim_source(self, start: int, end: int, named_only: bool = False) -> str | None:
        """Whose claim a claim noun in [start, end] is (الادعاءات الروسية, مزاعم X); ``named_only``
        skips nouns of responsibility (مسؤولية X names who it is about, not whose claim it is)."""
        for k in range(start, min(end + 1, len(self.t))):
            if self.has(k, "claim_nouns") and not (named_only and self.has(k, "responsibility_words")) \
                    and not self.has(k - 1, "agency_nouns"):  # «وكالات أنباء روسية»: news agencies, not reports
                m = self.at.get(k + 1)
                if m is not None and m.type != "Place":
                    return self.agent_key(m)
                q = k + 1
                while q < len(self.t) and q - k <= 2 and self.has(q, "agent_preps"):
                    q += 1  # «ادعاءات من قبل X», «مزاعم من X»
                while q < len(self.t) and is_quote(self.t[q]):
                    q += 1
                m = self.at.get(q) if q > k + 1 and q < len(self.t) and self.has(k + 1, "agent_preps") else None
                if m is not None:
                    return self.agent_key(m)
        return None


def extract_relations(
    sentence: Sentence,
    found: SentenceMentions,
    lex: Lexicon,
    types: dict[str, str],
    role_of: dict[str, str],
    prev_agent: str | None = None,
) -> tuple[list[Statement], str | None, Trace]:
    """The relations one sentence states.

    Args:
        sentence: the tokenised sentence.
        found: its mentions (from :func:`kg.mentions.find_mentions`).
        lex: the lexicons.
        types: actor key -> actor type, for every actor known so far.
        role_of: person key -> organisation key, from titles seen so far.
        prev_agent: the main agent of the previous sentence (for omitted subjects).

    Returns:
        The statements, the agent this sentence hands to the next, and a trace.
    """
    work = _Sentence(sentence, found, lex, prev_agent, role_of, types)
    frames: list[Frame] = []
    rel_cues = [c for c in work.cues if c.cue.kind == "relation"]
    scopes = work.scopes()
    for c in rel_cues:
        if c.cue.relation in _FORCE and work.sport_or_market(c):
            continue  # «هاجم اللاعب», «سيطر الفريق على المباراة», «قتل الوقت»: no armed force
        f = work.read(c)
        if f is None:
            continue
        work.frames.append(f)
        if f.agents:
            work.last_agent = list(f.agents)
    for f in work.frames:
        if f.match.cue.relation == "protestsAgainst" and not f.agents and f.patients and "actor:protesters" in lex.actors:
            f.agents = ["actor:protesters"]  # «تظاهر الآلاف ضد …»: whoever they are, they are protesters
            f.how.append("no protester named: the protesters")
    work.control_frames()
    work.adverbials()
    work.event_objects()
    for f in list(work.frames):
        work.modality(f, scopes)
    work.accusations()
    work.deny_frames(scopes)
    frames = work.frames
    statements: list[Statement] = []
    for f in frames:
        cue = f.match.cue
        rel = cue.relation
        if rel is None:
            continue
        if f.decision == "hypothetical":
            continue
        if not f.agents and f.decision == "presupposed":
            for p in dict.fromkeys(f.patients):
                if work._patient_ok(p, cue):
                    statements.append(
                        Statement(OPEN, rel, p, f.modality, f.match.text, round(cue.confidence * 0.7, 2),
                                  (sentence.index,), f.by, None, 1, f"{cue.id}: " + "; ".join(f.how))
                    )
            continue
        for a in dict.fromkeys(f.agents):
            for p in dict.fromkeys(f.patients):
                if a == p or not a or not p:
                    continue
                a = work.state_of(a)  # an agent is never a place: a capital or country acts as its state
                if p.startswith("place:") and work.state_of(p) == a:
                    continue  # «أنقرة … تركيا»: a state and its own territory are not two parties
                if rel not in _PLACE_PATIENTS:
                    if p in f.locative:
                        continue  # «محادثات في الدوحة»: where they met, not with whom
                    p = work.state_of(p)  # اتهام دمشق: the capital stands for its state
                if a == p or not work._agent_ok(a, cue) or not work._patient_ok(p, cue):
                    continue
                conf = cue.confidence * (0.7 if f.decision == "presupposed" else 1.0)
                statements.append(
                    Statement(a, rel, p, f.modality, f.match.text, round(conf, 2), (sentence.index,),
                              f.by, None, 1, f"{cue.id}: " + "; ".join(f.how))
                )
        if not f.decision and (not f.agents or not f.patients):
            f.decision = "incomplete: " + ("no agent" if not f.agents else "no object")
        elif not f.decision:
            f.decision = f.modality
    for r in found.roles:
        if r.relation and r.org:
            statements.append(
                Statement(r.person, r.relation, r.org, "Asserted", r.cue, 0.8, (sentence.index,), None, None, 1,
                          "title: a title before a personal name")
            )
    # the frame trace keeps presupposed frames without agents for the document pass
    main = next((f.agents[0] for f in frames if f.agents and f.match.cue.kind == "relation"), None)
    if main is None:
        main = next((s.holders[0] for s in scopes if s.holders and s.kind != "report"), None)
    reporters = [h for s in scopes if s.kind in ("report", "claim") for h in s.holders]
    trace = Trace(sentence, tuple(found.mentions), work.cues, frames, list(dict.fromkeys(work.open_denials)), reporters,
                  modality_at=lambda k: work.modality_at(k, scopes))
    return statements, main or prev_agent, trace


def located_in(sentence: Sentence, found: SentenceMentions, lex: Lexicon) -> list[Statement]:
    """``locatedIn`` stated by place phrases: «بلدة الزبداني في ريف دمشق», «X عن بقية مدن Y».

    Args:
        sentence: the tokenised sentence.
        found: its mentions.
        lex: the lexicons.
    """
    toks = sentence.tokens
    places = [m for m in found.mentions if m.type == "Place"]
    facility_statements = [
        Statement(inner, "locatedIn", outer, "Asserted", next((m.text for m in places if m.actor == inner), ""), 0.7,
                  (sentence.index,), rule="locatedIn: a facility named with its place (مطار X)")
        for inner, outer in found.contained
    ]
    by_first = {m.first_token: m for m in places}
    nisba_at: dict[int, Mention] = {}
    for m in found.mentions:
        place_key = "place:" + m.actor.split(":", 1)[1]
        if m.source == "nisba" and m.type == "State" and place_key in lex.actors:
            nisba_at[m.first_token] = Mention(m.text, m.start, m.end, m.sentence, place_key, "Place", "nisba",
                                              m.first_token, m.last_token, m.proclitic)
    out: list[Statement] = []

    def has(k: int, name: str) -> bool:
        return 0 <= k < len(toks) and name in lex.lists_of(toks[k].keys)

    def add(inner: Mention, outer: Mention, cue: str, how: str) -> None:
        if inner.actor == outer.actor or lex.containers.get(outer.actor) == inner.actor:
            return
        if lex.state_of(inner.actor) != inner.actor:
            return  # a country or its capital lies in no place the text names (موسكو … في هذه المنطقة)
        out.append(Statement(inner.actor, "locatedIn", outer.actor, "Asserted", cue, 0.7, (sentence.index,),
                             rule=f"locatedIn: {how}"))

    for idx, m in enumerate(places):
        group = [m]
        k = m.last_token + 1
        # the places coordinated with m: دوما وحرستا / بلدتي الفوعة وكفريا
        while k < len(toks):
            nxt = by_first.get(k) or (by_first.get(k + 1) if toks[k].norm == "و" else None)
            if nxt is None or not (toks[nxt.first_token].norm.startswith("و") or toks[k].norm == "و"):
                break
            group.append(nxt)
            k = nxt.last_token + 1
        # X في Y, X بـY, X داخل Y, X شمال Y, X، عاصمة Y, X الليبية (right after the place or its list)
        j = k
        while j < len(toks) and (is_quote(toks[j]) or toks[j].text in ("،", ",")):
            j += 1
        comma = any(toks[q].text in ("،", ",") for q in range(k, j))
        # past a description of X: «دوما، آخر معقل للفصائل في …», «الفوعة وكفريا آخر بلدتين محاصرتين في سوريا»
        d = j
        while d < len(toks) and d - j < 6 and toks[d].norm not in ("في", "داخل") and _descriptive(d, toks, lex, found):
            d += 1
        if d > j and d < len(toks) and toks[d].norm in ("في", "داخل"):
            outer = _place_after(d + 1, by_first, toks, lex)
            if outer is not None and outer not in group and outer.source != "pronoun":
                for g in group:
                    if g.source != "pronoun":  # an anaphor («المدينة») was placed when it was named
                        add(g, outer, sentence.text[toks[d].start - sentence.start : outer.end - sentence.start],
                            "X, a description, في Y")
        if j < len(toks):
            tok = toks[j]
            outer, how = None, ""
            if not comma and (tok.norm in ("في", "داخل", "ب") or has(j, "direction_words")):
                outer, how = _place_after(j + 1, by_first, toks, lex), "X في Y"
                if has(j, "direction_words") and has(j + 1, "settlement_nouns"):
                    outer = None  # جنوب مدينة دوما: beside a town, not inside it
            elif not comma and j in by_first and "ب" in by_first[j].proclitic:
                outer, how = by_first[j], "X بـY"
            elif has(j, "capital_words"):
                outer, how = _place_after(j + 1, by_first, toks, lex), "X، عاصمة Y"
            elif not comma and j in nisba_at:
                outer, how = nisba_at[j], "X + nisba of Y"
            if outer is not None and outer not in group:
                for g in group:
                    add(g, outer, sentence.text[tok.start - sentence.start : outer.end - sentence.start], how)
        # X … عن بقية مدن Y
        for q in range(k, min(len(toks), k + 4)):
            if has(q, "partition_phrases"):
                outer = _place_after(q + 1, by_first, toks, lex)
                if outer is not None:
                    for g in group:
                        add(g, outer, sentence.text[toks[q].start - sentence.start : outer.end - sentence.start],
                            "X … بقية مدن Y")
                break
    return out + facility_statements


_ORG_TYPES = {"ArmedGroup", "PoliticalGroup", "Government", "StateForces", "InternationalOrganization"}
_MEMBER_TYPES = {"ArmedGroup", "Civilians", "Person", "StateForces", "PoliticalGroup"}


def member_in(sentence: Sentence, found: SentenceMentions, lex: Lexicon) -> list[Statement]:
    """``memberOf`` from «المتمردين الأكراد في حزب العمال الكردستاني»: fighters or a unit in an organisation.

    Args:
        sentence: the tokenised sentence.
        found: its mentions.
        lex: the lexicons.
    """
    toks = sentence.tokens
    by_first = {m.first_token: m for m in found.mentions}
    out: list[Statement] = []
    branch = lex.word_set("branch_heads")
    for m in found.mentions:
        # «الجناح العسكري لحماس», «فرع التنظيم في …»: a branch named before the organisation it belongs to
        nxt = by_first.get(m.last_token + 1)
        if (m.source == "pattern" and m.type in _ORG_TYPES and nxt is not None and nxt.type in _ORG_TYPES
                and nxt.proclitic.lstrip("وف").startswith("ل") and any(k in branch for k in toks[m.first_token].keys)):
            out.append(Statement(m.actor, "memberOf", nxt.actor, "Asserted",
                                 sentence.text[m.start - sentence.start : nxt.end - sentence.start], 0.6,
                                 (sentence.index,), rule="memberOf: a branch of ORG"))
        actor = lex.actors.get(m.actor)
        generic = actor is not None and actor.generic
        if m.type not in _MEMBER_TYPES or not (generic or m.type == "Person"):
            continue  # a named group «في» another is rarely membership; generic fighters and people are
        k = m.last_token + 1
        while k < m.last_token + 3 and k < len(toks) and toks[k].norm.startswith("ال") and k not in by_first:
            k += 1  # «المتمردين الأكراد في …»: adjectives of the fighters
        if k + 1 < len(toks) and toks[k].norm == "في":
            org = by_first.get(k + 1)
            if org is not None and org.type in _ORG_TYPES and org.actor != m.actor:
                text = sentence.text[m.start - sentence.start : org.end - sentence.start]
                out.append(Statement(m.actor, "memberOf", org.actor, "Asserted", text, 0.6, (sentence.index,),
                                     rule="memberOf: X في ORG"))
    return out


#: Word lists whose words break a place description (a new clause, a relative, a negation).
_CLAUSE_BREAKS = frozenset(("clause_openers", "complementizers", "relative_pronouns", "main_clause_breaks", "negators"))


def _descriptive(k: int, toks: tuple[Token, ...], lex: Lexicon, found: SentenceMentions) -> bool:
    """A word that may stand in a description of a place before «في Y»: not a clause break or another place."""
    tok = toks[k]
    if tok.punct:
        return tok.text in ("،", ",") or is_quote(tok)
    if any(m.first_token <= k <= m.last_token and m.type == "Place" for m in found.mentions):
        return False
    return lex.lists_of((tok.norm, tok.norm[1:])).isdisjoint(_CLAUSE_BREAKS)


def _place_after(k: int, by_first: dict[int, Mention], toks: tuple[Token, ...], lex: Lexicon) -> Mention | None:
    skipped = 0
    while k < len(toks) and skipped <= 3:
        if k in by_first:
            return by_first[k]
        if toks[k].punct and not is_quote(toks[k]):
            return None
        lists = lex.lists_of(toks[k].keys)
        if "vicinity_words" in lists:
            return None  # في محيط X / قرب X: near, not inside
        if "transparent" not in lists and "place_nouns" not in lists:
            return None
        k += 1
        skipped += 1
    return None
