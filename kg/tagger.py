"""A learned mention tagger: the gazetteer and Arabic structure propose, annotated names decide.

Half of the relations annotators find are lost before any relation is read,
because one of their two actors has no node: a person named without a title,
a village the gazetteer does not hold, «قوات الأمن», «23 شخصا». The tagger
reads each token with its neighbours and what the rules found around it (the
rules' mentions are features, not the answer), and labels it ``B-Type``,
``I-Type`` or ``O``. A span it tags where the rules found nothing becomes a
mention of a discovered actor; where the rules found a mention, the rules stay.

The model is plain data: a JSON file with a format name and version, the class
labels and, per feature, its weight for each class (logistic regression,
trained by :func:`train_tagger` with scikit-learn), scored here in pure
Python. Importing this module imports no numpy.

Training aligns the annotated names to tokens: annotators write a name as it
appears, clitics included («للنظام السوري»), so both sides are compared
without clitics and article (:func:`fold`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import InputError
from .lexicon import END, Lexicon
from .mentions import SentenceMentions, clean_name, discovered_key
from .model import ACTOR_TYPES, Actor, Mention, Sentence, Token
from .text import normalize, strip_name_clitics

__all__ = ["TaggerModel", "fold", "load_tagger", "tag_spans", "add_tagged", "with_tagger", "tagger_of",
           "gold_spans", "train_tagger"]

FORMAT = "rawabit-mention-tagger"
VERSION = 1

#: Annotation-guideline type names that differ from the RDF profile's class names.
GOLD_TYPES = {"IntlOrg": "InternationalOrganization", "Media": "MediaOutlet"}

_MEMO_KEY = "mention tagger"


def fold(word: str) -> str:
    """A word normalised, without its conjunction, preposition and article: how names are compared.

    >>> fold("للنظام") == fold("النظام") == fold("نظام")
    True
    """
    return strip_name_clitics(normalize(word))


# --- the model ------------------------------------------------------------------


@dataclass(frozen=True)
class TaggerModel:
    """Per-token logistic regression over string features, as plain data."""

    classes: tuple[str, ...]
    """``O``, then ``B-Type`` and ``I-Type`` labels."""
    intercept: tuple[float, ...]
    weights: dict[str, tuple[tuple[int, float], ...]]
    """Feature -> (class index, weight) pairs; absent features weigh nothing."""
    threshold: float = 0.5
    """A span is kept when its tokens' mean probability of not being ``O`` reaches this."""
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    """Per-word partial scores, filled as words are tagged (see :func:`tag_spans`)."""

    def probabilities(self, feats: Iterable[str]) -> list[float]:
        """The class probabilities of one token (softmax of the summed weights)."""
        z = list(self.intercept)
        get = self.weights.get
        for f in feats:
            for c, w in get(f, ()):
                z[c] += w
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return [v / total for v in e]

    def to_dict(self) -> dict[str, Any]:
        """The model as a JSON object: sorted features, weights rounded to six decimals."""
        return {
            "format": FORMAT, "version": VERSION, "classes": list(self.classes),
            "intercept": [round(v, 6) for v in self.intercept], "threshold": self.threshold,
            "meta": self.meta,
            "weights": {f: [[c, round(w, 6)] for c, w in pairs] for f, pairs in sorted(self.weights.items())},
        }

    def to_json(self) -> str:
        """The model file's text: sorted keys and rounded weights, so the same data gives the same bytes."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def tagger_from_dict(data: Any, source: str = "model") -> TaggerModel:
    """Check and read a tagger object (the ``"tagger"`` of a model file, or a tagger file).

    Raises:
        InputError: not a tagger of this format and version, or malformed.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        raise InputError(f"{source!r} is not a {FORMAT} model of version {VERSION}; retrain it with `kg train`")
    try:
        classes = tuple(str(c) for c in data["classes"])
        intercept = tuple(float(v) for v in data["intercept"])
        weights = {str(f): tuple((int(c), float(w)) for c, w in pairs) for f, pairs in data["weights"].items()}
        if "O" not in classes or len(intercept) != len(classes) or any(
                not 0 <= c < len(classes) for pairs in weights.values() for c, _ in pairs):
            raise ValueError("classes, intercept and weights disagree")
        return TaggerModel(classes, intercept, weights, float(data.get("threshold", 0.5)), dict(data.get("meta", {})))
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise InputError(f"{source!r}: a malformed mention tagger ({err}); retrain it with `kg train`") from err


