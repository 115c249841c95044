"""Relations: cues with their arguments, attribution and modality.

For each sentence the cues of ``cues.jsonl`` are found (:func:`find_cues`, through clitics
and inflections), then each cue's frame is read (:func:`read`: :func:`read_verb`,
:func:`read_noun`, :func:`read_passive`, :func:`read_apposition`) by calling the argument
finders of :mod:`kg.arguments`, plain functions of a :class:`kg.arguments.SentenceView`:

* a verb's subject follows it (VSO) or stands before it in its clause (SVO);
  when it has none, the subject of the previous event is used (omitted
  subject), first in the sentence, then one sentence back;
* objects are marked by the cue's prepositions (``على``, ``مع``, ``بين … و``),
  or follow directly; a pronoun suffix (``تحاصرهم``, ``عليها``) points back to
  the nearest actor before it;
* a verbal noun's genitive is its agent or patient (``قصف النظام``,
  ``حصار الغوطة``), agents also come from ``من قبل``/``على يد``/``لدى``;
* coordinated actors (``دمشق وموسكو``) each get the relation.

What one frame needs of the others (the last agent, the event before) is passed in a
small working object, ``_Reading``: the view, the frames read so far, the last agent.

Scopes decide modality (:func:`find_scopes`, :func:`modality`): a report by a party to the
conflict makes what it reports ``Claimed`` by it; a claim verb makes ``Claimed``; a denial
makes a ``denies`` statement plus its content as ``Denied`` (:func:`deny_frames`); negation
makes ``Denied``; hypothetical or future wording drops the event.

Nothing here knows Arabic words: they all come from the lexicons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .arguments import (
    LIST_PUNCT,
    SKIP_PUNCT,
    CueMatch,
    SentenceView,
    actorlike,
    after_result_phrase,
    agent_by_marker,
    agent_key,
    antecedent,
    claim_source,
    clause_actor_left,
    comitative,
    coordinated,
    coordinated_left,
    counted,
    counted_group,
    direct_object,
    enclitic_on,
    end_of,
    first_mention,
    genitive,
    has,
    has_word,
    is_boundary,
    is_party,
    is_reporter,
    listed_after,
    marked_object,
    mention_at,
    mention_prep,
    negates,
    metonym,
    np_places,
    relative_agent,
    relative_antecedent,
    relative_subject,
    responsible_for,
    speaker_pronoun_at,
    sport_or_market,
    start_of,
    subject_left,
    subject_right,
    type_of,
    undergoer,
)
from .lexicon import END, Cue, Lexicon, index_by_first
from .mentions import SentenceMentions
from .model import Mention, Sentence, Statement, Token
from .text import is_quote, normalize, strip_article

__all__ = ["CueMatch", "Frame", "find_cues", "extract_relations", "located_in", "member_in", "Trace", "OPEN"]

#: Subject of a statement whose agent the sentence leaves unstated (filled per document).
OPEN = "?"

#: Relations a text states by describing an actor (apposition), outside any report's scope.
_DESCRIPTIVE = {"memberOf", "leaderOf", "spokespersonOf", "locatedIn"}
#: Verbal nouns that, after li- (لتحرير, للسيطرة, لاعتقال), state a purpose, not an event.
_PURPOSE_RELATIONS = {"captures", "detains", "kills"}
#: Relations whose object may be a place; for the others a capital or country is its state.
_PLACE_PATIENTS = {"attacks", "besieges", "captures", "locatedIn"}
#: Relations of armed force (and support), whose verbs sport and market language also use (issue 14).
_FORCE = frozenset({"attacks", "besieges", "captures", "kills", "supports"})


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
    contested: bool = False
    """An earlier sentence of the document denied something: what this one reports may be what it denies."""


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


#: A node of the cue trie: the next word -> its node, and :data:`kg.lexicon.END` -> the cues ending here.
_Node = dict[str | None, Any]


def _cue_starts(tok: Token, lex: Lexicon) -> tuple[tuple[str, str, _Node], ...]:
    """(key, enclitic, trie node) of each reading of ``tok`` that starts a cue; memoised per word."""
    memo: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, str, _Node], ...]] = lex.derived("cue_starts", dict)
    found = memo.get((tok.text, tok.keys))
    if found is None:
        found = tuple((key, enc, lex.cue_trie[key]) for key, enc in _cue_keys(tok) if key in lex.cue_trie)
        if len(memo) < 1 << 17:
            memo[(tok.text, tok.keys)] = found
    return found


@lru_cache(maxsize=1 << 16)
def _cue_readings(text: str, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(key, enclitic) readings of a word: each key, and each less a pronoun suffix («تحاصرهم» -> تحاصر + هم)."""
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


def find_cues(sentence: Sentence, lex: Lexicon) -> list[CueMatch]:
    """Every cue of the lexicon in a sentence, longest first, not overlapping.

    Args:
        sentence: a tokenised sentence.
        lex: the lexicons.
    """
    toks = sentence.tokens
    out: list[CueMatch] = []
    after = 0  # the first token after the last cue found
    memo: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, str, _Node], ...]] = lex.derived("cue_starts", dict)
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


@dataclass
class _Reading:
    """One sentence being read: its view, and the frames read so far."""

    view: SentenceView
    """The sentence."""
    frames: list[Frame] = field(default_factory=list)
    """The frames read so far, in order."""
    last_agent: list[str] = field(default_factory=list)
    """The agents of the last frame that had one (for an omitted subject)."""
    open_denials: list[str] = field(default_factory=list)
    """Deniers whose denial names no content or source here."""


# -- Reading a cue's frame -------------------------------------------------------------------------

