"""The exception tree of rawabit.

::

    KGError
     ├── InputError (also ValueError)   unreadable, empty or malformed input
     ├── LexiconError                   a bad row in a packaged or user lexicon
     ├── OntologyError                  the ontology file disagrees with the code
     ├── ExportError                    an output could not be written
     └── StoreError                     a triple store refused or failed

Every message names the bad value with ``repr()`` and ends with how to fix it.
The command line catches only :class:`KGError` (and Ctrl-C, Python's
:class:`KeyboardInterrupt`, which steps that must finish once begun hold back
until they are done, see :func:`_interrupt_deferred`).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["KGError", "InputError", "LexiconError", "OntologyError", "ExportError", "StoreError"]


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


@contextmanager
def _interrupt_deferred() -> Iterator[None]:
    """Hold Ctrl-C back until the block ends, then raise :class:`KeyboardInterrupt`: the block runs whole.

    For steps that must not stop halfway (renaming outputs into place, replacing a
    store's graphs). It acts only in the main thread with Python's own SIGINT handler
    in place (where Ctrl-C raises at all); elsewhere the block just runs.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield
        return
    caught: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if caught:
        raise KeyboardInterrupt