def load_tagger(path: str | Path) -> TaggerModel:
    """Read a tagger model file.

    Raises:
        InputError: the file is missing, not JSON, or not a tagger model of a version this code reads.
    """
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except OSError as err:
        raise InputError(f"cannot read the tagger model {str(path)!r}: {err.strerror or err}") from err
    except ValueError as err:
        raise InputError(f"{str(path)!r} is not a tagger model (not JSON: {err})") from err
    return tagger_from_dict(data, str(path))


def with_tagger(lex: Lexicon, model: TaggerModel | None) -> Lexicon:
    """The lexicon, carrying ``model`` to every stage and worker that extracts with it (``None``: rules alone)."""
    out = replace(lex, memo=dict(lex.memo))
    out.memo[_MEMO_KEY] = model
    return out


def tagger_of(lex: Lexicon) -> TaggerModel | None:
    """The mention tagger a lexicon carries (see :func:`with_tagger`); by default the one trained with
    its relation model (:func:`kg.classifier.model_of`)."""
    if _MEMO_KEY in lex.memo:
        return lex.memo[_MEMO_KEY]  # type: ignore[no-any-return]
    from .classifier import model_of

    model = model_of(lex)
    return model.tagger if model is not None else None


# --- features -------------------------------------------------------------------


def _rule_tags(n: int, mentions: Iterable[Mention]) -> list[str]:
    tags = ["O"] * n
    for m in mentions:
        for k in range(m.first_token, min(m.last_token, n - 1) + 1):
            tags[k] = ("B-" if k == m.first_token else "I-") + m.type
    return tags


_FOLDED: dict[str, str] = {}


def _word(tok: Token) -> str:
    if tok.punct:
        return "<p>"
    w = _FOLDED.get(tok.text)
    if w is None:
        if len(_FOLDED) > 500_000:
            _FOLDED.clear()
        w = _FOLDED[tok.text] = fold(tok.text) or "<_>"
    return w


def _own_features(tok: Token, lex: Lexicon) -> list[str]:
    """The features of a token that do not depend on its neighbours."""
    w = _word(tok)
    norm = tok.norm
    out = ["w=" + w, "suf2=" + w[-2:], "suf3=" + w[-3:], "pre2=" + w[:2], "len=" + str(min(len(w), 8))]
    if norm.endswith(w) and len(norm) > len(w):
        out.append("clitic=" + norm[: len(norm) - len(w)])
    if tok.punct:
        out.append("punct=" + tok.text[:1])
    elif norm[:1].isdigit():
        out.append("digit")
    elif not any("\u0600" <= ch <= "\u06ff" for ch in norm):
        out.append("latin")
    if "ال" in norm[:4]:
        out.append("article")
    out.extend("list=" + name for name in sorted(lex.lists_of(tok.keys)))
    if any(k in lex.cue_trie and END in lex.cue_trie[k] for k in tok.keys):
        out.append("cue")
    if any(k in lex.name_trie for k in tok.name_keys):
        out.append("gaz_first")
    return out


