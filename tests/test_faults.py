"""Faults: Ctrl-C during a build, a store load that fails, a push that breaks off, a huge input.

Each fault must end in a short message (no traceback), a non-zero exit, and
nothing lost or half-written: earlier outputs byte-identical, a store that opens
and holds what it held, every pushed graph whole or absent. The README section
"Inputs and failures" states only what these tests (and tests/test_read.py,
tests/test_cli.py) show.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import IO
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox
import pytest

import kg
import kg.builder
import kg.store
from kg.cli import main
from kg.errors import InputError, StoreError, _interrupt_deferred
from kg.store import StoreWriter, open_store, push, query
from kg.vocab import ONTOLOGY_IRI

from conftest import EXAMPLE, ROOT

SPECS = ROOT / "tests" / "data" / "specs_ar.jsonl"
DOC = "https://w3id.org/rawabit/id/doc/"
SIEGE = "حاصرت قوات النظام مدينة دوما."
CAPTURE = "سيطرت هيئة تحرير الشام على مدينة إدلب."
#: Seconds a build may take to start, or to stop after Ctrl-C, before the test fails.
PATIENCE = 120


def paragraphs() -> list[str]:
    return [p.strip() for p in EXAMPLE.read_text(encoding="utf-8-sig").split("\n") if p.strip()]


def write_corpus(path: Path, docs: int) -> Path:
    """``docs`` documents of three paragraphs of the example article each, with distinct ids."""
    paras = paragraphs()
    with path.open("w", encoding="utf-8") as fh:
        for n in range(docs):
            text = "\n".join(paras[(n + k) % len(paras)] for k in range(3))
            fh.write(json.dumps({"id": f"news-{n:05d}", "text": text}, ensure_ascii=False) + "\n")
    return path


def write_jsonl(path: Path, *rows: dict[str, str] | str) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def store_quads(db: Path) -> list[str]:
    """Every quad of the store at ``db``, sorted (the store is opened, which fails if it cannot be, and closed)."""
    store = open_store(db)
    quads = sorted(str(q) for q in store.quads_for_pattern(None, None, None, None))
    del store  # the last reference: RocksDB closes and frees the folder's lock
    return quads


def graph_quads(db: Path) -> dict[str, list[str]]:
    """The quads of each named graph of the store at ``db``, by graph IRI."""
    store = open_store(db)
    graphs: dict[str, list[str]] = {}
    for q in store.quads_for_pattern(None, None, None, None):
        graphs.setdefault(q.graph_name.value, []).append(str(q))  # type: ignore[union-attr]
    del store
    return {g: sorted(qs) for g, qs in graphs.items()}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def ctrl_c_raises() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt in this process, as in a terminal (even when the tests run with it ignored)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@dataclass
class Earlier:
    """An output folder and a store holding one good build, and what they hold."""

    out: Path
    db: Path
    files: dict[str, bytes]
    quads: list[str]

    def assert_unchanged(self) -> None:
        now = sorted(p.name for p in self.out.iterdir())
        assert now == sorted(self.files), f"leftover or missing files in the output folder: {now}"
        for name, data in self.files.items():
            assert (self.out / name).read_bytes() == data, f"{name} changed"
        assert store_quads(self.db) == self.quads, "the store changed"
        answer = query([], "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", store=self.db)
        (count,) = answer.rows[0]
        assert isinstance(count, ox.Literal) and int(count.value) == len(self.quads)


@pytest.fixture()
def earlier(tmp_path: Path, lexicon: kg.Lexicon) -> Earlier:
    out, db = tmp_path / "out", tmp_path / "db"
    kg.build([str(EXAMPLE)], out, "ttl,nq,trig", lexicon=lexicon, store=db)
    return Earlier(out, db, files_of(out), store_quads(db))


# --- Ctrl-C during kg build ----------------------------------------------------------


def live_members(pgid: int) -> list[str]:
    """The command lines of the processes of group ``pgid`` still running (Linux; elsewhere none are seen)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        state, _ppid, group = text[text.rindex(")") + 2:].split()[:3]
        if int(group) == pgid and state != "Z":
            found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return found


