"""Evaluation: score a built graph against gold annotations of actors and relations.

``kg evaluate GOLD.jsonl GRAPH`` reads a gold file (one annotated paragraph per
line, see ``docs/evaluation.md``) and a graph (a ``.nq``/``.trig``/``.ttl`` file
or a ``kg build`` folder) whose documents carry the paragraphs' ids, and
measures what the graph got right. It follows the evaluation sets' own scorer
to the figure:

* **Reading the graph.** By local names only, so any namespace works: a
  document is a ``Document`` with an ``identifier``; sentences, mentions and
  statements reach it through ``isPartOf``/``wasDerivedFrom`` links; a statement
  is ``rdf:subject``/``rdf:predicate``/``rdf:object`` with a ``modality``
  (asserted when absent); a node's names are its Arabic (or untagged) labels
  and the texts of its mentions in that document.
* **Names.** Both sides are normalised the same way (:func:`name_key`):
  diacritics and tatweel dropped, alef, alef maqsura, ta marbuta and hamza seats
  unified, punctuation made a space, and a leading conjunction, preposition or
  article taken off each word. Two names match fully when equal, and partly
  when one opens or closes the other as whole words, unless the shorter is a
  single generic word (قوات, مدينة …) or a word of fewer than three letters
  (:func:`name_match`).
* **Actors.** Each node of a document goes to the gold actor it matches best:
  a full match before a partial one, then the actor whose type is among the
  node's types (دمشق the government or the city), then the greater id. Gold
  actors matched by some node are found; every node counts as a system actor,
  so a second node for one gold actor (an unmerged duplicate) lowers precision.
* **Relations.** Compared per document as (subject, relation, object) over the
  matched gold actors (``negotiatesWith`` in either direction); a node no gold
  actor matches never makes a true positive.
* **Modality.** Scored on matched relations only: right when the graph states
  the triple with the gold modality and no other.

>>> name_match(name_key("وقوات النظام"), name_key("قوات النظام السوري"))
1
>>> name_match(name_key("قوات"), name_key("قوات النظام"))
0
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import RELATIONS
from .store import read_quads
from .text import strip_name_clitics

__all__ = [
    "GOLD_MODALITIES",
    "Evaluation",
    "GoldActor",
    "GoldParagraph",
    "GoldRelation",
    "GraphDocuments",
    "Difference",
    "ModalityScore",
    "Score",
    "TYPE_CLASS",
    "evaluate",
    "name_key",
    "name_match",
    "parse_gold",
    "read_gold",
    "read_graph_documents",
    "score",
]

#: Gold modalities (the graph's ``kg:Asserted`` … lower-cased).
GOLD_MODALITIES: tuple[str, ...] = ("asserted", "claimed", "denied")
_SYMMETRIC = frozenset({"negotiatesWith"})
#: Gold type names that differ from the class local names of the graph.
TYPE_CLASS = {"IntlOrg": "InternationalOrganization", "Media": "MediaOutlet"}
#: Words too generic to match a longer name by themselves (normalised, clitics off). Part of the
#: evaluation's definition, shared with the evaluation sets' scorer, not of the lexicons.
_GENERIC = frozenset({"قوات", "جيش", "حركه", "فصائل", "فصيل", "مدينه", "بلده", "قريه", "منطقه", "تنظيم",
                      "جماعه", "حزب", "مجلس", "وزاره", "دوله", "حكومه", "رئيس", "مسلحين", "مسلحون", "عناصر"})
_MIN_SPECIFIC = 3
_LABELS = frozenset({"prefLabel", "altLabel", "hiddenLabel", "label", "name"})
_LINKS = frozenset({"isPartOf", "wasDerivedFrom", "inSentence", "inDocument"})
_MAX_DEPTH = 4
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_SPELLING = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_PUNCTUATION = re.compile(r"[\"'«»“”‘’()\[\]{}،,.:;!?؟…\-_/]")
_LOCAL = re.compile(r"[#/:]")
#: Marks a node that matches no gold actor, so that it never equals a gold id.
_UNMATCHED = "\0"
_MAX_PROBLEMS = 10


# --- names -----------------------------------------------------------------


def name_key(name: str) -> tuple[str, ...]:
    """A name as the words it is compared by: normalised, punctuation dropped, clitics and article off.

    >>> name_key("«للنظامِ السوري»") == name_key("النظام السورى")
    True
    """
    text = _PUNCTUATION.sub(" ", _DIACRITICS.sub("", name).translate(_SPELLING))
    return tuple(strip_name_clitics(word) for word in text.split())


def name_match(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """How two name keys match: 2 equal, 1 one opens or closes the other as whole words, 0 not at all.

    A single word matches a longer name only when it is specific: not a generic head
    (قوات, مدينة …) and at least three letters long.

    >>> name_match(("دوما",), ("مدينه", "دوما")), name_match(("مدينه",), ("مدينه", "دوما"))
    (1, 0)
    """
    if not a or not b:
        return 0
    if a == b:
        return 2
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(short) == 1 and (short[0] in _GENERIC or len(short[0]) < _MIN_SPECIFIC):
        return 0
    n = len(short)
    return 1 if long[:n] == short or long[-n:] == short else 0


# --- gold ------------------------------------------------------------------


@dataclass(frozen=True)
class GoldActor:
    """An annotated actor or place of one paragraph."""

    id: str
    """Its id within the paragraph (``a1``)."""
    names: tuple[str, ...]
    """Every surface form it has in the paragraph, as written."""
    type: str | None
    """Its class local name (``IntlOrg`` and ``Media`` read as ``InternationalOrganization``, ``MediaOutlet``)."""


@dataclass(frozen=True)
class GoldRelation:
    """An annotated relation between two actors of one paragraph."""

    subject: str
    """The subject actor's id."""
    relation: str
    """One of :data:`kg.model.RELATIONS`."""
    object: str
    """The object actor's id."""
    modality: str
    """One of :data:`GOLD_MODALITIES`."""