def _context_features(tokens: Sequence[Token], i: int, rules: Sequence[str], lex: Lexicon) -> list[str]:
    """The features of token ``i`` that come from its neighbours and the rules' mentions."""
    n = len(tokens)
    w = _word(tokens[i])
    prev1 = _word(tokens[i - 1]) if i > 0 else "<s>"
    prev2 = _word(tokens[i - 2]) if i > 1 else "<s>"
    next1 = _word(tokens[i + 1]) if i + 1 < n else "</s>"
    next2 = _word(tokens[i + 2]) if i + 2 < n else "</s>"
    out = [
        "p1=" + prev1, "p2=" + prev2, "n1=" + next1, "n2=" + next2,
        "p1w=" + prev1 + "|" + w, "wn1=" + w + "|" + next1,
        "rule=" + rules[i], "prule=" + (rules[i - 1] if i > 0 else "<s>"),
        "nrule=" + (rules[i + 1] if i + 1 < n else "</s>"),
    ]
    if i > 0:
        out.extend("plist=" + name for name in sorted(lex.lists_of(tokens[i - 1].keys)))
    if i + 1 < n:
        out.extend("nlist=" + name for name in sorted(lex.lists_of(tokens[i + 1].keys)))
    return out


def token_features(tokens: Sequence[Token], i: int, rules: Sequence[str], lex: Lexicon) -> list[str]:
    """The features of token ``i``: its word and neighbours, clitics, word lists, and the rules' mentions."""
    return _own_features(tokens[i], lex) + _context_features(tokens, i, rules, lex)


# --- tagging ----------------------------------------------------------------------


#: A token whose own features make it ``O`` by this many logits over every other label is not scored
#: with its context: on 119,183 tokens of the real feed, 56% are settled so and 106 decisions (0.09%)
#: differ from scoring them whole.
GATE = 3.0


def _own_scores(tok: Token, lex: Lexicon, model: TaggerModel) -> tuple[list[float], float]:
    """The intercept plus the weights of a token's own features, and by how much they favour ``O``
    over every other label; memoised per word and model."""
    memo: dict[tuple[str, tuple[str, ...]], tuple[list[float], float]] = model.memo
    key = (tok.text, tok.keys)
    found = memo.get(key)
    if found is None:
        if len(memo) > 200_000:
            memo.clear()
        z = list(model.intercept)
        get = model.weights.get
        for f in _own_features(tok, lex):
            for c, w in get(f, ()):
                z[c] += w
        o = model.classes.index("O")
        found = memo[key] = (z, z[o] - max(v for k, v in enumerate(z) if k != o))
    return found


def _by_kind(model: TaggerModel) -> dict[str, dict[str, tuple[tuple[int, float], ...]]]:
    """The model's weights by feature kind and value («p1» -> «word» -> weights), built once."""
    kinds = model.memo.get(_BY_KIND)
    if kinds is None:
        kinds = {}
        for name, pairs in model.weights.items():
            kind, _, value = name.partition("=")
            kinds.setdefault(kind, {})[value] = pairs
        model.memo[_BY_KIND] = kinds
    return kinds  # type: ignore[no-any-return]


_BY_KIND = ("by kind",)
_LISTS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _sorted_lists(tok: Token, lex: Lexicon) -> tuple[str, ...]:
    """The names of the word lists holding the token, sorted: weights are added in one order, so
    every process sums them to the same bits."""
    found = _LISTS.get(tok.keys)
    if found is None:
        if len(_LISTS) > 200_000:
            _LISTS.clear()
        found = _LISTS[tok.keys] = tuple(sorted(lex.lists_of(tok.keys)))
    return found
_NO: dict[str, tuple[tuple[int, float], ...]] = {}


