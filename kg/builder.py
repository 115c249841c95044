"""``kg build``: inputs -> extractions -> output files, with a summary."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .export import DEFAULT_FORMATS, check_base, resolve_formats, write_outputs
from .lexicon import Lexicon
from .model import Document, Extraction
from .pipeline import extract
from .rdf import DEFAULT_BASE
from .read import read_paths
from .text import is_arabic

__all__ = ["BuildResult", "build", "extract_all"]


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

    def summary(self) -> str:
        """A short human-readable summary."""
        lines = [
            f"documents: {self.documents}   actors: {self.actors}   statements: {self.statements}",
        ]
        if self.by_relation:
            rels = ", ".join(f"{k} {v}" for k, v in sorted(self.by_relation.items(), key=lambda kv: (-kv[1], kv[0])))
            lines.append(f"by relation: {rels}")
        if self.by_modality:
            mods = ", ".join(f"{k} {v}" for k, v in sorted(self.by_modality.items()))
            lines.append(f"by modality: {mods}")
        lines.extend(f"wrote {p}" for p in self.files)
        return "\n".join(lines)


def extract_all(
    documents: Iterable[Document], lex: Lexicon, on_document: Callable[[Document], None] | None = None
) -> list[Extraction]:
    """Extract every document in order."""
    out = []
    for doc in documents:
        out.append(extract(doc, lex))
        if on_document is not None:
            on_document(doc)
    return out


def build(
    inputs: Sequence[str],
    outdir: str | os.PathLike[str],
    formats: str | Sequence[str] = DEFAULT_FORMATS,
    *,
    base: str = DEFAULT_BASE,
    lexicon: Lexicon | None = None,
    stdin: BinaryIO | None = None,
    on_document: Callable[[Document], None] | None = None,
) -> BuildResult:
    """Build the knowledge graph of the inputs and write it into ``outdir``.

    Args:
        inputs: ``.txt``/``.jsonl`` files, folders, or ``"-"`` for stdin.
        outdir: the output folder (created when missing).
        formats: format names (``"ttl,nq,html"``, ``["all"]`` …).
        base: the instance namespace.
        lexicon: the lexicons (default: the packaged ones).
        stdin: where ``"-"`` reads from.
        on_document: called after each document (progress).

    Raises:
        InputError: bad input; ExportError: bad format or unwritable output; LexiconError.
    """
    names = resolve_formats(formats)  # fail on a bad format or base before any work
    check_base(base)
    lex = lexicon or Lexicon.builtin()
    result = BuildResult()
    extractions = extract_all(read_paths(inputs, stdin), lex, on_document)
    actors: set[str] = set()
    for ex in extractions:
        result.documents += 1
        if not is_arabic(ex.document.text):
            result.warnings.append(f"document {ex.document.id!r} holds no Arabic text; its graph is empty")
        actors.update(a.key for a in ex.actors)
        for st in ex.statements:
            result.statements += 1
            result.by_relation[st.predicate] += 1
            result.by_modality[st.modality] += 1
    result.actors = len(actors)
    result.files = write_outputs(extractions, outdir, names, base)
    return result
