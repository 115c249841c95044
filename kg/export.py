"""Writers: a small registry of output formats by name, each writing atomically.

Every writer writes to a temporary file in the output folder and renames it
into place, so a failed or interrupted build never leaves a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from .errors import ExportError, InputError
from .lexicon import ontology_path
from .model import Extraction
from .rdf import DEFAULT_BASE, PREFIXES, to_quads

__all__ = ["FORMATS", "ALIASES", "CSV_COLUMNS", "resolve_formats", "write_outputs", "relation_labels", "check_base"]


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
    "csv": _Format("csv", "edges.csv", "one row per statement, for spreadsheets (UTF-8 with BOM)"),
    "graphml": _Format("graphml", "graph.graphml", "GraphML for Gephi, yEd or Cytoscape: actors and statements"),
    "html": _Format("html", "graph.html", "the interactive graph page, working offline"),
}
ALIASES = {"turtle": "ttl", "nquads": "nq", "n-quads": "nq", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld",
           "edges": "csv"}
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


_Writer = Callable[[Sequence[Extraction], Sequence[ox.Quad], IO[bytes], str], None]


def _rdf_header(fmt: ox.RdfFormat, base: str) -> tuple[bytes, dict[str, str] | None]:
    """What a file of ``fmt`` starts with before the serializer's output, and the prefixes to give it.

    Shared with the streaming writer of ``kg build`` (:mod:`kg.builder`), which must write the same bytes.
    """
    if fmt not in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return b"", None
    # doc: is declared but not used by the serializer: its IRIs carry fragments (#s3), which
    # pyoxigraph would write as doc:x\#s3, and Virtuoso keeps such backslashes literally.
    prefixes = {k: v for k, v in PREFIXES(base).items() if k != "doc"}
    return f"@prefix doc: <{PREFIXES(base)['doc']}> .\n".encode(), prefixes


def _rdf_writer(fmt: ox.RdfFormat, dataset: bool) -> _Writer:
    def write(extractions: Sequence[Extraction], quads: Sequence[ox.Quad], fh: IO[bytes], base: str) -> None:
        head, prefixes = _rdf_header(fmt, base)
        fh.write(head)
        if dataset:
            items: Sequence[ox.Quad] | list[ox.Triple] = quads
        else:
            seen: dict[ox.Triple, None] = {}
            for q in quads:
                seen.setdefault(ox.Triple(q.subject, q.predicate, q.object), None)
            items = list(seen)
        ox.serialize(items, fh, format=fmt, prefixes=prefixes)

    return write


def _html_writer(extractions: Sequence[Extraction], quads: Sequence[ox.Quad], fh: IO[bytes], base: str,
                 *, top: int | None = None) -> None:
    from .html import generate_html

    fh.write(generate_html(extractions, relation_labels(), top=top).encode("utf-8"))


#: The columns of ``edges.csv``: what an analyst reads first, then the identifiers.
CSV_COLUMNS = (
    "subject", "relation", "object", "modality", "attributed_to", "document", "sentence",
    "relation_ar", "place", "confidence", "mentions", "subject_iri", "object_iri", "attributed_to_iri", "statement_iri",
)


def _cell(value: str) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula: article text must not.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_head() -> bytes:
    """The start of ``edges.csv``: a byte-order mark (spreadsheets then read UTF-8) and the header row."""
    return b"\xef\xbb\xbf" + _csv_lines([list(CSV_COLUMNS)])


def _csv_lines(rows: Iterable[Sequence[str]]) -> bytes:
    import csv
    import io

    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode("utf-8")


def _csv_rows(ex: Extraction, labels: Mapping[str, tuple[str, str]], base: str) -> bytes:
    """One document's rows of ``edges.csv``, a statement each; ``kg build`` appends them as documents arrive."""
    from .rdf import actor_iri, document_iri

    names = {a.key: a.label_ar for a in ex.actors}
    sentences = {s.index: s.text for s in ex.sentences}
    doc = document_iri(ex.document.id, base).value
    rows = []
    for n, st in enumerate(ex.statements, 1):
        by = st.attributed_to
        rows.append([_cell(v) for v in (
            names.get(st.subject, st.subject), st.predicate, names.get(st.object, st.object), st.modality,
            names.get(by, by) if by else "", ex.document.id,
            "\n".join(sentences[i] for i in st.sentences if i in sentences),
            labels.get(st.predicate, (st.predicate, ""))[0], names.get(st.place, st.place) if st.place else "",
            f"{st.confidence:.2f}", str(st.count), actor_iri(st.subject, base).value,
            actor_iri(st.object, base).value, actor_iri(by, base).value if by else "", f"{doc}#r{n}",
        )])
    return _csv_lines(rows)


