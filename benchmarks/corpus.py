"""Benchmark corpora: generated from the example article, or copied from a corpus you give, N times.

    python benchmarks/corpus.py --docs 200 -o bench/corpus.jsonl
    python benchmarks/corpus.py --from my_archive.jsonl --copies 10 -o bench/x10.jsonl

A generated document is a seeded selection of the example's paragraphs in a
seeded order (3 to 8 of its 8 paragraphs), so documents differ but read like
the article; ``--copies K`` repeats a corpus K times under new ids
(``<id>~k``), which is exactly K times the work: the 10x corpus of
``bench_build.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ghouta_ar.txt"


def generate(docs: int, seed: int = 2018) -> Iterator[dict[str, str]]:
    """``docs`` JSONL rows made from the example article's paragraphs."""
    paragraphs = [p for p in EXAMPLE.read_text(encoding="utf-8-sig").split("\n") if p.strip()]
    rng = random.Random(seed)
    for n in range(docs):
        k = rng.randint(min(3, len(paragraphs)), len(paragraphs))
        chosen = rng.sample(paragraphs, k)
        yield {"id": f"bench-{n:06d}", "text": "\n".join(chosen), "date": f"2018-03-{1 + n % 28:02d}"}


def read_rows(paths: list[str]) -> Iterator[dict[str, str]]:
    """The documents of a corpus (any ``kg build`` input) as JSONL rows."""
    sys.path.insert(0, str(ROOT))
    from kg.read import read_paths

    for doc in read_paths(paths):
        row = {"id": doc.id, "text": doc.text}
        row.update({k: v for k, v in (("url", doc.url), ("date", doc.date), ("title", doc.title)) if v})
        yield row


def write_corpus(rows: list[dict[str, str]], out: Path, copies: int = 1) -> tuple[int, int]:
    """Write ``rows`` ``copies`` times under distinct ids; returns (documents, characters)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    n = chars = 0
    with out.open("w", encoding="utf-8") as fh:
        for k in range(copies):
            for row in rows:
                copy = dict(row, id=row["id"] if copies == 1 else f"{row['id']}~{k}")
                fh.write(json.dumps(copy, ensure_ascii=False) + "\n")
                n += 1
                chars += len(row["text"])
    return n, chars


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--docs", type=int, default=200, help="documents to generate from the example (default 200)")
    src.add_argument("--from", dest="inputs", nargs="+", help="a corpus to copy instead (.jsonl, .txt, folders)")
    ap.add_argument("--copies", type=int, default=1, help="write the corpus this many times, under new ids")
    ap.add_argument("--seed", type=int, default=2018)
    ap.add_argument("-o", "--output", type=Path, required=True, help="the JSONL file to write")
    args = ap.parse_args()
    rows = list(read_rows(args.inputs)) if args.inputs else list(generate(args.docs, args.seed))
    n, chars = write_corpus(rows, args.output, args.copies)
    print(f"wrote {args.output}: {n} documents, {chars / 1e6:.1f} M characters")


if __name__ == "__main__":
    main()