def read(reading: _Reading, c: CueMatch) -> Frame | None:
    """The frame of one relation cue: a verb, a verbal noun, a passive or an apposition.

    A verb with no subject around it that also reads as a verbal noun is read as the noun
    («استأنفت قوات النظام، صباح اليوم، قصف …»).
    """
    view = reading.view
    cue = c.cue
    f = Frame(c)
    if cue.pos in ("verb",):
        read_verb(reading, c, f)
        noun = next((a for a in c.alternatives if a.pos == "noun"), None)
        if noun is not None and not ({"subject after the verb", "subject before the verb"} & set(f.how)):
            # no subject around it: read it as the verbal noun instead (استأنفت قوات النظام، صباح اليوم، قصف …)
            c2 = CueMatch(noun, c.first, c.last, c.text, c.enclitic, c.proclitic, (cue,))
            f = Frame(c2)
            read_noun(reading, c2, f)
            f.how.insert(0, "no subject for a verb: read as its verbal noun")
    elif cue.pos in ("passive_participle", "passive_verb"):
        read_passive(view, c, f)
    elif cue.pos == "participle" and cue.apposition:
        read_apposition(view, c, f)
    else:
        read_noun(reading, c, f)
    return f


def read_verb(reading: _Reading, c: CueMatch, f: Frame) -> None:
    """Read a verb's frame into ``f``: its subject (after it, before it, or the noun of a relative clause), its object.

    «قصفت قوات النظام دوما»: agent قوات النظام, patient دوما. Counted victims make the verb a passive
    («قتل 10 مدنيين», «17 من المسلحين قتلوا»); a pronoun suffix points back («تحاصرهم»); a subject
    left unsaid is the previous event's agent (:func:`omitted_agent`).
    """
    view = reading.view
    toks = view.tokens
    cue = c.cue
    rel_subject = relative_subject(view, c)
    patients_before: list[str] = []
    resumptive = bool(c.enclitic) or (
        c.last + 1 < len(toks) and any(enclitic_on(view, c.last + 1, p) for p in cue.objects if len(p.split()) == 1)
    )
    # «السعودية التي تدعم الحكومة»: the relative clause's noun is the subject, unless a pronoun
    # in the clause takes it back as the object («الذي تسيطر عليه وحدات …»)
    subj = None if rel_subject is not None and not resumptive else subject_right(view, c)
    after = c.last + 1
    passive = False
    if subj is not None and cue.ambiguous_passive and (subj.type == "Civilians" or counted(view, subj)):
        passive = True  # قتل 10 مدنيين: the victims follow a passive verb
    if subj is not None and not passive:
        f.how.append("subject after the verb")
        subjects = coordinated(view, subj)
        after = end_of(view, subjects[-1]) + 1
        owner = mention_at(view, after) if after < len(toks) else None
        if owner is not None and mention_prep(view, owner) == "ل" and toks[owner.first_token].norm[:1] == "ل":
            after = end_of(view, owner) + 1  # «اتهم الجناح العسكري لحماس إسرائيل»: لحماس belongs to the subject
    else:
        rel = relative_subject(view, c)
        left = rel or subject_left(view, c)
        if left is not None and rel is None and cue.ambiguous_passive and counted(view, left):
            # «17 من المسلحين قتلوا»: counted people before a verb like قتل are its victims (قُتلوا)
            passive = True
            subjects = []
            patients_before = [m.actor for m in counted_group(view, left)]
            f.how.append("passive reading: counted victims before the verb")
        elif left is not None:
            f.how.append(_RELATIVE if rel else "subject before the verb")
            subjects = coordinated_left(view, left)
        else:
            subjects = []
    if subjects and not cue.symmetric:
        subjects += comitative(view, subjects[-1])
    agents = [agent_key(view, m) for m in subjects]
    patients: list[str] = []
    if passive and subj is None:
        patients = patients_before
        agents = [agent_key(view, m) for m in agent_by_marker(view, c)]
    if passive and subj is not None:
        patients = [m.actor for m in coordinated(view, subj)]  # اعتقل 20 متظاهرا / قتل 10 مدنيين
        by = agent_by_marker(view, c)
        agents = [agent_key(view, m) for m in by]
        f.how.append("passive reading: victims after the verb")
    if c.enclitic and c.enclitic in ("هم", "ها", "ه", "هما", "هن"):
        ante = antecedent(view, c.first)
        if ante is not None and ante.actor not in agents:
            patients = [ante.actor]
            f.how.append("object pronoun -> nearest actor before")
    if not patients and subjects and after > c.last + 1:
        nxt = first_mention(view, after, 1)
        if nxt is not None and not mention_prep(view, nxt) and nxt.actor not in agents:
            patients = [m.actor for m in coordinated(view, nxt)]  # VSO: the object right after the subject
            f.how.append("direct object after the subject")
    if not patients and not passive and subjects and after <= c.last + 1:
        first = c.last + 1
        while first < len(toks) and is_quote(toks[first]):
            first += 1
        m0 = mention_at(view, first) if first < len(toks) else None
        if m0 is not None and not mention_prep(view, m0) and m0.actor not in agents and m0.source != "pronoun":
            # «الحوثيون قصفوا مستشفى الثورة في المدينة»: the object right after the verb, not the place after في
            patients = [m.actor for m in coordinated(view, m0)]
            f.how.append("direct object right after the verb")
    if not patients:
        found = marked_object(view, c, c.last + 1 if not subjects or after <= c.last + 1 else after, cue.objects)
        if found is None and subjects and after > c.last + 1:
            found = marked_object(view, c, c.last + 1, cue.objects)
        if found is not None:
            ms, marker = found
            if ms:
                patients = [m.actor for m in ms]
                f.how.append(f"object after {marker}")
                if marker in ("في", "ب", "داخل"):
                    f.locative.update(m.actor for m in ms if m.type == "Place")
            elif "+" in marker:
                ante = relative_antecedent(view, c)
                listed = listed_after(view, c)
                if ante is not None:
                    patients = [ante.actor]
                    f.how.append(f"object pronoun on {marker} -> antecedent")
                elif listed:
                    patients = [m.actor for m in listed]
                    f.how.append("object pronoun, then «بما في ذلك X وY»: the places listed")
    if not patients and not passive:
        exclude = set(agents) | {m.actor for m in subjects}
        ms = direct_object(view, c, after, exclude, cue.objects)
        patients = [m.actor for m in ms]
        if ms:
            f.how.append("direct object")
    if not agents:
        agents = omitted_agent(reading, c, f)
    _add_target_places(view, c, f, patients)
    agents, patients = _between(f, agents, patients)
    f.agents, f.patients = agents, patients


