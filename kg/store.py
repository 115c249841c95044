"""Triple stores: a persistent Oxigraph store, SPARQL queries, and pushes to Graph Store endpoints.

- :func:`load_store` puts documents into an Oxigraph store on disk, one named
  graph per document; building a document again replaces its graph, so a store
  never holds duplicates or stale statements. The store also holds the
  ontology, in the graph named by the ontology's IRI.
- :func:`query` answers SPARQL 1.1 over RDF files, ``kg build`` output
  folders or a store; :func:`format_result` prints the answer as a table,
  CSV or JSON.
- :func:`push` loads each named graph into a SPARQL 1.1 Graph Store Protocol
  endpoint (Oxigraph, Virtuoso, Fuseki …) with ``PUT``, so pushing twice
  leaves the same data.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
import pyoxigraph as ox

from .errors import InputError, StoreError, _interrupt_deferred
from .lexicon import ontology_path
from .model import Extraction
from .rdf import DEFAULT_BASE, PREFIXES, document_iri, nquads
from .vocab import ONTOLOGY_IRI

__all__ = [
    "BUILD_FILES",
    "PushResult",
    "QueryResult",
    "StoreLoad",
    "StoreWriter",
    "format_result",
    "is_store",
    "load_store",
    "open_sources",
    "open_store",
    "push",
    "query",
    "read_quads",
    "read_query",
]

#: The files of a ``kg build`` output folder that a folder source is read from, in order of preference.
BUILD_FILES = ("graph.nq", "graph.trig", "graph.jsonld", "graph.ttl", "graph.nt")

_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_UPDATE = re.compile(r"^\s*(?:(?:PREFIX|BASE)\s[^\n]*\n\s*)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_QUERY_FILE = re.compile(r"\.(rq|sparql)$", re.IGNORECASE)


# --- the persistent store --------------------------------------------------


@dataclass(frozen=True)
class StoreLoad:
    """What :func:`load_store` did."""

    path: Path
    """The store folder."""
    documents: int
    """Documents written (each replacing its earlier graph, if any)."""
    quads: int
    """Quads written for those documents."""
    graphs: int
    """Document graphs the store holds now, old and new."""

    def summary(self) -> str:
        """One line for the build summary."""
        return (f"stored {_plural(self.documents, 'document')} ({_plural(self.quads, 'quad')}) in {self.path}; "
                f"it holds {_plural(self.graphs, 'document graph')}")


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def is_store(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a folder holding an Oxigraph (RocksDB) store."""
    p = Path(path)
    return p.is_dir() and (p / "CURRENT").is_file() and any(p.glob("OPTIONS-*"))


