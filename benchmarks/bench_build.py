"""End-to-end throughput of ``kg build``: documents/s, sentences/s, quads/s, peak memory, scaling.

    python benchmarks/bench_build.py                      # a corpus generated from the example
    python benchmarks/bench_build.py --docs 400 --formats ttl,nq,html
    python benchmarks/bench_build.py --corpus my_archive.jsonl --all-at-once

Each build runs in a fresh Python process (``kg`` imported first, not timed;
the lexicon load and the worker start-up are timed) while this script samples
the memory and CPU time of that process and of its worker processes. Printed, for the
corpus (1x) and for ten copies of it (10x):

- 1 worker vs 2 workers on 1x and on 10x (the speed-up of the second process:
  on 1x, a build of a second or so, the start-up both pay weighs; on 10x it
  does not);
- 10x vs 1x with 2 workers (how the time grows with the corpus);
- documents/s, sentences/s, sentences/s per worker, quads/s written (the
  lines of ``graph.nq``), sentences per CPU-second (all processes: robust
  when other programs share the machine), peak resident memory of the main
  process and of all processes together (proportional set size where the
  system gives it, so pages the forked workers share count once), and that
  per million quads.

``--all-at-once`` also times the old way (every extraction kept in a list,
then :func:`kg.export.write_outputs`) for comparison. With ``--repeat N`` the
runs go in N rounds (1 worker, 2 workers, 10x with 2 workers and with 1, 2
workers again); each ratio is taken within a round, where the load of other
programs is about the same, and the median of the rounds is printed. Nothing here is a test: the script prints
figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import generate, read_rows, write_corpus  # noqa: E402


def _child(spec: dict[str, object]) -> None:
    """Run one build in this process and print its figures as JSON (the last line of output).

    The process runs no other thread (the parent samples its memory), as a ``kg build`` does: its
    workers are forked.
    """
    import kg
    from kg.builder import extract_all
    from kg.export import write_outputs
    from kg.read import read_paths

    print("ready", flush=True)  # kg is imported: the parent starts sampling, the build starts
    t0 = time.perf_counter()
    out = Path(str(spec["out"]))
    formats = str(spec["formats"])
    if spec["mode"] == "all-at-once":
        lex = kg.Lexicon.builtin()
        extractions = extract_all(read_paths([str(spec["corpus"])]), lex)
        write_outputs(extractions, out, formats.split(","))
        docs = len(extractions)
        sentences = sum(len(x.sentences) for x in extractions)
        quads = sum(1 for _ in (out / "graph.nq").open("rb")) if (out / "graph.nq").exists() else 0
        where = "1 process, all in memory"
    else:
        lexicon = None  # the default: the shipped learned extraction
        if spec.get("model"):
            from kg.classifier import load_model, with_model

            model = str(spec["model"])
            lexicon = with_model(kg.Lexicon.builtin(), None if model == "rules" else load_model(model))
        result = kg.build([str(spec["corpus"])], out, formats, workers=int(str(spec["workers"])), lexicon=lexicon)
        docs, sentences, quads, where = result.documents, result.sentences, result.quads, result.workers
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "documents": docs, "sentences": sentences, "quads": quads,
                      "where": where}), flush=True)


#: ``--model`` of the builds (set by :func:`main`).
_MODEL: list[str] = []


def run(corpus: Path, out: Path, workers: int, formats: str, mode: str = "stream") -> dict[str, float]:
    """One build in a fresh process, its memory and CPU time sampled from here every 50 ms."""
    import psutil

    spec = {"corpus": str(corpus), "out": str(out), "workers": workers, "formats": formats, "mode": mode,
            "model": _MODEL[0] if _MODEL else None}
    child = subprocess.Popen([sys.executable, __file__, "--child", json.dumps(spec)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    if child.stdout.readline().strip() != "ready":
        sys.exit(f"build failed to start:\n{child.stderr.read()[-3000:] if child.stderr else ''}")
    me = psutil.Process(child.pid)
    peak_main = peak_total = 0
    cpu: dict[int, float] = {}
    start_cpu = sum(me.cpu_times()[:2])
    while child.poll() is None:
        try:
            procs = [me, *me.children(recursive=True)]
        except psutil.Error:
            break
        total = 0
        for p in procs:
            try:
                info = p.memory_full_info()  # PSS: pages the forked workers share count once
                times = p.cpu_times()
            except psutil.Error:
                continue
            total += getattr(info, "pss", info.rss)
            cpu[p.pid] = times.user + times.system
            if p.pid == me.pid:
                peak_main = max(peak_main, info.rss)
        peak_total = max(peak_total, total)
        time.sleep(0.05)
    stdout, stderr = child.communicate()
    if child.returncode != 0:
        sys.exit(f"build failed:\n{stderr[-3000:]}")
    figures: dict[str, float] = json.loads(stdout.strip().splitlines()[-1])
    figures.update(peak_main=peak_main, peak_total=peak_total, cpu=sum(cpu.values()) - start_cpu)
    return figures


def report(label: str, r: dict[str, float], workers: int) -> None:
    s = r["seconds"]
    print(f"{label:<26} {s:7.1f} s  {r['documents'] / s:7.1f} docs/s  {r['sentences'] / s:7.0f} sent/s  "
          f"{r['sentences'] / s / workers:6.0f} sent/s/worker  {r['quads'] / s:8.0f} quads/s  "
          f"{r['sentences'] / max(r['cpu'], 1e-9):5.0f} sent/CPU-s  "
          f"peak {r['peak_main'] / 2**20:6.0f} MB main, {r['peak_total'] / 2**20:6.0f} MB all  "
          f"({r['peak_total'] / 2**30 / max(r['quads'], 1) * 1e6:.2f} GB/M quads)")


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _typical(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run of median time (the fastest would favour short runs on a shared machine)."""
    return sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", nargs="+", help="a corpus to build (.jsonl, .txt, folders); default: generated")
    ap.add_argument("--docs", type=int, default=200, help="documents to generate from the example (default 200)")
    ap.add_argument("--formats", default="nq", help="formats to write (default nq: text -> N-Quads)")
    ap.add_argument("--copies", type=int, default=10, help="the large corpus is this many copies (default 10)")
    ap.add_argument("--repeat", type=int, default=1, help="rounds of runs; the medians are printed")
    ap.add_argument("--all-at-once", action="store_true", help="also time the all-in-memory way (1 worker, 1x)")
    ap.add_argument("--model", default=None,
                    help="as kg build --model: 'rules' (the hand rules alone), 'builtin' or a model file "
                         "(default: the shipped learned extraction); run once with 'rules' to see the model's share")
    args = ap.parse_args()
    if args.child:
        _child(json.loads(args.child))
        return
    if args.model:
        _MODEL.append(args.model)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = Path(tmp)
        rows = list(read_rows(args.corpus)) if args.corpus else list(generate(args.docs))
        n1, chars = write_corpus(rows, work / "x1.jsonl")
        n10, _ = write_corpus(rows, work / "x10.jsonl", args.copies)
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
        print(f"corpus: {n1} documents ({chars / 1e6:.2f} M characters); {args.copies}x: {n10} documents; "
              f"formats: {args.formats}; {args.repeat} round(s)")
        # Rounds of neighbouring runs: when other programs load the machine, runs close in time see
        # about the same load, so the ratios are taken within a round, then their median.
        runs: dict[str, list[dict[str, float]]] = {"old": [], "w1": [], "w2": [], "x10": [], "x10w1": []}
        speedups, big_speedups, growths = [], [], []
        x1, x10 = work / "x1.jsonl", work / "x10.jsonl"
        for _ in range(args.repeat):
            if args.all_at_once:
                runs["old"].append(run(x1, work / "old", 1, args.formats, "all-at-once"))
            w1 = run(x1, work / "w1", 1, args.formats)
            w2 = run(x1, work / "w2", 2, args.formats)
            big = run(x10, work / "x10", 2, args.formats)
            big1 = run(x10, work / "x10", 1, args.formats)
            w2_after = run(x1, work / "w2", 2, args.formats)
            runs["w1"].append(w1)
            runs["w2"] += [w2, w2_after]
            runs["x10"].append(big)
            runs["x10w1"].append(big1)
            speedups.append(w1["seconds"] / w2["seconds"])
            big_speedups.append(big1["seconds"] / big["seconds"])
            growths.append(big["seconds"] / ((w2["seconds"] + w2_after["seconds"]) / 2))
        if args.all_at_once:
            report("1x, all at once (before)", _typical(runs["old"]), 1)
        report("1x, 1 worker", _typical(runs["w1"]), 1)
        report("1x, 2 workers", _typical(runs["w2"]), 2)
        report(f"{args.copies}x, 1 worker", _typical(runs["x10w1"]), 1)
        report(f"{args.copies}x, 2 workers", _typical(runs["x10"]), 2)
        print(f"2 workers vs 1, 1x: {_median(speedups):.2f}x faster (rounds: {', '.join(f'{v:.2f}' for v in speedups)})")
        print(f"2 workers vs 1, {args.copies}x: {_median(big_speedups):.2f}x faster "
              f"(rounds: {', '.join(f'{v:.2f}' for v in big_speedups)})")
        print(f"{args.copies}x the corpus: {_median(growths):.2f}x the time "
              f"(rounds: {', '.join(f'{v:.2f}' for v in growths)})")


if __name__ == "__main__":
    main()