def read_noun(reading: _Reading, c: CueMatch, f: Frame) -> None:
    """Read a verbal noun's frame into ``f``: its genitive, the agent after a marker, the object after a preposition.

    «قصف النظام»: agent النظام; «حصار الغوطة»: patient الغوطة; «اتفاق بين X وY»: X and Y. With no agent
    in the phrase, in order: an apposition's actor before it, the agent named in a relative clause
    after it («الهجوم الذي شنته X»), the one held responsible («مسؤولية X عن الهجوم»), the actor before
    it in its clause, the event before it.
    """
    view = reading.view
    toks = view.tokens
    cue = c.cue
    agents: list[str] = []
    patients: list[str] = []
    gen = genitive(view, c)
    if c.enclitic in ("ه", "ها", "هم", "هما") and not cue.apposition:
        # لقائه X / اتصالاته مع X: the pronoun is the agent, what follows is the patient
        ante = _pronoun_antecedent(reading, c)
        if ante is not None:
            agents = [ante]
            f.how.append("pronoun suffix on the noun -> its agent")
        if gen is not None and cue.genitive != "patient":
            # a noun with a pronoun suffix takes no genitive: the actor after it is its object
            patients = [m.actor for m in coordinated(view, gen)]
            gen = None
            f.how.append("the actor after it is the patient")
    if gen is not None and cue.apposition and c.enclitic:
        # حليفتها موسكو: the pronoun is the one supported, the actor after it the supporter
        ante = _pronoun_antecedent(reading, c)
        if ante is not None:
            agents = [agent_key(view, m) for m in coordinated(view, gen)]
            patients = [ante]
            gen = None
            f.how.append("ally noun with a pronoun: the actor after supports the pronoun's antecedent")
    if gen is not None:
        role = cue.genitive
        if role == "auto":
            role = "patient" if gen.type in ("Place", "Civilians") else "agent"
        if role == "agent" and gen.type == "Place" and not metonym(view, gen):
            role = "patient"
        after_gen = end_of(view, gen) + 1
        if role == "agent" and cue.relation == "accuses" and after_gen < len(toks) and toks[after_gen].norm[:1] == "ب":
            role = "patient"  # اتهام دمشق بتنفيذ هجوم: the accused, charged with ب
        if role == "agent":
            agents = [agent_key(view, m) for m in coordinated(view, gen)]
        else:
            patients = [m.actor for m in coordinated(view, gen)]
        f.how.append(f"genitive is the {role}")
    by = agent_by_marker(view, c)
    if by and not agents:
        agents = [agent_key(view, m) for m in by]
        f.how.append("agent after " + "/".join(cue.agents))
    if not patients:
        found = marked_object(view, c, c.last + 1, cue.objects, window=6)
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
            listed = listed_after(view, c)
            if listed:
                patients = [m.actor for m in listed]  # «سيطرتهم عليها بما في ذلك صنعاء وتعز»
                f.how.append("object pronoun, then «بما في ذلك X وY»: the places listed")
    if cue.apposition and not agents:
        before = antecedent(view, c.first, adjacent=True)
        if before is not None:
            agents = [agent_key(view, before)]
            f.how.append("apposition: the actor before")
    if not agents and cue.result:
        agents = list(reading.last_agent)
        if agents:
            f.how.append("outcome noun: agent of the event before")
    if not agents:
        resp = responsible_for(view, c)
        if resp is not None:
            agents = [agent_key(view, resp)]
            f.how.append("«مسؤولية X عن …»: X is the agent")
    if not agents:
        rel_agent = relative_agent(view, c)
        if rel_agent is not None:
            agents = [agent_key(view, rel_agent)]
            f.how.append("agent named in the relative clause after it")
            if not patients:
                # «الحملة التي شنتها القوات على مواقع الحركة»: the object follows the clause's agent
                found = marked_object(view, c, end_of(view, rel_agent) + 1, cue.objects, window=5)
                if found is not None and found[0]:
                    patients = [m.actor for m in found[0] if m.actor not in agents]
                    f.how.append(f"object after {found[1]}, past the relative clause")
    if not agents and (cue.result or after_result_phrase(view, c)) and reading.last_agent:
        agents = list(reading.last_agent)  # «… أسفرت عن مقتل X»: the killer is the agent of what resulted in it
        f.how.append("after a result phrase: agent of the event before")
    victims = _victims_before(reading, c) if not agents and patients and cue.relation == "attacks" else None
    if victims is not None:
        # «قُتل 17 من X خلال مواجهات مع Y»: Y fought X, and killed those of X who died
        victims.agents = [p for p in patients if p not in victims.patients]
        if _CLAUSE_AGENT in victims.how:
            victims.how.remove(_CLAUSE_AGENT)
        agents, patients = list(victims.agents), list(victims.patients)
        victims.how.append("killed in the clash that follows: its other side is the killer")
        f.how.append("a clash after a killing with no killer: its other side attacks the victims")
    adverbial_here = cue.adverbial and ("ب" in c.proclitic or (c.first > 0 and toks[c.first - 1].norm in ("طريق", "عبر")))
    if not agents and not adverbial_here:
        left = clause_actor_left(view, c)
        if left is not None:
            group = coordinated_left(view, left)
            group += comitative(view, group[-1])
            agents = [agent_key(view, m) for m in group]
            f.how.append(_CLAUSE_AGENT)
    if (not agents or not patients) and toks[c.first].norm.startswith("و") and reading.frames:
        prev = reading.frames[-1]
        if prev.match.last < c.first:
            if not agents:
                agents = list(prev.agents)
            if not patients and prev.match.cue.relation == cue.relation or not patients and cue.relation in ("attacks", "kills"):
                patients = patients or list(prev.patients)
            f.how.append("coordinated with the event before: shares its arguments")
    if not agents and c.first > 0 and (
        toks[c.first - 1].norm in _PREPOSITIONS or c.proclitic.strip("وف")[:1] in ("ب", "ل")
    ):
        inherited = list(reading.last_agent) or ([view.prev_agent] if view.prev_agent and not reading.frames else [])
        if inherited and inherited != patients[:1]:
            agents = inherited
            f.how.append("verbal noun after a preposition: agent of the event before")
    if not agents and after_result_phrase(view, c):
        agents = list(reading.last_agent)
        if agents:
            f.how.append("after a result phrase: agent of the event before")
    if not patients and agents:
        undergone = undergoer(view, c)
        if undergone is not None:
            patients = [m.actor for m in coordinated(view, undergone)]
            f.how.append("تعرض X لـ: X undergoes the event")
    _add_target_places(view, c, f, patients)
    agents, patients = _between(f, agents, patients)
    f.agents, f.patients = agents, patients