@dataclass(frozen=True)
class GoldParagraph:
    """One line of a gold file: a paragraph's actors and relations."""

    id: str
    """The paragraph id, the document id in the graph."""
    actors: tuple[GoldActor, ...]
    """Its actors, in the file's order."""
    relations: tuple[GoldRelation, ...]
    """Its relations, in the file's order."""


def parse_gold(lines: Iterable[str], source: str = "<gold>") -> list[GoldParagraph]:
    """The paragraphs of gold JSONL lines, every problem of every line reported at once.

    Args:
        lines: the lines of a gold file (blank lines are skipped).
        source: the file name the problems are reported against.

    Returns:
        The paragraphs, in order.

    Raises:
        InputError: lines that are not JSON objects of the gold format, listed as ``source:line: problem``
            (one paragraph id twice is one of them), or no paragraph at all.

    >>> [p.id for p in parse_gold(['{"id": "p1", "actors": [], "relations": []}'])]
    ['p1']
    """
    paragraphs: list[GoldParagraph] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as err:
            problems.append(f"{source}:{number}: not valid JSON ({err})")
            continue
        found: list[str] = []
        paragraph = _paragraph(row, found)
        if paragraph is not None and first_line.setdefault(paragraph.id, number) != number:
            found.append(f"paragraph id {paragraph.id!r} is also on line {first_line[paragraph.id]}")
        problems.extend(f"{source}:{number}: {p}" for p in found)
        if paragraph is not None and not found:
            paragraphs.append(paragraph)
    if problems:
        more = f"\n  … and {len(problems) - _MAX_PROBLEMS} more" if len(problems) > _MAX_PROBLEMS else ""
        plural = "s" if len(problems) > 1 else ""
        raise InputError(f"{source!r} is no gold file of annotated paragraphs ({len(problems)} problem{plural}):\n  "
                         + "\n  ".join(problems[:_MAX_PROBLEMS]) + more
                         + "\nFix these lines (the format is in docs/evaluation.md).")
    if not paragraphs:
        raise InputError(f"{source!r} holds no gold paragraph; give a JSONL file with one annotated paragraph a line")
    return paragraphs