def tag_spans(tokens: Sequence[Token], rules: Sequence[str], lex: Lexicon, model: TaggerModel,
              skip: Sequence[bool] | None = None) -> list[tuple[int, int, str, float]]:
    """(first token, last token, type, mean probability of a mention) of each span the tagger finds.

    Scores the features of :func:`token_features` without building their names. Tokens marked
    in ``skip`` (covered by a rule mention), and tokens their own words settle as ``O`` (see
    :data:`GATE`), are ``O`` without being scored further.
    """
    n = len(tokens)
    kinds = _by_kind(model)
    p1s, p2s, n1s, n2s = (kinds.get(k, _NO) for k in ("p1", "p2", "n1", "n2"))
    p1ws, wn1s, rule_w, prule_w, nrule_w = (kinds.get(k, _NO) for k in ("p1w", "wn1", "rule", "prule", "nrule"))
    plist_w, nlist_w = kinds.get("plist", _NO), kinds.get("nlist", _NO)
    words = [_word(t) for t in tokens]
    lists = [_sorted_lists(t, lex) for t in tokens]
    o = model.classes.index("O")
    labels: list[str] = []
    inside: list[float] = []
    for i in range(n):
        if skip is not None and skip[i]:
            labels.append("O")
            inside.append(0.0)
            continue
        own, margin = _own_scores(tokens[i], lex, model)
        if margin > GATE:
            labels.append("O")
            inside.append(0.0)
            continue
        z = list(own)
        w = words[i]
        prev1 = words[i - 1] if i > 0 else "<s>"
        prev2 = words[i - 2] if i > 1 else "<s>"
        next1 = words[i + 1] if i + 1 < n else "</s>"
        next2 = words[i + 2] if i + 2 < n else "</s>"
        found = [p1s.get(prev1), p2s.get(prev2), n1s.get(next1), n2s.get(next2),
                 p1ws.get(prev1 + "|" + w), wn1s.get(w + "|" + next1), rule_w.get(rules[i]),
                 prule_w.get(rules[i - 1] if i > 0 else "<s>"), nrule_w.get(rules[i + 1] if i + 1 < n else "</s>")]
        if i > 0:
            found.extend(plist_w.get(name) for name in lists[i - 1])
        if i + 1 < n:
            found.extend(nlist_w.get(name) for name in lists[i + 1])
        for pairs in found:
            if pairs:
                for c, wt in pairs:
                    z[c] += wt
        top = max(z)
        e = [math.exp(v - top) for v in z]
        labels.append(model.classes[e.index(1.0)])
        inside.append(1.0 - e[o] / sum(e))
    spans: list[tuple[int, int, str, float]] = []
    i = 0
    while i < n:
        if labels[i] == "O":
            i += 1
            continue
        type_ = labels[i][2:]
        j = i
        while j + 1 < n and labels[j + 1] == "I-" + type_:
            j += 1
        spans.append((i, j, type_, sum(inside[i : j + 1]) / (j - i + 1)))
        i = j + 1
    return spans


#: Words a name never ends on: a name cut after them («عبدالعزيز بن») names someone else or no one.
_NAME_LINKS = frozenset({"بن", "ابن", "ابو", "عبد", "بنت", "ال", "ام"})


def _conjunction(tok: Token, lex: Lexicon) -> int:
    """How many letters of a conjunction («و», «ف») start the word before a name.

    «وإبراهيم» is «و» + «إبراهيم» (no word starts «وإ»); «ومحمد» is «و» + a personal name of the
    lexicon; «وليد» is itself a personal name and keeps its «و».
    """
    text = tok.text
    if text[:1] not in ("و", "ف") or len(text) < 4:
        return 0
    names = lex.word_set("personal_names")
    if normalize(text) in names:
        return 0
    if text[1:2] in ("أ", "إ", "آ") or normalize(text[1:]) in names:
        return 1
    return 0


