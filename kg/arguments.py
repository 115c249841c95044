"""Argument finders: who a cue's subject, object, genitive or agent is, read from Arabic clause order.

Each finder is a plain function of a :class:`SentenceView` (one sentence's tokens, mentions,
cues and the word lists of each token) and returns mentions, token indices or a yes/no; none
keeps state. :mod:`kg.relations` calls them to read a cue's frame, and their verdicts are
features of the relation model (:mod:`kg.features`). The main ones:

* subjects: :func:`subject_right` (VSO, «قصفت قوات النظام دوما»), :func:`subject_left`
  (SVO, «الفصائل تسيطر على دوما»), :func:`relative_subject` («السعودية التي تدعم الحكومة»),
  :func:`clause_actor_left` (the actor before a verbal noun in its clause);
* objects: :func:`direct_object` («تحاصر قوات النظام الغوطة»), :func:`marked_object` after a
  cue's prepositions («سيطرت على دوما», «مفاوضات بين X وY»), :func:`agent_by_marker`
  («من قبل X», «على يد X»);
* the genitive of a verbal noun: :func:`genitive` («قصف النظام», «حصار الغوطة»), and the
  agents a noun finds elsewhere: :func:`relative_agent`, :func:`responsible_for`,
  :func:`undergoer`;
* coordination: :func:`coordinated` («دوما وحرستا»), :func:`coordinated_left`,
  :func:`comitative` («واشنطن مع باريس»), :func:`counted_group` («17 من X وY»);
* what a pronoun or a relative points back to: :func:`antecedent`, :func:`relative_antecedent`,
  and whose claim a claim noun is: :func:`claim_source` («الادعاءات الروسية»).

Nothing here knows Arabic words beyond a few prepositions and pronoun suffixes: the word
lists (``clause_openers``, ``transparent``, ``number_words`` …) come from ``ontology/patterns.json``
through the lexicon.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Cue, Lexicon
from .mentions import SentenceMentions
from .model import Mention, Sentence, Token
from .text import ENCLITICS, is_quote

__all__ = [
    "CueMatch", "SentenceView", "LIST_PUNCT", "SKIP_PUNCT",
    # word tests and mention lookups
    "has", "has_word", "is_boundary", "is_number", "type_of", "person_at", "mention_at", "end_of", "start_of",
    "governing_word", "mention_prep", "actorlike", "metonym", "agent_key", "is_party",
    # subjects
    "subject_right", "subject_left", "relative_subject", "clause_actor_left", "is_reporter",
    # objects
    "direct_object", "marked_object", "enclitic_on", "first_mention", "np_places", "agent_by_marker", "listed_after",
    # genitives and the agents of verbal nouns
    "genitive", "relative_agent", "responsible_for", "undergoer", "after_result_phrase",
    # coordination and counted groups
    "coordinated", "coordinated_left", "comitative", "counted", "counted_group",
    # back-reference
    "antecedent", "relative_antecedent", "speaker_pronoun_at", "claim_source",
    # cue filters
    "sport_or_market",
]

_PARTY_TYPES = {"ArmedGroup", "StateForces", "Government", "State", "PoliticalGroup"}
#: Commas: they separate the items of a list, not clauses.
LIST_PUNCT = {"،", ","}
_BOUNDARY_PUNCT = {"؛", ";", ":", "-", "–", "—"}
#: Brackets: skipped when looking for an argument.
SKIP_PUNCT = {"(", ")", "[", "]"}
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


@dataclass(frozen=True)
class SentenceView:
    """One sentence as the argument finders see it; made by :meth:`SentenceView.of`, never changed."""

    sentence: Sentence
    """The sentence."""
    tokens: tuple[Token, ...]
    """Its tokens."""
    lex: Lexicon
    """The lexicons."""
    mentions: tuple[Mention, ...]
    """Its mentions, in text order."""
    cues: tuple[CueMatch, ...]
    """Its cues, less those inside a mention (a nisba adjective may hold one)."""
    key_lists: tuple[frozenset[str], ...]
    """Per token: the word lists it is in by any reading."""
    word_lists: tuple[frozenset[str], ...]
    """Per token: the word lists it is in as a function word (only a conjunction و / ف attached)."""
    at: dict[int, Mention]
    """Token index -> the mention covering it."""
    title_person: dict[int, Mention]
    """Token index -> the person a title covering it stands for («المتحدث باسم فيلق الرحمن وائل علوان»)."""
    cue_at: dict[int, CueMatch]
    """Token index -> the (first) cue covering it."""
    directives: tuple[int, ...]
    """Indices of the tokens that are directives (طالب، دعا), in order."""
    types: Mapping[str, str]
    """Actor key -> actor type, for every actor known so far in the document."""
    role_of: Mapping[str, str]
    """Person key -> organisation key (spokesperson, member, leader), from titles seen so far."""
    prev_agent: str | None
    """The main agent of the previous sentence (for omitted subjects)."""

    @classmethod
    def of(
        cls,
        sentence: Sentence,
        found: SentenceMentions,
        lex: Lexicon,
        cues: Iterable[CueMatch],
        prev_agent: str | None,
        role_of: Mapping[str, str],
        types: Mapping[str, str],
    ) -> SentenceView:
        """The view of one sentence.

        Args:
            sentence: the tokenised sentence.
            found: its mentions and titles (from :func:`kg.mentions.find_mentions`).
            lex: the lexicons.
            cues: the cues found in it (from :func:`kg.relations.find_cues`).
            prev_agent: the main agent of the previous sentence.
            role_of: person key -> organisation key, from titles seen so far.
            types: actor key -> actor type, for every actor known so far.
        """
        tokens = sentence.tokens
        memo: dict[str, tuple[frozenset[str], frozenset[str]]] = lex.derived("token_lists", dict)
        lists = [memo.get(t.text) or _token_lists(t, lex) for t in tokens]
        mentions = tuple(found.mentions)
        at: dict[int, Mention] = {}
        for m in mentions:
            for k in range(m.first_token, m.last_token + 1):
                at[k] = m
        # a title span stands for its person: المتحدث باسم "فيلق الرحمن" وائل علوان
        title_person: dict[int, Mention] = {}
        for r in found.roles:
            person = next((m for m in mentions if m.actor == r.person and m.last_token == r.last_token), None)
            if person is None:
                continue
            for k in range(r.first_token, r.last_token + 1):
                title_person[k] = person
        kept = tuple(
            c for c in cues
            if not any(k in at and at[k].source != "nisba" for k in range(c.first, c.last + 1))
        )
        cue_at: dict[int, CueMatch] = {}
        for c in kept:
            for k in range(c.first, c.last + 1):
                cue_at.setdefault(k, c)
        word_lists = tuple(w for _, w in lists)
        return cls(
            sentence, tokens, lex, mentions, kept, tuple(k for k, _ in lists), word_lists, at, title_person, cue_at,
            tuple(k for k, words in enumerate(word_lists) if "directives" in words), types, role_of, prev_agent,
        )


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


# -- Word tests and mention lookups ----------------------------------------------------------------

def has(view: SentenceView, i: int, name: str) -> bool:
    """True when a reading of token ``i`` is in the word list ``name``."""
    return 0 <= i < len(view.tokens) and name in view.key_lists[i]


def has_word(view: SentenceView, i: int, name: str) -> bool:
    """Like :func:`has` for function words: only a conjunction may be attached (``كما`` is not ``ما``)."""
    return 0 <= i < len(view.tokens) and name in view.word_lists[i]


def negates(view: SentenceView, i: int) -> bool:
    """True when token ``i`` negates what follows («لم», «لن», «لا», «ما» …), except «ما» opening a result
    clause: «… ما أسفر عن مقتل 26 مدنياً», «ما أدى إلى مقتل» (the relative «what», not «not»)."""
    if not has_word(view, i, "negators"):
        return False
    return not (view.tokens[i].norm.lstrip("وف") == "ما" and has(view, i + 1, "result_words"))


def is_boundary(view: SentenceView, i: int) -> bool:
    """True when token ``i`` ends a clause: a comma, a semicolon or dash, or a clause opener («بينما», «حيث»)."""
    tok = view.tokens[i]
    if tok.punct:
        return tok.text in _BOUNDARY_PUNCT or tok.text in LIST_PUNCT
    return has_word(view, i, "clause_openers")


def is_number(view: SentenceView, k: int) -> bool:
    """A number written in digits or words (17, سبعة, عشرات)."""
    return view.tokens[k].norm[:1].isdigit() or has(view, k, "number_words")


def type_of(view: SentenceView, key: str) -> str:
    """The type of an actor key (``"ArmedGroup"``, ``"Place"`` …), or ``""`` when unknown."""
    return view.types.get(key, "")


def person_at(view: SentenceView, i: int) -> Mention | None:
    """The person a title at token ``i`` stands for.

    In «المتحدث باسم فيلق الرحمن وائل علوان» every token of the title gives وائل علوان.
    """
    return view.title_person.get(i)


def mention_at(view: SentenceView, i: int) -> Mention | None:
    """The mention (or title-person) at token i."""
    p = person_at(view, i)
    if p is not None:
        return p
    return view.at.get(i)


def end_of(view: SentenceView, m: Mention) -> int:
    """The last token of a mention, with the title before it that stands for the same person."""
    end = m.last_token
    while end + 1 < len(view.tokens) and person_at(view, end + 1) is m:
        end += 1
    return end


def start_of(view: SentenceView, m: Mention) -> int:
    """The first token of a mention, or of the title before it that stands for it («المتحدث باسم X وائل علوان»)."""
    start = m.first_token
    while start - 1 >= 0 and person_at(view, start - 1) is m:
        start -= 1
    return start


def governing_word(tokens: tuple[Token, ...], m: Mention) -> tuple[str, str]:
    """What may govern a mention: ``("clitic", "ب"/"ل"/"ك")`` written on its first word, ``("word", norm)``
    for the word before it (past quotes), or ``("", "")`` at the start of the sentence or after punctuation."""
    pro = m.proclitic.lstrip("وف")
    if pro[:1] in ("ب", "ل", "ك"):
        return "clitic", pro[:1]
    k = m.first_token - 1
    while k >= 0 and is_quote(tokens[k]):
        k -= 1
    if k >= 0 and not tokens[k].punct:
        return "word", tokens[k].norm
    return "", ""


def mention_prep(view: SentenceView, m: Mention) -> str:
    """The preposition governing a mention: a proclitic on its first word, or the word before."""
    kind, prev = governing_word(view.tokens, m)
    if kind == "clitic" or prev in ("ل", "ب"):
        return prev
    if kind == "word":
        for w in ("في", "الى", "من", "على", "عن", "مع", "ضد", "بين", "لدي", "داخل", "نحو", "حول"):
            if prev == w or prev in ("و" + w, "ف" + w):
                return w
    return ""


def actorlike(view: SentenceView, m: Mention) -> bool:
    """An actor, or a capital or country name standing for its state."""
    return m.type != "Place" or metonym(view, m)


def metonym(view: SentenceView, m: Mention) -> bool:
    """A capital or country name that can stand for its state (not after a place noun: مدينة دمشق)."""
    if not m.actor.startswith("place:"):
        return False
    k = m.first_token - 1
    while k >= 0 and is_quote(view.tokens[k]):
        k -= 1
    if k >= 0 and has(view, k, "place_nouns"):
        return False
    return m.actor in view.lex.metonyms or ("actor:" + m.actor.split(":", 1)[1]) in view.lex.actors


def agent_key(view: SentenceView, m: Mention) -> str:
    """A place acting as an agent is its state (a capital or a country name)."""
    if m.type == "Place":
        if m.actor in view.lex.metonyms:
            return view.lex.metonyms[m.actor]
        state = "actor:" + m.actor.split(":", 1)[1]
        if state in view.lex.actors:
            return state
    return m.actor


def is_party(view: SentenceView, key: str) -> bool:
    """True when an actor key is a party to the conflict (armed group, forces, government, state) or a person of one."""
    t = type_of(view, key)
    if t in _PARTY_TYPES:
        return True
    if t == "Person":
        org = view.role_of.get(key)
        return org is not None and type_of(view, org) in _PARTY_TYPES
    return False


# -- Subjects --------------------------------------------------------------------------------------

def subject_right(view: SentenceView, c: CueMatch, allow_place: bool = False) -> Mention | None:
    """The subject after a verb (VSO): «قصفت قوات النظام دوما» -> قوات النظام.

    Past commas, brackets, quotes, numbers and time words («قصفت، صباح اليوم، قوات النظام»); a
    report noun right after the verb gives its owner («اتهم بيان للجناح العسكري إسرائيل» -> الجناح
    العسكري). None when a preposition governs the first mention, when a stopword or another cue comes
    first, or when the mention is a place that cannot stand for its state (unless ``allow_place``:
    a passive verb's subject, «حوصرت دوما»).

    Args:
        view: the sentence.
        c: the cue (a verb).
        allow_place: a place may be the subject.
    Returns:
        The mention, or None.
    """
    toks = view.tokens
    k = c.last + 1
    said = view.cue_at.get(k)
    if said is not None and said.cue.kind == "report" and said.cue.pos == "noun" and said.last + 1 < len(toks):
        # «اتهم بيان للجناح العسكري إسرائيل»: a statement of X as the subject is X speaking
        m = mention_at(view, said.last + 1)
        if m is not None and mention_prep(view, m) in ("", "ل") and actorlike(view, m):
            return m
    steps = 0
    while k < len(toks) and steps < 6:
        tok = toks[k]
        m = mention_at(view, k)
        if m is not None:
            if mention_prep(view, m) or (m.type == "Place" and not allow_place and not metonym(view, m)):
                return None
            return m
        if tok.punct and (tok.text in LIST_PUNCT or tok.text in SKIP_PUNCT):
            k += 1
            steps += 1
            continue
        if is_quote(tok) or tok.norm[:1].isdigit() or has(view, k, "number_words"):
            k += 1
            continue
        if has_word(view, k, "stopwords") and not has(view, k, "time_words"):
            return None
        if k in view.cue_at:
            return None
        k += 1
        steps += 1
    return None


def subject_left(view: SentenceView, c: CueMatch) -> Mention | None:
    """The subject before a verb in its clause (SVO): «الفصائل تسيطر على دوما» -> الفصائل.

    Past an auxiliary («X، كانت أعلنت»), up to 8 tokens back, stopping at a clause boundary or at a
    cue that is not a relation; a mention behind a preposition or a place that cannot stand for its
    state is no subject.

    Args:
        view: the sentence.
        c: the cue (a verb).
    Returns:
        The mention, or None.
    """
    k = c.first - 1
    steps = 0
    while k >= 0 and has_word(view, k, "auxiliaries"):
        k -= 1  # «X، كانت أعلنت»: the auxiliary before the verb, and the comma of a parenthesis before it
        if k >= 1 and view.tokens[k].text in ("،", ","):
            k -= 1
    while k >= 0 and steps < _WINDOW:
        m = mention_at(view, k)
        if m is not None:
            if mention_prep(view, m) or (m.type == "Place" and not metonym(view, m)):
                return None
            return m
        if is_boundary(view, k):
            if has_word(view, k, "complementizers"):
                return None
            return None
        if k in view.cue_at and view.cue_at[k].cue.kind != "relation":
            return None
        k -= 1
        steps += 1
    return None


def relative_subject(view: SentenceView, c: CueMatch) -> Mention | None:
    """``السعودية التي تدعم الحكومة``: a verb after a relative pronoun has the noun before it as subject."""
    toks = view.tokens
    k = c.first - 1
    if k < 0 or not has_word(view, k, "relative_pronouns"):
        return None
    k -= 1
    while k >= 0 and (toks[k].text in LIST_PUNCT or is_quote(toks[k])):
        k -= 1
    m = mention_at(view, k) if k >= 0 else None
    if m is None or m.type == "Place" and not metonym(view, m):
        return None
    return m


def clause_actor_left(view: SentenceView, c: CueMatch) -> Mention | None:
    """The actor before a verbal noun in its clause, its agent: «قوات النظام تواصل حصار الغوطة» -> قوات النظام.

    Skips places, mentions behind a preposition and the mediator of «برعاية مصر»; through a relative
    pronoun it gives the noun the clause describes («حركة طالبان التي تشن هجمات» -> طالبان). None at
    a clause boundary, at another verb of relation (the subject of «أدانت X الهجوم» is not the
    agent of الهجوم), or when the actor is a neutral source (:func:`is_reporter`).
    """
    toks = view.tokens
    k = c.first - 1
    steps = 0
    while k >= 0 and steps < _WINDOW:
        m = mention_at(view, k)
        if toks[k].punct and toks[k].text in SKIP_PUNCT | LIST_PUNCT:
            k -= 1
            continue
        if m is not None:
            if not actorlike(view, m) or mention_prep(view, m) not in ("",):
                k = start_of(view, m) - 1
                steps += 1
                continue
            if is_reporter(view, m):
                return None
            before = view.cue_at.get(start_of(view, m) - 1)
            if before is not None and before.cue.kind == "relation" and before.cue.pos == "verb":
                return None  # the subject of another verb (أدانت X الهجوم) is not this noun's agent
            if before is not None and before.cue.adverbial:
                k = start_of(view, m) - 1  # «برعاية مصر»: the mediator is not the agent of the event
                steps += 1
                continue
            return m
        if has_word(view, k, "relative_pronouns"):
            # «حركة طالبان التي تشن هجمات»: the agent is the noun the relative clause describes
            q = k - 1
            while q >= 0 and (toks[q].text in LIST_PUNCT or is_quote(toks[q])):
                q -= 1
            ante = mention_at(view, q) if q >= 0 else None
            return ante if ante is not None and actorlike(view, ante) and not mention_prep(view, ante) else None
        if is_boundary(view, k) and toks[k].text not in LIST_PUNCT:
            return None
        other = view.cue_at.get(k)
        if other is not None and other.cue.kind == "relation" and other.cue.pos == "verb":
            return None  # the subject of another verb (أدانت X الهجوم) is not this noun's agent
        k -= 1
        steps += 1
    return None


def is_reporter(view: SentenceView, m: Mention) -> bool:
    """True when a mention is a neutral source: no party, within 6 tokens after a cue of saying, claiming or denying.

    «قالت منظمة العفو الدولية …»: the NGO reports; it is not the agent of what it reports.
    """
    for c in view.cues:
        if c.cue.kind in ("report", "claim", "deny") and c.last < m.first_token <= c.last + 6:
            return not is_party(view, agent_key(view, m))
    return False


# -- Objects ---------------------------------------------------------------------------------------

def direct_object(
    view: SentenceView, c: CueMatch, start: int, exclude: set[str], allowed_preps: Iterable[str]
) -> list[Mention]:
    """The object of a verb, with no preposition or one of ``allowed_preps``: «تحاصر قوات النظام الغوطة» -> الغوطة.

    Starts at ``start`` (after the subject, or right after the verb), past an apposition
    («الموالية للحكومة»), up to 8 tokens; stops at punctuation, a clause boundary or a later relation
    cue. Actors in ``exclude`` (the subjects) are stepped over. The object comes with the actors
    coordinated with it.

    Args:
        view: the sentence.
        c: the cue.
        start: the first token to look at.
        exclude: actor keys that cannot be the object.
        allowed_preps: prepositions that may govern the object (the cue's ``objects``).
    Returns:
        The object and its coordinated actors, or [].
    """
    toks = view.tokens
    allowed = set(allowed_preps) | {""}
    k = _skip_apposition(view, start)
    steps = 0
    while k < len(toks) and steps < _WINDOW:
        tok = toks[k]
        if tok.punct and tok.text not in LIST_PUNCT and not is_quote(tok):
            break
        if k > start and is_boundary(view, k) and not (tok.text in LIST_PUNCT):
            break
        if tok.text in LIST_PUNCT:
            break
        m = mention_at(view, k)
        if m is not None and m.actor not in exclude:
            prep = mention_prep(view, m)
            if prep in allowed or (prep == "ل" and "ل" in allowed):
                return coordinated(view, m)
            k = end_of(view, m) + 1
            steps += 1
            continue
        if m is not None:
            k = end_of(view, m) + 1
            continue
        if k in view.cue_at and view.cue_at[k].cue.kind == "relation" and k > c.last + 1:
            break
        k += 1
        steps += 1
    return []


def _skip_apposition(view: SentenceView, k: int) -> int:
    """Past «الموالية للحكومة» / «التابعة لـX» after a noun phrase: the index after its object, or k."""
    other = view.cue_at.get(k)
    if other is None or not other.cue.apposition:
        return k
    m = first_mention(view, other.last + 1, 1)
    return end_of(view, m) + 1 if m is not None else k


def marked_object(
    view: SentenceView, c: CueMatch, start: int, markers: Iterable[str], window: int = _WINDOW
) -> tuple[list[Mention], str] | None:
    """The actor after one of the markers (prepositions) within the window, and the marker."""
    toks = view.tokens
    split = [(m, m.split()) for m in markers if m]
    k = start
    limit = min(len(toks), start + window)
    while k < limit:
        tok = toks[k]
        if tok.punct and tok.text not in LIST_PUNCT and not is_quote(tok):
            return None
        if k > start and has_word(view, k, "clause_openers") and not has_word(view, k, "complementizers"):
            return None
        for marker, words in split:
            if _marker_at(view, k, words):
                after = k + len(words)
                if len(words) == 1 and tok.norm != words[0] and not tok.norm.endswith(words[0]):
                    after = k  # marker is a proclitic on this word: بالمدفعية, لقوات
                # a pronoun suffix on the preposition: عليها, معه
                enc = enclitic_on(view, k, words[0])
                if enc and len(words) == 1:
                    return ([], f"{marker}+{enc}")
                m = first_mention(view, after, 4)
                if m is not None:
                    return (coordinated(view, m), marker)
        k += 1
    return None


def _marker_at(view: SentenceView, k: int, words: list[str]) -> bool:
    """True when the words of a marker («على», «من قبل», «بين») start at token ``k``."""
    toks = view.tokens
    tok = toks[k]
    first = words[0]
    norm = tok.norm
    if len(words) == 1:
        return _marker_word(norm, first)
    base = norm[1:] if norm[:1] in "وف" and len(norm) > len(first) else norm
    if base != first and norm != first and not (len(first) == 1 and base.startswith(first)):
        return False
    for n, w in enumerate(words[1:], 1):
        if k + n >= len(toks):
            return False
        if w not in toks[k + n].keys and toks[k + n].norm != w:
            return False
    return True


def enclitic_on(view: SentenceView, k: int, prep: str) -> str:
    """The pronoun suffix on the preposition at token ``k`` («عليها» -> ها, «معه» -> ه), or ``""``."""
    return _enclitic_after(view.tokens[k].norm, prep)


def first_mention(view: SentenceView, start: int, skip: int) -> Mention | None:
    """The first mention from ``start``, past up to ``skip`` quotes, transparent words, numbers, place nouns, adjectives.

    «على مواقع عسكرية في سوريا» from مواقع -> سوريا (where the targets are); «مواقع تابعة لحماس» -> حماس
    (the owner of what is named). None when another word comes first.
    """
    toks = view.tokens
    k = start
    skipped = 0
    while k < len(toks) and skipped <= skip:
        m = mention_at(view, k)
        if m is not None:
            return m
        tok = toks[k]
        if is_quote(tok) or has(view, k, "transparent") or tok.norm[:1].isdigit() or has(view, k, "number_words") \
                or has(view, k, "place_nouns"):
            k += 1
            skipped += 1
            continue
        if k == start and tok.norm in ("ل", "ب"):
            k += 1
            continue
        if k > start and _adjective_like(view, k):
            k += 1  # مواقع عسكرية في سوريا: an adjective inside the object phrase
            skipped += 1
            continue
        other = view.cue_at.get(k)
        if k > start and other is not None and other.cue.apposition and other.cue.relation == "memberOf":
            # «مواقع تابعة لحماس»: the owner of what is named is the one reached
            return first_mention(view, other.last + 1, 1)
        if k > start and tok.norm in ("في", "داخل") and k + 1 < len(toks):
            m = mention_at(view, k + 1) or (mention_at(view, k + 2) if has(view, k + 1, "place_nouns") else None)
            if m is not None and m.type == "Place":
                return m  # ضربات على مواقع عسكرية في سوريا: where the targets are
        return None
    return None


def _adjective_like(view: SentenceView, k: int) -> bool:
    """A word that reads as an adjective (nisba or participle ending), not a cue, name or function word."""
    tok = view.tokens[k]
    if tok.punct or k in view.cue_at or has_word(view, k, "stopwords") or view.at.get(k) is not None:
        return False
    norm = tok.norm
    participle = norm.startswith("م") and norm.endswith("ه") and len(norm) >= 5  # محددة، متفرقة
    return (norm.endswith(("يه", "يين", "يون", "ي")) and len(norm) >= 4) or participle


def np_places(view: SentenceView, after: int) -> list[Mention]:
    """Places where an attack's targets are: «تحصينات الحوثيين داخل مطار الحديدة»."""
    toks = view.tokens
    k = after
    while k < len(toks) and (is_quote(toks[k]) or _adjective_like(view, k)):
        k += 1
    if k < len(toks) and toks[k].norm in ("في", "داخل") and k + 1 < len(toks):
        m = mention_at(view, k + 1) or (mention_at(view, k + 2) if has(view, k + 1, "place_nouns") else None)
        if m is not None and m.type == "Place":
            return coordinated(view, m)
    return []


def agent_by_marker(view: SentenceView, c: CueMatch) -> list[Mention]:
    """The agents a cue's markers name within 4 tokens after it, with those coordinated.

    «قُتل مدنيون على يد قوات النظام» -> قوات النظام.
    """
    found = marked_object(view, c, c.last + 1, c.cue.agents, window=4)
    return found[0] if found else []


def listed_after(view: SentenceView, c: CueMatch) -> list[Mention]:
    """«… عليها بما في ذلك صنعاء وتعز»: the actors a list introducer names after the cue."""
    toks = view.tokens
    for k in range(c.last + 1, min(len(toks), c.last + 5)):
        if has_word(view, k, "list_introducers"):
            q = k + 1
            while q < len(toks) and toks[q].norm in ("في", "ذلك", "فيها", "فيه", "ذلك،"):
                q += 1
            m = mention_at(view, q)
            return coordinated(view, m) if m is not None else []
    return []


# -- Genitives and the agents of verbal nouns ------------------------------------------------------

def genitive(view: SentenceView, c: CueMatch) -> Mention | None:
    """The actor right after a verbal noun (its genitive), past numbers and coordinated nouns."""
    toks = view.tokens
    k = c.last + 1
    steps = 0
    while k < len(toks) and steps < 3:
        m = mention_at(view, k)
        if m is not None:
            return None if mention_prep(view, m) else m
        tok = toks[k]
        if tok.norm[:1].isdigit() or has(view, k, "number_words") or is_quote(tok) or has(view, k, "time_words"):
            k += 1
            steps += 1
            continue
        other = view.cue_at.get(k)
        if other is not None and other.cue.relation == c.cue.relation and tok.norm.startswith("و"):
            k = other.last + 1  # بمساندة وتخطيط روسي
            steps += 1
            continue
        return None
    return None


def relative_agent(view: SentenceView, c: CueMatch) -> Mention | None:
    """``الهجوم الذي شنته X``, ``هجمات يشنها X``: the agent named in a clause right after an event noun."""
    toks = view.tokens
    k = c.last + 1
    if k < len(toks) and has_word(view, k, "relative_pronouns"):
        k += 1
    elif not (k < len(toks) and k not in view.at and toks[k].text.endswith(("ها", "ه", "هم"))):
        return None  # without a relative pronoun, the verb must carry the pronoun (يشنها; not a ta marbuta)
    for q in range(k + 1, min(len(toks), k + 3)):
        m = mention_at(view, q)
        if m is not None:
            return None if mention_prep(view, m) or not actorlike(view, m) else m
    return None


def responsible_for(view: SentenceView, c: CueMatch) -> Mention | None:
    """«نفت مسؤولية قوات النظام عن (شن أي) هجوم»: the one held responsible is the event's agent."""
    toks = view.tokens
    k = c.first - 1
    while k > c.first - 3 and k >= 1 and toks[k].norm != "عن" and not toks[k].punct and k not in view.at:
        k -= 1  # «عن شن أي هجوم», «عن تنفيذ الهجوم»: a light verb or a quantifier between
    if k < 1 or toks[k].norm != "عن":
        return None
    m = mention_at(view, k - 1)
    if m is None:
        return None
    q = start_of(view, m) - 1
    if q >= 0 and has(view, q, "responsibility_words") and actorlike(view, m):
        return m
    return None


def undergoer(view: SentenceView, c: CueMatch) -> Mention | None:
    """«تعرض بلدة X لهجوم من Y»: the subject of an undergo verb before the event noun is its patient."""
    for k in range(max(0, c.first - 6), c.first):
        if has(view, k, "undergo_verbs"):
            return first_mention(view, k + 1, 2)
    return None


def after_result_phrase(view: SentenceView, c: CueMatch) -> bool:
    """True when a result word stands just before the cue: «أسفرت عن مقتل X» (killed by the agent of what resulted)."""
    for k in range(max(0, c.first - 3), c.first):
        if has_word(view, k, "result_words"):
            return True
    return False


# -- Coordination and counted groups ---------------------------------------------------------------

def coordinated(view: SentenceView, m: Mention) -> list[Mention]:
    """``m`` and the actors coordinated with it (``دوما وحرستا``, ``X، وY``)."""
    toks = view.tokens
    out = [m]
    end = end_of(view, m)
    while True:
        k = end + 1
        saw_and = False
        skipped = 0
        while k < len(toks) and skipped < 4:
            tok = toks[k]
            if tok.text in LIST_PUNCT or is_quote(tok):
                k += 1
                skipped += 1
                continue
            if tok.norm == "و":
                saw_and = True
                k += 1
                continue
            nxt = mention_at(view, k)
            if nxt is not None and nxt.actor != m.actor:
                if saw_and or tok.norm.startswith("و"):
                    break
                nxt = None
            if tok.norm.startswith("و") and has(view, k, "transparent"):
                saw_and = True
                k += 1
                skipped += 1
                continue
            ally = view.cue_at.get(k)
            if tok.norm.startswith("و") and ally is not None and ally.cue.apposition:
                saw_and = True  # «الحكومة السورية وحليفتاها روسيا وإيران»: the allies join the list
                k = ally.last + 1
                skipped += 1
                continue
            if saw_and and has(view, k, "transparent"):
                k += 1
                skipped += 1
                continue
            break
        if k >= len(toks):
            break
        nxt = mention_at(view, k)
        if nxt is None or nxt in out or not (saw_and or toks[k].norm.startswith("و")):
            break
        if actorlike(view, nxt) != actorlike(view, m) and (nxt.type == "Place") != (m.type == "Place"):
            break
        out.append(nxt)
        end = end_of(view, nxt)
    return out


def coordinated_left(view: SentenceView, m: Mention) -> list[Mention]:
    """``m`` and the actors coordinated before it (``X وY`` found from Y), in text order."""
    toks = view.tokens
    out = [m]
    while True:
        first = start_of(view, out[0])
        ally = view.cue_at.get(first - 1) if first > 0 else None
        if ally is not None and ally.cue.apposition and ally.first > 0 and (
            toks[ally.first - 1].norm in ("مع", "و") or toks[ally.first].norm.startswith("و")
        ):
            first = ally.first  # «دمشق مع حليفتها موسكو»: the ally noun joins the two
            if toks[first].norm.startswith("و"):
                prev = mention_at(view, first - 1)
                if prev is not None and prev not in out and actorlike(view, prev):
                    out.insert(0, prev)
                    continue
        tok = toks[first]
        with_ = first > 0 and toks[first - 1].norm == "مع"  # واشنطن مع باريس
        if not (tok.norm.startswith("و") or (first > 0 and toks[first - 1].norm == "و") or with_):
            break
        k = first - 1
        if k >= 0 and toks[k].norm in ("و", "مع"):
            k -= 1
        while k >= 0 and (toks[k].text in LIST_PUNCT or is_quote(toks[k])):
            k -= 1
        prev = mention_at(view, k) if k >= 0 else None
        if prev is None or prev in out or mention_prep(view, prev) not in ("", "مع"):
            break
        if actorlike(view, prev) != actorlike(view, m) and (prev.type == "Place") != (m.type == "Place"):
            break
        out.insert(0, prev)
    return out


def comitative(view: SentenceView, m: Mention) -> list[Mention]:
    """``شنت واشنطن مع باريس ولندن ضربات``: actors joined to a subject by مع act with it."""
    toks = view.tokens
    k = end_of(view, m) + 1
    if k < len(toks) and toks[k].norm == "مع":
        nxt = mention_at(view, k + 1)
        if nxt is not None and actorlike(view, nxt):
            return coordinated(view, nxt)
    return []


def counted(view: SentenceView, m: Mention) -> bool:
    """«17 من X وY», «عشرات من X», «20 X»: the mention, or the list it ends, is counted."""
    return counted_group(view, m) != []


def counted_group(view: SentenceView, m: Mention) -> list[Mention]:
    """The mentions of a counted list ending in ``m`` (a number, or a number and من, before its first), or []."""
    toks = view.tokens
    group = [m]
    for _ in range(4):
        first = group[0]
        k = first.first_token - 1
        if k >= 0 and has(view, k, "member_nouns") and not first.proclitic:
            k -= 1  # «ثلاثة من مقاتلي X»: the members counted are of X
        if k >= 1 and toks[k].norm == "من" and is_number(view, k - 1):
            return group
        if k >= 0 and is_number(view, k) and toks[k].norm != "من":
            return group
        conj = first.proclitic.startswith("و") or (k >= 0 and toks[k].norm == "و")
        prev = mention_at(view, k - 1 if k >= 0 and toks[k].norm == "و" else k) if conj and k >= 0 else None
        if prev is None or prev in group:
            return []
        group.insert(0, prev)
    return []


# -- What a pronoun, a relative or a claim points back to ------------------------------------------

def antecedent(view: SentenceView, before: int, types: tuple[str, ...] = (), adjacent: bool = False) -> Mention | None:
    """The nearest mention before token ``before`` (up to 12 tokens back): what a pronoun points to.

    «حاصرت قوات النظام الغوطة وتقصفها» from تقصفها -> الغوطة. With ``types``, only mentions of those
    types; with ``adjacent``, only a mention right before (past punctuation, clause openers and
    superlatives): «جيش الإسلام المنتمي إلى المعارضة» from المنتمي -> جيش الإسلام.
    """
    k = before - 1
    steps = 0
    while k >= 0 and steps < 12:
        m = mention_at(view, k)
        if m is not None and (not types or m.type in types):
            return m
        if adjacent and not view.tokens[k].punct and not has_word(view, k, "clause_openers") \
                and not has(view, k, "superlatives"):
            if m is None:
                return None
        k -= 1
        steps += 1
    return None


def relative_antecedent(view: SentenceView, c: CueMatch) -> Mention | None:
    """The mention right before the relative pronoun that opens the cue's clause.

    «المناطق التي تسيطر عليها المعارضة» from تسيطر -> المناطق.
    """
    k = c.first - 1
    while k >= 0 and not has_word(view, k, "relative_pronouns"):
        if c.first - k > 3:
            return None
        k -= 1
    if k <= 0:
        return None
    return view.at.get(k - 1)


def speaker_pronoun_at(view: SentenceView, k: int) -> bool:
    """True when the reported clause opens with أنه/أنها (past the time and punctuation after the verb)."""
    toks = view.tokens
    for q in range(k, min(k + 4, len(toks))):
        if toks[q].norm in ("انه", "انها", "انهم", "انهما"):
            return True
        if not (toks[q].punct or has(view, q, "time_words")):
            return False
    return False


def claim_source(view: SentenceView, start: int, end: int, named_only: bool = False) -> str | None:
    """Whose claim a claim noun in [start, end] is (الادعاءات الروسية, مزاعم X); ``named_only``
    skips nouns of responsibility (مسؤولية X names who it is about, not whose claim it is)."""
    toks = view.tokens
    for k in range(start, min(end + 1, len(toks))):
        if has(view, k, "claim_nouns") and not (named_only and has(view, k, "responsibility_words")) \
                and not has(view, k - 1, "agency_nouns"):  # «وكالات أنباء روسية»: news agencies, not reports
            m = view.at.get(k + 1)
            if m is not None and m.type != "Place":
                return agent_key(view, m)
            q = k + 1
            while q < len(toks) and q - k <= 2 and has(view, q, "agent_preps"):
                q += 1  # «ادعاءات من قبل X», «مزاعم من X»
            while q < len(toks) and is_quote(toks[q]):
                q += 1
            m = view.at.get(q) if q > k + 1 and q < len(toks) and has(view, k + 1, "agent_preps") else None
            if m is not None:
                return agent_key(view, m)
    return None


# -- Cue filters -----------------------------------------------------------------------------------

def sport_or_market(view: SentenceView, c: CueMatch) -> bool:
    """True when a cue of force speaks of a game or a market, not of fighting.

    Its subject right next to it is a team, a player or a company (``non_actor_heads``:
    «هاجم اللاعب», «استهدفت الشركة»), or the words it governs, before any actor, are a
    match, time or market word (``non_conflict_objects``: «على المباراة», «قتل الوقت»).
    """
    toks = view.tokens
    if any(0 <= k < len(toks) and not toks[k].punct and has(view, k, "non_actor_heads")
           for k in (c.first - 1, c.last + 1)):
        return True
    k = c.last + 1
    while k < len(toks) and k <= c.last + 4 and k not in view.at and not is_boundary(view, k):
        if has(view, k, "non_conflict_objects"):
            return True
        k += 1
    return False