def read_passive(view: SentenceView, c: CueMatch, f: Frame) -> None:
    """Read a passive verb or participle into ``f``: the patient before or after it, the agent after its markers.

    «الغوطة المحاصرة من قبل قوات النظام»: patient الغوطة, agent قوات النظام.
    """
    cue = c.cue
    if cue.pos == "passive_verb":
        subj = subject_right(view, c, allow_place=True)
        patients = [m.actor for m in coordinated(view, subj)] if subj else []
    else:
        ante = antecedent(view, c.first)
        if ante is not None and c.first - end_of(view, ante) > 4:
            ante = None
        patients = [m.actor for m in ([ante] if ante else [])]
    by = agent_by_marker(view, c)
    f.agents = [agent_key(view, m) for m in by]
    f.patients = patients
    f.how.append("passive: patient before/after, agent after " + "/".join(cue.agents))
    if not f.agents:
        f.how.append("no agent stated (filled from the document if another sentence names one)")
        f.decision = "presupposed"


def read_apposition(view: SentenceView, c: CueMatch, f: Frame) -> None:
    """Read an apposition into ``f``: the actor right before, the object after («جيش الإسلام المنتمي إلى المعارضة»)."""
    ante = antecedent(view, c.first, adjacent=True)
    found = marked_object(view, c, c.last + 1, c.cue.objects, window=3)
    f.agents = [agent_key(view, ante)] if ante else []
    f.patients = [m.actor for m in found[0]] if found else []
    f.how.append("apposition: the actor before, marked object after")


def omitted_agent(reading: _Reading, c: CueMatch, f: Frame) -> list[str]:
    """The agents of an omitted subject: the previous event's in the sentence, else (near its start) the last sentence's."""
    view = reading.view
    if reading.last_agent:
        f.how.append("omitted subject -> the previous event's agent")
        return list(reading.last_agent)
    if view.prev_agent and c.first <= 3:
        f.how.append("omitted subject -> the previous sentence's agent")
        return [view.prev_agent]
    return []


def _pronoun_antecedent(reading: _Reading, c: CueMatch) -> str | None:
    """The actor a pronoun suffix refers to: the nearest non-place actor before, else the previous agent."""
    view = reading.view
    ante = antecedent(view, c.first)
    while ante is not None and ante.type == "Place" and not metonym(view, ante):
        ante = antecedent(view, start_of(view, ante))
    if ante is not None and not any(is_boundary(view, k) and view.tokens[k].text not in LIST_PUNCT
                                    and not has_word(view, k, "relative_pronouns")
                                    for k in range(end_of(view, ante) + 1, c.first)):
        return agent_key(view, ante)  # a relative clause does not stop a pronoun from looking back
    if reading.last_agent:
        return reading.last_agent[0]
    return view.prev_agent


def _victims_before(reading: _Reading, c: CueMatch) -> Frame | None:
    """A killing with victims and no killer right before a clash noun after a preposition, if any.

    «قُتل 17 من X خلال مواجهات مع Y», «مقتل جنديين في اشتباكات مع Y»: the death happened in the clash.
    """
    view = reading.view
    if c.first == 0 or view.tokens[c.first - 1].norm not in _PREPOSITIONS or not reading.frames:
        return None
    prev = reading.frames[-1]
    if prev.match.cue.relation != "kills" or not prev.patients or c.first - prev.match.last > 6:
        return None
    # a killer only guessed from the clause («أعلن الجيش مقتل …»: the announcer) yields to the named other side
    return prev if not prev.agents or _CLAUSE_AGENT in prev.how else None


def _between(f: Frame, agents: list[str], patients: list[str]) -> tuple[list[str], list[str]]:
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


def _add_target_places(view: SentenceView, c: CueMatch, f: Frame, patients: list[str]) -> None:
    """For attacks, the place that holds the targets is a target too."""
    if c.cue.relation != "attacks" or not patients:
        return
    last = max((m for m in view.mentions if m.actor == patients[-1] and m.first_token > c.last), default=None,
               key=lambda m: -m.first_token)
    if last is None or last.type == "Place":
        return
    for m in np_places(view, end_of(view, last) + 1):
        if m.actor not in patients:
            patients.append(m.actor)
            f.how.append("the place of the targets (في/داخل)")


def _agent_ok(view: SentenceView, key: str, cue: Cue) -> bool:
    """True when an actor key may be the cue's agent (its ``agent_types``, or any non-place actor)."""
    t = type_of(view, key)
    if cue.agent_types:
        return t in cue.agent_types
    return t not in ("Place", "")


def _patient_ok(view: SentenceView, key: str, cue: Cue) -> bool:
    """True when an actor key may be the cue's patient (its ``patient_types``, or any known actor)."""
    t = type_of(view, key)
    if cue.patient_types:
        return t in cue.patient_types
    return t != ""


# -- Frames a sentence states around its cues ------------------------------------------------------

