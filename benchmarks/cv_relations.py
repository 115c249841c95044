"""5-fold cross-validation of the relation decision: the rules alone against rules plus a learned model.

    .venv/bin/python benchmarks/cv_relations.py [GOLD.jsonl TEXTS.jsonl] [--folds 5] [--markdown FILE]

Defaults to the shared training set (``../shared/eval/train.jsonl`` and ``train_texts.jsonl``,
relative to the repository root). Folds are by paragraph (:func:`kg.train.fold_of`). Each
paragraph is extracted once to label its candidates; for each fold a model is trained on the
other folds only (its threshold chosen by a 3-fold split of those same paragraphs), and the
fold's paragraphs are built to N-Quads by ``kg.build`` with that model. The folds' graphs
together are scored by the shared scorer (``score.py``, beside the gold file) against the
whole gold file, as is a build of every paragraph by the rules alone. Nothing of a fold's
test part reaches its model; the lexicons are the packaged ones, the same for every fold.

Prints relation P/R/F1 overall and per relation (with gold counts), actor F1, modality
accuracy and denied facts stated as asserted, for both; ``--markdown`` also writes the table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def _write_texts(path: Path, docs: list) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps({"id": d.id, "text": d.text}, ensure_ascii=False) + "\n")


def _score(scorer: Path, gold: Path, graph: Path) -> dict:
    out = subprocess.run([sys.executable, str(scorer), str(gold), str(graph), "--json"],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def _relation_rows(rules: dict, other: dict) -> list[str]:
    """One table row per relation, most gold first: gold, then P/R/F1 of ``rules`` and of ``other``."""
    a_all, b_all = rules["per_relation"], other["per_relation"]
    gold = {k: max(a_all.get(k, {}).get("gold", 0), b_all.get(k, {}).get("gold", 0)) for k in set(a_all) | set(b_all)}
    rows = []
    for k in sorted(gold, key=lambda k: (-gold[k], k)):
        a, b = a_all.get(k, {}), b_all.get(k, {})
        rows.append(f"| {k} | {gold[k]} | {a.get('p', 0):.2f} | {a.get('r', 0):.2f} | {a.get('f1', 0):.2f} | "
                    f"{b.get('p', 0):.2f} | {b.get('r', 0):.2f} | {b.get('f1', 0):.2f} |")
    return rows


def _table(rules: dict, model: dict) -> str:
    lines = ["| relation | gold | rules P | R | F1 | rules+model P | R | F1 |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    r, m = rules["relations"], model["relations"]
    lines.append(f"| **all** | {r['gold']} | {r['p']:.2f} | {r['r']:.2f} | **{r['f1']:.2f}** | "
                 f"{m['p']:.2f} | {m['r']:.2f} | **{m['f1']:.2f}** |")
    lines += _relation_rows(rules, model)
    lines.append("")
    for name, s in (("rules alone", rules), ("rules + model", model)):
        mo = s["modality"]
        lines.append(f"- {name}: actor F1 {s['actors']['f1']:.2f} (P {s['actors']['p']:.2f}, R {s['actors']['r']:.2f}); "
                     f"modality accuracy {mo['accuracy']:.2f} on {mo['matched']} matched; denied facts stated as "
                     f"asserted: {mo['denied_but_asserted']} of {mo['gold_denied_matched']}; "
                     f"statements {s['relations']['sys']}")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", default=str(EVAL / "train.jsonl"))
    ap.add_argument("texts", nargs="?", default=str(EVAL / "train_texts.jsonl"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--markdown", default=None, help="Also write the table to this file.")
    ap.add_argument("--keep", default=None, help="Keep the graphs and fold models in this folder.")
    a = ap.parse_args()

    from kg import Lexicon, build
    from kg.classifier import with_model
    from kg.read import read_documents
    from kg.train import collect, fold_of, read_gold, train_on

    gold_path = Path(a.gold)
    scorer = gold_path.parent / "score.py"
    t0 = time.perf_counter()
    lex = with_model(Lexicon.builtin(), None)  # the rules alone: nothing trained on these paragraphs
    gold = read_gold(gold_path)
    docs = {d.id: d for d in read_documents(a.texts)}
    docs = {pid: docs[pid] for pid in sorted(docs) if pid in {row["id"] for row in gold}}
    data = collect(gold, docs.values(), lex)
    n_cand = sum(len(v) for v in data.examples.values())
    print(f"extracted {len(data.examples)} paragraphs once: {n_cand} candidates, "
          f"{sum(e.label for v in data.examples.values() for e in v)} positive ({time.perf_counter() - t0:.1f} s)",
          file=sys.stderr)
    folds = fold_of(data.examples, a.folds)
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="kg-cv-"))
    work.mkdir(parents=True, exist_ok=True)
    combined = work / "cv_model.nq"
    thresholds = []
    with combined.open("wb") as out:
        for n in range(a.folds):
            train_ids = [pid for pid in sorted(data.examples) if folds[pid] != n]
            test_ids = [pid for pid in sorted(data.examples) if folds[pid] == n]
            t = time.perf_counter()
            model = train_on(data, train_ids)
            thresholds.append((model.threshold, model.floor))
            model.write(work / f"model_fold{n}.json")
            texts = work / f"fold{n}.jsonl"
            _write_texts(texts, [docs[pid] for pid in test_ids])
            build([str(texts)], work / f"fold{n}", "nq", lexicon=with_model(lex, model), workers=1)
            out.write((work / f"fold{n}" / "graph.nq").read_bytes())
            print(f"fold {n}: trained on {len(train_ids)}, built {len(test_ids)}, threshold {model.threshold:.2f}, floor {model.floor:.2f} "
                  f"({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    all_texts = work / "all.jsonl"
    _write_texts(all_texts, list(docs.values()))
    build([str(all_texts)], work / "rules", "nq", lexicon=with_model(lex, None), workers=1)
    rules = _score(scorer, gold_path, work / "rules" / "graph.nq")
    model_scores = _score(scorer, gold_path, combined)
    head = (f"{a.folds}-fold cross-validation by paragraph over {len(data.examples)} paragraphs "
            f"({rules['relations']['gold']} gold relations); fold thresholds and floors "
            f"{', '.join(f'{t:.2f}/{f:.2f}' for t, f in thresholds)}\n\n")
    text = head + _table(rules, model_scores)
    print(text)
    if a.markdown:
        Path(a.markdown).write_text(text, encoding="utf-8")
    (work / "scores.json").write_text(json.dumps({"rules": rules, "model": model_scores}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
