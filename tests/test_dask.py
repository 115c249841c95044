"""``kg build --dask``: the same build on a Dask ``LocalCluster`` of processes on the loopback interface.

Dask is the optional ``dask`` extra (in the ``test`` extra too): without it
these tests are skipped, unless ``KG_REQUIRE_TOOLS=1`` (as in CI), when they
fail. Every test that talks to a cluster runs under a deadline, so a stuck
cluster fails the test instead of hanging the suite.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from test_parallel import contents, write_corpus

import kg
from kg.cli import cli
from kg.errors import ExportError, KGError

DEADLINE = 240  # seconds for any one test that uses a cluster


def require_distributed() -> None:
    """Skip when dask.distributed is missing (fail when ``KG_REQUIRE_TOOLS=1``)."""
    try:
        importlib.import_module("distributed")
    except ImportError:
        if os.environ.get("KG_REQUIRE_TOOLS") == "1":
            pytest.fail("dask.distributed is not installed and KG_REQUIRE_TOOLS=1 (pip install -e '.[test]')")
        pytest.skip("dask.distributed is not installed (the 'dask' extra)")


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"the Dask test took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a LocalCluster: two single-threaded worker processes, loopback only."""
    require_distributed()
    import logging

    from distributed import LocalCluster

    with deadline(DEADLINE):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=logging.ERROR,
                               scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})  # no fixed port 8787
    try:
        yield cluster.scheduler_address
    finally:
        with deadline(DEADLINE):
            cluster.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def local_build(corpus: list[str], tmp_path_factory: pytest.TempPathFactory, lexicon: kg.Lexicon) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("local")
    with pytest.warns(UserWarning, match="does not parse"):
        kg.build(corpus, out, "all", lexicon=lexicon, workers=1)
    return contents(out)


def test_a_dask_build_writes_the_local_bytes_and_shards(
    scheduler: str, corpus: list[str], local_build: dict[str, bytes], tmp_path: Path, lexicon: kg.Lexicon
) -> None:
    with deadline(DEADLINE), pytest.warns(UserWarning, match="does not parse"):
        result = kg.build(corpus, tmp_path, "all", lexicon=lexicon, dask=scheduler, partition_size=3)
    assert result.workers == f"dask {scheduler}"
    assert contents(tmp_path) == local_build
    shards = sorted((tmp_path / "shards").iterdir())
    assert [p.name for p in shards] == [f"part-{n:05d}.nq" for n in range(-(-result.documents // 3))]
    assert b"".join(p.read_bytes() for p in shards) == local_build["graph.nq"]
    graphs = [{q.graph_name for q in ox.parse(path=p, format=ox.RdfFormat.N_QUADS)} for p in shards]
    assert all(len(g) == 3 for g in graphs[:-1]), "a shard holds the named graphs of one partition"
    assert result.files[-1] == tmp_path / "shards"


def test_a_new_build_replaces_the_shards(scheduler: str, corpus: list[str], tmp_path: Path,
                                         lexicon: kg.Lexicon) -> None:
    with deadline(DEADLINE), pytest.warns(UserWarning, match="does not parse"):
        kg.build(corpus, tmp_path, "nq", lexicon=lexicon, dask=scheduler, partition_size=2)
    many = len(list((tmp_path / "shards").iterdir()))
    with deadline(DEADLINE), pytest.warns(UserWarning, match="does not parse"):
        kg.build(corpus, tmp_path, "nq", lexicon=lexicon, dask=scheduler, partition_size=100)
    assert many > 1 and [p.name for p in (tmp_path / "shards").iterdir()] == ["part-00000.nq"]
    assert (tmp_path / "shards" / "part-00000.nq").read_bytes() == (tmp_path / "graph.nq").read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_cli_dask_option(scheduler: str, corpus: list[str], local_build: dict[str, bytes], tmp_path: Path) -> None:
    with deadline(DEADLINE):
        result = CliRunner().invoke(cli, ["build", *corpus, "-o", str(tmp_path), "--formats", "ttl,nq,html",
                                          "--dask", scheduler, "-q"])
    assert result.exit_code == 0, result.output
    for name in ("graph.ttl", "graph.nq", "graph.html"):
        assert (tmp_path / name).read_bytes() == local_build[name], name
    assert (tmp_path / "shards" / "part-00000.nq").is_file()


def _processes_left(before: set[int]) -> list[str]:
    """Descendants of this process started since ``before`` and still running, but multiprocessing's own
    helpers (its resource tracker and fork server live as long as the interpreter)."""
    import psutil  # a dependency of distributed

    left = []
    for p in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            if p.pid in before or p.status() == psutil.STATUS_ZOMBIE:
                continue
            cmd = " ".join(p.cmdline())
            if "multiprocessing.resource_tracker" in cmd or "multiprocessing.forkserver" in cmd:
                continue
            left.append(f"{p.pid}: {cmd[:120]}")
    return left


def test_dask_local_starts_and_stops_its_own_cluster(tmp_path: Path, local_build: dict[str, bytes]) -> None:
    require_distributed()
    import psutil  # a dependency of distributed

    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with deadline(DEADLINE):
        result = kg.build([str(Path(__file__).parents[1] / "examples" / "ghouta_ar.txt")], tmp_path, "nq",
                          dask="local", workers=2)
    assert result.workers == "dask local" and result.documents == 1
    assert (tmp_path / "shards" / "part-00000.nq").read_bytes() == (tmp_path / "graph.nq").read_bytes()
    for _ in range(50):  # the cluster's processes are gone once the build returns; allow them 5 s to be reaped
        left = _processes_left(before)
        if not left:
            break
        time.sleep(0.1)
    assert left == [], "the local cluster's processes outlived the build"


def test_an_unreachable_scheduler_is_one_error(tmp_path: Path) -> None:
    require_distributed()
    from kg.distributed import connect

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    unreachable = rf"cannot reach the Dask scheduler 'tcp://127\.0\.0\.1:{port}'"
    with deadline(60), pytest.raises(KGError, match=unreachable), connect(f"tcp://127.0.0.1:{port}", timeout=2):
        pass


def test_without_dask_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    out = tmp_path / "out"
    with pytest.raises(KGError, match=r"optional extra: pip install 'rawabit\[dask\]'"):
        kg.build([str(Path(__file__).parents[1] / "examples" / "ghouta_ar.txt")], out, "nq", dask="local")
    assert not out.exists()


def test_a_file_named_shards_is_refused_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "shards").write_text("not a folder", encoding="utf-8")
    with pytest.raises(ExportError, match=r"cannot write shards into '.*shards': it is a file; move it away"):
        kg.build([str(Path(__file__).parents[1] / "examples" / "ghouta_ar.txt")], tmp_path, "nq",
                 dask="tcp://127.0.0.1:9")  # never reached: the output is checked first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shards"]


def test_a_shard_that_cannot_be_written_fails_the_build_and_leaves_nothing(
    scheduler: str, corpus: list[str], tmp_path: Path, lexicon: kg.Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path.write_bytes

    def disk_full(self: Path, data: bytes) -> int:
        if self.name.startswith("part-"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    out = tmp_path / "out"
    with deadline(DEADLINE), pytest.raises(ExportError, match=r"cannot write shard '.*part-00000\.nq': No space"):
        kg.build(corpus, out, "nq", lexicon=lexicon, dask=scheduler, partition_size=4)
    assert not out.exists()