def control_frames(reading: _Reading) -> None:
    """«مدينة X الخاضعة لسيطرة Y», «X … بيد Y», «تحريرها من قبضة Y»: Y holds the place before the phrase."""
    view = reading.view
    toks = view.tokens
    phrases = view.lex.derived("control_phrases", lambda: sorted(
        (tuple(normalize(word) for word in p.split()) for p in view.lex.patterns.get("control_phrases", [])),
        key=len, reverse=True,
    ))
    by_first: dict[str, list[int]] = view.lex.derived("control_by_first", lambda: index_by_first(phrases))
    firsts = by_first.keys()
    after = 0  # the first token after the last phrase found
    # the words that may start a phrase (see _phrases_at), and «من» (تحريرها من …)
    for k in [k for k, tok in enumerate(toks)
              if not firsts.isdisjoint(tok.keys) or tok.norm[1:] in firsts or tok.norm == "من"]:
        if k < after:
            continue
        hit: tuple[str, ...] | None = None
        tok = toks[k]
        for words in _phrases_at(tok, phrases, by_first):
            if all(k + n < len(toks) and _word_is(view, k + n, w) for n, w in enumerate(words)):
                hit = words
                break
        if hit is None and toks[k].norm == "من" and k - 1 >= 0 and (k - 1) in view.cue_at:
            lib = view.cue_at[k - 1]
            if lib.cue.relation == "captures" and lib.cue.pos == "noun" and has(view, lib.first, "liberation_nouns"):
                hit = ("من",)  # «تحريرها من الحوثيين»: the liberators took it from them
        if hit is None:
            continue
        end = k + len(hit)
        holder = first_mention(view, end, 1)
        if holder is None and end - 1 >= 0:
            holder = view.at.get(end - 1) if view.at.get(end - 1) and view.at[end - 1].first_token == end - 1 else None
        place = None
        before = k - 1
        if before >= 0 and toks[before].norm.endswith(("ها", "ه")) and before in view.cue_at:
            # «تحريرها من قبضة X»: the pronoun is the place the sentence is about (its first place)
            place = next((m for m in view.mentions if m.type == "Place" and m.last_token < before), None)
        else:
            for q in range(k - 1, max(-1, k - 5), -1):
                m = view.at.get(q)
                if m is not None and m.type == "Place":
                    place = m
                    break
        if holder is not None and place is not None and actorlike(view, holder) and holder.type != "Place":
            cue = Cue("control", "relation", "captures", "particle", hit, confidence=0.65)
            text = view.sentence.text[toks[k].start - view.sentence.start : toks[end - 1].end - view.sentence.start]
            holders = coordinated(view, holder)
            reading.frames.append(Frame(CueMatch(cue, k, end - 1, text), [agent_key(view, h) for h in holders],
                                     [place.actor], how=["control phrase: the holder after it, the place before it"]))
        after = end


def _phrases_at(tok: Token, phrases: list[tuple[str, ...]], by_first: dict[str, list[int]]
                ) -> list[tuple[str, ...]]:
    """The phrases whose first word ``tok`` may be (see :func:`_word_is`), in their order in ``phrases``."""
    if by_first.keys().isdisjoint(tok.keys) and tok.norm[1:] not in by_first:  # the keys start with norm
        return []
    return [phrases[n] for n in sorted({n for x in (tok.norm[1:], *tok.keys) for n in by_first.get(x, ())})]


def _word_is(view: SentenceView, k: int, word: str) -> bool:
    """True when token ``k`` is ``word``, by a reading or with a conjunction."""
    toks = view.tokens
    norm = toks[k].norm
    return norm == word or word in toks[k].keys or (norm[:1] in "وف" and norm[1:] == word)


def adverbials(reading: _Reading) -> None:
    """``بوساطة X`` / ``بدعم X``: X relates to the participants of the nearest event."""
    view = reading.view
    for f in reading.frames:
        cue = f.match.cue
        if not cue.adverbial or f.patients:
            continue
        others = [g for g in reading.frames if g is not f and g.agents and not g.match.cue.adverbial]
        if not others and cue.relation == "supports":
            first = next(
                (m for m in view.mentions if m.last_token < f.match.first and m.type != "Place"
                 and not mention_prep(view, m) and not is_reporter(view, m)), None)
            if first is not None:
                f.patients = [agent_key(view, first)]
                f.how.append("support of the clause's subject")
            continue
        if not others:
            if cue.relation == "mediates":
                parties = [
                    m.actor for m in view.mentions
                    if m.type not in ("Place", "MediaOutlet", "Civilians") and agent_key(view, m) not in f.agents
                    and not is_reporter(view, m)
                ]
                f.patients = list(dict.fromkeys(parties))
                f.how.append("mediation without بين: the actors of the sentence")
            continue
        nearest = min(others, key=lambda g: abs(g.match.first - f.match.first))
        if cue.relation == "mediates":
            f.patients = [k for k in dict.fromkeys(nearest.agents + nearest.patients) if type_of(view, k) != "Place"]
            f.how.append("mediation of the nearest event: its parties")
        else:
            f.patients = list(nearest.agents)
            f.how.append("support of the nearest event's agent")


def event_objects(reading: _Reading) -> None:
    """``أدانت X الهجوم الذي شنته Y``: a verb whose object is an event relates to that event's agent."""
    for f in reading.frames:
        if f.patients or f.match.cue.relation not in ("condemns", "accuses", "threatens") or not f.agents:
            continue
        for g in reading.frames:
            if g is f or g.match.cue.pos != "noun" or not g.agents:
                continue
            if 0 < g.match.first - f.match.last <= 4:
                f.patients = [a for a in g.agents if a not in f.agents]
                f.how.append(f"object is the event «{g.match.text}»: its agent")
                break


# -- Scopes and modality ---------------------------------------------------------------------------