def open_store(path: str | os.PathLike[str], *, create: bool = False) -> ox.Store:
    """Open the Oxigraph store in folder ``path`` for reading and writing.

    Args:
        path: the store folder.
        create: make a new store when the folder is missing or empty.

    Returns:
        The open store; it is closed when the last reference to it goes.

    Raises:
        StoreError: the folder is not a store (or, with ``create``, holds other files),
            or another process (a ``kg`` command, an ``oxigraph serve``) has it open.
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise StoreError(f"store {str(p)!r} is a file, not a folder; give a folder for the Oxigraph store")
    if not is_store(p):
        if not create:
            raise StoreError(f"no Oxigraph store at {str(p)!r}; make one with: kg build INPUT --store {p}")
        if p.exists() and any(p.iterdir()):
            raise StoreError(f"folder {str(p)!r} holds files but is not an Oxigraph store; "
                             "give --store an empty or new folder")
    try:
        return ox.Store(str(p))
    except OSError as err:
        if re.search(r"LOCK\b|lock file|lock hold", str(err)):  # RocksDB's lock on the folder
            raise StoreError(f"store {str(p)!r} is in use by another process (a kg command or an oxigraph "
                             "server); wait for it to finish, or query the server's SPARQL endpoint") from err
        raise StoreError(f"cannot open store {str(p)!r}: {err}; check the folder and its permissions") from err


def _ontology_quads() -> list[ox.Quad]:
    graph = ox.NamedNode(ONTOLOGY_IRI)
    triples = ox.parse(path=ontology_path("kg.ttl"), format=ox.RdfFormat.TURTLE)
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]


class StoreWriter:
    """Documents' named graphs gathered during a build, written into an Oxigraph store by :meth:`commit`.

    The store is opened at once (so a store in use fails before any work);
    documents are spooled to a temporary file, so a build that fails before
    :meth:`commit` leaves the store as it was. At commit, each batch of
    documents replaces its graphs: one transaction drops them, one adds the
    new quads. Ctrl-C waits for the batch being written, so every graph is
    left whole, old or new (a crash in between can lose a batch, never
    duplicate it).

    Raises:
        StoreError: the store cannot be opened (see :func:`open_store`).
    """

    def __init__(self, path: str | os.PathLike[str], *, batch_size: int = 256) -> None:
        self.path = Path(path)
        self.batch_size = batch_size
        self._store: ox.Store | None = open_store(path, create=True)
        self._spool: IO[bytes] = tempfile.TemporaryFile()
        self._documents = 0

    def add_nquads(self, data: bytes) -> None:
        """Add one document's named graph, given as N-Quads (all in that document's graph)."""
        self._spool.write(data)
        self._documents += 1

    def add(self, extraction: Extraction, base: str = DEFAULT_BASE) -> None:
        """Add one document's named graph.

        Raises:
            ExportError: an IRI cannot be made from the base or the document id.
        """
        self.add_nquads(nquads(extraction, document_iri(extraction.document.id, base), base))

    def commit(self) -> StoreLoad:
        """Write the spooled documents into the store, replacing their earlier graphs, and close it.

        Raises:
            StoreError: the store cannot be written.
        """
        store = self._store
        assert store is not None, "commit() once"
        written = 0
        graphs: list[ox.NamedNode] = [ox.NamedNode(ONTOLOGY_IRI)]
        batch: list[ox.Quad] = _ontology_quads()
        try:
            self._spool.flush()
            self._spool.seek(0)
            for q in ox.parse(self._spool, format=ox.RdfFormat.N_QUADS):
                if q.graph_name != graphs[-1]:
                    if len(graphs) >= self.batch_size:
                        with _interrupt_deferred():
                            _replace_graphs(store, graphs, batch)
                        graphs, batch = [], []
                    assert isinstance(q.graph_name, ox.NamedNode)
                    graphs.append(q.graph_name)
                batch.append(q)
                written += 1
            if graphs:
                with _interrupt_deferred():
                    _replace_graphs(store, graphs, batch)
            store.flush()
            held = sum(1 for g in store.named_graphs() if g.value != ONTOLOGY_IRI)
        except OSError as err:
            raise StoreError(f"cannot write to store {str(self.path)!r}: {err}; "
                             "check the folder and free space") from err
        finally:
            self.discard()
        return StoreLoad(self.path, self._documents, written, held)

    def discard(self) -> None:
        """Close the store and drop what was spooled, without writing it."""
        self._store = None  # the last reference: RocksDB closes and unlocks the folder
        self._spool.close()


def _replace_graphs(store: ox.Store, graphs: Sequence[ox.NamedNode], quads: Sequence[ox.Quad]) -> None:
    store.update(" ;\n".join(f"DROP SILENT GRAPH <{g.value}>" for g in graphs))
    store.extend(quads)


def load_store(
    extractions: Iterable[Extraction],
    path: str | os.PathLike[str],
    base: str = DEFAULT_BASE,
    *,
    batch_size: int = 256,
) -> StoreLoad:
    """Write each document's named graph into the Oxigraph store at ``path``, replacing earlier versions.

    The store also gets the ontology, in the graph named by its IRI.

    Args:
        extractions: the documents to store.
        path: the store folder (created when missing).
        base: the instance namespace.
        batch_size: documents written per transaction.

    Returns:
        What was written, and how many document graphs the store holds.

    Raises:
        StoreError: the store cannot be opened or written.
        ExportError: an IRI cannot be made from the base or a document id.
    """
    writer = StoreWriter(path, batch_size=batch_size)
    try:
        for ex in extractions:
            writer.add(ex, base)
    except BaseException:
        writer.discard()
        raise
    return writer.commit()


# --- sources: files, build folders, a store --------------------------------


_EXTENSIONS = {
    "ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD, "rdf": ox.RdfFormat.RDF_XML, "owl": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML, "n3": ox.RdfFormat.N3,
}


def _file_format(path: Path) -> ox.RdfFormat:
    fmt = _EXTENSIONS.get(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise InputError(f"cannot tell the RDF format of {str(path)!r} from its extension; "
                         "name it .ttl, .nt, .nq, .trig, .jsonld or .rdf")
    return fmt


def _source_file(path: Path) -> Path:
    if path.is_dir():
        for name in BUILD_FILES:
            if (path / name).is_file():
                return path / name
        raise InputError(f"folder {str(path)!r} is neither a kg build output (no {', '.join(BUILD_FILES)}) "
                         "nor an Oxigraph store; give a graph file, a build folder or --store DIR")
    if not path.is_file():
        raise InputError(f"graph {str(path)!r} does not exist; give a graph file, a kg build folder or a store")
    return path


def open_sources(
    sources: Sequence[str | os.PathLike[str]], *, store: str | os.PathLike[str] | None = None
) -> ox.Store:
    """A store holding the sources: an on-disk store as is, or files loaded into memory.

    Args:
        sources: RDF files (format from the extension), ``kg build`` output folders
            (read through their ``graph.nq``, else ``graph.trig`` …), or one store folder.
        store: a store folder (the same as giving it in ``sources``).

    Returns:
        The store to query; files keep their named graphs.

    Raises:
        InputError: a missing or unreadable file, or no source at all.
        StoreError: a store that cannot be opened, or a store mixed with other sources.
    """
    items = [Path(s) for s in sources]
    if store is not None or any(is_store(p) for p in items):
        if len(items) + (store is not None) != 1:
            given = [str(p) for p in items] + ([str(store)] if store is not None else [])
            raise StoreError(f"give a store alone, without other graphs or stores (got {given!r}); "
                             "add files to a store with kg build … --store DIR")
        return open_store(store if store is not None else items[0])
    if not items:
        raise InputError("no graph given; name a graph file, a kg build folder, or --store DIR")
    memory = ox.Store()
    for item in items:
        path = _source_file(item)
        fmt = _file_format(path)
        try:
            memory.load(path=str(path), format=fmt)
        except SyntaxError as err:
            raise InputError(f"{str(path)!r} is not valid {fmt.name}: {err}; check the file or its extension") from err
        except OSError as err:
            raise InputError(f"cannot read {str(path)!r}: {err.strerror or err}") from err
    return memory


def read_quads(
    sources: Sequence[str | os.PathLike[str]], *, store: str | os.PathLike[str] | None = None
) -> Iterator[ox.Quad]:
    """Every quad of the sources, exactly as written.

    Files are parsed, not loaded into a store: an Oxigraph store keeps
    ``xsd:nonNegativeInteger`` and other integer types as ``xsd:integer``.

    Args:
        sources: RDF files, ``kg build`` output folders, or one store folder.
        store: a store folder to read.

    Raises:
        InputError: a missing or unparsable file, or no source at all.
        StoreError: a store that cannot be opened, or a store mixed with other sources.
    """
    items = [Path(s) for s in sources]
    if store is not None or any(is_store(p) for p in items):
        db = open_sources(sources, store=store)
        yield from db.quads_for_pattern(None, None, None, None)
        return
    if not items:
        raise InputError("no graph given; name a graph file, a kg build folder, or --store DIR")
    files = [(_source_file(p), p) for p in items]  # check every source before reading any
    for path, _ in files:
        fmt = _file_format(path)
        try:
            yield from ox.parse(path=str(path), format=fmt)
        except SyntaxError as err:
            raise InputError(f"{str(path)!r} is not valid {fmt.name}: {err}; check the file or its extension") from err
        except OSError as err:
            raise InputError(f"cannot read {str(path)!r}: {err.strerror or err}") from err


# --- queries ---------------------------------------------------------------


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SPARQL query."""

    kind: str
    """``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT and DESCRIBE)."""
    variables: tuple[str, ...] = ()
    """The SELECT variables, in order."""
    rows: tuple[tuple[object, ...], ...] = ()
    """SELECT solutions: one pyoxigraph term (or None when unbound) per variable."""
    boolean: bool | None = None
    """The ASK answer."""
    triples: tuple[ox.Triple, ...] = ()
    """The CONSTRUCT or DESCRIBE triples."""
    prefixes: tuple[tuple[str, str], ...] = ()
    """Prefixes to shorten IRIs with in a table: the query's own, then the profile's."""


