"""Training: align gold annotations to candidates, fit the relation classifier, write it as JSON.

``kg train GOLD.jsonl TEXTS.jsonl -o MODEL`` reads two files paired by ``id``:

* ``TEXTS.jsonl``: one document per line, as ``kg build`` reads it
  (``{"id": "p1", "text": "..."}``, other keys ignored);
* ``GOLD.jsonl``: one annotated paragraph per line, as in the annotation guidelines::

    {"id": "p1",
     "actors": [{"id": "a1", "names": ["قوات النظام"], "type": "StateForces"},
                {"id": "a2", "names": ["مدينة دوما", "دوما"], "type": "Place"}],
     "relations": [{"s": "a1", "p": "besieges", "o": "a2", "modality": "asserted"}]}

  ``names`` are the actor's surface forms as written (clitics and the article may stay:
  «للنظام السوري»); ``type`` is a class of the profile (``IntlOrg`` and ``Media`` are
  read as ``InternationalOrganization`` and ``MediaOutlet``); ``p`` is one of the 17
  relations. Other keys are ignored. A gold paragraph without a text is an error; a text
  without gold is not used.

Each paragraph is extracted by the rules once; every candidate statement
(:mod:`kg.candidates`) is labelled by aligning its two actors to gold actors by name
(normalised, clitics and the article stripped, one name opening or closing the other
as whole words counts, as the scorer does) and checking the relation and direction
against the gold relations (``negotiatesWith`` either way). A logistic regression
(scikit-learn, fixed settings, features in sorted order) is fitted on the features of
every candidate. The decision threshold (for a candidate the rules did not state) and floor
(for a rule statement) are chosen among the pairs at which the statements are at least
:data:`MIN_PRECISION` precise, over a 3-fold split of the training paragraphs (the decision
of :mod:`kg.decision` simulated): within :data:`F1_TOLERANCE` of the best relation F1, the
lowest floor, then the highest threshold. The same data give the same file,
byte for byte.

scikit-learn and numpy are imported only here, never by a build.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .candidates import Candidate
from .classifier import CLAIM_FLOOR, RelationModel
from .decision import FLIP_MARGIN
from .errors import InputError
from .evaluate import TYPE_CLASS, name_key, name_match
from .lexicon import Lexicon
from .model import RELATIONS, Document, Extraction
from .pipeline import collect_candidates
from .read import read_documents

__all__ = ["Example", "TrainingSet", "read_gold", "label_document", "fit", "train", "train_files", "fold_of"]

#: Inverse regularisation strength of the logistic regression.
C = 0.5
#: A feature seen in fewer training candidates is left out.
MIN_COUNT = 2
#: The threshold and floor are chosen among those at which the statements are, cross-validated, at least this
#: precise (a graph is read as fact: a wrong edge costs its reader more than a missing one).
MIN_PRECISION = 0.55
#: The mention tagger's span threshold (mean probability of its tokens not being ``O``).
TAGGER_THRESHOLD = 0.55
_SYMMETRIC = {"negotiatesWith"}


@dataclass(frozen=True)
class Example:
    """One candidate of a training paragraph: its key, features and label."""

    doc: str
    """The paragraph id."""
    key: tuple[str, str, str]
    """(subject, relation, object) actor keys."""
    features: tuple[str, ...]
    """Its sparse features."""
    label: bool
    """True when the gold states this relation between these actors, this way."""
    gold: tuple[str, str, str] | None = None
    """The gold relation it matches, as (gold subject, relation, gold object), when it does."""


@dataclass
class TrainingSet:
    """Candidates of every paragraph, with labels, and the gold relation count of each paragraph."""

    examples: dict[str, list[Example]]
    """Paragraph id -> its candidates."""
    gold_count: dict[str, int]
    """Paragraph id -> number of gold relations."""


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    """The paragraphs of a gold file (see the module docstring), checked.

    Raises:
        InputError: a line that is not JSON, or a paragraph without ``id``, ``actors`` or ``relations``
            of the right shape, naming the file and line.
    """
    rows: list[dict[str, Any]] = []
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as err:
        raise InputError(f"cannot read gold file {str(path)!r}: {err.strerror or err}") from err
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except ValueError as err:
            raise InputError(f"{where}: not valid JSON ({err})") from err
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            raise InputError(f"{where}: each line must be an object with a string \"id\"")
        actors, relations = row.get("actors"), row.get("relations")
        if not isinstance(actors, list) or not isinstance(relations, list):
            raise InputError(f"{where}: \"actors\" and \"relations\" must be lists")
        ids = set()
        for a in actors:
            if not isinstance(a, dict) or not isinstance(a.get("id"), str) or not isinstance(a.get("names"), list) \
                    or not all(isinstance(x, str) for x in a["names"]):
                raise InputError(f"{where}: each actor needs a string \"id\" and a list of \"names\"")
            ids.add(a["id"])
        for r in relations:
            if not isinstance(r, dict) or r.get("s") not in ids or r.get("o") not in ids:
                raise InputError(f"{where}: each relation needs \"s\" and \"o\" naming actors of the paragraph")
            if r.get("p") not in RELATIONS:
                raise InputError(f"{where}: relation {r.get('p')!r} is not one of {', '.join(RELATIONS)}")
        rows.append(row)
    return rows


def _node_names(ex: Extraction, cands: Iterable[Candidate], lex: Lexicon) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Every actor key of a paragraph's candidates with its names (mention texts and labels) and type."""
    names: dict[str, set[str]] = {}
    types: dict[str, str] = {}
    by_actor: dict[str, set[str]] = {}
    for c in cands:
        for m in c.mentions:
            by_actor.setdefault(m.actor, set()).add(m.text)
            types.setdefault(m.actor, m.type)
    for m in ex.mentions:
        by_actor.setdefault(m.actor, set()).add(m.text)
        types.setdefault(m.actor, m.type)
    for c in cands:
        for key in (c.subject, c.object):
            if key in names:
                continue
            found = set(by_actor.get(key, ()))
            for actor, texts in by_actor.items():
                if actor != key and lex.state_of(actor) == key:
                    found |= texts
            a = lex.actors.get(key)
            if a is not None:
                found |= {a.label_ar, *a.alt_ar}
                types[key] = a.type
            names[key] = found
    return names, types


