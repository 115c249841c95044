"""5-fold cross-validation of the whole learned extraction: mention tagger + relation model, against rules alone.

    .venv/bin/python benchmarks/cv_pipeline.py [GOLD.jsonl TEXTS.jsonl] [--folds 5] [--markdown FILE]

Folds are by paragraph (:func:`kg.train.fold_of`, the same folds as
``benchmarks/cv_relations.py``). For each fold, on its training part only:
the mention tagger is trained on the annotated names; the paragraphs are
extracted with that tagger to collect candidate statements; the relation model
is trained on them. The fold's test part is then built by ``kg.build`` with
both. The five test graphs together are scored by the shared scorer against
the whole gold file, beside a build by the rules alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT))

from cv_relations import _relation_rows, _score, _write_texts  # noqa: E402  (this folder: how both scripts write and score)


def _line(name: str, s: dict) -> str:  # type: ignore[type-arg]
    r, a, m = s["relations"], s["actors"], s["modality"]
    return (f"| {name} | {r['p']:.2f} | {r['r']:.2f} | **{r['f1']:.2f}** | {a['f1']:.2f} ({a['p']:.2f}/{a['r']:.2f}) | "
            f"{m['accuracy']:.2f} | {m['denied_but_asserted']} of {m['gold_denied_matched']} | {r['sys']} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", default=str(EVAL / "train.jsonl"))
    ap.add_argument("texts", nargs="?", default=str(EVAL / "train_texts.jsonl"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--markdown", default=None)
    ap.add_argument("--keep", default=None, help="Keep the graphs and fold models in this folder.")
    a = ap.parse_args()

    from kg import Lexicon, build
    from kg.classifier import with_model
    from kg.read import read_documents
    from kg.tagger import fit_tagger, training_rows, with_tagger
    from kg.train import collect, fold_of, read_gold, train_on

    gold_path = Path(a.gold)
    scorer = gold_path.parent / "score.py"
    lex = with_model(Lexicon.builtin(), None)  # the rules alone: nothing trained on these paragraphs
    gold = read_gold(gold_path)
    by_id = {row["id"]: row for row in gold}
    docs = {d.id: d for d in read_documents(a.texts) if d.id in by_id}
    ids = sorted(docs)
    folds = fold_of(ids, a.folds)
    rows = {pid: training_rows([(docs[pid].text, by_id[pid]["actors"])], lex) for pid in ids}
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="kg-cvp-"))
    work.mkdir(parents=True, exist_ok=True)
    combined = work / "cv_pipeline.nq"
    with combined.open("wb") as out:
        for n in range(a.folds):
            t = time.perf_counter()
            train_ids = [pid for pid in ids if folds[pid] != n]
            test_ids = [pid for pid in ids if folds[pid] == n]
            tagger = fit_tagger([f for pid in train_ids for f in rows[pid][0]],
                                [y for pid in train_ids for y in rows[pid][1]], threshold=0.55)
            tagged = with_tagger(lex, tagger)
            data = collect([by_id[pid] for pid in train_ids], [docs[pid] for pid in train_ids], tagged)
            model = train_on(data, train_ids)
            texts = work / f"fold{n}.jsonl"
            _write_texts(texts, [docs[pid] for pid in test_ids])
            build([str(texts)], work / f"fold{n}", "nq", lexicon=with_tagger(with_model(lex, model), tagger), workers=1)
            out.write((work / f"fold{n}" / "graph.nq").read_bytes())
            print(f"fold {n}: trained on {len(train_ids)}, built {len(test_ids)}, threshold {model.threshold:.2f} "
                  f"({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    all_texts = work / "all.jsonl"
    _write_texts(all_texts, [docs[pid] for pid in ids])
    build([str(all_texts)], work / "rules", "nq", lexicon=with_model(lex, None), workers=1)
    rules = _score(scorer, gold_path, work / "rules" / "graph.nq")
    learned = _score(scorer, gold_path, combined)
    text = (f"{a.folds}-fold cross-validation by paragraph over {len(ids)} paragraphs "
            f"({rules['relations']['gold']} gold relations)\n\n"
            "| extraction | relation P | R | F1 | actor F1 (P/R) | modality accuracy | denied stated as asserted | statements |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|\n"
            + _line("rules alone", rules) + "\n" + _line("rules + tagger + model", learned) + "\n")
    lines = ["", "| relation | gold | rules P | R | F1 | learned P | R | F1 |", "|---|---:|---:|---:|---:|---:|---:|---:|",
             *_relation_rows(rules, learned)]
    text += "\n".join(lines) + "\n"
    print(text)
    if a.markdown:
        Path(a.markdown).write_text(text, encoding="utf-8")
    (work / "scores.json").write_text(json.dumps({"rules": rules, "learned": learned}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
