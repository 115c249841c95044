"""``kg build``: inputs -> extractions -> output files, with a summary.

Documents stream from the inputs through one per-document function,
:func:`_process` (:func:`kg.pipeline.extract`, then the document's named graph
serialised in each RDF format asked for), run

- in this process (``workers=1``, or a handful of documents);
- in ``workers`` processes (:class:`~concurrent.futures.ProcessPoolExecutor`),
  a few documents per task and a bounded number of tasks in flight;
- on a Dask cluster (``dask=SCHEDULER``, :mod:`kg.distributed`).

Results are merged in input order as they arrive, so the files are
byte-identical whatever the number of workers. The merge appends each
document's bytes to temporary files in the output folder and renames them
into place only when every file is complete (all or nothing, as
:func:`kg.export.write_outputs`). Memory is bounded by the graph, not by the
corpus text: besides the documents in flight, the merge keeps only the
triples shared between documents (actor labels, direct relations: written
once in ``graph.ttl`` and ``graph.nt``) and what ``graph.html`` shows
(:class:`kg.html.PageGraph`); ``edges.csv`` is appended to as documents arrive.
Only for ``graph.graphml`` does it keep each extraction to the end, without its
text, tokens and mentions, and with only the sentences its statements cite.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
import traceback
import warnings
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

import pyoxigraph as ox

from .errors import ExportError, ExtractionError, InputError, KGError, _interrupt_deferred
from .export import (
    DEFAULT_FORMATS,
    FORMATS,
    _check_top,
    _csv_head,
    _csv_rows,
    _rdf_header,
    _writer,
    check_base,
    relation_labels,
    resolve_formats,
)
from .lexicon import Lexicon
from .model import Actor, Document, Extraction, Sentence
from .pipeline import extract
from .rdf import DEFAULT_BASE, _lines, document_iri
from .read import read_paths
from .text import is_arabic

if TYPE_CHECKING:
    from .html import PageGraph
    from .store import StoreLoad, StoreWriter

__all__ = ["BuildResult", "Failure", "FAILED_FILE", "build", "extract_all"]

#: The RDF formats written document by document as results arrive.
_RDF_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE,
}
_DATASET_FORMATS = ("nq", "trig", "jsonld")  # one named graph per document: every quad as is
_GRAPH_FORMATS = ("nt", "ttl")  # one graph: a triple several documents state is written once

#: The file of an output folder that lists the documents a build left out because extracting them raised:
#: each input row with ``error`` and ``traceback`` added, a JSONL file ``kg build`` reads again.
FAILED_FILE = "failed.jsonl"

#: Below this many documents a default build runs in this process (starting workers costs seconds).
_SMALL_INPUT = 8
#: A task of the process pool: at most this many documents or characters of text.
_CHUNK_DOCS, _CHUNK_CHARS = 16, 32_000


@dataclass
class BuildResult:
    """What a build produced."""

    documents: int = 0
    """Documents read."""
    actors: int = 0
    """Distinct actors and places in the graph."""
    statements: int = 0
    """Statements written (after folding repeats)."""
    by_relation: Counter[str] = field(default_factory=Counter)
    """Statements per relation."""
    by_modality: Counter[str] = field(default_factory=Counter)
    """Statements per modality."""
    files: list[Path] = field(default_factory=list)
    """Files written."""
    warnings: list[str] = field(default_factory=list)
    """Things the user should know (documents with no Arabic text …)."""
    sentences: int = 0
    """Sentences read."""
    quads: int = 0
    """Quads of the dataset (the lines of ``graph.nq``)."""
    seconds: float = 0.0
    """Wall time of the build."""
    workers: str = "1 process"
    """Where extraction ran: ``"1 process"``, ``"2 processes"`` or ``"dask tcp://…"``."""
    stored: StoreLoad | None = None
    """What went into the persistent store (``store=``), when one was given."""
    failed: list[Failure] = field(default_factory=list)
    """Documents whose extraction raised, left out of every output (listed in ``failed.jsonl``)."""

    def summary(self) -> str:
        """A short human-readable summary."""
        lines = [
            f"documents: {self.documents}   actors: {self.actors}   statements: {self.statements}",
        ]
        if self.failed:
            lines.append(f"failed: {len(self.failed)} document{'s' if len(self.failed) > 1 else ''} left out, "
                         f"listed in {FAILED_FILE} (build it again with kg build {FAILED_FILE})")
        if self.by_relation:
            rels = ", ".join(f"{k} {v}" for k, v in sorted(self.by_relation.items(), key=lambda kv: (-kv[1], kv[0])))
            lines.append(f"by relation: {rels}")
        if self.by_modality:
            mods = ", ".join(f"{k} {v}" for k, v in sorted(self.by_modality.items()))
            lines.append(f"by modality: {mods}")
        if self.seconds > 0:
            lines.append(
                f"{self.seconds:.1f} s on {self.workers}: {self.documents / self.seconds:.1f} documents/s, "
                f"{self.sentences / self.seconds:.0f} sentences/s, {self.quads / self.seconds:.0f} quads/s"
            )
        lines.extend(f"wrote {p}" for p in self.files)
        if self.stored is not None:
            lines.append(self.stored.summary())
        return "\n".join(lines)


def extract_all(
    documents: Iterable[Document], lex: Lexicon, on_document: Callable[[Document], None] | None = None
) -> list[Extraction]:
    """Extract every document in order (in this process, all held in memory)."""
    out = []
    for doc in documents:
        out.append(extract(doc, lex))
        if on_document is not None:
            on_document(doc)
    return out


# --- the per-document function ----------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """What each document's result must carry, from the formats asked for."""

    base: str
    formats: tuple[str, ...]
    shards: bool = False
    store: bool = False
    """Documents also go into a store (from their N-Quads)."""

    @property
    def datasets(self) -> tuple[str, ...]:
        return tuple(f for f in _DATASET_FORMATS
                     if f in self.formats or (f == "nq" and (self.shards or self.store)))

    @property
    def graphs(self) -> tuple[str, ...]:
        return tuple(f for f in _GRAPH_FORMATS if f in self.formats)

    @property
    def views(self) -> tuple[str, ...]:
        """Formats written from extractions at the end (``html`` …)."""
        return tuple(f for f in self.formats if f not in _RDF_FORMATS)


