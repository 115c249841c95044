"""Candidates: the statements a sentence may make, proposed for the classifier to decide.

Knowledge proposes, data decides. For each sentence this stage proposes:

* for each relation cue of the lexicon (and each denial verb, for ``denies``), every
  ordered pair of actor mentions near it (both directions), within
  :data:`WINDOW` tokens of the cue and :data:`MAX_GAP` tokens of each other;
* for the descriptive relations a text states without a cue word (``leaderOf``,
  ``memberOf``, ``spokespersonOf``, ``locatedIn``: «وزير الخارجية الروسي سيرغي
  لافروف», «دوما في الغوطة»), every ordered pair of close mentions whose types fit;
* every statement the rules made, so nothing they find is lost (a rule statement whose
  actors are not both mentioned in the sentence, an omitted subject, stands alone);
* for a rule statement about one member of a coordination («قصفت قوات النظام مدينة دوما
  وبلدتي حمورية وسقبا»), the same statement about each other member, however far down the
  list it stands.

A mention pair proposes each relation once, with the cue nearest to it. Actor types
only bound the set (a place acts in no relation but ``locatedIn``); which candidate
holds is for :mod:`kg.decision`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import Lexicon
from .mentions import SentenceMentions
from .model import Mention, Sentence, Statement, Token
from .relations import OPEN, CueMatch, Frame, Trace

__all__ = ["Candidate", "WINDOW", "MAX_GAP", "frame_roles", "propose"]

#: How far (in tokens) a mention may stand from the cue it is proposed with.
WINDOW = 10
#: How far (in tokens) the two mentions of a pair may stand from each other.
MAX_GAP = 16

#: Relations whose object may be a place (the others take a capital or country as its state).
PLACE_OBJECTS = frozenset({"attacks", "besieges", "captures", "locatedIn", "leaderOf", "threatens"})
_PERSON_SUBJECTS = frozenset({"spokespersonOf", "leaderOf"})
#: Relations proposed for every close pair whose types fit, with or without a cue word: many are
#: stated by words no lexicon lists («اشتباكات بين X وY», «وزير الخارجية الروسي»).
_PAIR_RELATIONS = ("accuses", "attacks", "besieges", "captures", "condemns", "detains", "kills", "leaderOf",
                   "locatedIn", "memberOf", "negotiatesWith", "protestsAgainst", "spokespersonOf", "supports",
                   "threatens")


@dataclass(frozen=True)
class Candidate:
    """A statement a sentence may make: two actors, a relation, a direction, and what proposed it."""

    sentence: Sentence
    """The sentence (with its tokens)."""
    subject: str
    """Actor key of the subject (a capital or country acting is its state)."""
    relation: str
    """One of :data:`kg.model.RELATIONS`."""
    object: str
    """Actor key of the object."""
    s_mention: Mention | None
    """The subject's mention in the sentence (None when the rules took it from elsewhere)."""
    o_mention: Mention | None
    """The object's mention in the sentence."""
    cue: CueMatch | None
    """The cue nearest the pair, or None for a descriptive pair without a cue."""
    frame: Frame | None
    """The rules' reading of that cue (its arguments, modality and decision)."""
    rules: tuple[Statement, ...] = ()
    """The rules' statements of this subject, relation and object in the sentence."""
    rule_reverse: bool = False
    """True when the rules stated the same relation the other way round."""
    rule_other: tuple[str, ...] = ()
    """Other relations the rules stated between the two actors (either way)."""
    mentions: tuple[Mention, ...] = ()
    """Every mention of the sentence (for the actors between the two)."""
    sentence_cues: tuple[str, ...] = ()
    """The ids of the cues of the sentence (what a pair without a cue of its own may be about)."""
    reported: bool = False
    """True when the sentence reports, claims or denies (a cue of saying, claiming or denying)."""
    coordinated: tuple[str, ...] = ()
    """``"s"``/``"o"`` when the subject/object mention is one member of a coordination («X وY»)."""
    rule_sibling: tuple[str, ...] = ()
    """``"s"``/``"o"`` when the rules stated this relation with the same object/subject about another member
    of the subject's/object's coordination."""


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Tokens between two spans (0 when they touch or overlap)."""
    if a[1] < b[0]:
        return b[0] - a[1] - 1
    if b[1] < a[0]:
        return a[0] - b[1] - 1
    return 0


def frame_roles(frame: Frame, lex: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """The actor keys a frame reads as agents and as patients, each as mentioned and as it acts: the frame
    names a capital or country as written («واشنطن»), a candidate as its state (``actor:usa``)."""
    def acting(keys: list[str]) -> frozenset[str]:
        return frozenset(x for k in keys for x in (k, lex.state_of(k)))
    return acting(frame.agents), acting(frame.patients)


def _span(m: Mention) -> tuple[int, int]:
    return (m.first_token, m.last_token)


def coordinations(mentions: list[Mention], tokens: tuple[Token, ...], lex: Lexicon) -> dict[int, int]:
    """Which mentions (by index in ``mentions``, sorted by position) stand in one coordination: the group
    of each mention in a list of two or more.

    Two neighbouring mentions are coordinated when only a comma, «و» and place nouns stand between them and
    the second (or a word before it) carries «و», and both are places or both actors: «دوما وبلدتي حمورية
    وسقبا», «إيران وروسيا», «الجيش، والشرطة الاتحادية».
    """
    group: dict[int, int] = {}
    for i in range(1, len(mentions)):
        a, b = mentions[i - 1], mentions[i]
        if b.first_token <= a.last_token or (a.type == "Place") != (b.type == "Place"):
            continue
        between = tokens[a.last_token + 1:b.first_token]
        joined = b.proclitic.startswith("و")
        ok = True
        for tok in between:
            if tok.text in ("،", ","):
                continue
            if tok.norm == "و" or (not tok.punct and "place_nouns" in lex.lists_of(tok.keys)):
                joined = joined or tok.norm.startswith("و")
                continue
            ok = False
            break
        if ok and joined:
            group[i] = group.setdefault(i - 1, i - 1)
    return group


def propose(
    sentence: Sentence,
    found: SentenceMentions,
    trace: Trace,
    rule_statements: list[Statement],
    lex: Lexicon,
    types: dict[str, str],
) -> list[Candidate]:
    """The candidate statements of one sentence, in a stable order.

    Args:
        sentence: the tokenised sentence.
        found: its mentions.
        trace: what the rules saw in it (cues and frames) from :func:`kg.relations.extract_relations`.
        rule_statements: the statements the rules made from it (relations, titles, places, membership).
        lex: the lexicons.
        types: actor key -> type, for every actor known so far.

    Returns:
        One candidate per (subject, relation, object) a mention pair and a cue (or the rules) propose.
    """
    mentions = [m for m in found.mentions if m.source != "pronoun" or m.type != "Place"]
    mentions.sort(key=lambda m: (m.first_token, m.last_token))
    all_mentions = tuple(mentions)
    by_rule: dict[tuple[str, str, str], list[Statement]] = {}
    pair_rels: dict[frozenset[str], set[str]] = {}
    for st in rule_statements:
        if st.subject == OPEN:
            continue
        by_rule.setdefault((st.subject, st.predicate, st.object), []).append(st)
        pair_rels.setdefault(frozenset((st.subject, st.object)), set()).add(st.predicate)
    frame_of: dict[tuple[int, int, str], Frame] = {}
    for f in trace.frames:
        frame_of.setdefault((f.match.first, f.match.last, f.match.cue.id), f)
    cues = [c for c in trace.cues if c.cue.kind == "relation" or c.cue.kind == "deny"]
    cue_ids = tuple(sorted({c.cue.id for c in trace.cues}))
    group_of = coordinations(mentions, sentence.tokens, lex)
    members: dict[int, list[Mention]] = {}
    for i, g in group_of.items():
        members.setdefault(g, []).append(mentions[i])
    group_at = {id(mentions[i]): g for i, g in group_of.items()}

    def siblings(m: Mention | None) -> list[Mention]:
        g = group_at.get(id(m)) if m is not None else None
        return [x for x in members.get(g, ()) if x is not m] if g is not None else []
    reported = any(c.cue.kind in ("report", "claim", "deny") for c in trace.cues)

    def subject_key(m: Mention, rel: str) -> str:
        return m.actor if rel == "locatedIn" else lex.state_of(m.actor)

    def object_key(m: Mention, rel: str) -> str:
        return m.actor if rel in PLACE_OBJECTS else lex.state_of(m.actor)

    def fits(rel: str, s: str, o: str) -> bool:
        ts, to = types.get(s, ""), types.get(o, "")
        if not ts or not to or s == o:
            return False
        if rel == "locatedIn":
            return ts == "Place" and to == "Place"
        if rel in _PERSON_SUBJECTS and ts != "Person" and not (rel == "leaderOf" and ts == "State"):
            return False
        if ts == "Place" or (to == "Place" and rel not in PLACE_OBJECTS):
            return False
        if s.startswith("place:") and o.startswith("place:"):
            return False
        return True

    best: dict[tuple[str, str, str], tuple[int, Candidate]] = {}

    def offer(cand: Candidate, distance: int) -> None:
        key = (cand.subject, cand.relation, cand.object)
        old = best.get(key)
        if old is None or distance < old[0]:
            best[key] = (distance, cand)

    def make(s_m: Mention | None, o_m: Mention | None, s: str, rel: str, o: str, cue: CueMatch | None) -> Candidate:
        frame = frame_of.get((cue.first, cue.last, cue.cue.id)) if cue is not None else None
        s_sib, o_sib = siblings(s_m), siblings(o_m)
        sibling = (("s",) if any((subject_key(m, rel), rel, o) in by_rule for m in s_sib) else ()) + (
            ("o",) if any((s, rel, object_key(m, rel)) in by_rule for m in o_sib) else ())
        return Candidate(
            sentence, s, rel, o, s_m, o_m, cue, frame,
            tuple(by_rule.get((s, rel, o), ())),
            (o, rel, s) in by_rule,
            tuple(sorted(pair_rels.get(frozenset((s, o)), set()) - {rel})),
            all_mentions,
            cue_ids,
            reported,
            (("s",) if s_sib else ()) + (("o",) if o_sib else ()),
            sibling,
        )

    state = [lex.state_of(m.actor) for m in mentions]  # how each mention acts (a capital: its state)
    for c in cues:
        rel = c.cue.relation  # ``denies`` for a cue of denial
        if rel is None:
            continue
        cspan = (c.first, c.last)
        near = [m for m in mentions if _gap(_span(m), cspan) <= WINDOW]
        for a in near:
            for b in near:
                if a is b or a.actor == b.actor or _gap(_span(a), _span(b)) > MAX_GAP:
                    continue
                s, o = subject_key(a, rel), object_key(b, rel)
                if not fits(rel, s, o):
                    continue
                offer(make(a, b, s, rel, o, c), _gap(_span(a), cspan) + _gap(_span(b), cspan) + _gap(_span(a), _span(b)))
    for i, a in enumerate(mentions):
        for j, b in enumerate(mentions):
            if a is b or a.actor == b.actor or _gap(_span(a), _span(b)) > MAX_GAP:
                continue
            for rel in _PAIR_RELATIONS:
                s = a.actor if rel == "locatedIn" else state[i]  # as subject_key, object_key
                o = b.actor if rel in PLACE_OBJECTS else state[j]
                if (s, rel, o) not in best and fits(rel, s, o):
                    offer(make(a, b, s, rel, o, None), 100 + _gap(_span(a), _span(b)))
    every = sorted(found.mentions, key=lambda m: (m.first_token, m.last_token))
    ends: dict[tuple[str, str, str], tuple[Mention | None, Mention | None, CueMatch | None]] = {}
    for s, rel, o in sorted(by_rule):
        s_m = next((m for m in mentions if subject_key(m, rel) == s), None)
        o_m = next((m for m in mentions if object_key(m, rel) == o), None)
        read = None  # the cue the rules read the statement from
        for f in trace.frames:
            agents, patients = frame_roles(f, lex)
            if f.match.cue.relation == rel and s in agents and o in patients:
                read = f.match
                break
        ends[(s, rel, o)] = (s_m, o_m, read)
        if (s, rel, o) not in best:
            # a pair farther apart than the window, or about a place referred back to («وقصفت الطائرات هذه
            # المدينة»): the candidate still carries the mentions and the cue the rules read it from
            offer(make(s_m or next((m for m in every if subject_key(m, rel) == s), None),
                       o_m or next((m for m in every if object_key(m, rel) == o), None), s, rel, o, read), 1000)
        elif read is not None and best[(s, rel, o)][1].cue is None:
            # proposed as a close pair without a cue («… ومحيط مدينة عربين وبلدة جسرين», far down the list
            # of what «قصف» hit): it is the rule statement of that cue
            distance, plain = best[(s, rel, o)]
            best[(s, rel, o)] = (distance, make(plain.s_mention, plain.o_mention, s, rel, o, read))
    # the other members of a coordination the rules read one member of, however long the list, with the cue
    # of that rule statement (after every rule statement has its own candidate)
    for (s, rel, o), (s_m, o_m, read) in sorted(ends.items()):
        for m in siblings(o_m):
            o2 = object_key(m, rel)
            if (s, rel, o2) not in best and fits(rel, s, o2):
                offer(make(s_m, m, s, rel, o2, read), 900)
        for m in siblings(s_m):
            s2 = subject_key(m, rel)
            if (s2, rel, o) not in best and fits(rel, s2, o):
                offer(make(m, o_m, s2, rel, o, read), 900)
    return [cand for _, (_, cand) in sorted(best.items())]