def find_scopes(view: SentenceView, prev_speaker: str | None = None) -> list[_Scope]:
    """The scopes of the reporting, claim and denial cues of a sentence, with who holds each.

    «قالت الحكومة إن …»: a report held by the government over what follows, to the next main-clause
    break. A negated claim or denial («لم تؤكد أو تنفي») is an ``open`` scope. A report verb opening the
    sentence without a subject («وأضاف أن …») is held by ``prev_speaker``, who the sentence before reported.
    """
    toks = view.tokens
    out: list[_Scope] = []
    for c in view.cues:
        if c.cue.kind == "relation":
            continue
        if c.cue.pos == "noun" and c.cue.kind == "report":
            continue  # بيان / تصريح: not a scope on their own
        if c.cue.id == "claim-responsibility" and any(has(view, k, "adopted_things") for k in range(c.last + 1, c.last + 5)):
            continue  # «تبنى مجلس الأمن قرارا»: adopted, not a claim of responsibility
        holder = subject_right(view, c) or subject_left(view, c)
        holders = [holder] if holder else []
        if holder is not None:
            holders = coordinated(view, holder)
        elif c.cue.kind in ("report", "claim", "deny") and c.cue.pos in ("participle",) and out:
            holders = []
        keys = [agent_key(view, h) for h in holders]
        if not keys and out and c.cue.pos == "participle":
            continue  # مضيفا / مشيرة: the same speaker goes on, in the same scope
        if not keys and c.cue.kind in ("deny", "claim") and view.prev_agent and c.first <= 2:
            keys = [view.prev_agent]
        if not keys and c.cue.kind == "report" and prev_speaker and c.first <= 1 and c.cue.pos == "verb":
            keys = [prev_speaker]  # «وأضاف أن …» opening a sentence: the speaker of the previous one goes on
        end = len(toks) - 1
        for k in range(c.last + 1, len(toks)):
            if has_word(view, k, "main_clause_breaks"):
                end = k - 1
                break
        start = c.last + 1
        if holders:
            start = max(start, end_of(view, holders[-1]) + 1)
        party = any(is_party(view, k) for k in keys)
        kind = c.cue.kind
        if kind in ("deny", "claim") and any(negates(view, k) for k in range(max(0, c.first - 3), c.first)):
            kind = "open"  # «لم تؤكد أو تنفي اجتماعها بطالبان»: neither confirmed nor denied
        out.append(_Scope(kind, start, end, keys, party, c))
    return out


def modality(reading: _Reading, f: Frame, scopes: list[_Scope]) -> None:
    """Set a frame's modality and attribution from the scopes around it and the words before it.

    Negation makes it Denied; a purpose («لتحرير»), a directive or future wording makes it
    hypothetical; inside a denial it is Denied by the denier (one copy per denier is added to the
    frames), inside a claim or a party's report Claimed by the holder.
    """
    view = reading.view
    c = f.match
    if c.cue.relation in _DESCRIPTIVE or c.cue.apposition:
        return  # «جيش الإسلام المنتمي إلى المعارضة»: the writer's description, not the speaker's claim
    if f.decision == "presupposed":
        pass
    for k in range(max(0, c.first - 3), c.first):
        if negates(view, k) and not view.tokens[k].punct:
            f.modality, f.decision = "Denied", "negated"
    causal = c.first > 0 and has(view, c.first - 1, "causal_words")  # «نتيجة لسيطرة»: a cause, not a purpose
    purpose = c.cue.pos == "noun" and "ل" in c.proclitic and c.cue.relation in _PURPOSE_RELATIONS and not causal
    if (purpose or _irrealis(view, c)) and c.cue.relation != "threatens" and f.decision != "negated":
        f.decision = "hypothetical"
        return
    inner = [s for s in scopes if s.start <= c.first <= s.end and s.cue.first < c.first]
    if not inner:
        if f.modality == "Denied" and view.prev_agent is None:
            f.by = None
        return
    denials = [s for s in inner if s.kind == "deny"]
    s = denials[-1] if denials else inner[-1]  # what a denial covers is denied, even inside a claim
    holder = s.holders[0] if s.holders else None
    inherited = any("the event before" in h or "previous sentence" in h for h in f.how)
    if (not f.agents or inherited) and holder and s.kind == "report" and speaker_pronoun_at(view, s.start):
        f.agents = [view.role_of.get(holder, holder)]  # «قالت الحكومة إنها …»: the pronoun is the speaker
        f.how.append("omitted subject after إنها: the speaker")
    if s.kind == "open":
        if f.decision != "presupposed" and _RELATIVE not in f.how:
            f.decision = "hypothetical"  # what nobody confirms or denies is not stated
        return
    if s.kind == "deny":
        if f.decision == "presupposed" or _RELATIVE in f.how:
            return  # a description (الغوطة المحاصرة, الفصائل التي تسيطر على دوما) is not what is denied
        source = claim_source(view, s.start, s.end)
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
            org = view.role_of.get(h or "", h)
            g.agents = list(base_agents) or ([org] if org else [])
            g.patients = [p for p in base_patients if p not in g.agents]
            if not base_agents:
                g.how.append("denied content: omitted subject is the denier")
            if n:
                copies.append(g)
        reading.frames.extend(copies)
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
            f.agents = [view.role_of.get(holder, holder)]
    elif f.modality == "Denied":
        f.by = holder


def modality_at(reading: _Reading, k: int, scopes: list[_Scope]) -> tuple[str, str | None, bool]:
    """The modality an event read at token ``k`` would take from the scopes of the sentence:
    (modality, who claims or denies it, whether it is hypothetical or under a negation anywhere
    before it: «لا يعني أن X تدعم Y»). Frames are left as they are."""
    view = reading.view
    f = Frame(CueMatch(Cue("event", "relation", None, "particle", ()), k, k, ""))
    frames = reading.frames
    reading.frames = list(frames)  # a denial by several holders adds copies to the list: not to the sentence's
    modality(reading, f, scopes)
    reading.frames = frames
    if f.modality == "Asserted":
        for acc in frames:
            # «اتهم X Y بالتواطؤ مع Z»: what follows an accusation in its clause is the accuser's claim
            if f.modality == "Asserted" and acc.match.cue.relation == "accuses" and acc.agents \
                    and acc.match.last < k <= _accusation_end(view, acc):
                f.modality, f.by = "Claimed", acc.agents[0]
    negated = any(negates(view, q) for q in range(0, k))
    return f.modality, f.by, f.decision == "hypothetical" or negated