@dataclass(frozen=True)
class _Run:
    """Consecutive distinct triples of a document, all about its own nodes or all shared."""

    shared: bool
    """About actors, places or relations between them: other documents may state the same triples."""
    nt: bytes
    """The triples as N-Triples, one per line (always for a shared run: its lines are the keys of the merge)."""
    ttl: bytes
    """The triples as Turtle, without the prefix lines."""


@dataclass(frozen=True)
class _Piece:
    """One document's result: its counts and its bytes in each format asked for."""

    id: str
    arabic: bool
    sentences: int
    quads: int
    actors: tuple[str, ...]
    statements: tuple[tuple[str, str], ...]
    """(relation, modality) of each statement."""
    warnings: tuple[tuple[type[Warning], str], ...]
    heads: dict[str, bytes]
    """Prefix lines the serializer starts ``ttl`` and ``trig`` with (the same for every document)."""
    bodies: dict[str, bytes]
    """``nq``, ``trig`` and ``jsonld`` bytes of the document's graph (``trig`` without its prefix lines,
    ``jsonld`` without its brackets)."""
    runs: tuple[_Run, ...]
    """The document's distinct triples for ``nt`` and ``ttl``."""
    view: Extraction | None
    """The reduced extraction for formats written from extractions."""
    failure: Failure | None = None
    """Why extracting the document raised; the document then has no graph."""