def _paragraph(row: object, problems: list[str]) -> GoldParagraph | None:
    """The paragraph of one parsed gold line, or None; what is wrong with it goes to ``problems``."""
    if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not row["id"]:
        problems.append('each line must be a JSON object with a string "id"')
        return None
    raw_actors, raw_relations = row.get("actors"), row.get("relations")
    if not isinstance(raw_actors, list) or not isinstance(raw_relations, list):
        problems.append('"actors" and "relations" must be lists')
        return None
    actors: list[GoldActor] = []
    for a in raw_actors:
        names = a.get("names") if isinstance(a, dict) else None
        if not isinstance(a, dict) or not isinstance(a.get("id"), str) or not isinstance(names, list) \
                or not all(isinstance(n, str) for n in names):
            problems.append(f'actor {a!r} needs a string "id" and a list of string "names"')
            continue
        if a["id"] in {x.id for x in actors}:
            problems.append(f"actor id {a['id']!r} appears twice")
        kind = a.get("type")
        actors.append(GoldActor(a["id"], tuple(names), TYPE_CLASS.get(kind, kind) if isinstance(kind, str) else None))
    ids = {a.id for a in actors}
    relations: list[GoldRelation] = []
    for r in raw_relations:
        if not isinstance(r, dict) or r.get("s") not in ids or r.get("o") not in ids:
            problems.append(f'relation {r!r} needs "s" and "o" naming actors of the paragraph')
        elif r.get("p") not in RELATIONS:
            problems.append(f"relation {r.get('p')!r} is not one of {', '.join(RELATIONS)}")
        elif r.get("modality") not in GOLD_MODALITIES:
            problems.append(f"modality {r.get('modality')!r} is not one of {', '.join(GOLD_MODALITIES)}")
        else:
            relations.append(GoldRelation(r["s"], r["p"], r["o"], r["modality"]))
    return GoldParagraph(row["id"], tuple(actors), tuple(relations))


def read_gold(path: str | os.PathLike[str]) -> list[GoldParagraph]:
    """The paragraphs of a gold file (:func:`parse_gold`).

    Args:
        path: a JSONL file, one annotated paragraph per line (UTF-8).

    Returns:
        Its paragraphs, in the file's order.

    Raises:
        InputError: the file cannot be read, or holds malformed lines (all listed).
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise InputError(f"cannot read gold file {str(path)!r}: {reason}; give a JSONL file of annotated paragraphs") \
            from err
    return parse_gold(text.splitlines(), str(path))


# --- the graph -------------------------------------------------------------

#: A statement as read from the graph: subject node, relation, object node, modality (lower case).
_Statement = tuple[str, str, str, str]


@dataclass(frozen=True)
class GraphDocuments:
    """What evaluation needs of a graph, by document id; nodes are keyed by their N-Triples form."""

    labels: Mapping[str, frozenset[str]]
    """Node -> its Arabic or untagged labels (any document)."""
    types: Mapping[str, frozenset[str]]
    """Node -> local names of its classes."""
    mentions: Mapping[str, Mapping[str, frozenset[str]]]
    """Document id -> node -> texts of its mentions there."""
    statements: Mapping[str, tuple[_Statement, ...]]
    """Document id -> its statements of one of the 17 relations."""
    documents: frozenset[str] = field(default_factory=frozenset)
    """Every document id of the graph."""


def _local(iri: str) -> str:
    return _LOCAL.split(iri)[-1]


def _value(term: Any) -> str:
    """The lexical form of an IRI, blank node or literal."""
    return str(getattr(term, "value", term))


def read_graph_documents(source: str | os.PathLike[str]) -> GraphDocuments:
    """Read a graph file or ``kg build`` folder into what :func:`score` compares.

    Args:
        source: a ``.nq``, ``.trig``, ``.ttl``, ``.nt`` or ``.jsonld`` file, or a ``kg build`` output
            folder (its ``graph.nq``, else ``graph.trig`` … ``graph.ttl``). Named graphs are merged.

    Returns:
        Its documents' mentions and statements, and the labels and types of every node.

    Raises:
        InputError: the graph is missing, of an unknown extension, or does not parse.
    """
    triples = {(str(q.subject), _value(q.predicate), q.object) for q in read_quads([source])}
    by_local: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    reified: dict[str, dict[str, Any]] = {"subject": {}, "predicate": {}, "object": {}}
    for s, p, o in triples:
        by_local[_local(p)].append((s, o))
        if p.startswith(_RDF) and p[len(_RDF):] in reified:
            reified[p[len(_RDF):]][s] = o
    types: dict[str, set[str]] = defaultdict(set)
    for s, o in by_local["type"]:
        types[s].add(_local(_value(o)))
    typed_documents = {s for s, kinds in types.items() if "Document" in kinds}
    doc_of = {s: _value(o) for s, o in by_local["identifier"] if s in typed_documents or not typed_documents}
    parents: dict[str, list[str]] = defaultdict(list)
    for link in sorted(_LINKS):
        for s, o in by_local[link]:
            parents[s].append(str(o))

    def document(node: str, depth: int = 0) -> str | None:
        if node in doc_of:
            return doc_of[node]
        if depth > _MAX_DEPTH:
            return None
        for parent in parents.get(node, ()):
            found = document(parent, depth + 1)
            if found:
                return found
        return None

    labels: dict[str, set[str]] = defaultdict(set)
    for prop in _LABELS:
        for s, o in by_local[prop]:
            language = getattr(o, "language", False)
            if language is None or (isinstance(language, str) and language.startswith("ar")):
                labels[s].add(o.value)
    anchors: dict[str, set[str]] = defaultdict(set)
    for m, o in by_local["anchorOf"]:
        anchors[m].add(_value(o))
    mentions: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for m, actor in by_local["refersTo"]:
        d = document(m)
        if d is not None:
            mentions[d][str(actor)].update(anchors.get(m) or {""})
    modalities: dict[str, set[str]] = defaultdict(set)
    for st, o in by_local["modality"]:
        modalities[st].add(_local(_value(o)).lower())
    statements: dict[str, list[_Statement]] = defaultdict(list)
    subjects, predicates, objects = reified["subject"], reified["predicate"], reified["object"]
    for st, subject in subjects.items():
        if st not in predicates or st not in objects:
            continue
        relation = _local(_value(predicates[st]))
        d = document(st) if relation in RELATIONS else None
        if d is not None:
            for modality in sorted(modalities.get(st) or {"asserted"}):
                statements[d].append((str(subject), relation, str(objects[st]), modality))
    return GraphDocuments(
        labels={n: frozenset(v) for n, v in labels.items()},
        types={n: frozenset(v) for n, v in types.items()},
        mentions={d: {n: frozenset(t) for n, t in by_node.items()} for d, by_node in mentions.items()},
        statements={d: tuple(v) for d, v in statements.items()},
        documents=frozenset(doc_of.values()),
    )


# --- scoring ---------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 of one kind of item, from its counts."""

    tp: int
    """Items of the graph that the gold has."""
    system: int
    """Items of the graph."""
    gold: int
    """Items of the gold."""

    @property
    def p(self) -> float:
        """Precision: ``tp / system`` (0 when the graph has none)."""
        return self.tp / self.system if self.system else 0.0

    @property
    def r(self) -> float:
        """Recall: ``tp / gold`` (0 when the gold has none)."""
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, float | int]:
        """``{"p", "r", "f1", "tp", "sys", "gold"}``."""
        return {"p": self.p, "r": self.r, "f1": self.f1, "tp": self.tp, "sys": self.system, "gold": self.gold}


