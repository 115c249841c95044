"""Big inputs: memory of reading a large ``.jsonl``, and time and memory of one huge document.

    python benchmarks/bench_inputs.py
    python benchmarks/bench_inputs.py --jsonl-mb 200 --txt-mb 1 2 4 --sentence-chars 5000 20000 40000

Printed:

- reading a ``.jsonl`` of ``--jsonl-mb`` MB with :func:`kg.read.read_paths`
  (no extraction): MB/s and the peak of Python's own allocations
  (tracemalloc), which stays near the longest line, not the file;
- ``kg build`` of a ``.txt`` holding the example article repeated on one line,
  ``--txt-mb`` MB each, in a fresh process: seconds, sentences and the peak
  resident memory of the process (a document is extracted whole, so this grows
  with the document);
- :func:`kg.extract` of one sentence without any sentence boundary of
  ``--sentence-chars`` characters: seconds, to see how the time grows with the
  length of a sentence.

Nothing here is a test: the script prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "examples" / "ghouta_ar.txt"


def _article() -> str:
    return " ".join(p.strip() for p in EXAMPLE.read_text(encoding="utf-8-sig").split("\n") if p.strip())


def bench_jsonl(folder: Path, mb: float) -> None:
    from kg.read import read_paths

    article = _article()
    path = folder / "big.jsonl"
    size = 0
    with path.open("w", encoding="utf-8") as fh:
        n = 0
        while size < mb * 1e6:
            line = json.dumps({"id": f"d{n}", "text": article}, ensure_ascii=False) + "\n"
            fh.write(line)
            size += len(line.encode())
            n += 1
    tracemalloc.start()
    t0 = time.perf_counter()
    docs = sum(1 for _ in read_paths([str(path)]))
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"read {size / 1e6:.0f} MB .jsonl ({docs} documents): {size / 1e6 / seconds:.0f} MB/s, "
          f"Python memory peak {peak / 1e6:.1f} MB (longest line {len(line.encode()) / 1e6:.3f} MB)")


def bench_txt(folder: Path, mb: float) -> None:
    article = _article()
    copies = int(mb * 1e6 / len(article.encode())) + 1
    path = folder / "long.txt"
    path.write_text(" ".join([article] * copies), encoding="utf-8")
    code = ("import resource, sys, time, kg\n"
            "t0 = time.perf_counter()\n"
            "r = kg.build([sys.argv[1]], sys.argv[2], 'nq', workers=1)\n"
            "print(time.perf_counter() - t0, r.sentences, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    done = subprocess.run([sys.executable, "-c", code, str(path), str(folder / "out")], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    seconds, sentences, rss_kb = done.stdout.split()
    scale = 1024 if sys.platform == "darwin" else 1  # ru_maxrss: bytes on macOS, KiB elsewhere
    print(f"build of a {path.stat().st_size / 1e6:.1f} MB one-line .txt: {float(seconds):.1f} s, "
          f"{sentences} sentences, peak resident memory {int(rss_kb) * 1024 / scale / 1e6:.0f} MB")


def bench_sentence(chars: int) -> None:
    import kg

    lex = kg.Lexicon.builtin()
    text = re.sub(r"[.!?\u061f\n]", " ", _article())
    text = (text * (chars // len(text) + 1))[:chars]
    t0 = time.perf_counter()
    ex = kg.extract(kg.Document("long", text), lex)
    print(f"extract one sentence of {chars} characters without a boundary ({len(ex.sentences)} sentence): "
          f"{time.perf_counter() - t0:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jsonl-mb", type=float, default=50, help="size of the .jsonl read (MB)")
    parser.add_argument("--txt-mb", type=float, nargs="*", default=[0.5, 1, 2], help="sizes of the one-line .txt (MB)")
    parser.add_argument("--sentence-chars", type=int, nargs="*", default=[2500, 5000, 10000, 20000],
                        help="lengths of the sentence without a boundary (characters)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_jsonl(folder, args.jsonl_mb)
        for mb in args.txt_mb:
            bench_txt(folder, mb)
    for chars in args.sentence_chars:
        bench_sentence(chars)
    print(f"(this process: peak resident memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KiB)")


if __name__ == "__main__":
    main()
