"""The per-document pipeline: text -> mentions -> relations -> resolve.

:func:`extract` is the one function mapped over a corpus; it is pure (its
result depends only on the document and the lexicons), so documents can be
processed in any order or in parallel and merged deterministically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .candidates import Candidate, propose
from .classifier import model_of
from .decision import decide, score_candidates
from .features import features
from .lexicon import Lexicon
from .mentions import find_mentions
from .tagger import add_tagged, tagger_of
from .model import Actor, Document, Extraction, Mention, Sentence, Statement
from .relations import OPEN, Trace, extract_relations, located_in, member_in
from .resolve import resolve_document
from .text import iter_sentences

__all__ = ["extract", "explain", "collect_candidates"]


#: Called with each sentence's candidates and their features (see :func:`collect_candidates`).
Collector = Callable[[list[tuple[Candidate, list[str]]]], None]


def _run(document: Document, lex: Lexicon, keep: bool = False, collect: Collector | None = None
         ) -> tuple[Extraction, list[Trace]]:
    """Extract a document sentence by sentence; ``keep`` keeps every sentence's tokens and trace (for
    :func:`explain`), else only what the next sentence needs, so a long document's words are not all held.

    With a relation model (:func:`kg.classifier.with_model`) the model decides which of the
    candidates of each sentence hold; ``collect`` receives each sentence's candidates and features
    (and the rules decide), for training."""
    model = model_of(lex)
    tagger = tagger_of(lex)
    sentences: list[Sentence] = []
    known: dict[str, Actor] = {}
    types = dict(lex.derived("actor_types", lambda: {k: a.type for k, a in lex.actors.items()}))
    role_of: dict[str, str] = {}
    mentions: list[Mention] = []
    statements: list[Statement] = []
    traces: list[Trace] = []
    prev_agent: str | None = None
    prev_speaker: str | None = None  # who the previous sentence reported: «وأضاف» goes on with them
    titled: dict[str, str] = {}
    recent: list[Mention] = []
    accuser_of: dict[str, str] = {}  # accused -> the first who accused them, so far in the document
    denied = False  # a sentence so far denied something: a later report may be what it denies
    for sentence in iter_sentences(document.text):
        sentences.append(sentence if keep else replace(sentence, tokens=()))
        found = find_mentions(sentence, lex, known, titled, recent)
        if tagger is not None:
            found = add_tagged(sentence, found, lex, tagger, known)
        for actor in found.actors:
            known.setdefault(actor.key, actor)
            types.setdefault(actor.key, actor.type)
        for role in found.roles:
            if role.relation and role.org:
                role_of.setdefault(role.person, role.org)
        mentions.extend(found.mentions)
        mentions.extend(found.inner)
        sts, prev_agent, trace = extract_relations(sentence, found, lex, types, role_of, prev_agent, prev_speaker)
        prev_speaker = trace.reporters[0] if trace.reporters else None
        trace.contested = denied
        described = [*located_in(sentence, found, lex), *member_in(sentence, found, lex)]
        if model is not None or collect is not None:
            cands = propose(sentence, found, trace, [*sts, *described], lex, types)
            if collect is not None:
                cache: dict[tuple[int, int], list[str]] = {}
                collect([(c, features(c, lex, types, cache)) for c in cands])
            elif model is not None:
                scored = score_candidates(cands, model, lex, types)
                if keep:
                    trace.candidates = scored
                sts = [st for st in sts if st.subject == OPEN] + decide(scored, model, trace)
                described = []
        if trace.open_denials:
            statements = _deny_back(statements, traces, trace, role_of)
        statements.extend(_deny_the_accuser(sts, accuser_of))
        for st in sts:
            if st.predicate == "accuses" and st.modality == "Asserted":
                accuser_of.setdefault(st.object, st.subject)
        statements.extend(described)
        denied = denied or any(c.cue.kind == "deny" for c in trace.cues)
        traces.append(trace)
        if not keep:
            del traces[:-1]  # the previous sentence's trace is all a denial of «ذلك» looks back at
    all_actors = dict(lex.actors)
    all_actors.update(known)
    return resolve_document(document, tuple(sentences), mentions, statements, all_actors, lex.state_of), traces


_STRUCTURAL = {"leaderOf", "memberOf", "spokespersonOf", "locatedIn", "denies"}


def _deny_the_accuser(new: list[Statement], accuser_of: dict[str, str]) -> list[Statement]:
    """A denial of what an earlier sentence accused someone of answers the accuser.

    «أكدت إسرائيل أن الهجوم ارتكبه النظام … وتنفي دمشق حدوث هذا الهجوم»: the denial read
    in its own sentence targets the party of the denied event (النظام); when the document
    already has someone accusing that party, the denied claim came from the accuser.
    """
    if not accuser_of:
        return new
    out = []
    for st in new:
        accuser = accuser_of.get(st.object)
        if st.predicate == "denies" and _CONTENT_PARTY in st.rule and accuser and accuser != st.subject:
            st = replace(st, object=accuser, rule=st.rule.replace(_CONTENT_PARTY, _ACCUSER_EARLIER))
        out.append(st)
    return list(dict.fromkeys(out))


_CONTENT_PARTY = "denial: the denied content's other party"
_ACCUSER_EARLIER = "denial: the accuser, in an earlier sentence, of the denied content's party"


def _deny_back(
    statements: list[Statement], traces: list[Trace], trace: Trace, role_of: dict[str, str]
) -> list[Statement]:
    """«… إلا أن X نفت ذلك»: a denial without content denies what the previous sentence reported.

    The events of the previous sentence become Denied by the denier (never left
    asserted), and the denier ``denies`` whoever reported or claimed them.
    """
    if not traces:
        return statements
    prev = traces[-1].sentence.index
    out: list[Statement] = []
    sources: list[str] = list(traces[-1].reporters)
    for st in statements:
        if prev in st.sentences and st.predicate not in _STRUCTURAL and st.modality != "Denied":
            for denier in trace.open_denials:
                out.append(Statement(st.subject, st.predicate, st.object, "Denied", st.cue, st.confidence,
                                     st.sentences, denier, st.place, st.count,
                                     st.rule + "; denied by the next sentence («نفى ذلك»)"))
            if st.attributed_to:
                sources.append(st.attributed_to)
            continue
        out.append(st)
    cue = next((c.text for c in trace.cues if c.cue.kind == "deny"), "")
    for denier in trace.open_denials:
        org = role_of.get(denier, denier)
        for src in dict.fromkeys(sources):
            if src not in (denier, org):
                out.append(Statement(denier, "denies", src, "Asserted", cue, 0.6, (trace.sentence.index,),
                                     rule="denial of what the previous sentence reported"))
    return out


def extract(document: Document, lex: Lexicon) -> Extraction:
    """Extract the actors and relations of one document.

    Args:
        document: the input document.
        lex: the lexicons (``Lexicon.builtin()``, loaded once by the caller).

    Returns:
        The document's sentences (without their tokens: :func:`explain` keeps them), actors,
        mentions and folded statements.
    """
    return _run(document, lex)[0]


def explain(document: Document, lex: Lexicon) -> tuple[Extraction, list[Trace]]:
    """Like :func:`extract`, with a per-sentence trace of mentions, cues, frames and decisions
    (and the sentences keep their tokens)."""
    return _run(document, lex, keep=True)


def collect_candidates(document: Document, lex: Lexicon) -> tuple[Extraction, list[tuple[Candidate, list[str]]]]:
    """The rules' extraction of a document and every candidate statement of it with its features (for training).

    Args:
        document: the input document.
        lex: the lexicons (any model they carry is not used: the rules decide).
    """
    found: list[tuple[Candidate, list[str]]] = []
    return _run(document, lex, collect=found.extend)[0], found