@dataclass(frozen=True)
class Failure:
    """A document whose extraction raised: the build went on without it."""

    id: str
    """The document's id."""
    origin: str | None
    """Where it was read (``file.jsonl:17``)."""
    error: str
    """The exception's type name."""
    message: str
    """The exception's message."""
    traceback: str
    """The formatted traceback, for a bug report."""

    def line(self, outcome: str = "left out") -> str:
        """One line that names the document, where it was read, the outcome and the error."""
        where = f" ({self.origin})" if self.origin else ""
        return f"document {self.id!r}{where} could not be extracted, {outcome}: {self.error}: {self.message}"


class _FormatError(ExportError):
    """Serialising a document for format ``name`` failed with an OSError (reported against its file)."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(name, reason)
        self.name, self.reason = name, reason


def _serialize(items: Iterable[ox.Quad] | Iterable[ox.Triple], name: str, fmt: str, base: str) -> bytes:
    buf = io.BytesIO()
    try:
        ox.serialize(items, buf, format=_RDF_FORMATS[fmt], prefixes=_rdf_header(_RDF_FORMATS[fmt], base)[1])
    except OSError as err:
        raise _FormatError(name, str(err.strerror or err)) from err
    return buf.getvalue()


def _split_head(data: bytes) -> tuple[bytes, bytes]:
    """(the ``@prefix`` lines, the rest) of a Turtle or TriG serialisation."""
    i = 0
    while data.startswith(b"@prefix ", i):
        i = data.index(b"\n", i) + 1
    return data[:i], data[i:]


def _runs(lines: list[str], g: ox.NamedNode, plan: _Plan, heads: dict[str, bytes]) -> tuple[_Run, ...]:
    own, own_frag = str(g), str(g)[:-1] + "#"
    groups: list[tuple[bool, list[str]]] = []
    seen: set[str] = set()
    last, shared = "", False
    for line in lines:
        if line in seen:
            continue  # each distinct triple once, first occurrence first (one line per triple and back)
        seen.add(line)
        subject = line[: line.index(" ")]
        if subject != last:  # a node's triples come together
            last = subject
            shared = not (subject == own or subject.startswith(own_frag))
        if not groups or groups[-1][0] != shared:
            groups.append((shared, []))
        groups[-1][1].append(line)
    runs = []
    graphs = plan.graphs
    for shared, group in groups:
        nt = "".join([line + " .\n" for line in group]).encode() if shared or "nt" in graphs else b""
        ttl = b""
        if "ttl" in graphs:
            data = nt or "".join([line + " .\n" for line in group]).encode()
            # parsed straight into the writer: a list of the parsed triples costs a third more
            triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
            heads["ttl"], ttl = _split_head(_serialize(triples, "ttl", "ttl", plan.base))
        runs.append(_Run(shared, nt, ttl))
    return tuple(runs)


def _view(ex: Extraction) -> Extraction:
    cited = {i for st in ex.statements for i in st.sentences}
    doc = ex.document
    return Extraction(
        Document(doc.id, "", doc.url, doc.date, doc.title),
        tuple(Sentence(s.index, s.start, s.end, s.text) for s in ex.sentences if s.index in cited),
        ex.actors,
        (),
        ex.statements,
    )


def _process(doc: Document, lex: Lexicon, plan: _Plan) -> _Piece:
    """Extract one document and serialise its graph for the plan: the function mapped over a corpus."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ex = extract(doc, lex)
        g = document_iri(doc.id, plan.base)
        lines = list(_lines(ex, g, plan.base))
    heads: dict[str, bytes] = {}
    bodies: dict[str, bytes] = {}
    datasets = plan.datasets
    end = f" {g} .\n"
    nq = (end.join(lines) + end).encode() if datasets else b""
    if "nq" in datasets:
        bodies["nq"] = nq
    if "trig" in datasets or "jsonld" in datasets:
        quads = list(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
        for name in ("trig", "jsonld"):
            if name in datasets:
                data = _serialize(quads, name, name, plan.base)
                if name == "jsonld":
                    bodies[name] = data[1:-1]  # "[{graph}]": the merge writes "[", the graphs with ",", "]"
                else:
                    heads[name], bodies[name] = _split_head(data)
    runs = _runs(lines, g, plan, heads) if plan.graphs else ()
    return _Piece(
        doc.id,
        is_arabic(doc.text),
        len(ex.sentences),
        len(lines),
        tuple(a.key for a in ex.actors),
        tuple((st.predicate, st.modality) for st in ex.statements),
        tuple((w.category, str(w.message)) for w in caught),
        heads,
        bodies,
        runs,
        _view(ex) if plan.views else None,
    )


def _process_or_fail(doc: Document, lex: Lexicon, plan: _Plan) -> _Piece:
    """:func:`_process`, with an exception of the extractor returned as the document's failure.

    One document that trips a bug must not cost the corpus: the merge leaves it out and
    lists it in ``failed.jsonl``. An error raised on purpose (:class:`KGError`: a base that
    mints no IRI, a serialiser's OSError) stays the build's error.
    """
    try:
        return _process(doc, lex, plan)
    except KGError:
        raise
    except Exception as err:  # noqa: BLE001 - any bug of one document's extraction
        failure = Failure(doc.id, doc.origin, type(err).__name__, _one_line(str(err)),
                          "".join(traceback.format_exception(err)))
        return _Piece(doc.id, False, 0, 0, (), (), (), {}, {}, (), None, failure)


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _process_all(docs: Sequence[Document], lex: Lexicon, plan: _Plan) -> list[_Piece]:
    return [_process_or_fail(doc, lex, plan) for doc in docs]


def _in_order(
    submitted: Iterable[tuple[list[Document], Any]], pending: deque[tuple[list[Document], Any]], limit: int
) -> Iterator[tuple[list[Document], Any]]:
    """Results of submitted tasks in submission order, with at most ``limit`` in flight.

    ``pending`` is the caller's, so it can cancel what is left if the build stops early.
    Works for ``concurrent.futures`` and ``dask.distributed`` futures alike (both have ``result()``).
    """
    for item in submitted:
        pending.append(item)
        if len(pending) >= limit:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()


def _chunks(docs: Iterable[Document], max_docs: int, max_chars: int, first: int = 0) -> Iterator[list[Document]]:
    """Documents in order, grouped: the ``first`` ones alone, then up to ``max_docs`` or ``max_chars``."""
    it = iter(docs)
    for doc in islice(it, first):
        yield [doc]
    chunk: list[Document] = []
    chars = 0
    for doc in it:
        chunk.append(doc)
        chars += len(doc.text)
        if len(chunk) >= max_docs or chars >= max_chars:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


# --- running it: in this process or in a pool of processes ------------------

# The lexicon of a pool worker process, set once by _start_worker (the pool's initializer).
_WORKER_LEXICON: list[Lexicon] = []


def _start_worker(lex: Lexicon) -> None:
    # Ctrl-C and SIGTERM are the main process's to handle: it stops the pool. A worker that ended on
    # SIGTERM (sent to every process of the job) while it sent a result would leave the pool waiting
    # forever for the rest of that message.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _WORKER_LEXICON[:] = [lex]


def _submit(pool: ProcessPoolExecutor, chunk: list[Document], plan: _Plan) -> Future[list[_Piece]]:
    """``pool.submit(_work, …)``, which may start worker processes, with Ctrl-C and SIGTERM held back until it returns.

    Stopped halfway, it could leave a started worker the pool does not know, waiting
    forever. The processes it starts (and a fork server, which takes seconds to import
    kg) inherit SIGINT and SIGTERM blocked, so a Ctrl-C or SIGTERM sent to every process
    of the job never prints a worker's traceback: this process alone handles it, stopping the pool.
    """
    with _interrupt_deferred():
        if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
            return pool.submit(_work, chunk, plan)
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            return pool.submit(_work, chunk, plan)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _work(docs: list[Document], plan: _Plan) -> list[_Piece]:
    return _process_all(docs, _WORKER_LEXICON[0], plan)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def _single_threaded() -> bool:
    """True when this process runs one thread (Linux; elsewhere: unknown, so False)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _pool_context() -> multiprocessing.context.BaseContext:
    # Fork when it is safe, a process with one thread: workers start at once, sharing this
    # process's imports and lexicon. A thread (a progress bar's monitor, Dask, the caller's) may hold
    # a lock when fork copies the process, so otherwise a fork server: it imports kg once (camel-tools
    # takes seconds to import) and the workers fork from it.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and _single_threaded():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["kg.builder"])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


def _map_local(docs: Iterable[Document], lex: Lexicon, plan: _Plan,
               workers: int) -> Generator[tuple[list[Document], list[_Piece]], None, None]:
    """(documents, their results) in input order, extracted in this process or in ``workers`` processes."""
    if workers <= 1:
        for doc in docs:
            yield [doc], [_process_or_fail(doc, lex, plan)]
        return
    pool = ProcessPoolExecutor(workers, mp_context=_pool_context(), initializer=_start_worker, initargs=(lex,))
    pending: deque[tuple[list[Document], Future[list[_Piece]]]] = deque()
    try:
        # The first tasks hold one document each, so every worker starts at once and small inputs spread.
        submitted = ((chunk, _submit(pool, chunk, plan))
                     for chunk in _chunks(docs, _CHUNK_DOCS, _CHUNK_CHARS, first=2 * workers))
        yield from _in_order(submitted, pending, 4 * workers)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# --- the merge: output files written as results arrive ----------------------


class _Outputs:
    """The output files of one build: temporary files appended to, renamed into place together."""

    def __init__(self, outdir: str | os.PathLike[str], plan: _Plan, top: int | None = None) -> None:
        self.plan = plan
        self.top = top  # the actors kept in graph.html (None: all)
        self.out = Path(outdir)
        if self.out.exists() and not self.out.is_dir():
            raise ExportError(f"output path {str(self.out)!r} exists and is not a folder; choose another -o")
        self.staged: list[tuple[str, Path]] = []
        self.files: dict[str, IO[bytes]] = {}
        self.paths: dict[str, Path] = {}
        self.started: set[str] = set()
        self.seen: set[bytes] = set()  # the shared triples written so far, as N-Triples lines
        # graph.html is folded in and edges.csv appended to document by document; graph.graphml,
        # a document with every node before every edge, is written from the documents' views at the end
        self.labels = relation_labels() if {"csv", "html"} & set(plan.views) else {}
        self.page: PageGraph | None = None
        if "html" in plan.views:
            from .html import PageGraph  # pyvis and networkx, only for the page

            self.page = PageGraph()
        self.views: list[Extraction] = []
        self.actors: dict[Actor, Actor] = {}
        self.shard_dir: Path | None = None
        self.shards = 0
        self.failed: IO[bytes] | None = None  # failed.jsonl, staged when the first document fails
        self.committed = False
        # Folders this build makes, removed again if it fails: a failed build leaves no trace.
        self.made = [p for p in (self.out, *self.out.parents) if not p.exists()]
        path = self.out
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            for name in plan.formats:
                path = self.paths[name] = self.out / FORMATS[name].filename
                if path.exists() and not path.is_file():
                    raise ExportError(f"cannot write {str(path)!r}: it exists and is not a file; move it away")
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=self.out)
                self.staged.append((tmp, path))
                os.chmod(tmp, 0o666 & ~_umask())
                self.files[name] = os.fdopen(fd, "wb")
                if name in _RDF_FORMATS:
                    self.files[name].write(_rdf_header(_RDF_FORMATS[name], plan.base)[0])
                elif name == "csv":
                    self.files[name].write(_csv_head())
            if plan.shards:
                path = self.out / "shards"
                if path.exists() and not path.is_dir():
                    raise ExportError(f"cannot write shards into {str(path)!r}: it is a file; move it away")
                self.shard_dir = Path(tempfile.mkdtemp(prefix=".shards.", suffix=".part", dir=self.out))
        except OSError as err:
            self.discard()
            raise ExportError(f"cannot write {str(path)!r}: {err.strerror or err}; check the folder and free space") from err
        except BaseException:
            self.discard()
            raise

    def _write(self, name: str, data: bytes) -> None:
        try:
            self.files[name].write(data)
        except OSError as err:
            raise self._error(name, err.strerror or str(err)) from err

    def _error(self, name: str, reason: str) -> ExportError:
        path = self.paths.get(name, self.out / name)
        return ExportError(f"cannot write {str(path)!r}: {reason}; check the folder and free space")

    def fail(self, doc: Document, failure: Failure) -> None:
        """List a document whose extraction raised in ``failed.jsonl``: its input row, the error and traceback."""
        path = self.out / FAILED_FILE
        try:
            if self.failed is None:
                if path.exists() and not path.is_file():
                    raise ExportError(f"cannot write {str(path)!r}: it exists and is not a file; move it away")
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=self.out)
                self.staged.append((tmp, path))
                os.chmod(tmp, 0o666 & ~_umask())
                self.failed = self.files[FAILED_FILE] = os.fdopen(fd, "wb")
            row: dict[str, str] = {"id": doc.id, "text": doc.text}
            row.update((k, v) for k, v in (("url", doc.url), ("date", doc.date), ("title", doc.title)) if v)
            if doc.origin:
                row["input"] = doc.origin
            row.update(error=f"{failure.error}: {failure.message}", traceback=failure.traceback)
            self.failed.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
        except OSError as err:
            raise ExportError(f"cannot write {str(path)!r}: {err.strerror or err}; check the folder and free space") from err

    def add(self, pieces: Sequence[_Piece]) -> None:
        """Append the documents' bytes to every file (and, for a Dask partition, write its shard)."""
        for piece in pieces:
            for name in self.plan.datasets:
                if name not in self.files:
                    continue
                if name == "jsonld":
                    self._write(name, b"," if name in self.started else b"[")
                elif name not in self.started and name in piece.heads:  # TriG's prefix lines
                    self._write(name, piece.heads[name])
                self.started.add(name)
                self._write(name, piece.bodies[name])
            if piece.runs:
                self._add_runs(piece)
            if piece.view is not None:
                view = piece.view
                if self.page is not None:
                    self.page.add(view)
                if "csv" in self.files:
                    self._write("csv", _csv_rows(view, self.labels, self.plan.base))
                if "graphml" in self.plan.views:
                    actors = tuple(self.actors.setdefault(a, a) for a in view.actors)  # one object per distinct actor
                    self.views.append(Extraction(view.document, view.sentences, actors, (), view.statements))
        if self.shard_dir is not None:
            path = self.shard_dir / f"part-{self.shards:05d}.nq"
            try:
                path.write_bytes(b"".join(p.bodies["nq"] for p in pieces))
            except OSError as err:
                raise ExportError(f"cannot write shard {str(path)!r}: {err.strerror or err}; "
                                  "check the folder and free space") from err
            self.shards += 1

    def _add_runs(self, piece: _Piece) -> None:
        graphs = self.plan.graphs
        if "ttl" in graphs and "ttl" not in self.started:
            self._write("ttl", piece.heads["ttl"])
            self.started.add("ttl")
        for run in piece.runs:
            if not run.shared:
                if "nt" in graphs:
                    self._write("nt", run.nt)
                if "ttl" in graphs:
                    self._write("ttl", run.ttl)
                continue
            lines = run.nt.splitlines(keepends=True)
            new = [line for line in lines if line not in self.seen]
            if not new:
                continue
            self.seen.update(new)
            if "nt" in graphs:
                self._write("nt", b"".join(new))
            if "ttl" in graphs:
                if len(new) == len(lines):
                    self._write("ttl", run.ttl)
                else:  # some of these triples were written before: serialise the others
                    triples = ox.parse(b"".join(new), ox.RdfFormat.N_TRIPLES)
                    try:
                        data = _serialize(triples, "ttl", "ttl", self.plan.base)
                    except _FormatError as err:
                        raise self._error("ttl", err.reason) from err
                    self._write("ttl", _split_head(data)[1])

    def commit(self) -> list[Path]:
        """Finish every file and rename them all into place; returns the files written."""
        try:
            if "jsonld" in self.files:
                self._write("jsonld", b"]" if "jsonld" in self.started else b"[]")
            for name in self.plan.views:
                try:
                    if name == "html" and self.page is not None:
                        self._write(name, self.page.page(self.labels, top=self.top).encode("utf-8"))
                        continue
                    if name == "csv":
                        continue  # written as the documents came
                    _writer(name, self.top)(self.views, (), self.files[name], self.plan.base)
                except OSError as err:
                    raise self._error(name, err.strerror or str(err)) from err
            for name, fh in self.files.items():
                try:
                    fh.close()
                except OSError as err:
                    raise self._error(name, err.strerror or str(err)) from err
            with _interrupt_deferred():  # Ctrl-C waits until every file is in place
                for tmp, path in self.staged:
                    os.replace(tmp, path)
                if self.failed is None:  # an earlier build's list of failures no longer holds
                    stale = self.out / FAILED_FILE
                    if stale.is_file():
                        stale.unlink()
                if self.shard_dir is not None:
                    self._replace_shards()
                self.committed = True
        except OSError as err:
            raise ExportError(f"cannot write into {str(self.out)!r}: {err.strerror or err}; "
                              "check the folder and free space") from err
        finally:
            self.discard()
        files = [path for _, path in self.staged]
        return files + ([self.out / "shards"] if self.plan.shards else [])

    def _replace_shards(self) -> None:
        assert self.shard_dir is not None
        target = self.out / "shards"
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=".shards.old.", suffix=".part", dir=self.out))
            os.replace(target, old / "shards")
        os.replace(self.shard_dir, target)
        self.shard_dir = None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        """Close and remove whatever is still temporary."""
        for fh in self.files.values():
            try:
                fh.close()
            except OSError:
                pass
        for tmp, _ in self.staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        if self.shard_dir is not None:
            shutil.rmtree(self.shard_dir, ignore_errors=True)
            self.shard_dir = None
        if not self.committed:
            for folder in self.made:
                try:
                    folder.rmdir()
                except OSError:
                    break
            self.made = []


