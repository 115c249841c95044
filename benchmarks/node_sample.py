"""Draw, show and score a judged sample of graph nodes (issue 14: nodes a person would accept).

A node is an actor or place IRI that is the subject or object of at least one
statement of a build's ``graph.nq``. ``draw`` takes a seeded random sample of
distinct nodes and, for each, one mention of it (preferably in a sentence that a
statement about it comes from): the document id, the mention's character
offsets, the node IRI, its type and label. It writes the sample (ids, offsets,
IRIs, an empty verdict: no article text) to a JSONL file and prints, for the
judge only, each row with its sentence. ``show`` prints a saved sample again
from a build; ``score`` counts the verdicts.

Verdicts: ``ok``, ``bad label``, ``wrong type``, ``not an actor``; each with a
one-word reason class (``clitic``, ``glued``, ``cut``, ``clause``, ``word``,
``fold``, ``type`` ...).

    .venv/bin/kg build ../shared/corpus/feed.jsonl -o OUT --formats nq --workers 2
    .venv/bin/python benchmarks/node_sample.py draw OUT/graph.nq --seed 14 --n 300 --out benchmarks/node_sample_seed14.jsonl
    .venv/bin/python benchmarks/node_sample.py score benchmarks/node_sample_seed14.jsonl

``draw --new-since OLD/graph.nq`` samples only the nodes a change brings (absent from the earlier build).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
KG = "https://w3id.org/rawabit/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DOC = "https://w3id.org/rawabit/id/doc/"

VERDICTS = ("ok", "bad label", "wrong type", "not an actor")


class _Build:
    """What the sample needs of a ``graph.nq``: statements' ends, mentions, sentences, labels, types."""

    def __init__(self, path: Path) -> None:
        self.nodes: set[str] = set()
        self.node_sentences: dict[str, set[str]] = defaultdict(set)  # sentences its statements come from
        self.mentions: dict[str, list[str]] = defaultdict(list)  # node -> mention IRIs
        self.mention: dict[str, dict[str, str]] = defaultdict(dict)
        self.sentence: dict[str, dict[str, str]] = defaultdict(dict)
        self.label: dict[str, str] = {}
        self.type: dict[str, str] = {}
        statement: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        with path.open("rb") as f:
            for q in parse(f, RdfFormat.N_QUADS):
                s, p, o = q.subject.value, q.predicate.value, q.object
                if p in (RDF + "subject", RDF + "object"):
                    statement[s]["ends"].append(o.value)
                elif p == PROV + "wasDerivedFrom":
                    if "#m" in s:
                        self.mention[s]["sentence"] = o.value
                    else:
                        statement[s]["from"].append(o.value)
                elif p == KG + "refersTo":
                    self.mentions[o.value].append(s)
                elif p in (KG + "beginIndex", KG + "endIndex", KG + "anchorOf", KG + "text"):
                    target = self.mention if "#m" in s else self.sentence if "#s" in s else None
                    if target is not None:
                        target[s][p[len(KG):]] = o.value
                elif p == SKOS + "prefLabel" and isinstance(o, Literal) and o.language == "ar":
                    self.label.setdefault(s, o.value)
                elif p == RDF + "type" and isinstance(o, NamedNode) and o.value.startswith(KG) and "/id/doc/" not in s:
                    self.type.setdefault(s, o.value[len(KG):])
        for st in statement.values():
            for end in st["ends"]:
                if "/id/doc/" in end:
                    continue  # a statement about a document or sentence, not an actor
                self.nodes.add(end)
                self.node_sentences[end].update(st["from"])

    def pick_mention(self, node: str, rng: random.Random) -> str | None:
        """One mention of the node, in a sentence one of its statements comes from where there is one."""
        ms = sorted(self.mentions.get(node, ()))
        near = [m for m in ms if self.mention[m].get("sentence") in self.node_sentences[node]]
        pool = near or ms
        return rng.choice(pool) if pool else None


def _row(build: _Build, node: str, mention: str | None) -> dict[str, object]:
    row: dict[str, object] = {"node": node, "type": build.type.get(node, ""), "doc": "", "begin": None, "end": None}
    if mention is not None:
        doc = mention.split("#", 1)[0][len(DOC):]
        m = build.mention[mention]
        row.update(doc=doc, begin=int(m.get("beginIndex", -1)), end=int(m.get("endIndex", -1)))
    return row


