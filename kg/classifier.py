"""Classifier: a logistic model over sparse string features, kept as plain JSON and scored in pure Python.

The model file (written by ``kg train``, see :mod:`kg.train`) is one JSON object::

    {"format": "rawabit-relation-model", "version": 1, "feature_set": 2,
     "kind": "logistic", "intercept": -2.31, "threshold": 0.42, "floor": 0.1,
     "floor_relations": ["attacks", ...],
     "weights": {"*": {"rule:stated": 2.2, ...}, "attacks": {"cue=shell": 1.7, "rel": -0.4, ...}, ...},
     "relations": ["accuses", ...], "training": {...}}

``weights`` holds, for all relations (``"*"``) and for each relation class, the weight
of each feature name (:mod:`kg.features`); a class's weight of the feature ``rel``,
which every candidate has, is that class's intercept beside the shared one. The
probability of a candidate of relation R is the logistic of the intercept plus the
shared and R's weights of its features. A candidate the rules did not state holds when it
reaches ``threshold``; a rule statement of a relation in ``floor_relations`` (of every
relation, without that key) is kept when it reaches ``floor``, a claimed or denied one
when it reaches the lower of ``floor`` and :data:`CLAIM_FLOOR` (a file without ``floor``
keeps every rule statement). Building never imports
numpy or scikit-learn: scoring is a sum over a dict.
"""

from __future__ import annotations

import json
import math
from itertools import repeat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import InputError
from .features import FEATURE_SET
from .lexicon import Lexicon
from .tagger import TaggerModel, tagger_from_dict, with_tagger

__all__ = ["BUILTIN", "CLAIM_FLOOR", "FORMAT", "VERSION", "RelationModel", "builtin_model", "load_model", "model_of", "read_model",
           "with_model"]

FORMAT = "rawabit-relation-model"
VERSION = 1
#: The floor of a claimed or denied rule statement, when the model's floor is higher: the model may drop a
#: claim it finds unlikely, but has seen too few claims to judge them as closely as facts.
CLAIM_FLOOR = 0.05
#: Where a lexicon carries the relation model it is built with (see :func:`with_model`).
_MEMO_KEY = "relation_model"
_EMPTY: dict[str, float] = {}