@dataclass(frozen=True)
class ModalityScore:
    """How the modality of the relations found compares with the gold."""

    matched: int
    """Gold relations the graph has (whatever its modality)."""
    correct: int
    """Of those, the ones the graph states with the gold modality alone."""
    gold_denied: int
    """Matched relations the gold marks denied."""
    denied_as_asserted: int
    """Of those, the ones the graph states (also) as asserted: a denied fact read as fact."""

    @property
    def accuracy(self) -> float:
        """``correct / matched`` (0 when nothing matched)."""
        return self.correct / self.matched if self.matched else 0.0


@dataclass(frozen=True)
class Difference:
    """A gold relation the graph misses, or a relation of the graph the gold has not."""

    document: str
    """The paragraph id."""
    kind: str
    """``MISS`` or ``EXTRA``."""
    subject: str
    """The gold actor id, or ``?`` and the node's name when no gold actor matches it."""
    relation: str
    """The relation."""
    object: str
    """As ``subject``."""
    modalities: tuple[str, ...]
    """The gold modality (MISS) or the graph's (EXTRA)."""

    def line(self) -> str:
        """``p001 MISS a1 besieges a2 (asserted)``."""
        return f"{self.document} {self.kind} {self.subject} {self.relation} {self.object} ({', '.join(self.modalities)})"


