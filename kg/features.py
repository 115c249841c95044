"""Features: what the classifier sees of a candidate, as sparse string features.

Each candidate (:class:`kg.candidates.Candidate`) becomes a list of feature names, each
present once (value 1):

* the rules' verdict: did they state this relation this way, the other way, or another
  relation between the two; which rule (cue id and how its arguments were read); how
  the rules read the cue's frame (is the subject its agent, the object its patient) and
  its decision (hypothetical, incomplete);
* the cue: id, part of speech, form, proclitics and pronoun suffix;
* order of subject, object and cue, token distances (bucketed), how many other actors stand
  between the cue and each mention (the nearest actor after a verb is its likeliest subject), and
  the words between the cue and a mention near it;
* the words between the two mentions and around each (normalised, clitics stripped),
  the prepositions that govern each mention, and the word lists of ``patterns.json``
  the words between belong to (negators, relative pronouns, clause openers ...);
* other actors and punctuation between them;
* for two places, what the gazetteer knows of them: the subject inside the object, the other way round,
  or neither;
* the two actor types, where each mention came from (gazetteer or structure), and the head noun
  of a mention of several words («قوات», «مدينة», «حركة»: a one-word name is the actor itself,
  which a model should not learn);
* the scope the rules put the cue in (its modality).

The model weighs every feature twice: once for all relations, once for the candidate's
relation (see :mod:`kg.classifier`), so it learns what holds for all relations and what
holds for one.
"""

from __future__ import annotations

from functools import lru_cache

from .arguments import governing_word
from .candidates import Candidate, frame_roles
from .lexicon import Lexicon
from .model import Mention, Token

__all__ = ["FEATURE_SET", "feature_parts", "features", "word"]

#: Version of the feature set: a model is scored only with the features it was trained on.
FEATURE_SET = 6

_PREP_WORDS = ("في", "الى", "من", "علي", "عن", "مع", "ضد", "بين", "لدي", "داخل", "نحو", "حول", "قبل", "عبر")
#: Word lists of ``patterns.json`` that carry clause structure.
_STRUCTURE_LISTS = ("negators", "relative_pronouns", "clause_openers", "complementizers", "main_clause_breaks",
                    "irrealis", "directives", "claim_nouns", "loyal_words", "led_by", "agent_preps",
                    "locative_preps", "person_titles", "role_words", "member_nouns", "leader_heads",
                    "result_words", "causal_words", "alleged_words", "vicinity_words", "capital_words",
                    "direction_words", "number_words", "time_words", "auxiliaries", "coordinators")


@lru_cache(maxsize=1 << 16)
def _word(norm: str) -> str:
    """A normalised word without a conjunction and the article (وبالقوات -> قوات)."""
    w = norm
    for p in ("وبال", "وال", "فال", "بال", "كال", "لل", "ال"):
        if w.startswith(p) and len(w) - len(p) >= 2:
            return w[len(p):]
    if w[:1] in ("و", "ف") and len(w) >= 4:
        return _word(w[1:])
    return w


def word(tok: Token) -> str:
    """A token as a feature word: punctuation as written, a word normalised without و/ف and the article."""
    return tok.text if tok.punct else _word(tok.norm)


def _bucket(n: int) -> str:
    if n <= 3:
        return str(n)
    if n <= 5:
        return "4-5"
    if n <= 8:
        return "6-8"
    if n <= 12:
        return "9-12"
    return "13+"


def _inside(a: str, b: str, lex: Lexicon) -> bool:
    """True when the gazetteer puts place ``a`` inside ``b`` (a state as its country), a few levels up."""
    return any(up == b or lex.state_of(up) == b for up in lex.containing(a))


def _containment(s: str, o: str, lex: Lexicon) -> str:
    """What the gazetteer knows of two places: the subject inside the object, the other way, or nothing."""
    return "in" if _inside(s, o, lex) else "out" if _inside(o, s, lex) else "none"


def _prep(m: Mention, toks: tuple[Token, ...]) -> str:
    """The preposition governing a mention (:func:`kg.arguments.governing_word`), ``-`` for none; the feature's
    own word list, wider than the rules' (قبل, عبر)."""
    kind, prev = governing_word(toks, m)
    if kind == "clitic":
        return prev
    if kind == "word":
        base = prev[1:] if prev[:1] in ("و", "ف") and len(prev) > 2 else prev
        if base in _PREP_WORDS or prev in ("ل", "ب"):
            return base
    return "-"