def _show(build: _Build, n: int, row: dict[str, object], node_label: str, window: int) -> None:
    mention = None
    doc, begin = row.get("doc"), row.get("begin")
    for m in build.mentions.get(str(row["node"]), ()):
        if m.split("#", 1)[0] == DOC + str(doc) and build.mention[m].get("beginIndex") == str(begin):
            mention = m
            break
    anchor, context = "", ""
    if mention is not None:
        mm = build.mention[mention]
        anchor = mm.get("anchorOf", "")
        sent = build.sentence.get(mm.get("sentence", ""), {})
        text, s0 = sent.get("text", ""), int(sent.get("beginIndex", 0))
        a, b = int(mm["beginIndex"]) - s0, int(mm["endIndex"]) - s0
        context = text[max(0, a - window):a] + "[[" + text[a:b] + "]]" + text[b:b + window]
    verdict = f" => {row.get('verdict')}/{row.get('reason')}" if row.get("verdict") else ""
    print(f"{n:3d} {row['type']:<14} «{node_label}» @{anchor}@ {row['node'].rsplit('/', 1)[-1]}{verdict}\n"
          f"    {row['doc']}:{row['begin']}-{row['end']}  {context.replace(chr(10), ' ')}")


def draw(args: argparse.Namespace) -> None:
    build = _Build(args.graph)
    rng = random.Random(args.seed)
    pool = sorted(build.nodes)
    if args.new_since:  # only the nodes a change brings: those the earlier build did not have
        pool = sorted(build.nodes - _Build(args.new_since).nodes)
    nodes = rng.sample(pool, min(args.n, len(pool)))
    rows = [_row(build, node, build.pick_mention(node, rng)) for node in nodes]
    print(f"{len(build.nodes)} nodes in statements, {len(pool)} to draw from; sample of {len(rows)} (seed {args.seed})",
          file=sys.stderr)
    if args.out:
        with args.out.open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps({**row, "verdict": "", "reason": ""}, ensure_ascii=False) + "\n")
    for n, row in enumerate(rows, 1):
        _show(build, n, row, build.label.get(str(row["node"]), ""), args.window)


def show(args: argparse.Namespace) -> None:
    build = _Build(args.graph)
    rows = [json.loads(line) for line in args.sample.open(encoding="utf-8")]
    for n, row in enumerate(rows, 1):
        _show(build, n, row, build.label.get(row["node"], ""), args.window)


def score(args: argparse.Namespace) -> None:
    for path in args.samples:
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        judged = [r for r in rows if r.get("verdict")]
        by = Counter(r["verdict"] for r in judged)
        reasons = Counter((r["verdict"], r.get("reason", "")) for r in judged if r["verdict"] != "ok")
        n = len(judged) or 1
        print(f"{path.name}: {len(judged)} judged of {len(rows)}; ok {by['ok']} ({100 * by['ok'] / n:.1f}%)")
        for v in VERDICTS[1:]:
            print(f"  {v:<13} {by[v]:3d} ({100 * by[v] / n:.1f}%)  "
                  + ", ".join(f"{r} {c}" for (vv, r), c in reasons.most_common() if vv == v))
        unknown = set(by) - set(VERDICTS)
        if unknown:
            print(f"  unknown verdicts: {sorted(unknown)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("draw", help="draw a seeded sample of nodes from a graph.nq")
    d.add_argument("graph", type=Path)
    d.add_argument("--seed", type=int, required=True)
    d.add_argument("--n", type=int, default=300)
    d.add_argument("--out", type=Path, help="write the sample (no text) here")
    d.add_argument("--window", type=int, default=90, help="characters of sentence either side of the mention")
    d.add_argument("--new-since", type=Path, help="draw only nodes this earlier build's graph.nq does not have")
    d.set_defaults(func=draw)
    s = sub.add_parser("show", help="print a saved sample with its sentences from a graph.nq")
    s.add_argument("graph", type=Path)
    s.add_argument("sample", type=Path)
    s.add_argument("--window", type=int, default=90)
    s.set_defaults(func=show)
    c = sub.add_parser("score", help="count the verdicts of judged samples")
    c.add_argument("samples", type=Path, nargs="+")
    c.set_defaults(func=score)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
