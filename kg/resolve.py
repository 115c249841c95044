"""Resolution: canonical actors and folded statements for one document.

* Statements whose agent the sentence left unstated (``الغوطة المحاصرة``) take
  the agent the same document names for that relation elsewhere, or are
  dropped.
* Repeats are folded per (subject, predicate, object, modality, attribution):
  one statement, every sentence that states it, and a count.
* A relation the document denies is never also written as asserted.
* Generic actors (civilians, gunmen, nisba adjectives) appear only when they
  take part in a statement; named actors always appear.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from .model import Actor, Document, Extraction, Mention, Sentence, Statement
from .relations import OPEN

__all__ = ["resolve_document"]


def _fill_open(statements: list[Statement]) -> list[Statement]:
    agents: dict[str, Counter[str]] = {}
    for st in statements:
        if st.subject != OPEN:
            agents.setdefault(st.predicate, Counter())[st.subject] += 1
    out: list[Statement] = []
    for st in statements:
        if st.subject != OPEN:
            out.append(st)
            continue
        counter = agents.get(st.predicate)
        if not counter:
            continue
        best = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        if best == st.object:
            continue
        out.append(
            Statement(best, st.predicate, st.object, st.modality, st.cue, st.confidence, st.sentences,
                      st.attributed_to, st.place, st.count, st.rule + "; agent from the same document")
        )
    return out


def _fold(statements: Iterable[Statement]) -> list[Statement]:
    groups: dict[tuple[str, str, str, str, str | None], list[Statement]] = {}
    for st in statements:
        groups.setdefault((st.subject, st.predicate, st.object, st.modality, st.attributed_to), []).append(st)
    out: list[Statement] = []
    for (s, p, o, mod, by), sts in groups.items():
        sentences = tuple(sorted({i for st in sts for i in st.sentences}))
        first = sts[0]
        out.append(
            Statement(s, p, o, mod, first.cue, max(st.confidence for st in sts), sentences, by, first.place,
                      len(sentences), first.rule)
        )
    return out


def _drop_asserted_if_denied(statements: list[Statement]) -> list[Statement]:
    denied = {(st.subject, st.predicate, st.object) for st in statements if st.modality == "Denied"}
    denied |= {(o, p, s) for s, p, o in denied if p == "negotiatesWith"}
    return [st for st in statements if st.modality != "Asserted" or (st.subject, st.predicate, st.object) not in denied]


def _repoint(mentions: list[Mention], statements: list[Statement], state_of: Callable[[str], str]) -> list[Mention]:
    """A capital or country name that acts in a statement refers to its state there (واشنطن -> actor:usa)."""
    acting: dict[int, set[str]] = {}
    for st in statements:
        for key in (st.subject, st.object, st.attributed_to):
            if key and key.startswith("actor:"):
                for i in st.sentences:
                    acting.setdefault(i, set()).add(key)
    out = []
    for m in mentions:
        state = state_of(m.actor) if m.type == "Place" else m.actor
        if state != m.actor and state in acting.get(m.sentence, set()):
            m = Mention(m.text, m.start, m.end, m.sentence, state, "State", m.source, m.first_token, m.last_token,
                        m.proclitic)
        out.append(m)
    return out


def resolve_document(
    document: Document,
    sentences: tuple[Sentence, ...],
    mentions: list[Mention],
    statements: list[Statement],
    actors: Mapping[str, Actor],
    state_of: Callable[[str], str] | None = None,
) -> Extraction:
    """Fold statements and pick the actors of one document.

    Args:
        document: the input document.
        sentences: its sentences.
        mentions: every mention found in it.
        statements: every statement found in it (subjects may be :data:`kg.relations.OPEN`).
        actors: every actor by key (gazetteer and discovered).

    Returns:
        The document's extraction, statements sorted for a stable output.
    """
    sts = _drop_asserted_if_denied(_fold(_fill_open(statements)))
    if state_of is not None:
        mentions = _repoint(mentions, sts, state_of)
    sts.sort(key=lambda st: (st.sentences[0], st.predicate, st.subject, st.object, st.modality))
    in_statements = {k for st in sts for k in (st.subject, st.object, st.attributed_to, st.place) if k}
    kept_mentions = []
    for m in mentions:
        actor = actors[m.actor]
        generic = actor.generic or m.source == "nisba"
        if generic and m.actor not in in_statements:
            continue
        kept_mentions.append(m)
    keys = {m.actor for m in kept_mentions} | in_statements
    used = tuple(actors[k] for k in sorted(keys) if k in actors)
    return Extraction(document, sentences, used, tuple(kept_mentions), tuple(sts))
