"""Writers: a small registry of output formats by name, each writing atomically.

Every writer writes to a temporary file in the output folder and renames it
into place, so a failed or interrupted build never leaves a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from .errors import ExportError
from .lexicon import ontology_path
from .model import Extraction
from .rdf import DEFAULT_BASE, PREFIXES, to_quads

__all__ = ["FORMATS", "ALIASES", "resolve_formats", "write_outputs", "atomic_file", "relation_labels"]


@dataclass(frozen=True)
class _Format:
    name: str
    filename: str
    description: str


FORMATS: dict[str, _Format] = {
    "ttl": _Format("ttl", "graph.ttl", "Turtle, every document in one default graph, with prefixes"),
    "nq": _Format("nq", "graph.nq", "N-Quads, one named graph per document"),
    "trig": _Format("trig", "graph.trig", "TriG, one named graph per document, with prefixes"),
    "nt": _Format("nt", "graph.nt", "N-Triples, every document in one graph"),
    "jsonld": _Format("jsonld", "graph.jsonld", "JSON-LD, one named graph per document"),
    "html": _Format("html", "graph.html", "the interactive graph page, working offline"),
}
ALIASES = {"turtle": "ttl", "nquads": "nq", "n-quads": "nq", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld"}
DEFAULT_FORMATS = ("ttl", "nq", "html")


def resolve_formats(spec: str | Sequence[str]) -> list[str]:
    """Format names from ``"ttl,nq"`` or a list, aliases resolved, ``all`` expanded.

    Raises:
        ExportError: naming the unknown format and listing the known ones.
    """
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    out: list[str] = []
    for raw in items:
        name = raw.strip().lower()
        if not name:
            continue
        if name == "all":
            out.extend(f for f in FORMATS if f not in out)
            continue
        name = ALIASES.get(name, name)
        if name not in FORMATS:
            known = ", ".join([*FORMATS, "all"])
            raise ExportError(f"unknown format {raw.strip()!r}; choose from {known}")
        if name not in out:
            out.append(name)
    if not out:
        raise ExportError("no output format given; use for example --formats ttl,nq,html")
    return out


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; on success it replaces ``path``, on failure it is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@lru_cache(maxsize=1)
def _ontology_labels() -> dict[str, tuple[str, str]]:
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS

    g = rdflib.Graph()
    g.parse(ontology_path("kg.ttl"), format="turtle")
    out: dict[str, tuple[str, str]] = {}
    for prop in g.subjects(RDF.type, OWL.ObjectProperty):
        name = str(prop).rsplit("#", 1)[-1]
        labels = {lit.language: str(lit) for lit in g.objects(prop, RDFS.label) if isinstance(lit, rdflib.Literal)}
        out[name] = (labels.get("ar", name), labels.get("en", name))
    return out


def relation_labels() -> dict[str, tuple[str, str]]:
    """Relation local name -> (Arabic label, English label), read from ``ontology/kg.ttl``."""
    return dict(_ontology_labels())


def _rdf_writer(fmt: ox.RdfFormat, dataset: bool) -> Callable[[Sequence[Extraction], Path, str], None]:
    def write(extractions: Sequence[Extraction], path: Path, base: str) -> None:
        quads = [q for ex in extractions for q in to_quads(ex, base)]
        prefixes = PREFIXES(base) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        if dataset:
            items: list[ox.Quad] | list[ox.Triple] = quads
        else:
            seen: dict[ox.Triple, None] = {}
            for q in quads:
                seen.setdefault(ox.Triple(q.subject, q.predicate, q.object), None)
            items = list(seen)
        with atomic_file(path) as fh:
            ox.serialize(items, fh, format=fmt, prefixes=prefixes)

    return write


def _html_writer(extractions: Sequence[Extraction], path: Path, base: str) -> None:
    from .html import generate_html

    page = generate_html(extractions, relation_labels())
    with atomic_file(path) as fh:
        fh.write(page.encode("utf-8"))


_WRITERS: dict[str, Callable[[Sequence[Extraction], Path, str], None]] = {
    "ttl": _rdf_writer(ox.RdfFormat.TURTLE, dataset=False),
    "nq": _rdf_writer(ox.RdfFormat.N_QUADS, dataset=True),
    "trig": _rdf_writer(ox.RdfFormat.TRIG, dataset=True),
    "nt": _rdf_writer(ox.RdfFormat.N_TRIPLES, dataset=False),
    "jsonld": _rdf_writer(ox.RdfFormat.JSON_LD, dataset=True),
    "html": _html_writer,
}


def write_outputs(
    extractions: Sequence[Extraction], outdir: str | os.PathLike[str], formats: Sequence[str], base: str = DEFAULT_BASE
) -> list[Path]:
    """Write every requested format into ``outdir``; returns the files written.

    Raises:
        ExportError: for an unknown format or a file that cannot be written.
    """
    names = resolve_formats(formats)
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise ExportError(f"output path {str(out)!r} exists and is not a folder; choose another -o")
    written: list[Path] = []
    for name in names:
        path = out / FORMATS[name].filename
        try:
            _WRITERS[name](extractions, path, base)
        except OSError as err:
            raise ExportError(f"cannot write {str(path)!r}: {err.strerror or err}") from err
        written.append(path)
    return written
