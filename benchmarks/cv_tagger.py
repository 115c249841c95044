"""5-fold cross-validation of the learned mention tagger on the annotated training paragraphs.

    python benchmarks/cv_tagger.py [--gold ../shared/eval/train.jsonl] [--texts ../shared/eval/train_texts.jsonl]

Folds are by paragraph, the same as the relation model's
(:func:`kg.train.fold_of`). For each fold a tagger is trained on the other four folds
only; the fold's paragraphs are then built twice with ``kg.build``, rules
alone and rules with that fold's tagger, and the pooled graphs of the five
test folds are scored with the shared scorer (``score.py``). Prints actor and
relation P/R/F1 for both, per relation, and the tagger's span P/R/F1 against
the gold names (exact token spans and type).
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

import rdflib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg import Lexicon, build  # noqa: E402
from kg.classifier import with_model  # noqa: E402
from kg.mentions import find_mentions  # noqa: E402
from kg.tagger import _rule_tags, fit_tagger, gold_spans, tag_spans, training_rows, with_tagger  # noqa: E402
from kg.train import fold_of  # noqa: E402
from dataclasses import replace  # noqa: E402
from kg.text import iter_sentences  # noqa: E402


def _scorer(path: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _spans(labels: list[str]) -> set[tuple[int, int, str]]:
    out, i = set(), 0
    while i < len(labels):
        if labels[i] == "O":
            i += 1
            continue
        t, j = labels[i][2:], i
        while j + 1 < len(labels) and labels[j + 1] == "I-" + t:
            j += 1
        out.add((i, j, t))
        i = j + 1
    return out


def span_counts(paragraphs, lex, model):  # type: ignore[no-untyped-def]
    c = collections.Counter()
    for text, actors in paragraphs:
        known, titled, recent = {}, {}, []
        for sentence in iter_sentences(text):
            found = find_mentions(sentence, lex, known, titled, recent)
            for a in found.actors:
                known.setdefault(a.key, a)
            toks = sentence.tokens
            gold = _spans(gold_spans(toks, actors))
            rules = _rule_tags(len(toks), found.mentions)
            rule_spans = _spans(rules)
            tagged = {(i, j, t) for i, j, t, p in tag_spans(toks, rules, lex, model) if p >= model.threshold}
            c["gold"] += len(gold)
            c["rules"] += len(rule_spans)
            c["rules_tp"] += len(rule_spans & gold)
            c["tagger"] += len(tagged)
            c["tagger_tp"] += len(tagged & gold)
            c["tagger_untyped_tp"] += len({s[:2] for s in tagged} & {s[:2] for s in gold})
    return c


def prf(tp: int, sys_n: int, gold_n: int) -> str:
    p = tp / sys_n if sys_n else 0.0
    r = tp / gold_n if gold_n else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.2f} R {r:.2f} F1 {f:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "eval" / "train.jsonl"))
    ap.add_argument("--texts", default=str(ROOT.parent / "shared" / "eval" / "train_texts.jsonl"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, default=0.5)
    ap.add_argument("--thresholds", default="0.5", help="comma-separated span thresholds to compare")
    args = ap.parse_args()
    score = _scorer(Path(args.gold).parent / "score.py")
    gold = [json.loads(line) for line in open(args.gold, encoding="utf-8") if line.strip()]
    texts = {r["id"]: r for r in (json.loads(line) for line in open(args.texts, encoding="utf-8") if line.strip())}
    lex = with_model(Lexicon.builtin(), None)  # the rules alone: nothing trained on these paragraphs
    thresholds = [float(t) for t in args.thresholds.split(",")]
    pooled = {"rules": rdflib.Graph(), **{f"tagger@{t}": rdflib.Graph() for t in thresholds}}
    spans = {t: collections.Counter() for t in thresholds}
    rows = {g["id"]: training_rows([(texts[g["id"]]["text"], g["actors"])], lex) for g in gold}
    folds = fold_of([g["id"] for g in gold], args.folds)
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.folds):
            train = [g["id"] for g in gold if folds[g["id"]] != k]
            test = [g for g in gold if folds[g["id"]] == k]
            started = time.perf_counter()
            model = fit_tagger([f for i in train for f in rows[i][0]], [y for i in train for y in rows[i][1]], c=args.c)
            print(f"fold {k}: trained on {len(train)} paragraphs in {time.perf_counter() - started:.0f} s, "
                  f"{len(model.weights)} features", file=sys.stderr)
            inp = Path(tmp) / f"fold{k}.jsonl"
            inp.write_text("".join(json.dumps(texts[g["id"]], ensure_ascii=False) + "\n" for g in test), "utf-8")
            out = Path(tmp) / f"rules{k}"
            build([str(inp)], out, "nq", lexicon=lex, workers=1)
            pooled["rules"] += score.load_graph(str(out / "graph.nq"))
            for t in thresholds:
                m = replace(model, threshold=t)
                spans[t].update(span_counts([(texts[g["id"]]["text"], g["actors"]) for g in test], lex, m))
                out = Path(tmp) / f"tagger{k}-{t}"
                build([str(inp)], out, "nq", lexicon=with_tagger(lex, m), workers=1)
                pooled[f"tagger@{t}"] += score.load_graph(str(out / "graph.nq"))
    for t, c in spans.items():
        print(f"spans ({c['gold']} gold): rules {prf(c['rules_tp'], c['rules'], c['gold'])}; "
              f"tagger@{t} {prf(c['tagger_tp'], c['tagger'], c['gold'])} (untyped tp {c['tagger_untyped_tp']})")
    for name, g in pooled.items():
        out, _ = score.score(gold, g)
        a, r, m = out["actors"], out["relations"], out["modality"]
        print(f"{name:11} actors P {a['p']:.2f} R {a['r']:.2f} F1 {a['f1']:.2f} | relations P {r['p']:.2f} "
              f"R {r['r']:.2f} F1 {r['f1']:.2f} (tp {r['tp']} sys {r['sys']} gold {r['gold']}) | modality "
              f"{m['accuracy']:.2f} on {m['matched']}, denied stated as asserted {m['denied_but_asserted']}")
        for rel, v in out["per_relation"].items():
            print(f"    {rel:16} P {v['p']:.2f} R {v['r']:.2f} F1 {v['f1']:.2f} tp {v.get('tp', 0)} "
                  f"sys {v.get('sys', 0)} gold {v.get('gold', 0)}")


if __name__ == "__main__":
    main()