@dataclass(frozen=True)
class RelationModel:
    """A trained candidate classifier: weights by feature name, an intercept and a threshold."""

    weights: dict[str, dict[str, float]]
    """``"*"`` (every relation) or a relation -> feature name -> weight."""
    intercept: float
    """The bias."""
    threshold: float = 0.5
    """Least probability for a candidate the rules did not state to be stated."""
    floor: float = 0.0
    """Least probability for a rule statement to be kept (0: every one is)."""
    floored: frozenset[str] | None = None
    """The relations the floor applies to (None: all): those the model saw enough examples of to
    overrule the rules; for the rarer ones (``mediates``, ``denies`` …) every rule statement is kept."""
    meta: tuple[tuple[str, Any], ...] = ()
    """What the file says of its training (relations, counts, settings), kept as written."""
    tagger: TaggerModel | None = field(default=None, compare=False, repr=False)
    """The mention tagger trained with it (the file's ``"tagger"``), which finds the actors it decides about."""

    def score(self, relation: str, feats: list[str]) -> float:
        """The probability that a candidate of ``relation`` with these features holds."""
        shared = self.weights.get("*", _EMPTY)
        own = self.weights.get(relation, _EMPTY)
        z = self.intercept
        for x in feats:
            z += shared.get(x, 0.0) + own.get(x, 0.0)
        return _logistic(z)

    def score_parts(self, relation: str, own: list[str], pair: list[str], pair_shared: float) -> float:
        """:meth:`score` of the features ``own + pair``, given the shared weights of ``pair`` summed
        (:meth:`shared_sum`): a mention pair proposed for several relations is summed once."""
        shared = self.weights.get("*", _EMPTY)
        rel = self.weights.get(relation, _EMPTY)
        # sums over map(): the build scores every candidate, and this is most of the model's share of it
        z = (self.intercept + pair_shared + sum(map(shared.get, own, repeat(0.0)))
             + sum(map(rel.get, own, repeat(0.0))) + sum(map(rel.get, pair, repeat(0.0))))
        return _logistic(z)

    def shared_sum(self, feats: list[str]) -> float:
        """The sum of the weights all relations give ``feats``."""
        shared = self.weights.get("*", _EMPTY)
        return sum(map(shared.get, feats, repeat(0.0)))

    def contributions(self, relation: str, feats: list[str], n: int = 5) -> list[tuple[str, float]]:
        """The ``n`` features that weigh most on a candidate, either way, strongest first
        (a relation's own weight is named ``relation|feature``)."""
        found = []
        for cls, prefix in (("*", ""), (relation, relation + "|")):
            w = self.weights.get(cls, _EMPTY)
            found += [(prefix + x, w[x]) for x in feats if x in w]
        found.sort(key=lambda kv: (-abs(kv[1]), kv[0]))
        return found[:n]

    def keeps(self, relation: str, p: float, asserted: bool = True) -> bool:
        """True when a rule statement of ``relation`` with probability ``p`` is kept (a claimed or denied one,
        not ``asserted``, already at :data:`CLAIM_FLOOR` when the floor is higher)."""
        floor = self.floor if asserted else min(self.floor, CLAIM_FLOOR)
        return p >= floor or (self.floored is not None and relation not in self.floored)

    def to_dict(self) -> dict[str, Any]:
        """The model as the JSON object of its file."""
        out: dict[str, Any] = dict(self.meta)
        out.update({"format": FORMAT, "version": VERSION, "feature_set": FEATURE_SET, "kind": "logistic",
                    "intercept": self.intercept, "threshold": self.threshold, "floor": self.floor,
                    "weights": {cls: dict(sorted(w.items())) for cls, w in sorted(self.weights.items())}})
        if self.floored is not None:
            out["floor_relations"] = sorted(self.floored)
        if self.tagger is not None:
            out["tagger"] = self.tagger.to_dict()
        return out

    def write(self, path: Path) -> None:
        """Write the model as JSON: sorted keys, one line per weight, the same bytes for the same model."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=0)
        Path(path).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, data: Any, source: str = "model") -> RelationModel:
        """Check and read a model object.

        Raises:
            InputError: not a model of this format, version or feature set.
        """
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError(f"{source!r} is not a rawabit relation model (no \"format\": {FORMAT!r}); "
                             "write one with `kg train`")
        if data.get("version") != VERSION or data.get("feature_set") != FEATURE_SET:
            raise InputError(f"{source!r} is a model of version {data.get('version')!r}, feature set "
                             f"{data.get('feature_set')!r}; this kg reads version {VERSION}, feature set "
                             f"{FEATURE_SET}: retrain it with `kg train`")
        weights = data.get("weights")
        if not isinstance(weights, dict) or not all(
                isinstance(w, dict) and all(isinstance(v, (int, float)) for v in w.values()) for w in weights.values()):
            raise InputError(f"{source!r}: \"weights\" must map \"*\" and relations to feature weights; "
                             "retrain it with `kg train`")
        try:
            intercept = float(data["intercept"])
            threshold = float(data.get("threshold", 0.5))
            floor = float(data.get("floor", 0.0))
            floored = data.get("floor_relations")
            if floored is not None and not (isinstance(floored, list) and all(isinstance(r, str) for r in floored)):
                raise TypeError("\"floor_relations\" must be a list of relation names")
        except (KeyError, TypeError, ValueError) as err:
            raise InputError(f"{source!r}: bad or missing \"intercept\"/\"threshold\"/\"floor\" ({err}); "
                             "retrain it with `kg train`") from err
        meta = tuple(sorted((k, v) for k, v in data.items()
                            if k not in ("format", "version", "feature_set", "kind", "intercept", "threshold", "floor",
                                         "floor_relations", "weights",
                                         "tagger")))
        tagger = tagger_from_dict(data["tagger"], source) if "tagger" in data else None
        return cls({str(c): {str(k): float(v) for k, v in w.items()} for c, w in weights.items()},
                   intercept, threshold, floor, None if floored is None else frozenset(floored), meta, tagger)


def _logistic(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def read_model(path: str | Path) -> RelationModel:
    """Read a model file written by ``kg train``.

    Raises:
        InputError: the file is missing, not JSON, or not a model this kg reads.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot read model {str(path)!r}: {err.strerror or err}") from err
    try:
        data = json.loads(text)
    except ValueError as err:
        raise InputError(f"model {str(path)!r} is not valid JSON ({err}); write it with `kg train`") from err
    return RelationModel.from_dict(data, str(path))


#: What ``--model`` names the model shipped with the package by.
BUILTIN = "builtin"


def builtin_model() -> RelationModel:
    """The model shipped with the package (``kg/_models/relation_model.json``, trained by ``kg train`` on
    the 1,101 annotated paragraphs of the project's training set; see the README for its figures)."""
    from importlib import resources

    return read_model(Path(str(resources.files("kg") / "_models" / "relation_model.json")))


def load_model(name: str | Path) -> RelationModel:
    """A model by path, or the shipped one for ``"builtin"``.

    Raises:
        InputError: as :func:`read_model`.
    """
    return builtin_model() if str(name) == BUILTIN else read_model(name)


def with_model(lex: Lexicon, model: RelationModel | None) -> Lexicon:
    """The lexicon, carrying ``model`` (and the mention tagger trained with it) to every stage and
    worker that extracts with it.

    ``None`` means the rules alone find the actors and decide; a lexicon given no model extracts
    with the shipped one (:func:`builtin_model`).

    >>> lex = with_model(Lexicon.builtin(), None)
    >>> model_of(lex) is None
    True
    """
    return with_tagger(_with(lex, model), model.tagger if model is not None else None)


def _with(lex: Lexicon, model: RelationModel | None) -> Lexicon:
    out = replace(lex, memo={k: v for k, v in lex.memo.items() if k not in (_MEMO_KEY,)})
    out.memo[_MEMO_KEY] = model
    return out


def model_of(lex: Lexicon) -> RelationModel | None:
    """The relation model a lexicon carries (see :func:`with_model`); by default the shipped one."""
    if _MEMO_KEY in lex.memo:
        return lex.memo[_MEMO_KEY]  # type: ignore[no-any-return]
    return _shipped()


_SHIPPED: list[RelationModel] = []


def _shipped() -> RelationModel:
    """The shipped model, read once per process (a worker reads it on its first document)."""
    if not _SHIPPED:
        _SHIPPED.append(builtin_model())
    return _SHIPPED[0]