def label_document(row: dict[str, Any], ex: Extraction, found: list[tuple[Candidate, list[str]]],
                   lex: Lexicon) -> list[Example]:
    """The candidates of one paragraph labelled against its gold annotation."""
    gold_names = {a["id"]: [name_key(n) for n in a["names"]] for a in row["actors"]}
    gold_type = {a["id"]: TYPE_CLASS.get(a.get("type", ""), a.get("type", "")) for a in row["actors"]}
    gold_rel = set()
    for r in row["relations"]:
        key = (r["s"], r["p"], r["o"])
        if r["p"] in _SYMMETRIC:
            key = (min(r["s"], r["o"]), r["p"], max(r["s"], r["o"]))
        gold_rel.add(key)
    names, types = _node_names(ex, [c for c, _ in found], lex)
    node2gold: dict[str, str] = {}
    for node, texts in sorted(names.items()):
        keys = [name_key(t) for t in sorted(texts) if t]
        best = max(((max((name_match(a, b) for a in gn for b in keys), default=0), gold_type[gid] == types.get(node), gid)
                    for gid, gn in gold_names.items()), default=(0, False, ""))
        if best[0]:
            node2gold[node] = best[2]
    out: list[Example] = []
    for cand, feats in found:
        gs, go = node2gold.get(cand.subject), node2gold.get(cand.object)
        gkey = None
        if gs is not None and go is not None:
            gkey = (gs, cand.relation, go)
            if cand.relation in _SYMMETRIC:
                gkey = (min(gs, go), cand.relation, max(gs, go))
        hit = gkey is not None and gkey in gold_rel
        out.append(Example(row["id"], (cand.subject, cand.relation, cand.object), tuple(feats), hit,
                           gkey if hit else None))
    return out