def _store_writer(store: str | os.PathLike[str] | None) -> StoreWriter | None:
    if store is None:
        return None
    from .store import StoreWriter

    return StoreWriter(store)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- build ------------------------------------------------------------------


def build(
    inputs: Sequence[str],
    outdir: str | os.PathLike[str],
    formats: str | Sequence[str] = DEFAULT_FORMATS,
    *,
    base: str = DEFAULT_BASE,
    lexicon: Lexicon | None = None,
    stdin: BinaryIO | None = None,
    on_document: Callable[[Document], None] | None = None,
    workers: int | None = None,
    dask: str | None = None,
    partition_size: int = 200,
    store: str | os.PathLike[str] | None = None,
    top: int | None = None,
    fail_fast: bool = False,
    on_failure: Callable[[Failure], None] | None = None,
) -> BuildResult:
    """Build the knowledge graph of the inputs and write it into ``outdir``.

    Args:
        inputs: ``.txt``/``.jsonl`` files, folders, or ``"-"`` for stdin.
        outdir: the output folder (created when missing).
        formats: format names (``"ttl,nq,html"``, ``["all"]`` …).
        base: the instance namespace.
        lexicon: the lexicons (default: the packaged ones).
        stdin: where ``"-"`` reads from.
        on_document: called after each document is merged (progress).
        workers: processes that extract (default: every core; a handful of
            documents is extracted in this process). With ``dask="local"``:
            the local cluster's worker processes. Where workers cannot be
            forked from the caller (macOS, Windows, a caller running
            threads), a script calling ``build`` needs the usual
            ``if __name__ == "__main__":`` guard of multiprocessing.
        dask: a Dask scheduler address (``tcp://host:8786``) or ``"local"``
            to run on a Dask cluster (see :mod:`kg.distributed`); also
            writes ``shards/part-NNNNN.nq``, one per partition.
        partition_size: documents per Dask partition (and shard).
        store: an Oxigraph store folder (created when missing) that the
            documents are added to when the build succeeds, each replacing
            its earlier named graph (see :class:`kg.store.StoreWriter`).
        top: keep only this many actors, those of highest degree, in
            ``graph.html`` (which ``formats`` must include); every other
            file stays complete.
        fail_fast: stop at the first document whose extraction raises
            (:class:`ExtractionError`, nothing written) instead of leaving it
            out, listing it in ``failed.jsonl`` and going on.
        on_failure: called with each document left out, as it is left out.

    Raises:
        InputError: bad input or option; ExportError: bad format or unwritable output;
        LexiconError; KGError: Dask missing or its scheduler unreachable;
        StoreError: the store cannot be opened or written; ExtractionError:
        a document's extraction raised and ``fail_fast`` was set.
    """
    started = time.perf_counter()
    names = resolve_formats(formats)  # fail on a bad format, base or option before any work
    check_base(base)
    _check_top(top, names)
    if workers is not None and workers < 1:
        raise InputError(f"workers must be at least 1, got {workers!r}; use --workers 1 for one process")
    if partition_size < 1:
        raise InputError(f"partition_size must be at least 1, got {partition_size!r}")
    lex = lexicon or Lexicon.builtin()
    plan = _Plan(base, tuple(names), shards=dask is not None, store=store is not None)
    docs: Iterator[Document] = read_paths(inputs, stdin)
    result = BuildResult()
    batches: Generator[tuple[list[Document], list[_Piece]], None, None]
    if dask is not None:
        from .distributed import _map_partitions

        batches = _map_partitions(docs, lex, plan, dask, workers=workers, partition_size=partition_size)
        result.workers = f"dask {dask}"
    else:
        head = list(islice(docs, _SMALL_INPUT if workers is None else 2))
        n = workers or _cores()
        if len(head) < (_SMALL_INPUT if workers is None else 2):
            n = 1  # a handful of documents: starting processes would cost more than it saves
        batches = _map_local(chain(head, docs), lex, plan, n)
        result.workers = f"{n} process" + ("es" if n > 1 else "")
    sink = _store_writer(store)  # opened first: a store in use fails before any work
    try:
        outputs = _Outputs(outdir, plan, top)
    except BaseException:
        if sink is not None:
            sink.discard()
        raise
    actors: set[str] = set()
    try:
        for done, pieces in batches:
            for doc, piece in zip(done, pieces):
                if piece.failure is None:
                    continue
                if fail_fast:
                    raise ExtractionError(piece.failure.line("nothing written") +
                                          "; without --fail-fast a build leaves such a document out and goes on")
                outputs.fail(doc, piece.failure)
                result.failed.append(piece.failure)
                if on_failure is not None:
                    on_failure(piece.failure)
            built = [piece for piece in pieces if piece.failure is None]
            outputs.add(built)
            if sink is not None:
                for piece in built:
                    sink.add_nquads(piece.bodies["nq"])
            for doc, piece in zip(done, pieces):
                if piece.failure is not None:
                    result.documents += 1
                    if on_document is not None:
                        on_document(doc)
                    continue
                for category, message in piece.warnings:
                    warnings.warn(message, category, stacklevel=2)
                result.documents += 1
                result.sentences += piece.sentences
                result.quads += piece.quads
                if not piece.arabic:
                    result.warnings.append(f"document {piece.id!r} holds no Arabic text; its graph is empty")
                actors.update(piece.actors)
                for relation, modality in piece.statements:
                    result.statements += 1
                    result.by_relation[relation] += 1
                    result.by_modality[modality] += 1
                if on_document is not None:
                    on_document(doc)
        result.actors = len(actors)
        result.files = outputs.commit()
        if sink is not None:
            result.stored = sink.commit()
    except _FormatError as err:
        raise outputs._error(err.name, err.reason) from err
    finally:
        batches.close()
        outputs.discard()
        if sink is not None:
            sink.discard()
    result.seconds = time.perf_counter() - started
    return result