class Run:
    """``python -m kg ARGS`` in a process group of its own, as a shell runs a command; output collected as it comes."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        # Ctrl-C must reach the command as it does from a terminal: a child inherits SIGINT ignored
        # (pytest under nohup, or in the background of a script), so the test process's own handler is
        # in place while the child starts; a caught signal is reset to the default in the child.
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "kg", *args], cwd=cwd, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, start_new_session=True)
        finally:
            signal.signal(signal.SIGINT, previous)
        self.pgid = self.proc.pid
        self.lock = threading.Lock()
        self.out, self.err = bytearray(), bytearray()
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.readers = [threading.Thread(target=self._read, args=(pipe, buf), daemon=True)
                        for pipe, buf in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for reader in self.readers:
            reader.start()

    def _read(self, pipe: IO[bytes], buf: bytearray) -> None:
        while chunk := os.read(pipe.fileno(), 65536):
            with self.lock:
                buf.extend(chunk)

    def wait_for(self, pattern: bytes) -> None:
        """Wait until stderr matches ``pattern`` (the progress bar)."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            with self.lock:
                if re.search(pattern, self.err):
                    return
            if self.proc.poll() is not None:
                pytest.fail(f"kg build ended ({self.proc.returncode}) before {pattern!r}: {bytes(self.err)!r}")
            time.sleep(0.02)
        pytest.fail(f"no {pattern!r} on stderr within {PATIENCE}s: {bytes(self.err)[-2000:]!r}")

    def wait_for_process(self, text: str) -> None:
        """Wait until a process of the group has ``text`` in its command line."""
        deadline = time.monotonic() + PATIENCE
        while not any(text in cmd for cmd in live_members(self.pgid)):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"no process {text!r} seen: {bytes(self.err)[-2000:]!r}")
            time.sleep(0.01)

    def ctrl_c(self) -> None:
        """SIGINT to every process of the group, as a terminal sends it on Ctrl-C."""
        os.killpg(self.pgid, signal.SIGINT)

    def finish(self) -> tuple[int, str, str]:
        """(exit code, stdout, stderr) once the command and every process it started have ended."""
        code = self.proc.wait(timeout=PATIENCE)
        for reader in self.readers:
            reader.join(timeout=PATIENCE)
            assert not reader.is_alive(), f"a process of the build holds its output open: {live_members(self.pgid)}"
        deadline = time.monotonic() + 30
        while (left := live_members(self.pgid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not left, f"processes of the build outlive it: {left}"
        return code, self.out.decode(), self.err.decode()

    def stop(self) -> None:
        """Kill whatever of the group is left (after a failed assertion) and close the pipes."""
        try:
            os.killpg(self.pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=PATIENCE)
        for reader in self.readers:
            reader.join(timeout=PATIENCE)
        for pipe in (self.proc.stdout, self.proc.stderr):
            assert pipe is not None
            pipe.close()


def messages(err: str) -> list[str]:
    """Stderr without the progress bar's redrawn lines."""
    return [line.strip() for line in re.split(r"[\r\n]", err) if line.strip() and not line.startswith("building")]


#: How each way of stopping a build ends it: the exit status and the one line on stderr.
STOPS = {"ctrl-c": (130, "Aborted."), "sigterm": (128 + signal.SIGTERM, "Terminated.")}


@pytest.mark.parametrize(
    ("stop", "workers", "store", "when"),
    [
        # Ctrl-C: a terminal sends SIGINT to every process of the job
        pytest.param("ctrl-c", 1, False, "processing", id="ctrl-c-1-worker"),
        pytest.param("ctrl-c", 2, False, "processing", id="ctrl-c-2-workers"),
        pytest.param("ctrl-c", 1, True, "processing", id="ctrl-c-1-worker-store"),
        pytest.param("ctrl-c", 2, True, "processing", id="ctrl-c-2-workers-store"),
        # Workers start from a fork server here (the store runs threads), which takes seconds to import
        # kg: a stop while it does must not print its traceback, nor leave a worker waiting forever.
        pytest.param("ctrl-c", 2, True, "starting", id="ctrl-c-2-workers-store-while-workers-start"),
        # kill PID: SIGTERM to the main process alone
        pytest.param("kill", 1, True, "processing", id="kill-1-worker-store"),
        pytest.param("kill", 2, True, "processing", id="kill-2-workers-store"),
        # a service manager or container stop: SIGTERM to every process of the job. A worker must not
        # end while it sends a result (the pool would wait forever for the rest), nor print a traceback.
        pytest.param("sigterm", 2, True, "processing", id="sigterm-all-2-workers-store"),
        pytest.param("sigterm", 2, True, "starting", id="sigterm-all-2-workers-store-while-workers-start"),
    ],
)
def test_a_stopped_build_leaves_earlier_outputs_and_store_as_they_were(
    tmp_path: Path, earlier: Earlier, stop: str, workers: int, store: bool, when: str
) -> None:
    corpus = write_corpus(tmp_path / "corpus.jsonl", 600)
    args = ["build", str(corpus), "-o", str(earlier.out), "--formats", "ttl,nq,trig", "--workers", str(workers)]
    run = Run(args + (["--store", str(earlier.db)] if store else []), tmp_path)
    try:
        if when == "processing":
            run.wait_for(rb"building: [1-9]\d* documents")
        else:
            run.wait_for_process("multiprocessing.forkserver")
            time.sleep(0.2)
        if stop == "ctrl-c":
            run.ctrl_c()
        elif stop == "kill":
            os.kill(run.proc.pid, signal.SIGTERM)
        else:
            os.killpg(run.pgid, signal.SIGTERM)
        code, out, err = run.finish()
    finally:
        run.stop()
    status, message = STOPS["ctrl-c" if stop == "ctrl-c" else "sigterm"]
    assert code == status, err
    assert out == "", "no summary: the build did not finish"
    assert messages(err) == [message], err
    assert "Traceback" not in err
    earlier.assert_unchanged()


def test_a_held_sigterm_is_raised_when_the_block_ends() -> None:
    from kg.errors import _terminate_as_interrupt, _Terminated

    before = signal.getsignal(signal.SIGTERM)
    done = []
    with pytest.raises(_Terminated), _terminate_as_interrupt(), _interrupt_deferred():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)  # the signal is handled here, between two bytecodes
        done.append("the block ran to its end")
    assert done == ["the block ran to its end"]
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_while_files_are_renamed_waits_until_all_are_in_place(
    tmp_path: Path, earlier: Earlier, lexicon: kg.Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    replace = os.replace
    renamed: list[str] = []

    def interrupted(src: str, dst: str | Path) -> None:
        replace(src, dst)
        renamed.append(Path(dst).name)
        if len(renamed) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C after the first file is in place

    monkeypatch.setattr(os, "replace", interrupted)
    src = write_jsonl(tmp_path / "new.jsonl", {"id": "news", "text": CAPTURE})
    with pytest.raises(KeyboardInterrupt):
        kg.build([str(src)], earlier.out, "ttl,nq,trig", lexicon=lexicon)
    monkeypatch.undo()
    assert sorted(renamed) == ["graph.nq", "graph.trig", "graph.ttl"], "every file was put in place before stopping"
    kg.build([str(src)], tmp_path / "again", "ttl,nq,trig", lexicon=lexicon)
    assert files_of(earlier.out) == files_of(tmp_path / "again"), "the files are one build, not a mix of two"


@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_while_the_store_is_written_leaves_every_graph_whole(
    tmp_path: Path, lexicon: kg.Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "db"
    old = [kg.extract(kg.Document(f"d{i}", SIEGE), lexicon) for i in range(4)]
    kg.store.load_store(old, db, batch_size=2)
    before = graph_quads(db)
    replace = kg.store._replace_graphs
    calls: list[int] = []

    class Interrupting:
        """The store, with Ctrl-C arriving between dropping a batch's graphs and adding their new quads."""

        def __init__(self, store: ox.Store) -> None:
            self.store = store

        def update(self, sparql: str) -> None:
            self.store.update(sparql)
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGINT)

        def extend(self, quads: list[ox.Quad]) -> None:
            self.store.extend(quads)

    def interrupted(store: ox.Store, graphs: list[ox.NamedNode], quads: list[ox.Quad]) -> None:
        calls.append(len(graphs))
        replace(Interrupting(store), graphs, quads)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.store, "_replace_graphs", interrupted)
    new = [kg.extract(kg.Document(f"d{i}", CAPTURE), lexicon) for i in range(4)]
    writer = StoreWriter(db, batch_size=2)
    for ex in new:
        writer.add(ex)
    with pytest.raises(KeyboardInterrupt):
        writer.commit()
    assert calls == [2, 2], "Ctrl-C stopped the load after the batch it came in (the ontology and d0, then d1 and d2)"
    after = graph_quads(db)
    assert set(after) == set(before), "no graph was lost"
    monkeypatch.undo()
    kg.store.load_store(new[:3], tmp_path / "fresh")
    written = graph_quads(tmp_path / "fresh")
    for i in range(4):
        g = f"{DOC}d{i}"
        assert after[g] == (written[g] if i < 3 else before[g]), f"{g}: whole, new if its batch was written, else old"
    assert all(written[f"{DOC}d{i}"] != before[f"{DOC}d{i}"] for i in range(3)), "the new text gives other graphs"


@pytest.mark.usefixtures("ctrl_c_raises")
def test_a_held_ctrl_c_is_raised_when_the_block_ends() -> None:
    done = []
    with pytest.raises(KeyboardInterrupt):
        with _interrupt_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.01)  # the signal is handled here, between two bytecodes
            done.append(True)
    assert done == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# --- a store load that fails -------------------------------------------------------------