def _accusation_end(view: SentenceView, acc: Frame) -> int:
    """The last token of an accusation's clause (its charge)."""
    toks = view.tokens
    for k in range(acc.match.last + 1, len(toks)):
        if has_word(view, k, "main_clause_breaks") or (
                toks[k].punct and toks[k].text not in LIST_PUNCT | SKIP_PUNCT and not is_quote(toks[k])):
            return k - 1
    return len(toks) - 1


def _irrealis(view: SentenceView, c: CueMatch) -> bool:
    """True when the cue states what is asked for, possible or to come, not what happened.

    After a directive («طالب X بوقف القصف»), an irrealis word, or a modal particle before an imperfect verb.
    """
    toks = view.tokens
    for k in view.directives:
        if k >= c.first:
            break
        # «طالب X بوقف القصف … للسماح بالتفاوض», «دعا إلى …»: what is asked for has not happened,
        # but a relative clause inside it describes what is so («المناطق التي فرضوا سيطرتهم عليها»)
        if not any(
            has_word(view, q, "main_clause_breaks") or toks[q].text in (".", "؛") or has_word(view, q, "relative_pronouns")
            for q in range(k + 1, c.first)
        ):
            return True
    for k in range(max(0, c.first - 3), c.first):
        if has_word(view, k, "irrealis"):
            return True
        if has_word(view, k, "modal_particles") and k + 1 < len(toks) and toks[k + 1].norm[:1] in "يتن":
            return True
    return False


def accusations(reading: _Reading) -> None:
    """What an accuser says the accused did is claimed by the accuser; «المفترض» marks a claim too."""
    view = reading.view
    toks = view.tokens
    for f in reading.frames:
        c = f.match
        if f.modality == "Asserted" and any(has(view, k, "alleged_words")
                                            for k in range(c.last + 1, min(len(toks), c.last + 4))):
            f.modality = "Claimed"
            f.how.append("«alleged» after it: a claim, not a fact")
    for acc in [f for f in reading.frames if f.match.cue.relation == "accuses"]:
        charge = next((g for g in reading.frames if g.match.first > acc.match.last and "ب" in g.match.proclitic
                       and g.match.cue.relation != "accuses"), None)
        if charge is not None and acc.patients and charge.match.first - acc.match.last <= 8:
            # اتهم X Y بدعم Z: Y is the one charged; a genitive after the charge is its object
            if any("genitive is the agent" in h for h in charge.how):
                charge.patients = [a for a in charge.agents if a not in acc.patients] or charge.patients
            charge.agents = list(acc.patients)
            charge.how.append("the charge of an accusation: the accused is its agent")
        end = len(toks) - 1
        for k in range(acc.match.last + 1, len(toks)):
            if has_word(view, k, "main_clause_breaks") or (
                    toks[k].punct and toks[k].text not in LIST_PUNCT | SKIP_PUNCT and not is_quote(toks[k])):
                end = k - 1
                break
        for f in reading.frames:
            if f is acc or f.match.cue.relation == "accuses" or not acc.match.last < f.match.first <= end:
                continue
            if f.match.cue.relation in _DESCRIPTIVE or f.match.cue.apposition or _RELATIVE in f.how:
                continue  # «جيش الإسلام المنتمي إلى المعارضة»: the writer describes the accuser, no charge
            if f.modality == "Asserted":
                f.modality = "Claimed"
                f.by = acc.agents[0] if acc.agents else None
                f.how.append("the charge of an accusation: claimed by the accuser")


# -- Denials ---------------------------------------------------------------------------------------

def deny_frames(reading: _Reading, scopes: list[_Scope]) -> None:
    """A denial gives ``denies`` from the denier to whoever the denied claim came from or is about.

    The target is, in order: the claim's source (الادعاءات الروسية); the accusers of the
    sentence when the denial is of responsibility or claims; the other parties of the denied
    content. A denial with no content of its own answers what the sentence said before it
    (those events become Denied), or else what the previous sentence said (see the pipeline).
    """
    view = reading.view
    toks = view.tokens
    for s in scopes:
        if s.kind != "deny" or not s.holders:
            continue
        # «نفت X مسؤولية النظام، مشددة على أنه ادعاءات من قبل Y»: the claim's source may follow the scope
        # a claim whose source is named (ادعاءات من قبل Y) outranks whom the denied content is about
        # (مسؤولية النظام); the source may follow the scope: «…، مشددة على أنه ادعاءات من قبل Y»
        source = claim_source(view, s.start, _clause_end(view, s.end + 1), named_only=True) \
            or claim_source(view, s.start, s.end)
        accusers = [a for f in reading.frames if f.match.cue.relation == "accuses" and f.match.last < s.cue.first
                    for a in f.agents]
        mentions_claim = any(has(view, k, "claim_nouns") for k in range(s.start, min(s.end + 1, len(toks))))
        own_content = any(f.modality == "Denied" and s.start <= f.match.first <= s.end for f in reading.frames)
        earlier = [] if own_content else [
            f for f in reading.frames if f.match.last < s.cue.first and f.agents and f.patients
            and f.match.cue.relation not in _DESCRIPTIVE and not f.match.cue.apposition
            and f.match.cue.relation != "accuses" and f.match.cue.kind == "relation"
        ]
        for holder in s.holders:
            org = view.role_of.get(holder, holder)
            targets: list[str] = []
            how = "denial: the claim's source"
            if source:
                targets = [source]
            elif accusers and (mentions_claim or earlier):
                targets = [a for a in accusers if a not in (holder, org)]
                how = "denial: answers the accusers of the sentence"
            elif own_content:
                for f in reading.frames:
                    if f.modality == "Denied" and s.start <= f.match.first <= s.end:
                        targets += [k for k in f.agents + f.patients if k not in (holder, org) and type_of(view, k) != "Place"]
                how = "denial: the denied content's other party"
            for f in earlier:
                # «تتهم السعودية إيران بدعم الحوثيين، لكن طهران تنفي»: what came before is denied
                if f.by and f.by not in (holder, org) and not accusers:
                    targets.append(f.by)
                    how = "denial: whoever claimed what the sentence said before"
                if f.modality != "Denied":
                    f.modality, f.by = "Denied", holder
                    f.how.append("denied later in the sentence")
            for f in reading.frames:
                if f.modality == "Denied" and f.by in s.holders and s.start <= f.match.first <= s.end and not f.patients and source \
                        and not any("مسؤولية X" in h for h in f.how):
                    f.patients = [source]
            for t in dict.fromkeys(targets):
                reading.frames.append(Frame(s.cue, [holder], [t], how=[how]))
            if not targets and not own_content and not earlier:
                reading.open_denials.append(holder)
    # falsity predicates: «الادعاءات الروسية كاذبة» said by a speaker
    for k, tok in enumerate(toks):
        if not has(view, k, "falsity_predicates"):
            continue
        speaker = next((s for s in scopes if s.kind == "report" and s.start <= k <= s.end and s.holders), None)
        source = claim_source(view, max(0, k - 4), k)
        if speaker is None or source is None:
            continue
        fake = CueMatch(Cue("falsity", "deny", "denies", "particle", (tok.norm,)), k, k, tok.text)
        for holder in speaker.holders:
            reading.frames.append(Frame(fake, [holder], [source], how=["a speaker calls the claim false"]))