@dataclass(frozen=True)
class Evaluation:
    """The scores of a graph against a gold file."""

    documents: int
    """Gold paragraphs scored."""
    missing: tuple[str, ...]
    """Gold paragraph ids that are no document of the graph (all their items count as missed)."""
    relations: Score
    """Relations, over every relation type."""
    actors: Score
    """Actors: gold actors matched, graph nodes, gold actors."""
    per_relation: tuple[tuple[str, Score], ...]
    """Each relation type present in the gold or the graph, by name."""
    modality: ModalityScore
    """Modality on the matched relations."""
    differences: tuple[Difference, ...] = ()
    """Every MISS and EXTRA, paragraph by paragraph."""

    def to_json(self, verbose: bool = False) -> dict[str, Any]:
        """The scores as one JSON object (``differences`` too when ``verbose``)."""
        m = self.modality
        out: dict[str, Any] = {
            "documents": self.documents,
            "missing": list(self.missing),
            "relations": self.relations.to_json(),
            "actors": self.actors.to_json(),
            "per_relation": {name: s.to_json() for name, s in self.per_relation},
            "modality": {"accuracy": m.accuracy, "matched": m.matched, "correct": m.correct,
                         "gold_denied_matched": m.gold_denied, "denied_but_asserted": m.denied_as_asserted},
        }
        if verbose:
            out["differences"] = [{"document": d.document, "kind": d.kind, "s": d.subject, "p": d.relation,
                                   "o": d.object, "modality": list(d.modalities)} for d in self.differences]
        return out

    def to_text(self, verbose: bool = False) -> str:
        """A report for people: the MISS/EXTRA lines when ``verbose``, then the tables."""
        lines = [d.line() for d in self.differences] if verbose else []
        lines.append(f"{'relation':<16} {'P':>5} {'R':>5} {'F1':>5} {'tp':>5} {'sys':>5} {'gold':>5}")
        for name, s in self.per_relation:
            lines.append(f"{name:<16} {s.p:5.2f} {s.r:5.2f} {s.f1:5.2f} {s.tp:5} {s.system:5} {s.gold:5}")
        r, a, m = self.relations, self.actors, self.modality
        lines += [
            f"{'relations':<16} {r.p:5.2f} {r.r:5.2f} {r.f1:5.2f} {r.tp:5} {r.system:5} {r.gold:5}",
            f"{'actors':<16} {a.p:5.2f} {a.r:5.2f} {a.f1:5.2f} {a.tp:5} {a.system:5} {a.gold:5}",
            f"modality accuracy {m.accuracy:.2f} on {m.matched} matched relations; "
            f"denied stated as asserted: {m.denied_as_asserted} of {m.gold_denied}",
            f"gold paragraphs: {self.documents}, in the graph: {self.documents - len(self.missing)}",
        ]
        return "\n".join(lines) + "\n"


def _best_gold(names: Sequence[tuple[str, ...]], kinds: frozenset[str], paragraph: GoldParagraph,
               gold_keys: Mapping[str, Sequence[tuple[str, ...]]]) -> str | None:
    """The gold actor a node stands for: best name match, then type agreement, then greatest id."""
    best: tuple[int, bool, str] | None = None
    for actor in paragraph.actors:
        match = max((name_match(a, b) for a in gold_keys[actor.id] for b in names), default=0)
        candidate = (match, actor.type in kinds, actor.id)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best is not None and best[0] else None


def _node_refs(nodes: Sequence[str], paragraph: GoldParagraph, graph: GraphDocuments,
               node_keys: dict[str, list[tuple[str, ...]]]) -> tuple[dict[str, str], dict[str, str]]:
    """What each node of a paragraph stands for: its gold actor's id, or, matching none, itself marked
    :data:`_UNMATCHED` (never a gold id); and the name to show for each of the latter."""
    gold_keys = {a.id: [name_key(n) for n in a.names] for a in paragraph.actors}
    mentions = graph.mentions.get(paragraph.id, {})
    ref: dict[str, str] = {}
    shown: dict[str, str] = {}
    for node in nodes:
        if node not in node_keys:
            node_keys[node] = [name_key(t) for t in graph.labels.get(node, ()) if t]
        texts = sorted(t for t in mentions.get(node, ()) if t)
        names = node_keys[node] + [name_key(t) for t in texts]
        found = _best_gold(names, graph.types.get(node, frozenset()), paragraph, gold_keys)
        if found is not None:
            ref[node] = found
        else:
            ref[node] = _UNMATCHED + node
            shown[ref[node]] = "?" + (texts or sorted(graph.labels.get(node, ())) or [node])[0]
    return ref, shown