def _malformed_later_input(tmp: Path) -> list[Path]:
    good = write_corpus(tmp / "a.jsonl", 20)
    bad = write_jsonl(tmp / "b.jsonl", {"id": "fine", "text": SIEGE}, '{"id": "broken", "text": ')
    return [good, bad]


def _duplicate_id_in_a_later_input(tmp: Path) -> list[Path]:
    good = write_corpus(tmp / "a.jsonl", 20)
    dup = write_jsonl(tmp / "b.jsonl", {"id": "fresh", "text": CAPTURE}, {"id": "news-00003", "text": CAPTURE})
    return [good, dup]


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize(
    ("make", "message"),
    [(_malformed_later_input, r"b\.jsonl:2: not valid JSON"),
     (_duplicate_id_in_a_later_input, r"duplicate document id 'news-00003'")],
    ids=["malformed-jsonl", "duplicate-id"],
)
def test_a_build_failing_midway_leaves_the_store_openable_and_as_it_was(
    tmp_path: Path, earlier: Earlier, capsys: pytest.CaptureFixture[str], workers: int,
    make: Callable[[Path], list[Path]], message: str,
) -> None:
    inputs = make(tmp_path)
    code = main(["build", *map(str, inputs), "-o", str(earlier.out), "--formats", "ttl,nq,trig", "-q",
                 "--workers", str(workers), "--store", str(earlier.db)])
    _, err = capsys.readouterr()
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith("Error: ") and re.search(message, line), line
    earlier.assert_unchanged()
    # The store is closed and unlocked: another build adds to it.
    assert main(["build", str(EXAMPLE), "-o", str(tmp_path / "next"), "--formats", "nq", "-q",
                 "--store", str(earlier.db)]) == 0
    again = graph_quads(earlier.db)
    assert len(store_quads(earlier.db)) == len(earlier.quads), "the same document again: the same store"
    assert again[f"{DOC}ghouta_ar"] == [q for q in earlier.quads if q.endswith(f"<{DOC}ghouta_ar>")]