def collect(gold: Sequence[dict[str, Any]], documents: Iterable[Document], lex: Lexicon) -> TrainingSet:
    """Extract and label every gold paragraph once.

    Raises:
        InputError: a gold paragraph has no text.
    """
    texts = {d.id: d for d in documents}
    missing = [row["id"] for row in gold if row["id"] not in texts]
    if missing:
        raise InputError(f"{len(missing)} gold paragraphs have no text (first: {missing[0]!r}); "
                         "give the texts file with the same ids")
    examples: dict[str, list[Example]] = {}
    counts: dict[str, int] = {}
    for row in gold:
        ex, found = collect_candidates(texts[row["id"]], lex)
        examples[row["id"]] = label_document(row, ex, found, lex)
        counts[row["id"]] = len(row["relations"])
    return TrainingSet(examples, counts)


def fold_of(ids: Iterable[str], k: int, seed: int = 0) -> dict[str, int]:
    """Paragraph id -> fold in ``range(k)``: the ids sorted, shuffled with a fixed seed, dealt in turn."""
    order = sorted(set(ids))
    random.Random(seed).shuffle(order)
    return {pid: n % k for n, pid in enumerate(order)}


def fit(examples: Sequence[Example], c: float = C, min_count: int = MIN_COUNT
        ) -> tuple[dict[str, dict[str, float]], float]:
    """Fit the logistic regression; (weights by class and feature, intercept)."""
    x, y, index = design_matrix(examples, min_count)
    clf = logistic(x, y, c)
    coef = clf.coef_[0]
    weights: dict[str, dict[str, float]] = {}
    for (cls, f), i in index.items():
        if coef[i] != 0.0:
            weights.setdefault(cls, {})[f] = float(coef[i])
    return weights, float(clf.intercept_[0])


def design_matrix(examples: Sequence[Example], min_count: int = MIN_COUNT) -> tuple[Any, Any, dict[tuple[str, str], int]]:
    """(X, y, column of each (class, feature)): each feature is a column for all relations (``"*"``) and
    one for the candidate's relation; features seen fewer than ``min_count`` times are left out; columns
    in sorted order."""
    import numpy as np
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

    counts: Counter[tuple[str, str]] = Counter()
    for e in examples:
        for f in e.features:
            counts["*", f] += 1
            counts[e.key[1], f] += 1
    names = sorted(k for k, n in counts.items() if n >= min_count)
    index = {k: i for i, k in enumerate(names)}
    rows, cols = [], []
    for r, e in enumerate(examples):
        for f in e.features:
            for cls in ("*", e.key[1]):
                i = index.get((cls, f))
                if i is not None:
                    rows.append(r)
                    cols.append(i)
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(examples), len(names)))
    y = np.array([1 if e.label else 0 for e in examples])
    if y.min() == y.max():
        raise InputError("the gold marks no candidate (or every candidate) as a relation: nothing to learn from; "
                         "check that gold and texts share ids and that gold names are written as in the text")
    return x, y, index