def _clause_end(view: SentenceView, k: int) -> int:
    """The last token of the stretch from ``k`` before another speaker's verb (of saying, claiming, denying)."""
    nxt = min((c.first for c in view.cues if c.first >= k and c.cue.kind in ("report", "claim", "deny")
               and c.cue.pos == "verb"), default=len(view.tokens))
    return nxt - 1


def extract_relations(
    sentence: Sentence,
    found: SentenceMentions,
    lex: Lexicon,
    types: dict[str, str],
    role_of: dict[str, str],
    prev_agent: str | None = None,
    prev_speaker: str | None = None,
) -> tuple[list[Statement], str | None, Trace]:
    """The relations one sentence states.

    Args:
        sentence: the tokenised sentence.
        found: its mentions (from :func:`kg.mentions.find_mentions`).
        lex: the lexicons.
        types: actor key -> actor type, for every actor known so far.
        role_of: person key -> organisation key, from titles seen so far.
        prev_agent: the main agent of the previous sentence (for omitted subjects).
        prev_speaker: who the previous sentence reported (for «وأضاف أن …» without a subject).

    Returns:
        The statements, the agent this sentence hands to the next, and a trace.
    """
    view = SentenceView.of(sentence, found, lex, find_cues(sentence, lex), prev_agent, role_of, types)
    work = _Reading(view)
    rel_cues = [c for c in view.cues if c.cue.kind == "relation"]
    scopes = find_scopes(view, prev_speaker)
    for c in rel_cues:
        if c.cue.relation in _FORCE and sport_or_market(view, c):
            continue  # «هاجم اللاعب», «سيطر الفريق على المباراة», «قتل الوقت»: no armed force
        f = read(work, c)
        if f is None:
            continue
        work.frames.append(f)
        if f.agents:
            work.last_agent = list(f.agents)
    for f in work.frames:
        if f.match.cue.relation == "protestsAgainst" and not f.agents and f.patients and "actor:protesters" in lex.actors:
            f.agents = ["actor:protesters"]  # «تظاهر الآلاف ضد …»: whoever they are, they are protesters
            f.how.append("no protester named: the protesters")
    control_frames(work)
    adverbials(work)
    event_objects(work)
    for f in list(work.frames):
        modality(work, f, scopes)
    accusations(work)
    deny_frames(work, scopes)
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
                if _patient_ok(view, p, cue):
                    statements.append(
                        Statement(OPEN, rel, p, f.modality, f.match.text, round(cue.confidence * 0.7, 2),
                                  (sentence.index,), f.by, None, 1, f"{cue.id}: " + "; ".join(f.how))
                    )
            continue
        for a in dict.fromkeys(f.agents):
            for p in dict.fromkeys(f.patients):
                if a == p or not a or not p:
                    continue
                a = lex.state_of(a)  # an agent is never a place: a capital or country acts as its state
                if p.startswith("place:") and lex.state_of(p) == a:
                    continue  # «أنقرة … تركيا»: a state and its own territory are not two parties
                if rel not in _PLACE_PATIENTS:
                    if p in f.locative:
                        continue  # «محادثات في الدوحة»: where they met, not with whom
                    p = lex.state_of(p)  # اتهام دمشق: the capital stands for its state
                if a == p or not _agent_ok(view, a, cue) or not _patient_ok(view, p, cue):
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
                Statement(r.person, r.relation, r.org, "Asserted", r.cue, 0.8, (sentence.index,), None, None, 1, r.how)
            )
    # the frame trace keeps presupposed frames without agents for the document pass
    main = next((f.agents[0] for f in frames if f.agents and f.match.cue.kind == "relation"), None)
    if main is None:
        main = next((s.holders[0] for s in scopes if s.holders and s.kind != "report"), None)
    reporters = [h for s in scopes if s.kind in ("report", "claim") for h in s.holders]
    trace = Trace(sentence, tuple(found.mentions), list(view.cues), frames, list(dict.fromkeys(work.open_denials)),
                  reporters, modality_at=lambda k: modality_at(work, k, scopes))
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
    """The place from token ``k``, past up to 3 transparent words and place nouns; None at a vicinity word («في محيط X»: near, not in)."""
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