def test_a_store_write_failing_midway_is_one_error_and_the_store_still_opens(
    tmp_path: Path, lexicon: kg.Lexicon, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db"
    kg.build([str(EXAMPLE)], tmp_path / "out", "nq", lexicon=lexicon, store=db)
    before = graph_quads(db)
    replace = kg.store._replace_graphs
    calls: list[int] = []

    def disk_full(store: ox.Store, graphs: list[ox.NamedNode], quads: list[ox.Quad]) -> None:
        calls.append(len(graphs))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        replace(store, graphs, quads)

    monkeypatch.setattr(kg.store, "_replace_graphs", disk_full)
    monkeypatch.setattr(kg.builder, "_store_writer", lambda path: StoreWriter(path, batch_size=4))
    corpus = write_corpus(tmp_path / "corpus.jsonl", 12)
    code = main(["build", str(corpus), "-o", str(tmp_path / "out2"), "--formats", "nq", "-q", "--store", str(db)])
    _, err = capsys.readouterr()
    assert code == 1
    (line,) = err.splitlines()
    assert re.fullmatch(r"Error: cannot write to store '.*db': .*No space left on device; "
                        r"check the folder and free space", line), line
    monkeypatch.undo()
    after = graph_quads(db)  # opens: not corrupt, not locked
    assert after[f"{DOC}ghouta_ar"] == before[f"{DOC}ghouta_ar"], "graphs of other documents untouched"
    assert sorted(after) == sorted([ONTOLOGY_IRI, f"{DOC}ghouta_ar", *(f"{DOC}news-{n:05d}" for n in range(3))]), \
        "the first batch (the ontology and 3 documents) was written whole; the second, which failed, not at all"


# --- kg push: faults mid-load, against a small Graph Store server -----------------------


@dataclass
class Received:
    """One PUT as the server saw it."""

    graph: str
    declared: int | None
    """Its Content-Length (None: no length, such as a chunked body)."""
    got: int
    """Bytes of body the server received."""
    status: int | str
    """What it answered (or "cut": the connection was closed while the body came)."""


@dataclass
class Behaviour:
    """What the server does with the ``attempt``-th PUT (from 1) of the ``index``-th graph (from 0)."""

    answer: Callable[[int, int], int | str] = lambda _index, _attempt: 204
    order: list[str] = field(default_factory=list)
    """Graphs in the order they first came."""


class _Handler(BaseHTTPRequestHandler):
    server: GraphStore
    protocol_version = "HTTP/1.1"

    def do_PUT(self) -> None:  # noqa: N802 - http.server's name
        srv = self.server
        graph = parse_qs(urlparse(self.path).query)["graph"][0]
        length = self.headers.get("Content-Length")
        declared = int(length) if length is not None else None
        with srv.lock:
            if graph not in srv.behaviour.order:
                srv.behaviour.order.append(graph)
            index = srv.behaviour.order.index(graph)
            srv.attempts[graph] = attempt = srv.attempts.get(graph, 0) + 1
        action = srv.behaviour.answer(index, attempt)
        if action == "cut":  # read half the body, then drop the connection
            body = self.rfile.read((declared or 0) // 2)
            srv.record(Received(graph, declared, len(body), "cut"))
            self.close_connection = True
            self.connection.shutdown(2)
            return
        body = self.rfile.read(declared or 0)
        status = 204
        if action == "slow":
            srv.record(Received(graph, declared, len(body), "slow"))
            time.sleep(srv.slow)
        else:
            assert isinstance(action, int)
            status = action
            srv.record(Received(graph, declared, len(body), status))
        if status < 300 and declared == len(body):
            with srv.lock:
                srv.stored[graph] = body
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


class GraphStore(ThreadingHTTPServer):
    """A Graph Store Protocol endpoint on 127.0.0.1 that stores a graph only when its whole body came."""

    daemon_threads = True

    def __init__(self, behaviour: Behaviour, port: int = 0, slow: float = 2.0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.behaviour = behaviour
        self.slow = slow
        self.lock = threading.Lock()
        self.attempts: dict[str, int] = {}
        self.received: list[Received] = []
        self.stored: dict[str, bytes] = {}
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/store"

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (a timeout) is no error of the server's."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    def record(self, item: Received) -> None:
        with self.lock:
            self.received.append(item)

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=10)


@pytest.fixture()
def serve() -> Iterator[Callable[..., GraphStore]]:
    """Start GraphStore servers; every one is stopped at teardown."""
    started: list[GraphStore] = []

    def start(answer: Callable[[int, int], int | str] | None = None, **kwargs: float) -> GraphStore:
        srv = GraphStore(Behaviour(answer) if answer else Behaviour(), **kwargs)  # type: ignore[arg-type]
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """graph.nq of the example article and the spec documents: many named graphs."""
    out = tmp_path_factory.mktemp("push_faults")
    kg.build([str(EXAMPLE), str(SPECS)], out, "nq", lexicon=kg.Lexicon.builtin())
    return out / "graph.nq"


def expected_sizes(nq: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for q in ox.parse(path=nq, format=ox.RdfFormat.N_QUADS):
        assert isinstance(q.graph_name, ox.NamedNode)
        sizes[q.graph_name.value] = sizes.get(q.graph_name.value, 0) + 1
    return dict(sorted(sizes.items()))


@pytest.fixture()
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits between tries of kg.store.push, recorded instead of slept."""
    waited: list[float] = []
    monkeypatch.setattr(kg.store, "time", SimpleNamespace(sleep=waited.append))
    return waited


def assert_whole_or_absent(srv: GraphStore, nq: Path) -> None:
    """Every PUT declared its length; every graph the server stored is the graph's every triple."""
    sizes = expected_sizes(nq)
    assert all(r.declared is not None for r in srv.received), "each graph is sent with its Content-Length"
    for r in srv.received:
        if r.status not in ("cut",):
            assert r.got == r.declared, f"<{r.graph}>: the server got {r.got} of {r.declared} bytes"
    for graph, body in srv.stored.items():
        assert len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == sizes[graph], graph


def cli_push(capsys: pytest.CaptureFixture[str], nq: Path, url: str, *extra: str) -> tuple[int, str]:
    code = main(["push", str(nq), "--endpoint", url, "-q", *extra])
    out, err = capsys.readouterr()
    return code, err


def assert_one_error_line(err: str, pattern: str) -> None:
    assert "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith("Error: ") and re.search(pattern, line), line


def test_push_to_a_server_that_is_down_tries_again_then_fails_clearly(
    corpus: Path, sleeps: list[float], capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    first = next(iter(expected_sizes(corpus)))
    with pytest.raises(StoreError, match=rf"^cannot reach '{re.escape(url)}': .*\(3 tries\); 0 graphs of this push "
                                         rf"loaded before <{re.escape(first)}>.*check that the server runs"):
        push([corpus], url, retries=2, backoff=0.25)
    assert sleeps == [0.25, 0.5], "two more tries, waiting longer each time"
    sleeps.clear()
    code, err = cli_push(capsys, corpus, url)
    assert code == 1
    assert_one_error_line(err, r"cannot reach .*\(3 tries\)")
    assert sleeps == [0.5, 1.0], "kg push: 2 retries, 0.5 s then 1 s"


def test_push_to_a_server_that_comes_up_during_the_retries_arrives_whole(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, serve: Callable[..., GraphStore]
) -> None:
    port = free_port()
    started: list[GraphStore] = []

    def wait_then_start(_seconds: float) -> None:
        if not started:
            started.append(serve(port=port))

    monkeypatch.setattr(kg.store, "time", SimpleNamespace(sleep=wait_then_start))
    result = push([corpus], f"http://127.0.0.1:{port}/store", retries=2)
    (srv,) = started
    assert result.graphs == len(expected_sizes(corpus))
    assert sorted(srv.stored) == list(expected_sizes(corpus))
    assert_whole_or_absent(srv, corpus)


def test_a_slow_server_times_out_with_a_clear_error_naming_what_was_loaded(
    corpus: Path, sleeps: list[float], serve: Callable[..., GraphStore], capsys: pytest.CaptureFixture[str]
) -> None:
    srv = serve(lambda index, _attempt: "slow" if index == 2 else 204, slow=1.5)
    graphs = list(expected_sizes(corpus))
    with pytest.raises(StoreError, match=rf"did not answer within 0.3s for graph <{re.escape(graphs[2])}>; "
                                         r"2 graphs of this push loaded before <.*>, each whole; raise --timeout"):
        push([corpus], srv.url, timeout=0.3, retries=2, backoff=0.01)
    assert srv.attempts[graphs[2]] == 1 and sleeps == [], "a timeout is not retried: the server may still be busy"
    assert len(srv.attempts) == 3, "nothing after the graph that timed out was sent"
    assert_whole_or_absent(srv, corpus)
    code, err = cli_push(capsys, corpus, srv.url, "--timeout", "0.3")
    assert code == 1
    assert_one_error_line(err, r"did not answer within 0\.3s for graph <.*>; 2 graphs .* loaded before")


def test_a_500_mid_load_is_tried_again_and_every_graph_arrives_whole(
    corpus: Path, sleeps: list[float], serve: Callable[..., GraphStore]
) -> None:
    srv = serve(lambda index, attempt: 500 if index == 3 and attempt == 1 else 204)
    result = push([corpus], srv.url, retries=2, backoff=0.01)
    sizes = expected_sizes(corpus)
    assert (result.graphs, result.triples) == (len(sizes), sum(sizes.values()))
    assert sorted(srv.stored) == list(sizes)
    assert srv.attempts[list(sizes)[3]] == 2 and sleeps == [0.01]
    assert_whole_or_absent(srv, corpus)


def test_a_500_that_persists_names_the_graph_and_how_many_were_loaded(
    corpus: Path, sleeps: list[float], serve: Callable[..., GraphStore], capsys: pytest.CaptureFixture[str]
) -> None:
    srv = serve(lambda index, _attempt: 500 if index == 3 else 204)
    graphs = list(expected_sizes(corpus))
    with pytest.raises(StoreError, match=rf"answered 500 Internal Server Error for graph <{re.escape(graphs[3])}> "
                                         r"\(3 tries\); 3 graphs of this push loaded before <.*>, each whole; "
                                         r"check the server's log, then push again$"):
        push([corpus], srv.url, retries=2, backoff=0.01)
    assert sleeps == [0.01, 0.02]
    assert sorted(srv.stored) == graphs[:3], "the graphs before it, and nothing after it"
    assert srv.attempts == {g: 1 for g in graphs[:3]} | {graphs[3]: 3}
    assert_whole_or_absent(srv, corpus)
    code, err = cli_push(capsys, corpus, srv.url)
    assert code == 1
    assert_one_error_line(err, r"answered 500 .*\(3 tries\); 3 graphs of this push loaded before")


def test_a_connection_dropped_mid_body_is_tried_again_and_the_graph_arrives_whole(
    corpus: Path, sleeps: list[float], serve: Callable[..., GraphStore]
) -> None:
    srv = serve(lambda index, attempt: "cut" if index == 1 and attempt == 1 else 204)
    push([corpus], srv.url, retries=2, backoff=0.01)
    graphs = list(expected_sizes(corpus))
    cut = [r for r in srv.received if r.status == "cut"]
    assert [r.graph for r in cut] == [graphs[1]] and cut[0].got < (cut[0].declared or 0), \
        "the server got part of a body, and could tell from its Content-Length"
    assert sorted(srv.stored) == graphs
    assert_whole_or_absent(srv, corpus)


def test_a_401_is_not_tried_again_and_asks_for_credentials(
    corpus: Path, sleeps: list[float], serve: Callable[..., GraphStore], capsys: pytest.CaptureFixture[str]
) -> None:
    srv = serve(lambda _index, _attempt: 401)
    with pytest.raises(StoreError, match=r"answered 401 Unauthorized for graph <.*>; 0 graphs of this push loaded "
                                         r"before <.*>, each whole; give --user and --password"):
        push([corpus], srv.url, retries=2, backoff=0.01)
    assert list(srv.attempts.values()) == [1] and sleeps == []
    assert srv.stored == {}
    code, err = cli_push(capsys, corpus, srv.url)
    assert code == 1
    assert_one_error_line(err, r"answered 401 Unauthorized .*give --user and --password")


def test_negative_retries_or_backoff_are_an_input_error(corpus: Path) -> None:
    with pytest.raises(InputError, match=r"retries -1 and backoff 0.5 must not be negative"):
        push([corpus], "http://127.0.0.1:1/store", retries=-1)


# --- a huge input -----------------------------------------------------------------


def test_a_document_of_megabytes_on_one_line_is_built(tmp_path: Path, lexicon: kg.Lexicon) -> None:
    article = " ".join(paragraphs())
    copies = 2_000_000 // len(article.encode()) + 1
    path = tmp_path / "long.txt"
    path.write_text(" ".join([article] * copies), encoding="utf-8")
    assert path.stat().st_size > 2_000_000 and path.read_bytes().count(b"\n") == 0
    one = kg.build([str(EXAMPLE)], tmp_path / "one", "nq", lexicon=lexicon)
    result = kg.build([str(path)], tmp_path / "out", "nq", lexicon=lexicon, workers=1)
    assert result.documents == 1
    assert result.sentences == copies * one.sentences, "the line is split into the article's sentences, each time"
    graphs = {q.graph_name for q in ox.parse(path=tmp_path / "out" / "graph.nq", format=ox.RdfFormat.N_QUADS)}
    assert graphs == {ox.NamedNode(DOC + "long")}
