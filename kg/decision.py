"""Decision: which candidates a sentence states, in which direction, with which modality.

Rules and Arabic structure propose (:mod:`kg.candidates`); the model decides:

* A ``locatedIn`` needs both places named on their own in the sentence: not «السورية» after a
  city, not the city inside a facility's name («مطار الحديدة»), which the annotators do not mark.
* A rule statement is written, with the rules' modality, attribution, place and cue, when
  the model's probability for it reaches the model's ``floor`` (a claim or a denial the lower
  of the floor and ``CLAIM_FLOOR``: the model may drop one, never change what it says; only a
  relation the model saw enough examples of is judged so, the rarer ones stay the rules'), and
  the model does not
  find the other direction of the pair clearly likelier (by :data:`FLIP_MARGIN`: a rule
  that took the subject for the object). The probability is its ``kg:confidence``.
* A candidate the rules did not state is written when its probability reaches the model's
  ``threshold``, in the likelier direction of its pair (either, once, for the symmetric
  ``negotiatesWith``). Its modality comes from the scope rules of :mod:`kg.relations`:
  the rules' reading of its cue, or of its place in the sentence (a demand or purpose
  makes it hypothetical: not stated; a negation before it: not stated; what follows a
  report, claim or denial takes its modality and holder; the charge after an accusation
  is claimed by the accuser); ``denies`` and the descriptive relations without a cue are
  ``Asserted``. In a sentence that claims or denies (or reports, after a denial earlier
  in the document), the model adds only what the scope rules put inside a claim or
  denial: an ``Asserted`` addition there could be the denied content read outside its
  scope.

The model adds nothing about an actor that only the structure passes found (a head
noun, a place noun, a pronoun) unless a rule statement of the sentence connects it:
those passes also find words that are no actors, harmless while nothing is said of them.

So a denied or claimed relation is never written as a plain fact.
"""

from __future__ import annotations

from dataclasses import replace

from .candidates import Candidate
from .classifier import RelationModel
from .features import feature_parts
from .lexicon import Lexicon
from .model import Mention, Statement
from .relations import Trace

__all__ = ["FLIP_MARGIN", "Scored", "score_candidates", "decide"]

Scored = tuple[Candidate, list[str], float]


def score_candidates(cands: list[Candidate], model: RelationModel, lex: Lexicon, types: dict[str, str]) -> list[Scored]:
    """Each candidate with its features and probability."""
    out: list[Scored] = []
    cache: dict[tuple[int, int], list[str]] = {}
    pair_sums: dict[tuple[int, int], float] = {}
    for cand in cands:
        own, pair = feature_parts(cand, lex, types, cache)
        shared = 0.0
        if cand.s_mention is not None and cand.o_mention is not None:
            key = (cand.s_mention.first_token, cand.o_mention.first_token)  # the key of ``cache``
            found = pair_sums.get(key)
            shared = pair_sums[key] = model.shared_sum(pair) if found is None else found
        out.append((cand, own + pair, model.score_parts(cand.relation, own, pair, shared)))
    return out


def _unsure(mention: Mention | None, key: str, ruled: set[str]) -> bool:
    """True for an end the model may not add a statement about: an actor found only by the structure
    passes (a head noun, a place noun, a pronoun) that no rule statement of the sentence connects.

    Those passes find actors the rules read relations for; alone they also find words that are no
    actors («نفوذ» after a place noun), harmless while nothing is said of them. The gazetteer, the
    nisba adjectives and the mention tagger stand on their own.
    """
    return mention is None or (mention.source in ("pattern", "pronoun") and key not in ruled)


#: Relations a text states by describing an actor: the writer's, outside any report's scope.
_DESCRIPTIVE = frozenset({"leaderOf", "memberOf", "spokespersonOf", "locatedIn"})


#: How much likelier the model must find the other direction of a pair than the rules' direction to write
#: that one instead (a rule that read the subject after the verb where it stood before it).
FLIP_MARGIN = 0.2
#: Relations stated either way round.
_SYMMETRIC = frozenset({"negotiatesWith"})