def read_query(text_or_path: str) -> str:
    """The SPARQL text: ``text_or_path`` itself, or the content of the ``.rq``/``.sparql`` file it names.

    Raises:
        InputError: a named query file that does not exist or cannot be read.
    """
    candidate = text_or_path.strip()
    if _QUERY_FILE.search(candidate) and "\n" not in candidate and "{" not in candidate:
        try:
            return Path(candidate).read_text(encoding="utf-8-sig")
        except OSError as err:
            raise InputError(f"cannot read query file {candidate!r}: {err.strerror or err}") from err
    return text_or_path


def _prefixes(sparql: str) -> tuple[tuple[str, str], ...]:
    own = re.findall(r"PREFIX\s+([\w.-]*):\s*<([^>]*)>", sparql, re.IGNORECASE)
    known = {**PREFIXES(DEFAULT_BASE), "rdfs": _RDFS}
    merged = dict(own)
    for name, ns in known.items():
        if name not in merged and ns not in merged.values():
            merged[name] = ns
    return tuple(sorted(merged.items(), key=lambda kv: -len(kv[1])))


def query(
    sources: Sequence[str | os.PathLike[str]], sparql: str, *, store: str | os.PathLike[str] | None = None
) -> QueryResult:
    """Answer a SPARQL 1.1 query over graph files, build folders or a store.

    The default graph is the union of all graphs, so a query without ``GRAPH``
    sees every document (``GRAPH ?g { … }`` still names them one by one).

    Args:
        sources: graph files, ``kg build`` folders, or one store folder.
        sparql: the query text, or the path of a ``.rq`` file.
        store: a store folder to query.

    Returns:
        The solutions, the boolean or the triples.

    Raises:
        InputError: a query that does not parse, an update, or a bad source.
        StoreError: a store that cannot be opened or read.
    """
    text = read_query(sparql)
    db = open_sources(sources, store=store)
    try:
        answer = db.query(text, use_default_graph_as_union=True)
        if isinstance(answer, ox.QuerySolutions):
            names = tuple(v.value for v in answer.variables)
            rows = tuple(tuple(sol[i] for i in range(len(names))) for sol in answer)
            return QueryResult("select", names, rows, prefixes=_prefixes(text))
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer), prefixes=_prefixes(text))
        return QueryResult("graph", triples=tuple(answer), prefixes=_prefixes(text))
    except SyntaxError as err:
        if _UPDATE.match(text):
            raise InputError("kg query answers queries (SELECT, ASK, CONSTRUCT, DESCRIBE), not updates; "
                             "change a store by building its documents again") from err
        raise InputError(f"the SPARQL query does not parse: {err}; fix the query") from err
    except OSError as err:
        raise StoreError(f"cannot read the store: {err}") from err
    finally:
        del db


