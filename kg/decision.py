"""Decision: which candidates a sentence states, in which direction, with which modality.

The classifier's probability decides whether a candidate holds (at the model's
threshold) and which way a relation runs: of the two directions of a pair, only the
likelier is stated (either, once, for the symmetric ``negotiatesWith``). Modality and
attribution stay with the scope rules of :mod:`kg.relations`:

* a candidate the rules stated keeps each of the rules' statements (their modality,
  attribution, place, cue);
* another candidate takes the modality of the rules' reading of its cue (a cue inside
  a denial is ``Denied``, inside a claim ``Claimed``); a cue the rules read as
  hypothetical (a purpose, a demand, a future) states nothing;
* ``denies`` and the descriptive relations without a cue are ``Asserted``.

So a denied or claimed relation is never written as a plain fact. The probability,
rounded, is the statement's ``kg:confidence``.
"""

from __future__ import annotations

from dataclasses import replace

from .candidates import Candidate
from .classifier import RelationModel
from .features import features
from .lexicon import Lexicon
from .model import Statement
from .relations import Trace

__all__ = ["Scored", "score_candidates", "decide"]

Scored = tuple[Candidate, list[str], float]


def score_candidates(cands: list[Candidate], model: RelationModel, lex: Lexicon, types: dict[str, str]) -> list[Scored]:
    """Each candidate with its features and probability."""
    out: list[Scored] = []
    cache: dict[tuple[int, int], list[str]] = {}
    for cand in cands:
        feats = features(cand, lex, types, cache)
        out.append((cand, feats, model.score(cand.relation, feats)))
    return out


#: Relations a text states by describing an actor: the writer's, outside any report's scope.
_DESCRIPTIVE = frozenset({"leaderOf", "memberOf", "spokespersonOf", "locatedIn"})


def decide(scored: list[Scored], threshold: float, trace: Trace | None = None) -> list[Statement]:
    """The statements of the candidates that hold, in candidate order.

    Args:
        scored: candidates with their features and probabilities (see :func:`score_candidates`).
        threshold: least probability to state a candidate.
        trace: the rules' trace of the sentence: its scopes give the modality of a candidate
            whose cue the rules did not read (without it, such a candidate is not stated).
    """
    denial = trace is not None and any(c.cue.kind == "deny" for c in trace.cues)
    prob = {(c.subject, c.relation, c.object): p for c, _, p in scored}
    out: list[Statement] = []
    for cand, _, p in scored:
        if p < threshold:
            continue
        other = prob.get((cand.object, cand.relation, cand.subject))
        if other is not None and (other > p or (other == p and cand.object < cand.subject)):
            continue  # the other direction is likelier (or, for a tie, first by key)
        conf = round(p, 2)
        if cand.rules:
            out.extend(replace(st, confidence=conf, rule=st.rule + f"; model {p:.2f}") for st in cand.rules)
            continue
        modality, by = "Asserted", None
        fr = cand.frame
        if cand.relation == "denies" or (cand.relation in _DESCRIPTIVE and fr is None):
            pass  # the act of denying, a description: the writer's own statement
        elif fr is not None:
            if fr.decision == "hypothetical":
                continue
            modality, by = fr.modality, fr.by
        elif trace is not None and trace.modality_at is not None and cand.s_mention and cand.o_mention:
            at = max(cand.s_mention.first_token, cand.o_mention.first_token)
            modality, by, hypothetical = trace.modality_at(at)
            if hypothetical:
                continue
        else:
            continue
        if denial and modality == "Asserted" and cand.relation not in ("denies", *_DESCRIPTIVE):
            continue  # a sentence with a denial: only what the rules read there is stated as fact
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