def logistic(x: Any, y: Any, c: float = C) -> Any:
    """The fitted scikit-learn logistic regression (lbfgs: deterministic, the intercept not penalised)."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    clf = LogisticRegression(C=c, solver="lbfgs", max_iter=2000, tol=1e-4)
    clf.fit(x, y)
    return clf


def _decided(scored: list[tuple[Example, float]], threshold: float, floor: float = 0.0,
             prob: dict[tuple[str, tuple[str, str, str]], float] | None = None,
             floored: frozenset[str] | None = None) -> list[Example]:
    """The examples the decision stage (:func:`kg.decision.decide`) would state: the rule statements (one of a
    relation in ``floored``, or of any when it is None, only at or above ``floor``, or at or above the lower of
    ``floor`` and :data:`~kg.classifier.CLAIM_FLOOR` when the rules claim or deny it) unless the model
    clearly reads the pair the other way (and no locatedIn about a place named only as an adjective or inside
    another name), and the others at or above ``threshold``, the likelier direction of a
    pair, unless they have no cue and the rules related the pair otherwise. (Not simulated: the guard of sentences
    that claim or deny, the holder of a report or denial as its agent, and the actors the model may not add
    statements about.) ``prob``: every candidate's probability, when ``scored`` holds only those that may be
    stated."""
    if prob is None:
        prob = {(e.doc, e.key): p for e, p in scored}
    stated = {(e.doc, e.key) for e, _ in scored if "rule:stated" in e.features}
    out = []
    for e, p in scored:
        s, r, o = e.key
        other = prob.get((e.doc, (o, r, s)))
        flipped = r not in _SYMMETRIC and other is not None and other > p + FLIP_MARGIN
        if (e.doc, e.key) in stated:
            if r == "locatedIn" and any(f.startswith("absent=") for f in e.features):
                continue  # a place named only as an adjective or inside another name (see decision.decide)
            judged = floored is None or r in floored
            least = floor if "rule:mod=Asserted" in e.features else min(floor, CLAIM_FLOOR)
            if (p >= least or not judged) and not (flipped and (e.doc, (o, r, s)) not in stated):
                out.append(e)
            continue
        if p < threshold:
            continue
        if "rule:reverse" in e.features and not (r not in _SYMMETRIC and other is not None and p > other + FLIP_MARGIN):
            continue
        if "nocue" in e.features and any(f.startswith("rule:other=") for f in e.features):
            continue
        if other is not None and (other > p or (other == p and o < s)):
            continue
        out.append(e)
    return out


def relation_f1(scored: list[tuple[Example, float]], gold_total: int, threshold: float, floor: float = 0.0,
                prob: dict[tuple[str, tuple[str, str, str]], float] | None = None,
                floored: frozenset[str] | None = None) -> tuple[float, float, float]:
    """(P, R, F1) of the statements decided at ``threshold`` and ``floor``, per paragraph and gold relation, as
    the scorer counts (``prob`` as for :func:`_decided`)."""
    decided = _decided(scored, threshold, floor, prob, floored)
    sys_keys = {(e.doc, e.key) for e in decided}
    tp = len({(e.doc, e.gold) for e in decided if e.label})
    p = tp / len(sys_keys) if sys_keys else 0.0
    r = tp / gold_total if gold_total else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _score(weights: dict[str, dict[str, float]], intercept: float, examples: Iterable[Example]
           ) -> list[tuple[Example, float]]:
    model = RelationModel(weights, intercept)
    return [(e, model.score(e.key[1], list(e.features))) for e in examples]


#: A relation with fewer positive training candidates keeps every rule statement: the model has not seen enough
#: of it to overrule the rules (mediation, denial and protest are rare in news).
FLOOR_MIN_POSITIVES = 100

#: How far below the best cross-validated F1 a lower floor and a higher threshold may be chosen (see
#: :func:`choose_threshold`).
F1_TOLERANCE = 0.01

#: The floors tried for the rule statements.
FLOORS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)


def floored_relations(data: TrainingSet, ids: Sequence[str]) -> frozenset[str]:
    """The relations with at least :data:`FLOOR_MIN_POSITIVES` positive candidates among the paragraphs ``ids``."""
    counts = Counter(e.key[1] for pid in ids for e in data.examples[pid] if e.label)
    return frozenset(r for r, n in counts.items() if n >= FLOOR_MIN_POSITIVES)


def choose_threshold(data: TrainingSet, ids: Sequence[str], k: int = 3, c: float = C) -> tuple[float, float]:
    """(threshold, floor) near the best relation F1 (see :data:`F1_TOLERANCE`), among those at which the
    statements are at least :data:`MIN_PRECISION` precise, over a ``k``-fold split of the paragraphs ``ids``
    (their own folds)."""
    folds = fold_of(ids, k, seed=1)
    scored: list[tuple[Example, float]] = []
    for n in range(k):
        train_ex = [e for pid in sorted(ids) if folds[pid] != n for e in data.examples[pid]]
        test_ex = [e for pid in sorted(ids) if folds[pid] == n for e in data.examples[pid]]
        w, b = fit(train_ex, c)
        scored += _score(w, b, test_ex)
    gold_total = sum(data.gold_count[pid] for pid in ids)
    prob = {(e.doc, e.key): p for e, p in scored}
    live = [(e, p) for e, p in scored if p >= 0.05 or "rule:stated" in e.features]  # below, none is stated
    floored = floored_relations(data, ids)
    found = [(relation_f1(live, gold_total, t / 100, floor, prob, floored), t / 100, floor) for floor in FLOORS
             for t in range(5, 96)]
    precise = [x for x in found if x[0][0] >= MIN_PRECISION] or found
    # F1 is flat near its best: among the pairs within F1_TOLERANCE of it, the lowest floor (the rules keep what
    # they state unless the data clearly say otherwise), then the highest threshold (the model adds only what it
    # is surest of; the best F1 alone moved the threshold between 0.29 and 0.44 from one retrain to the next)
    top = max(x[0][2] for x in precise)
    best = max((x for x in precise if x[0][2] >= top - F1_TOLERANCE), key=lambda x: (-x[2], x[1]))
    return best[1], best[2]


def train(gold: Sequence[dict[str, Any]], documents: Iterable[Document], lex: Lexicon | None = None,
          c: float = C, threshold: float | None = None, mentions: bool = False) -> RelationModel:
    """Train a relation model (and, with ``mentions``, the mention tagger it decides with) on annotated
    paragraphs.

    With ``mentions`` the tagger (:mod:`kg.tagger`) is trained first on the gold names, and the
    candidates the relation model learns from are those of an extraction with it, as at build time.

    Args:
        gold: the gold paragraphs (:func:`read_gold`).
        documents: their texts, by the same ids.
        lex: the lexicons (default: the packaged ones).
        c: inverse regularisation strength.
        threshold: the decision threshold; default: chosen by 3-fold cross-validation over ``gold``.
        mentions: also train the mention tagger (without it, the rules alone find the actors: the
            shipped model's choice, since on real feeds the tagger's nodes are less often actors).

    Raises:
        InputError: a gold paragraph without text, or no positive (or no negative) candidate.
    """
    from dataclasses import replace

    from .classifier import with_model
    from .tagger import train_tagger, with_tagger

    documents = list(documents)
    rules = with_model(lex or Lexicon.builtin(), None)
    tagger = None
    texts = {d.id: d.text for d in documents}
    paragraphs = [(texts[row["id"]], row["actors"]) for row in gold if row["id"] in texts]
    if mentions and paragraphs:  # (without texts, collect says which paragraphs have none)
        tagger = train_tagger(paragraphs, rules, threshold=TAGGER_THRESHOLD)
    data = collect(gold, documents, with_tagger(rules, tagger))
    return replace(train_on(data, sorted(data.examples), c, threshold), tagger=tagger)


def train_on(data: TrainingSet, ids: Sequence[str], c: float = C, threshold: float | None = None) -> RelationModel:
    """Train on the paragraphs ``ids`` of an already labelled :class:`TrainingSet` (cross-validation uses it)."""
    examples = [e for pid in sorted(ids) for e in data.examples[pid]]
    weights, intercept = fit(examples, c)
    floor = 0.0
    if threshold is None:
        threshold, floor = choose_threshold(data, ids, c=c) if len(ids) >= 6 else (0.5, 0.0)
    positives = sum(e.label for e in examples)
    meta = (("relations", list(RELATIONS)),
            ("training", {"paragraphs": len(ids), "candidates": len(examples), "positives": positives,
                          "gold_relations": sum(data.gold_count[pid] for pid in ids),
                          "C": c, "min_count": MIN_COUNT, "solver": "lbfgs"}))
    return RelationModel({c: {k: round(v, 8) for k, v in w.items()} for c, w in weights.items()},
                         round(intercept, 8), threshold, floor, floored_relations(data, ids), meta)


def train_files(gold_path: str | Path, texts_path: str | Path, out: str | Path, c: float = C,
                threshold: float | None = None, mentions: bool = False) -> RelationModel:
    """``kg train``: read gold and texts, train, write the model file; the model is returned.

    Raises:
        InputError: unreadable or malformed inputs, or nothing to learn from.
    """
    gold = read_gold(gold_path)
    if not gold:
        raise InputError(f"gold file {str(gold_path)!r} holds no paragraphs")
    documents = read_documents(str(texts_path))
    model = train(gold, documents, c=c, threshold=threshold, mentions=mentions)
    try:
        model.write(Path(out))
    except OSError as err:
        raise InputError(f"cannot write model {str(out)!r}: {err.strerror or err}") from err
    return model