def _csv_writer(extractions: Sequence[Extraction], quads: Sequence[ox.Quad], fh: IO[bytes], base: str) -> None:
    labels = relation_labels()
    fh.write(_csv_head())
    for ex in extractions:
        fh.write(_csv_rows(ex, labels, base))


def _graphml_writer(extractions: Sequence[Extraction], quads: Sequence[ox.Quad], fh: IO[bytes], base: str) -> None:
    from .network import write_graphml

    write_graphml(extractions, fh, base, relation_labels())


_WRITERS: dict[str, _Writer] = {
    "ttl": _rdf_writer(ox.RdfFormat.TURTLE, dataset=False),
    "nq": _rdf_writer(ox.RdfFormat.N_QUADS, dataset=True),
    "trig": _rdf_writer(ox.RdfFormat.TRIG, dataset=True),
    "nt": _rdf_writer(ox.RdfFormat.N_TRIPLES, dataset=False),
    "jsonld": _rdf_writer(ox.RdfFormat.JSON_LD, dataset=True),
    "csv": _csv_writer,
    "graphml": _graphml_writer,
    "html": _html_writer,
}


def _writer(name: str, top: int | None = None) -> _Writer:
    """The writer of format ``name``; ``top`` keeps only that many actors in the page (``html``)."""
    if name == "html" and top is not None:
        return partial(_html_writer, top=top)
    return _WRITERS[name]


def _check_top(top: int | None, names: Sequence[str]) -> None:
    """Refuse a ``top`` that keeps no actor, or that is given without the page it trims.

    Raises:
        InputError: naming the value or the formats, and how to fix it.
    """
    if top is None:
        return
    if top < 1:
        raise InputError(f"top must be at least 1, got {top!r}; --top N keeps the N actors of highest degree")
    if "html" not in names:
        raise InputError(f"--top {top} trims only graph.html, which --formats {','.join(names)!r} does not write; "
                         "add html to --formats or drop --top")


def check_base(base: str) -> str:
    """The instance namespace, which must be an absolute http(s) IRI ending in ``/`` or ``#``.

    Raises:
        ExportError: naming the base and how to fix it.
    """
    if not base.startswith(("http://", "https://")) or not base.endswith(("/", "#")) or any(c in base for c in " <>\"{}|^`"):
        raise ExportError(f"--base {base!r} must be an http(s) IRI ending in '/' (for example https://example.org/kg/)")
    return base


def write_outputs(
    extractions: Sequence[Extraction], outdir: str | os.PathLike[str], formats: Sequence[str], base: str = DEFAULT_BASE,
    *, top: int | None = None,
) -> list[Path]:
    """Write every requested format into ``outdir``, all or nothing; returns the files written.

    Every file is first written to a temporary file in ``outdir``; only when all
    of them are complete are they renamed into place, so a failure leaves the
    folder as it was. ``top`` keeps only the N actors of highest degree in
    ``graph.html``; the other files stay complete.

    Raises:
        ExportError: for an unknown format, a bad base, or a file that cannot be written.
        InputError: for a ``top`` below 1, or a ``top`` without ``html`` in the formats.
    """
    names = resolve_formats(formats)
    check_base(base)
    _check_top(top, names)
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise ExportError(f"output path {str(out)!r} exists and is not a folder; choose another -o")
    quads = [q for ex in extractions for q in to_quads(ex, base)]
    staged: list[tuple[str, Path]] = []
    path = out
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name in names:
            path = out / FORMATS[name].filename
            if path.exists() and not path.is_file():
                raise ExportError(f"cannot write {str(path)!r}: it exists and is not a file; move it away")
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=out)
            staged.append((tmp, path))
            os.chmod(tmp, 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as fh:
                _writer(name, top)(extractions, quads, fh, base)
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as err:
        _discard(staged)
        raise ExportError(f"cannot write {str(path)!r}: {err.strerror or err}; check the folder and free space") from err
    except BaseException:
        _discard(staged)
        raise
    return [path for _, path in staged]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _discard(staged: list[tuple[str, Path]]) -> None:
    for tmp, _ in staged:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
