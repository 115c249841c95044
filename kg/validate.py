"""SHACL validation: does a graph follow ``ontology/shapes.ttl``?

Each document's named graph is validated on its own (each must stand alone),
with the ontology mixed in so that ``sh:class`` sees the class hierarchy; a
graph without named graphs (Turtle, N-Triples) is validated as one graph.

>>> from kg import Document, Lexicon, extract
>>> from kg.rdf import to_quads
>>> ex = extract(Document("d1", "حاصرت قوات النظام مدينة دوما."), Lexicon.builtin())
>>> validate_quads(to_quads(ex)).conforms
True
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from .errors import OntologyError
from .lexicon import ontology_path
from .rdf import DEFAULT_BASE, PREFIXES, to_rdflib
from .store import read_quads
from .vocab import KG_NS, ONTOLOGY_IRI

__all__ = ["Problem", "ValidationReport", "SHAPES_IRI", "validate", "validate_quads"]

#: The IRI of the shapes graph (``ontology/shapes.ttl``).
SHAPES_IRI = "https://w3id.org/rawabit/shapes"

_ONTOLOGY_PREDICATES = frozenset({
    rdflib.RDF.type, rdflib.RDF.first, rdflib.RDF.rest, rdflib.RDFS.subClassOf, rdflib.RDFS.domain,
    rdflib.RDFS.range, rdflib.OWL.unionOf,
})
_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
_SHORT = {**PREFIXES(DEFAULT_BASE), "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "sh": str(SH)}


@dataclass(frozen=True)
class Problem:
    """One SHACL validation result."""

    severity: str
    """``Violation``, ``Warning`` or ``Info``."""
    graph: str | None
    """The named graph it was found in (None for the default graph)."""
    focus: str
    """The node that fails (for a graph-wide check, the offending node)."""
    path: str | None
    """The property, when the check is about one."""
    value: str | None
    """The offending value, when there is one."""
    message: str
    """What is wrong, in words."""

    def to_text(self) -> str:
        """One line: severity, node, property, message."""
        where = f"{_short(self.focus)}" + (f" {_short(self.path)}" if self.path else "")
        value = f" (value {_short(self.value)})" if self.value is not None and self.value != self.focus else ""
        return f"{self.severity}: {where}: {self.message}{value}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph."""

    conforms: bool
    """True when no result is a violation (warnings do not count)."""
    graphs: int
    """Graphs validated."""
    triples: int
    """Triples validated, over all graphs."""
    problems: tuple[Problem, ...]
    """Every result, violations first."""

    @property
    def violations(self) -> int:
        """How many results are violations."""
        return sum(1 for p in self.problems if p.severity == "Violation")

    def to_text(self, limit: int = 100) -> str:
        """A readable report: the problems grouped by graph (at most ``limit``), then a verdict line."""
        lines: list[str] = []
        shown = 0
        current: object = object()
        for p in self.problems[:limit]:
            if p.graph != current:
                current = p.graph
                lines.append(f"in graph {_short(p.graph) if p.graph else '(default)'}:")
            lines.append("  " + p.to_text())
            shown += 1
        if len(self.problems) > shown:
            lines.append(f"  … and {len(self.problems) - shown} more")
        warnings = len(self.problems) - self.violations
        bad_graphs = len({p.graph for p in self.problems if p.severity == "Violation"})
        counts = f"{self.violations} violation{'s' * (self.violations != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        where = f"{self.graphs} graph{'s' * (self.graphs != 1)}, {self.triples} triples"
        if self.conforms:
            lines.append(f"conforms ({where}; {counts})")
        else:
            lines.append(f"does not conform: {counts} in {bad_graphs} of {where}")
        return "\n".join(lines) + "\n"