def features(cand: Candidate, lex: Lexicon, types: dict[str, str],
             cache: dict[tuple[int, int], list[str]] | None = None) -> list[str]:
    """The sparse features of a candidate, each once (see :func:`feature_parts`)."""
    own, pair = feature_parts(cand, lex, types, cache)
    return own + pair


def feature_parts(cand: Candidate, lex: Lexicon, types: dict[str, str],
                  cache: dict[tuple[int, int], list[str]] | None = None) -> tuple[list[str], list[str]]:
    """The sparse features of a candidate, each once: its own, and those of its mention pair (the same
    for every relation the pair is proposed for; no name is in both).

    Args:
        cand: the candidate.
        lex: the lexicons (for the word lists).
        types: actor key -> type.
        cache: features of mention pairs already seen in the same sentence (by token positions):
            a pair is proposed for several relations, its words are read once.
    """
    toks = cand.sentence.tokens
    f: list[str] = ["rel", "sent:reported" if cand.reported else "sent:plain"]
    ts, to = types.get(cand.subject, "?"), types.get(cand.object, "?")
    f += [f"ts={ts}", f"to={to}", f"types={ts}>{to}"]
    # the rules' verdict
    if cand.rules:
        f.append("rule:stated")
        for st in cand.rules:
            f.append(f"rule:mod={st.modality}")
            head, _, how = st.rule.partition(": ")
            f.append(f"rule:id={head}")
            for part in how.split("; ")[:3]:
                if part:
                    f.append(f"rule:how={part[:60]}")
    else:
        f.append("rule:none")
    if cand.rule_reverse:
        f.append("rule:reverse")
    for other in cand.rule_other:
        f.append(f"rule:other={other}")
    for end in cand.coordinated:
        f.append(f"coord={end}")
    for end in cand.rule_sibling:
        f.append(f"coord:rule_sibling={end}")
    s_m, o_m = cand.s_mention, cand.o_mention
    if ts in ("Place", "State") and to in ("Place", "State"):
        f.append(f"gaz={_containment(cand.subject, cand.object, lex)}")
    if s_m is not None:
        f.append(f"s_src={s_m.source}")
    if o_m is not None:
        f.append(f"o_src={o_m.source}")
    # the rules' reading of the cue
    fr = cand.frame
    if fr is not None:
        agents, patients = frame_roles(fr, lex)
        s_role = "agent" if cand.subject in agents else "patient" if cand.subject in patients else "none"
        o_role = "agent" if cand.object in agents else "patient" if cand.object in patients else "none"
        f += [f"frame:s={s_role}", f"frame:o={o_role}", f"frame:so={s_role}>{o_role}", f"frame:mod={fr.modality}"]
        if cand.object in fr.locative:
            f.append("frame:o_locative")
        dec = fr.decision.split(":")[0] if fr.decision else "-"
        f.append(f"frame:dec={dec}")
        for how in fr.how[:4]:
            f.append(f"frame:how={how[:60]}")
    c = cand.cue
    if c is not None:
        f += [f"cue={c.cue.id}", f"cuepos={c.cue.pos}", f"cue_pos={c.cue.id}/{c.cue.pos}",
              f"cueform={' '.join(word(t) for t in toks[c.first:c.last + 1])}"]
        if c.enclitic:
            f.append("cue_enclitic")
        pro = c.proclitic.lstrip("وف")
        if pro:
            f.append(f"cue_pro={pro}")
        if c.first > 0:
            f.append(f"cue-1={word(toks[c.first - 1])}")
        if c.last + 1 < len(toks):
            f.append(f"cue+1={word(toks[c.last + 1])}")
    else:
        f.append("nocue")
        for cue_id in cand.sentence_cues:
            f.append(f"sent_cue={cue_id}")
    if s_m is None or o_m is None:
        f.append("absent=" + ("s" if s_m is None else "") + ("o" if o_m is None else ""))
        return list(dict.fromkeys(f)), []
    if c is not None:
        pos = {"S": s_m.first_token, "O": o_m.first_token, "C": c.first}
        order = "".join(sorted(pos, key=lambda k: (pos[k], k)))
        f.append(f"order={order}")
        for name, m in (("s", s_m), ("o", o_m)):
            d = m.first_token - c.last if m.first_token > c.last else m.last_token - c.first
            f.append(f"cue_{name}_dist={'+' if d > 0 else '-'}{_bucket(abs(d))}")
            lo, hi = (c.last + 1, m.first_token) if d > 0 else (m.last_token + 1, c.first)
            others = {x.actor for x in cand.mentions
                      if lo <= x.first_token < hi and x.actor not in (s_m.actor, o_m.actor)}
            f.append(f"cue_{name}_rank={'+' if d > 0 else '-'}{min(len(others), 2)}")
            if hi - lo <= 6:  # the words between the cue and a mention near it («أعلن … مسؤوليته عن»)
                for k in range(lo, hi):
                    if not any(x.first_token <= k <= x.last_token for x in cand.mentions):
                        f.append(f"cue_{name}_btw={word(toks[k])}")
    key = (s_m.first_token, o_m.first_token)
    pair = cache.get(key) if cache is not None else None
    if pair is None:
        pair = _pair_features(cand, s_m, o_m, lex)
        if cache is not None:
            cache[key] = pair
    return list(dict.fromkeys(f)), pair


