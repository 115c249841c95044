"""Scale-out: the per-document function of ``kg build`` mapped over a Dask cluster.

``kg build INPUT... -o OUT --dask tcp://scheduler:8786`` (or ``--dask local``
for a cluster of processes on this machine) runs the same build as a local
one, with the same result byte for byte:

- this process (the client) reads the inputs, checking them as a local build
  does, and cuts them into partitions of ``partition_size`` documents;
- each partition is one Dask task: a worker runs the function a local build
  runs on each of its documents (extraction, then the document's named graph
  serialised for the formats asked for), with the lexicon sent to every
  worker once;
- results come back in input order, at most a few partitions per worker
  thread in flight, so the client's memory stays bounded;
- the client writes each partition's N-Quads as a shard
  (``OUT/shards/part-00000.nq`` …, for bulk loaders) and appends its
  documents to the merged outputs (``graph.nq``, ``graph.ttl`` …).

The workers need the same version of rawabit installed as the client
(``pip install 'rawabit[dask]'``); they need no shared file system. Dask is an
optional extra: without it only ``--dask`` fails, with a message saying how to
install it.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .builder import _chunks, _cores, _in_order, _Piece, _Plan, _process_all
from .errors import KGError
from .lexicon import Lexicon
from .model import Document

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

__all__ = ["connect"]

#: Partitions in flight per worker thread: enough to keep every worker busy while the client merges.
_IN_FLIGHT_PER_THREAD = 2


@contextmanager
def connect(scheduler: str, workers: int | None = None, *, timeout: float = 30.0) -> Iterator[Client]:
    """A Dask client for ``scheduler``, closed (with its local cluster, if any) on exit.

    Args:
        scheduler: a scheduler address (``tcp://host:8786``), or ``"local"`` for a
            ``LocalCluster`` of single-threaded worker processes on this machine
            (listening on the loopback interface only).
        workers: the local cluster's worker processes (default: every core).
        timeout: seconds to wait for the scheduler.

    Raises:
        KGError: Dask is not installed, or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise KGError(
            "--dask needs Dask's distributed scheduler, an optional extra: pip install 'rawabit[dask]'"
        ) from err
    cluster: Any = None  # a LocalCluster for "local"
    try:
        if scheduler == "local":
            # No dashboard; the scheduler's HTTP endpoints (health, metrics) on any free loopback port.
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers or _cores(), threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=logging.ERROR,
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            )
            client = Client(cluster, timeout=timeout)  # type: ignore[no-untyped-call]
        else:
            client = Client(scheduler, timeout=timeout)  # type: ignore[no-untyped-call]
    except (OSError, ValueError) as err:
        if cluster is not None:
            cluster.close()
        raise KGError(f"cannot reach the Dask scheduler {scheduler!r}: {err}; "
                      "check the address (tcp://host:8786) or use --dask local") from err
    try:
        yield client
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()


def _map_partitions(
    docs: Iterable[Document], lex: Lexicon, plan: _Plan, scheduler: str, *, workers: int | None = None,
    partition_size: int = 200,
) -> Generator[tuple[list[Document], list[_Piece]], None, None]:
    """(a partition's documents, their results), partition after partition in input order."""
    with connect(scheduler, workers) as client:
        [lexicon] = client.scatter([lex], broadcast=True, hash=False)  # type: ignore[no-untyped-call]
        threads = sum(client.nthreads().values()) or 1  # type: ignore[no-untyped-call]
        limit = _IN_FLIGHT_PER_THREAD * threads + 1
        pending: deque[tuple[list[Document], Any]] = deque()
        def submitted() -> Iterator[tuple[list[Document], Any]]:
            for part in _chunks(docs, partition_size, max_chars=2**62):
                # Sent as data, not inside the task graph (Dask warns about large graphs).
                [data] = client.scatter([part], hash=False)  # type: ignore[no-untyped-call]
                yield part, client.submit(_process_all, data, lexicon, plan, pure=False)

        try:
            yield from _in_order(submitted(), pending, limit)
        finally:
            for _, future in pending:
                future.cancel()