def _key(subject: str, relation: str, obj: str) -> tuple[str, str, str]:
    """A relation's key: ``negotiatesWith`` with its two actors in order, every other one as it is."""
    if relation in _SYMMETRIC and obj < subject:
        return obj, relation, subject
    return subject, relation, obj


def score(gold: Sequence[GoldParagraph], graph: GraphDocuments) -> Evaluation:
    """Score a graph against gold paragraphs (the rules are in the module docstring).

    Args:
        gold: the annotated paragraphs.
        graph: the graph, read by :func:`read_graph_documents`.

    Returns:
        The scores, with every MISS and EXTRA.
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    actors: Counter[str] = Counter()
    modality: Counter[str] = Counter()
    differences: list[Difference] = []
    node_keys: dict[str, list[tuple[str, ...]]] = {}  # node -> its labels as name keys, computed once
    for paragraph in gold:
        d = paragraph.id
        mentions = graph.mentions.get(d, {})
        statements = graph.statements.get(d, ())
        nodes = set(mentions) | {n for s, _, o, _ in statements for n in (s, o)}
        ref, shown = _node_refs(sorted(nodes), paragraph, graph, node_keys)
        matched = {r for r in ref.values() if not r.startswith(_UNMATCHED)}
        actors["tp"] += len(matched)
        actors["gold"] += len(paragraph.actors)
        actors["system"] += len(nodes)
        gold_relations = {_key(r.subject, r.relation, r.object): r.modality for r in paragraph.relations}
        found_relations: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for s, relation, o, m in statements:
            gs, go = ref[s], ref[o]
            key = _key(gs, relation, go) if gs in matched and go in matched else (gs, relation, go)
            found_relations[key].add(m)
        for key, gold_modality in gold_relations.items():
            counts[key[1]]["gold"] += 1
            stated = found_relations.get(key)
            if stated is None:
                differences.append(Difference(d, "MISS", *key, (gold_modality,)))
                continue
            counts[key[1]]["tp"] += 1
            modality["matched"] += 1
            modality["correct"] += stated == {gold_modality}
            if gold_modality == "denied":
                modality["denied"] += 1
                modality["denied_as_asserted"] += "asserted" in stated
        for key, stated in found_relations.items():
            counts[key[1]]["system"] += 1
            if key not in gold_relations:
                differences.append(Difference(d, "EXTRA", shown.get(key[0], key[0]), key[1],
                                              shown.get(key[2], key[2]), tuple(sorted(stated))))
    per_relation = tuple((name, Score(c["tp"], c["system"], c["gold"])) for name, c in sorted(counts.items()))
    return Evaluation(
        documents=len(gold),
        missing=tuple(p.id for p in gold if p.id not in graph.documents),
        relations=Score(*(sum(s.tp for _, s in per_relation), sum(s.system for _, s in per_relation),
                          sum(s.gold for _, s in per_relation))),
        actors=Score(actors["tp"], actors["system"], actors["gold"]),
        per_relation=per_relation,
        modality=ModalityScore(modality["matched"], modality["correct"], modality["denied"],
                               modality["denied_as_asserted"]),
        differences=tuple(differences),
    )


def evaluate(gold: str | os.PathLike[str], graph: str | os.PathLike[str]) -> Evaluation:
    """Score the graph file or ``kg build`` folder ``graph`` against the gold file ``gold``.

    Args:
        gold: the gold file (:func:`read_gold`).
        graph: a graph file or ``kg build`` folder (:func:`read_graph_documents`).

    Returns:
        The scores; gold paragraphs that are no document of the graph are listed in ``missing``
        and count as found nothing.

    Raises:
        InputError: a missing or malformed gold file, a graph that is missing or does not parse, or a
            graph in which no gold paragraph id is a document.
    """
    paragraphs = read_gold(gold)
    documents = read_graph_documents(graph)
    if not any(p.id in documents.documents for p in paragraphs):
        ids = ", ".join(repr(p.id) for p in paragraphs[:3]) + (", …" if len(paragraphs) > 3 else "")
        raise InputError(f"no gold paragraph id ({ids}) is a document of {str(graph)!r}; build the texts of "
                         "these paragraphs (their ids become document ids) and evaluate that graph")
    return score(paragraphs, documents)
