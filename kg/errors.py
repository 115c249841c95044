"""The exception tree of rawabit.

::

    KGError
     ├── InputError (also ValueError)   unreadable, empty or malformed input
     ├── LexiconError                   a bad row in a packaged or user lexicon
     ├── OntologyError                  the ontology file disagrees with the code
     ├── ExportError                    an output could not be written
     ├── StoreError                     a triple store refused or failed
     └── ExtractionError                a document could not be extracted (a bug: ``--fail-fast``)

Every message names the bad value with ``repr()`` and ends with how to fix it.
The command line catches only :class:`KGError` (and Ctrl-C, Python's
:class:`KeyboardInterrupt`, and SIGTERM, raised as one; steps that must finish
once begun hold them back until they are done, see :func:`_interrupt_deferred`).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["KGError", "InputError", "LexiconError", "OntologyError", "ExportError", "StoreError", "ExtractionError"]


class KGError(Exception):
    """Base class of every error rawabit raises on purpose."""


class InputError(KGError, ValueError):
    """An input file, line or value cannot be used."""


class LexiconError(KGError):
    """One or more rows of a lexicon are invalid; the message lists them all."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(
            "invalid lexicon data:\n  " + "\n  ".join(self.problems) + "\nFix the rows listed above."
        )


class OntologyError(KGError):
    """The ontology file is missing, unreadable or disagrees with the code."""


class ExportError(KGError):
    """An output format is unknown or a file could not be written."""


class StoreError(KGError):
    """A triple store could not be opened, loaded or queried."""


class ExtractionError(KGError):
    """Extracting one document raised: a bug of rawabit, never of the input.

    A build goes on without such a document (it is listed in ``failed.jsonl``) unless
    it was asked to stop at the first one (``fail_fast``), which raises this.
    """


class _Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a service manager stopping the job), raised like Ctrl-C so it is undone the same way."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """While the block runs, SIGTERM raises :class:`_Terminated` in the main thread instead of ending
    the process at once: a build stopped by ``kill`` removes its staged files as on Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


#: The signals that raise in the main thread, with the handler that makes them raise.
_RAISING = ((signal.SIGINT, signal.default_int_handler, KeyboardInterrupt),
            (signal.SIGTERM, _raise_terminated, _Terminated))


@contextmanager
def _interrupt_deferred() -> Iterator[None]:
    """Hold Ctrl-C (and SIGTERM) back until the block ends, then raise it: the block runs whole.

    For steps that must not stop halfway (renaming outputs into place, replacing a
    store's graphs). It acts only in the main thread, on a signal whose raising handler
    is in place (Python's own for SIGINT, :func:`_terminate_as_interrupt`'s for SIGTERM);
    elsewhere the block just runs.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = [(signum, handler, error) for signum, handler, error in _RAISING if signal.getsignal(signum) is handler]
    raises: dict[int, type[BaseException]] = {signum: error for signum, _, error in held}
    caught: list[type[BaseException]] = []

    def hold(signum: int, _frame: object) -> None:
        caught.append(raises[signum])

    for signum in raises:
        signal.signal(signum, hold)
    try:
        yield
    finally:
        for signum, handler, _ in held:
            signal.signal(signum, handler)
    if caught:
        raise caught[0]