def _short(term: object, prefixes: Sequence[tuple[str, str]]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for name, ns in prefixes:
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{name}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(result: QueryResult) -> str:
    head = list(result.variables)
    body = [[_short(t, result.prefixes).replace("\n", " ") for t in row] for row in result.rows]
    widths = [max([_width(h), *(_width(r[i]) for r in body)]) for i, h in enumerate(head)]

    def line(cells: Sequence[str]) -> str:
        return " | ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()

    out = [line(head), "-+-".join("-" * w for w in widths)] if head else []
    out.extend(line(r) for r in body)
    out.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(out) + "\n"


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    assert isinstance(term, ox.Triple)
    return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                         "object": _json_term(term.object)}}


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """The answer as text: ``table`` (for people), ``csv`` or ``json`` (SPARQL 1.1 results formats).

    CONSTRUCT and DESCRIBE answers print as Turtle (``table``), as CSV rows of
    subject, predicate, object (``csv``), or as JSON-LD (``json``).

    Raises:
        InputError: an unknown format.
    """
    if fmt not in ("table", "csv", "json"):
        raise InputError(f"unknown result format {fmt!r}; choose table, csv or json")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if result.kind == "graph":
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\r\n")
            writer.writerow(["subject", "predicate", "object"])
            writer.writerows([_csv_value(t.subject), _csv_value(t.predicate), _csv_value(t.object)]
                             for t in result.triples)
            return buf.getvalue()
        rdf_format = ox.RdfFormat.JSON_LD if fmt == "json" else ox.RdfFormat.TURTLE
        prefixes = None if fmt == "json" else dict(result.prefixes)
        data = ox.serialize(result.triples, format=rdf_format, prefixes=prefixes)
        return data.decode("utf-8") if isinstance(data, bytes) else ""
    if fmt == "table":
        return _table(result)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(result.variables)
        writer.writerows([_csv_value(t) for t in row] for row in result.rows)
        return buf.getvalue()
    bindings = [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
    return json.dumps({"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1) + "\n"


# --- push to a Graph Store Protocol endpoint ---------------------------------


@dataclass(frozen=True)
class PushResult:
    """What :func:`push` sent."""

    endpoint: str
    """The Graph Store Protocol endpoint."""
    graphs: int
    """Named graphs written (one PUT each)."""
    triples: int
    """Triples sent, over all graphs."""

    def summary(self) -> str:
        """One line for the command line."""
        return f"pushed {_plural(self.graphs, 'graph')} ({_plural(self.triples, 'triple')}) to {self.endpoint}"


class _ChallengeAuth(httpx.Auth):
    """User and password, sent as the server asks: Digest (Virtuoso) or Basic (Fuseki, proxies).

    Nothing is sent until the server answers 401 with a challenge; the scheme
    it chose is then used for every later request of the push.
    """

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme is not None:
            yield from self._scheme.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        offered = [h.lower() for h in response.headers.get_list("www-authenticate")]
        if any(h.startswith("digest") for h in offered):
            self._scheme = self._digest
        elif any(h.startswith("basic") for h in offered):
            self._scheme = self._basic
        else:
            return
        flow = self._scheme.auth_flow(request)
        next(flow)
        try:
            # Digest answers the challenge we already have; Basic just adds its header.
            authed = flow.send(response) if self._scheme is self._digest else request
        except StopIteration:
            return
        answer = yield authed
        try:
            flow.send(answer)
        except StopIteration:
            pass


def _check_endpoint(endpoint: str) -> httpx.URL:
    try:
        url = httpx.URL(endpoint)
    except (httpx.InvalidURL, TypeError) as err:
        raise InputError(f"--endpoint {endpoint!r} is not a URL; give the Graph Store endpoint, "
                         "for example http://127.0.0.1:7878/store") from err
    if url.scheme not in ("http", "https") or not url.host:
        raise InputError(f"--endpoint {endpoint!r} must be an http(s) URL of a Graph Store Protocol endpoint, "
                         "for example http://127.0.0.1:7878/store")
    return url


def _graphs_to_push(quads: Iterable[ox.Quad]) -> Iterator[tuple[str, bytes, int]]:
    graphs: dict[str, list[ox.Triple]] = {}
    for q in quads:
        if not isinstance(q.graph_name, ox.NamedNode):
            raise InputError("the graph holds triples outside named graphs (Turtle or N-Triples); "
                             "push graph.nq or graph.trig, where each document is a named graph")
        graphs.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    for name in sorted(graphs):
        triples = graphs.pop(name)
        yield name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", len(triples)


#: Answers worth another try: the server is busy, restarting or behind a proxy that lost it
#: (Virtuoso answers 500 to a deadlock too). PUT replaces the graph, so sending it again is safe.
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


def _loaded(done: int, graph: str) -> str:
    return f"{_plural(done, 'graph')} of this push loaded before <{graph}>, each whole"


def _refusal(response: httpx.Response, graph: str, endpoint: str, done: int, attempts: int) -> StoreError:
    detail = " ".join(response.text.split())[:300]
    hint = {
        401: "give --user and --password (Basic or Digest) or a token in KG_PUSH_TOKEN",
        403: "the account may not write; use an account with update rights (Virtuoso: SPARQL_UPDATE) "
             "and the endpoint that takes it (Virtuoso: /sparql-graph-crud-auth)",
        404: "check the endpoint URL (Oxigraph: …/store, Virtuoso: …/sparql-graph-crud-auth, Fuseki: …/DATASET/data)",
        405: "the endpoint does not take PUT; check that it is a Graph Store Protocol endpoint",
        413: "the server refused a graph this large; raise its request size limit",
    }.get(response.status_code, "check the server's log")
    tries = f" ({attempts} tries)" if attempts > 1 else ""
    return StoreError(f"{endpoint!r} answered {response.status_code} {response.reason_phrase} for graph "
                      f"<{graph}>{tries}{': ' + detail if detail else ''}; {_loaded(done, graph)}; "
                      f"{hint}, then push again")


def push(
    sources: Sequence[str | os.PathLike[str]],
    endpoint: str,
    *,
    store: str | os.PathLike[str] | None = None,
    user: str | None = None,
    password: str | None = None,
    token: str | None = None,
    timeout: float = 60.0,
    retries: int = 2,
    backoff: float = 0.5,
    on_graph: Callable[[str], None] | None = None,
) -> PushResult:
    """Load every named graph of the sources into a SPARQL 1.1 Graph Store Protocol endpoint.

    Each graph is sent with ``PUT ENDPOINT?graph=IRI`` as N-Triples, which
    replaces that graph on the server: pushing twice leaves the same data. A
    graph goes in one request with its ``Content-Length``, so a server stores
    it whole or not at all; a push that fails names the graph and how many
    were loaded before it.

    Args:
        sources: graph files with named graphs (``graph.nq``, ``graph.trig``), build folders, or a store.
        endpoint: the Graph Store endpoint (Oxigraph ``http://host:7878/store``,
            Virtuoso ``http://host:8890/sparql-graph-crud-auth``, Fuseki ``http://host:3030/ds/data``).
        store: a store folder to push.
        user: user name, sent with Basic or Digest auth as the server asks.
        password: the user's password.
        token: a bearer token (instead of a user and password).
        timeout: seconds to wait for the server on each request.
        retries: further tries of a graph after a connection failure or a 429, 500, 502,
            503 or 504 answer (never after a timeout or another refusal).
        backoff: seconds to wait before the first further try, doubled before each next one.
        on_graph: called with each graph's IRI once it is written (progress).

    Returns:
        How many graphs and triples were sent.

    Raises:
        InputError: a bad endpoint URL, credentials given by halves, or a source without named graphs.
        StoreError: the endpoint could not be reached, timed out, or refused a graph (4xx or 5xx).
    """
    url = _check_endpoint(endpoint)
    if (user is None) != (password is None):
        raise InputError("give both --user and --password (or set KG_PUSH_PASSWORD), or neither")
    if token and user is not None:
        raise InputError("give either --user/--password or a token (KG_PUSH_TOKEN), not both")
    if timeout <= 0:
        raise InputError(f"--timeout {timeout!r} must be a positive number of seconds")
    if retries < 0 or backoff < 0:
        raise InputError(f"retries {retries!r} and backoff {backoff!r} must not be negative")
    auth = _ChallengeAuth(user, password) if user is not None and password is not None else None
    headers = {"Content-Type": "application/n-triples"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    todo = _graphs_to_push(read_quads(sources, store=store))
    graphs = triples = 0
    with httpx.Client(auth=auth, headers=headers, timeout=timeout) as client:
        for name, body, count in todo:
            _put(client, url, name, body, graphs, retries, backoff)
            graphs += 1
            triples += count
            if on_graph is not None:
                on_graph(name)
    return PushResult(str(url), graphs, triples)


def _put(client: httpx.Client, url: httpx.URL, graph: str, body: bytes, done: int, retries: int,
         backoff: float) -> None:
    """PUT one graph, trying again ``retries`` times when the server cannot be reached or is busy."""
    for attempt in range(1, retries + 2):
        try:
            response = client.put(url, params={"graph": graph}, content=body)
        except httpx.TimeoutException as err:
            if isinstance(err, httpx.ConnectTimeout) and attempt <= retries:
                time.sleep(backoff * 2 ** (attempt - 1))
                continue
            raise StoreError(f"{str(url)!r} did not answer within {client.timeout.read}s for graph <{graph}>; "
                             f"{_loaded(done, graph)}; raise --timeout or check the server, then push again") from err
        except httpx.TransportError as err:
            if attempt <= retries:
                time.sleep(backoff * 2 ** (attempt - 1))
                continue
            tries = f" ({attempt} tries)" if attempt > 1 else ""
            raise StoreError(f"cannot reach {str(url)!r}: {err}{tries}; {_loaded(done, graph)}; "
                             "check that the server runs and the URL, then push again") from err
        if response.status_code in _RETRY_STATUS and attempt <= retries:
            time.sleep(backoff * 2 ** (attempt - 1))
            continue
        if response.is_success:
            return
        raise _refusal(response, graph, str(url), done, attempt)