def decide(scored: list[Scored], model: RelationModel, trace: Trace | None = None) -> list[Statement]:
    """The statements of a sentence: the rule statements the model keeps, and the candidates it adds.

    Args:
        scored: candidates with their features and probabilities (see :func:`score_candidates`).
        model: the model that scored them: its threshold (least probability for a candidate the
            rules did not state) and floor (for a rule statement, see :meth:`RelationModel.keeps`).
        trace: the rules' trace of the sentence: its scopes give the modality of a candidate
            whose cue the rules did not read (without it, the model adds nothing). When it is
            ``contested`` (an earlier sentence of the document denied something), a report here may
            be what that denies («نفت الوزارة خطف … خلافا لما ذكره المرصد. وقال المرصد إن …»): the
            model adds no fact in it.
    """
    prob = {(c.subject, c.relation, c.object): p for c, _, p in scored}
    stated = {(c.subject, c.relation, c.object) for c, _, _ in scored if c.rules}
    # in a sentence that claims or denies, a fact the scope rules left Asserted may be the claim's or the
    # denial's content read outside it: there the model adds only what they put in a claim or denial
    guarded = trace is not None and any(
        c.cue.kind in ("claim", "deny", "open") or (trace.contested and c.cue.kind == "report") for c in trace.cues)
    ruled = {x for c, _, _ in scored for st in c.rules for x in (st.subject, st.object)}
    # who denies in the sentence, by the rules («ونفت الحكومة وحليفتها روسيا»: both deny)
    deniers = {st.subject for c, _, _ in scored for st in c.rules if st.predicate == "denies"}
    out: list[Statement] = []
    for cand, _, p in scored:
        conf = round(p, 2)
        reverse = (cand.object, cand.relation, cand.subject)
        other = prob.get(reverse)
        flipped = cand.relation not in _SYMMETRIC and other is not None and other > p + FLIP_MARGIN
        if cand.rules:
            if flipped and reverse not in stated:
                continue
            if cand.relation == "locatedIn" and (cand.s_mention is None or cand.o_mention is None):
                continue  # «مدينة الرقة السورية», «مطار الحديدة»: a place named only as an adjective or inside
                # another name is no place of the text (in the cross-validated build 36 of 40 such were wrong)
            # the floor judges claims and denials too, at most at CLAIM_FLOOR (dropping one never changes what
            # another says; of the claims the model put below 0.05, cross-validated, 1 in 79 was right); the
            # modality stays the scope rules', and a relation the model saw too little of stays theirs
            out.extend(replace(st, confidence=conf, rule=st.rule + f"; model {p:.2f}") for st in cand.rules
                       if model.keeps(cand.relation, p, st.modality == "Asserted"))
            continue
        if p < model.threshold or trace is None:
            continue
        if cand.rule_reverse and not (cand.relation not in _SYMMETRIC and other is not None and p > other + FLIP_MARGIN):
            continue
        if cand.cue is None and cand.rule_other:
            continue  # «تحاصر قوات النظام مدينة دوما»: the rules read the pair's cue as another relation
        if _unsure(cand.s_mention, cand.subject, ruled) or _unsure(cand.o_mention, cand.object, ruled):
            continue
        if other is not None and (other > p or (other == p and cand.object < cand.subject)):
            continue  # the other direction is likelier (or, for a tie, first by key)
        modality, by = "Asserted", None
        fr = cand.frame
        if cand.relation == "denies" or (cand.relation in _DESCRIPTIVE and fr is None):
            pass  # the act of denying, a description: the writer's own statement
        elif fr is not None:
            if fr.decision == "hypothetical":
                continue
            if fr.agents and cand.subject not in fr.agents and (cand.subject == fr.by or cand.subject in deniers):
                continue  # «نفت الحكومة مسؤولية قوات النظام عن الهجوم»: who denies or reports it is not its agent
            modality, by = fr.modality, fr.by
        elif trace.modality_at is not None and cand.s_mention and cand.o_mention:
            at = max(cand.s_mention.first_token, cand.o_mention.first_token)
            modality, by, hypothetical = trace.modality_at(at)
            if hypothetical:
                continue
        else:
            continue
        if guarded and modality == "Asserted" and cand.relation not in _DESCRIPTIVE and cand.relation != "denies":
            continue
        if cand.cue is not None:
            cue_text, rule = cand.cue.text, f"{cand.cue.cue.id}: model {p:.2f}"
        else:
            cue_text, rule = _span_text(cand), f"{cand.relation}: model {p:.2f}, no cue"
        out.append(Statement(cand.subject, cand.relation, cand.object, modality, cue_text, conf,
                             (cand.sentence.index,), by, None, 1, rule))
    return out


def _span_text(cand: Candidate) -> str:
    """The words from one mention to the other, as written (the evidence of a relation without a cue)."""
    s, o = cand.s_mention, cand.o_mention
    if s is None or o is None:
        return ""
    start, end = min(s.start, o.start), max(s.end, o.end)
    base = cand.sentence.start
    return cand.sentence.text[start - base:end - base]