def _pair_features(cand: Candidate, s_m: Mention, o_m: Mention, lex: Lexicon) -> list[str]:
    """What a pair of mentions shows, whatever the relation: order, distance, words between and around."""
    toks = cand.sentence.tokens
    f: list[str] = []
    lo, hi = (s_m, o_m) if s_m.first_token < o_m.first_token else (o_m, s_m)
    order = "SO" if lo is s_m else "OS"
    f.append(f"pair_order={order}")
    gap = max(0, hi.first_token - lo.last_token - 1)
    f.append(f"gap={_bucket(gap)}")
    f.append(f"order_gap={order}/{_bucket(gap)}")
    # prepositions governing the two mentions
    sp, op = _prep(s_m, toks), _prep(o_m, toks)
    f += [f"s_prep={sp}", f"o_prep={op}", f"preps={sp}>{op}"]
    # words between and around
    others = 0
    seen_actor: set[str] = set()
    mention_at: dict[int, Mention] = {}
    for m in cand.mentions:
        for k in range(m.first_token, m.last_token + 1):
            mention_at[k] = m
    between = range(lo.last_token + 1, hi.first_token)
    for n, k in enumerate(between):
        tok = toks[k]
        m = mention_at.get(k)
        if m is not None and m.actor not in (s_m.actor, o_m.actor):
            if m.actor not in seen_actor:
                others += 1
                seen_actor.add(m.actor)
                f.append(f"btw_actor={m.type}")
            continue
        w = word(tok)
        f.append(f"btw={w}")
        if tok.punct:
            f.append(f"btw_punct={tok.text}")
        else:
            lists = lex.lists_of(tok.keys)
            for name in _STRUCTURE_LISTS:
                if name in lists:
                    f.append(f"btw_list={name}")
        if n == 0:
            f.append(f"btw_first={w}")
    if gap > 0:
        f.append(f"btw_last={word(toks[hi.first_token - 1])}")
    if gap <= 3:
        f.append("btw_seq=" + " ".join(word(toks[k]) for k in between))
    f.append(f"btw_actors={min(others, 3)}")
    for name, m in (("s", s_m), ("o", o_m)):
        head = toks[m.first_token]
        if m.last_token > m.first_token and not head.punct:
            f.append(f"{name}_head={_word(head.norm)}")
        if m.first_token > 0:
            f.append(f"{name}-1={word(toks[m.first_token - 1])}")
        if m.first_token > 1:
            f.append(f"{name}-2={word(toks[m.first_token - 2])}")
        if m.last_token + 1 < len(toks):
            f.append(f"{name}+1={word(toks[m.last_token + 1])}")
    # scope words before the pair
    for k in range(max(0, lo.first_token - 4), lo.first_token):
        lists = lex.lists_of(toks[k].keys)
        for name in ("negators", "irrealis", "directives", "complementizers"):
            if name in lists:
                f.append(f"before_list={name}")
    return sorted(set(f))
