"""RDF building and serialisation speed: quads/s, on extractions made once beforehand (not timed).

    python benchmarks/bench_serialize.py                  # 100 documents generated from the example
    python benchmarks/bench_serialize.py --corpus my_archive.jsonl --repeat 5

Printed (the best of ``--repeat`` runs each):

- ``to_quads``: making the pyoxigraph quads of every document (:func:`kg.rdf.to_quads`:
  its N-Triples lines, parsed by pyoxigraph);
- ``serialize <fmt>``: pyoxigraph writing those quads in each format, from memory;
- ``kg build per document``: what a build's worker does after extraction, for
  ``nq`` alone (the N-Triples lines, the N-Quads bytes) and for the default RDF
  formats ``ttl,nq`` (also the distinct triples, parsed into pyoxigraph triples
  and written as Turtle);
- ``merge``: what the main process of a build does with those bytes (append,
  drop triples already written, write the files);
- ``write_outputs <fmt>``: the all-at-once writers of :mod:`kg.export`, for comparison.

Nothing here is a test: the script prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import pyoxigraph as ox  # noqa: E402
from corpus import generate, read_rows  # noqa: E402

import kg  # noqa: E402
from kg.builder import _Outputs, _Piece, _Plan, _process  # noqa: E402
from kg.export import write_outputs  # noqa: E402
from kg.rdf import DEFAULT_BASE, to_quads  # noqa: E402

FORMATS = {"nq": ox.RdfFormat.N_QUADS, "nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE,
           "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}


def timed(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", nargs="+", help="a corpus (.jsonl, .txt, folders); default: generated")
    ap.add_argument("--docs", type=int, default=100, help="documents to generate from the example (default 100)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = list(read_rows(args.corpus)) if args.corpus else list(generate(args.docs))
    docs = [kg.Document(r["id"], r["text"], r.get("url"), r.get("date"), r.get("title")) for r in rows]
    lex = kg.Lexicon.builtin()
    extractions = [kg.extract(d, lex) for d in docs]
    quads = [q for ex in extractions for q in to_quads(ex)]
    n = len(quads)
    print(f"{len(docs)} documents, {sum(len(x.sentences) for x in extractions)} sentences, {n} quads")

    def line(label: str, seconds: float) -> None:
        print(f"{label:<32} {n / seconds:>10,.0f} quads/s   ({seconds:.3f} s)")

    line("to_quads", timed(lambda: [q for ex in extractions for q in to_quads(ex)], args.repeat))
    for name, fmt in FORMATS.items():
        items: list[ox.Quad] | list[ox.Triple] = quads
        if name in ("nt", "ttl"):
            items = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
        prefixes = {"kg": "https://w3id.org/rawabit/ontology#", "actor": DEFAULT_BASE + "actor/"}

        def write(items: list[ox.Quad] | list[ox.Triple] = items, fmt: ox.RdfFormat = fmt,
                  prefixes: dict[str, str] | None = prefixes if name in ("ttl", "trig") else None) -> None:
            ox.serialize(items, io.BytesIO(), format=fmt, prefixes=prefixes)

        line(f"serialize {name}", timed(write, args.repeat))

    plan = _Plan(DEFAULT_BASE, ("ttl", "nq"))
    from kg import builder

    real_extract = builder.extract
    by_id = {ex.document.id: ex for ex in extractions}
    builder.extract = lambda doc, lex: by_id[doc.id]  # type: ignore[assignment]  # time what follows extraction
    try:
        nq_only = _Plan(DEFAULT_BASE, ("nq",))
        line("kg build per document (nq)", timed(lambda: [_process(d, lex, nq_only) for d in docs], args.repeat))
        pieces: list[_Piece] = []
        line("kg build per document (ttl,nq)",
             timed(lambda: pieces.__setitem__(slice(None), [_process(d, lex, plan) for d in docs]), args.repeat))
    finally:
        builder.extract = real_extract

    def merge() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            out = _Outputs(tmp, plan)
            out.add(pieces)
            out.commit()

    line("merge (ttl,nq)", timed(merge, args.repeat))
    for name in ("nq", "ttl"):
        def old(name: str = name) -> None:
            with tempfile.TemporaryDirectory() as tmp:
                write_outputs(extractions, tmp, [name])

        line(f"write_outputs {name} (all at once)", timed(old, args.repeat))


if __name__ == "__main__":
    main()
