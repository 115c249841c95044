"""Where extraction spends its time: pyinstrument over :func:`kg.extract` on a corpus.

    python benchmarks/profile_extract.py                   # 40 documents generated from the example
    python benchmarks/profile_extract.py --corpus my_archive.jsonl --tree

Prints sentences/s without the profiler, then the functions of ``kg`` and
camel-tools with the most time of their own (a flat profile), and with
``--tree`` the call tree. The same can be seen from outside a running build
with py-spy (``py-spy top -- kg build corpus.jsonl -o out --workers 1``),
where the machine lets py-spy attach. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import generate, read_rows  # noqa: E402

import kg  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", nargs="+", help="a corpus (.jsonl, .txt, folders); default: generated")
    ap.add_argument("--docs", type=int, default=40, help="documents to generate from the example (default 40)")
    ap.add_argument("--tree", action="store_true", help="also print the call tree")
    ap.add_argument("--top", type=int, default=25, help="lines of the flat profile (default 25)")
    args = ap.parse_args()
    from pyinstrument import Profiler

    rows = list(read_rows(args.corpus)) if args.corpus else list(generate(args.docs))
    docs = [kg.Document(r["id"], r["text"]) for r in rows]
    lex = kg.Lexicon.builtin()
    kg.extract(docs[0], lex)  # warm up (first-call imports and caches)
    t = time.perf_counter()
    sentences = sum(len(kg.extract(d, lex).sentences) for d in docs)
    seconds = time.perf_counter() - t
    print(f"{len(docs)} documents, {sentences} sentences: {sentences / seconds:.0f} sentences/s "
          f"({seconds / len(docs) * 1000:.1f} ms per document) without the profiler\n")
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for d in docs:
        kg.extract(d, lex)
    profiler.stop()
    root = profiler.last_session.root_frame() if profiler.last_session else None
    if root is None:
        sys.exit("no samples")
    total: dict[str, float] = {}
    own: dict[str, float] = {}

    def walk(frame, above: frozenset[str]) -> None:  # type: ignore[no-untyped-def]
        name = f"{frame.function}  {frame.file_path_short}:{frame.line_no}"
        if name not in above:  # recursion: count a function's time once
            total[name] = total.get(name, 0.0) + frame.time
        calls = [c for c in frame.children if c.function != "[self]"]  # pyinstrument's own-time frames
        own[name] = own.get(name, 0.0) + frame.time - sum(c.time for c in calls)
        for child in calls:
            walk(child, above | {name})

    walk(root, frozenset())
    whole = root.time
    print(f"{'total':>6} {'self':>6}  function (share of extraction time; kg and camel-tools, by total)")
    ours = [n for n in total if "kg/" in n or "camel_tools" in n]
    for name in sorted(ours, key=lambda n: -total[n])[: args.top]:
        print(f"{total[name] / whole:6.1%} {own[name] / whole:6.1%}  {name}")
    if args.tree:
        print(profiler.output_text(unicode=True, time="percent_of_total"))


if __name__ == "__main__":
    main()