def _plausible(tokens: Sequence[Token], i: int, j: int, type_: str, covered: Sequence[bool], lex: Lexicon) -> bool:
    """A span a reader would accept as a name (leaving a node out beats a wrong one).

    Every word is an Arabic word; the span neither starts nor ends on a name link («بن»), does not
    end on a word of the lexicon's lists (directions, stopwords, heads), and does not touch a rule
    mention (a head noun or a part of a name the rules found whole or in part: «مقاطعة» before a
    known place). A single word names a person or a place, and is no word of those lists (a bare
    head noun, title or direction: «الأمير», «شمال»); a person named by one word is a surname
    («روحاني», «السبسي»), never a first name alone (a cut name: «خالد» of «خالد ناقرو»); a place
    named by one word carries no article (a bare definite noun is a description: «القطاع»).
    """
    words = tokens[i : j + 1]
    if any(t.punct or not any("\u0600" <= c <= "\u06ff" for c in t.norm) or len(fold(t.text)) < 2 for t in words):
        return False
    if (i > 0 and covered[i - 1]) or (j + 1 < len(tokens) and covered[j + 1]):
        return False
    first, last = words[0], words[-1]
    if fold(first.text) in _NAME_LINKS or fold(last.text) in _NAME_LINKS:
        return False
    if lex.lists_of(last.keys) - {"personal_names"}:
        return False
    if i < j:
        # a definite generic head and the words describing it («الجماعة المتشددة») describe an actor
        # named elsewhere; they name none
        return not ("anaphoric_heads" in lex.lists_of(first.keys) and normalize(first.text) != fold(first.text))
    word = fold(last.text)
    if type_ not in ("Person", "Place") or lex.lists_of(last.keys) or lex.lists_of((word,)):
        return False
    definite = word != normalize(last.text)
    if type_ == "Place":
        return not definite
    return not definite or word.endswith("ي")


def add_tagged(sentence: Sentence, found: SentenceMentions, lex: Lexicon, model: TaggerModel,
               known: dict[str, Actor]) -> SentenceMentions:
    """``found`` with a mention for each span the tagger finds on words no rule mention covers."""
    tokens = sentence.tokens
    if not tokens:
        return found
    rules = _rule_tags(len(tokens), found.mentions)
    covered = [False] * len(tokens)
    for m in (*found.mentions, *found.inner):
        for k in range(m.first_token, min(m.last_token, len(tokens) - 1) + 1):
            covered[k] = True
    added: list[Mention] = []
    actors: dict[str, Actor] = {a.key: a for a in found.actors}
    for i, j, type_, p in tag_spans(tokens, rules, lex, model, covered):
        if p < model.threshold or any(covered[i : j + 1]) or type_ not in ACTOR_TYPES:
            continue
        if not _plausible(tokens, i, j, type_, covered, lex):
            continue
        start = tokens[i].start + _conjunction(tokens[i], lex)
        text = sentence.text[start - sentence.start : tokens[j].end - sentence.start]
        name = clean_name(text)
        if name != text and text.endswith(name):
            start += len(text) - len(name)
        key = discovered_key(type_, name)
        actor = actors.get(key) or known.get(key) or lex.actors.get(key) or Actor(key, type_, name)
        if actor.key not in lex.actors:
            actors.setdefault(actor.key, actor)
        added.append(Mention(sentence.text[start - sentence.start : tokens[j].end - sentence.start], start,
                             tokens[j].end, sentence.index, actor.key, actor.type, "tagger", i, j,
                             sentence.text[tokens[i].start - sentence.start : start - sentence.start]))
    if not added:
        return found
    mentions = tuple(sorted((*found.mentions, *added), key=lambda m: m.start))
    return replace(found, mentions=mentions, actors=tuple(actors.values()))


# --- training ----------------------------------------------------------------------


def gold_spans(tokens: Sequence[Token], actors: Sequence[dict[str, Any]]) -> list[str]:
    """BIO labels of a sentence's tokens from gold actors (``{"names": [...], "type": ...}``), longest names first."""
    labels = ["O"] * len(tokens)
    words = [_word(t) for t in tokens]
    names: list[tuple[tuple[str, ...], str]] = []
    for actor in actors:
        type_ = GOLD_TYPES.get(actor.get("type", ""), actor.get("type", ""))
        if type_ not in ACTOR_TYPES:
            continue
        for name in actor.get("names", ()):
            folded = tuple(fold(w) for w in name.split() if fold(w))
            if folded:
                names.append((folded, type_))
    names.sort(key=lambda nt: -len(nt[0]))
    for folded, type_ in names:
        k = len(folded)
        for i in range(len(words) - k + 1):
            if tuple(words[i : i + k]) == folded and all(lab == "O" for lab in labels[i : i + k]):
                labels[i] = "B-" + type_
                for q in range(i + 1, i + k):
                    labels[q] = "I-" + type_
    return labels