def _short(iri: str | None) -> str:
    if iri is None:
        return ""
    for name, ns in sorted(_SHORT.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{name}:{iri[len(ns):]}"
    return f"<{iri}>" if "://" in iri else iri


@lru_cache(maxsize=1)
def _shapes_and_ontology() -> tuple[rdflib.Graph, rdflib.Graph]:
    try:
        shapes = rdflib.Graph().parse(ontology_path("shapes.ttl"), format="turtle")
        full = rdflib.Graph().parse(ontology_path("kg.ttl"), format="turtle")
    except (OSError, SyntaxError) as err:  # a broken installation
        raise OntologyError(f"cannot read the packaged shapes or ontology: {err}; reinstall rawabit") from err
    # What the shapes read of the ontology: the class hierarchy, domains and ranges (with their unions).
    ontology = rdflib.Graph()
    for triple in full:
        if triple[1] in _ONTOLOGY_PREDICATES:
            ontology.add(triple)
    return shapes, ontology


def _term(node: object) -> str | None:
    return None if node is None else str(node)


class _Graph(rdflib.Graph):
    """A data graph that parses each SPARQL text once per run: pyshacl sends the same texts for every graph."""

    def __init__(self, prepared: dict[str, Query]) -> None:
        super().__init__()
        self._prepared = prepared

    def query(self, query_object, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(query_object, str):
            prepared = self._prepared.get(query_object)
            if prepared is None:
                prepared = self._prepared[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


def _problems(results: rdflib.Graph, graph: str | None) -> list[Problem]:
    out = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        focus = _term(results.value(result, SH.focusNode)) or ""
        value = _term(results.value(result, SH.value))
        path = results.value(result, SH.resultPath)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        if focus.startswith(KG_NS) and value is not None:
            focus = value  # a graph-wide check: its focus is the class, the offender is the value
        message = _IRI.sub(lambda m: _short(m.group(0)), "; ".join(messages)) or "does not conform"
        out.append(Problem(severity, graph, focus, _term(path) if isinstance(path, rdflib.URIRef) else None,
                           value, message))
    return out


def _validate_graph(quads: list[ox.Quad], graph: str | None, prepared: dict[str, Query]) -> list[Problem]:
    import pyshacl

    shapes, ontology = _shapes_and_ontology()
    data = _Graph(prepared)
    data += ontology  # mixed in here rather than by pyshacl, which would copy the data graph
    for s, p, o in to_rdflib(ox.Quad(q.subject, q.predicate, q.object) for q in quads).default_graph:
        data.add((s, p, o))
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False,
        allow_infos=True, allow_warnings=True, abort_on_first=False,
    )
    return _problems(results, graph)


def _order(p: Problem) -> tuple[object, ...]:
    return (p.graph or "", p.severity != "Violation", p.focus, p.path or "", p.message)


def validate_quads(quads: Iterable[ox.Quad]) -> ValidationReport:
    """Validate quads against the shapes, each named graph on its own.

    Args:
        quads: the quads (for example ``kg.rdf.to_quads(extraction)``).

    Returns:
        The report; ``conforms`` is False when any result is a violation.

    Raises:
        OntologyError: the packaged shapes or ontology cannot be read.
    """
    by_graph: dict[str | None, list[ox.Quad]] = {}
    for q in quads:
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
        if name in (ONTOLOGY_IRI, SHAPES_IRI):
            continue  # vocabulary, not data
        by_graph.setdefault(name, []).append(q)
    problems: list[Problem] = []
    prepared: dict[str, Query] = {}
    for name in sorted(by_graph, key=lambda n: n or ""):
        problems.extend(_validate_graph(by_graph[name], name, prepared))
    problems.sort(key=_order)
    return ValidationReport(
        conforms=not any(p.severity == "Violation" for p in problems),
        graphs=len(by_graph),
        triples=sum(len(v) for v in by_graph.values()),
        problems=tuple(problems),
    )


def validate(
    sources: Sequence[str | os.PathLike[str]], *, store: str | os.PathLike[str] | None = None
) -> ValidationReport:
    """Validate graph files, ``kg build`` folders or a store against ``ontology/shapes.ttl``.

    Args:
        sources: RDF files (format from the extension), build folders, or one store folder.
        store: a store folder to validate.

    Returns:
        The report.

    Raises:
        InputError: a missing or unparsable file.
        StoreError: a store that cannot be opened.
    """
    return validate_quads(read_quads(sources, store=store))