def training_rows(paragraphs: Iterable[tuple[str, Sequence[dict[str, Any]]]], lex: Lexicon
                  ) -> tuple[list[list[str]], list[str]]:
    """(features, label) of every token of the paragraphs ``(text, gold actors)``, with the rules' mentions found
    as a build finds them."""
    from .mentions import find_mentions
    from .text import iter_sentences

    feats: list[list[str]] = []
    labels: list[str] = []
    for text, actors in paragraphs:
        known: dict[str, Actor] = {}
        titled: dict[str, str] = {}
        recent: list[Mention] = []
        for sentence in iter_sentences(text):
            found = find_mentions(sentence, lex, known, titled, recent)
            for actor in found.actors:
                known.setdefault(actor.key, actor)
            tokens = sentence.tokens
            rules = _rule_tags(len(tokens), found.mentions)
            gold = gold_spans(tokens, actors)
            for i in range(len(tokens)):
                feats.append(token_features(tokens, i, rules, lex))
                labels.append(gold[i])
    return feats, labels


def train_tagger(paragraphs: Iterable[tuple[str, Sequence[dict[str, Any]]]], lex: Lexicon, *,
                 c: float = 0.5, min_count: int = 2, threshold: float = 0.5, prune: float = 0.01) -> TaggerModel:
    """Train the tagger on paragraphs ``(text, gold actors)`` (scikit-learn; deterministic)."""
    feats, labels = training_rows(paragraphs, lex)
    return fit_tagger(feats, labels, c=c, min_count=min_count, threshold=threshold, prune=prune)


def design(feats: Sequence[Sequence[str]], labels: Sequence[str], min_count: int = 2
           ) -> tuple[Any, list[int], list[str], list[str]]:
    """(sparse matrix, class index per row, feature names by column, class labels) of token rows."""
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

    counts: dict[str, int] = {}
    for fs in feats:
        for f in set(fs):
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, k in counts.items() if k >= min_count)
    vocab = {f: n for n, f in enumerate(names)}
    rows, cols = [], []
    for r, fs in enumerate(feats):
        for col in sorted({vocab[f] for f in fs if f in vocab}):
            rows.append(r)
            cols.append(col)
    x = csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(feats), len(vocab)))
    classes = ["O", *sorted({lab for lab in labels if lab != "O"})]
    index = {lab: n for n, lab in enumerate(classes)}
    return x, [index[lab] for lab in labels], names, classes


def classifier(c: float = 0.5) -> Any:
    """The scikit-learn estimator the tagger is fitted with (multinomial logistic regression, L2)."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    return LogisticRegression(C=c, max_iter=300, tol=1e-4)


def fit_tagger(feats: Sequence[Sequence[str]], labels: Sequence[str], *, c: float = 0.5, min_count: int = 2,
               threshold: float = 0.5, prune: float = 0.01) -> TaggerModel:
    """Fit the tagger's logistic regression on token rows (see :func:`training_rows`); weights below
    ``prune`` are dropped, the rest kept to six decimals."""
    x, y, names, classes = design(feats, labels, min_count)
    if len(classes) < 2 or not names:
        raise InputError("no annotated name was found in the texts, so there is no mention tagger to train; "
                         "check that the gold names are written as in the texts (or train without the tagger)")
    clf = classifier(c)
    clf.fit(x, y)
    order = [int(k) for k in clf.classes_]
    coef = clf.coef_
    weights: dict[str, tuple[tuple[int, float], ...]] = {}
    for col, f in enumerate(names):
        pairs = tuple((order[k], round(float(coef[k, col]), 6)) for k in range(len(order))
                      if abs(coef[k, col]) >= prune)
        if pairs:
            weights[f] = pairs
    intercept = [0.0] * len(classes)
    for k, cls in enumerate(order):
        intercept[cls] = round(float(clf.intercept_[k]), 6)
    meta = {"tokens": len(labels), "features": len(weights), "c": c, "min_count": min_count}
    return TaggerModel(tuple(classes), tuple(intercept), weights, threshold, meta)
