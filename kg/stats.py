"""Analytics of a built graph: counts, the most central actors and communities.

:func:`read_stats` reads a graph file (``.nq``, ``.trig``, ``.ttl``, ``.nt``)
or a ``kg build`` output folder through pyoxigraph, turns its statements back
into :class:`~kg.model.Extraction` objects and projects them with
:func:`kg.network.to_networkx`, the same projection ``graph.graphml`` is
written from. The graph algorithms (degree, betweenness, Louvain communities)
run on that projection; :meth:`GraphStats.to_text` prints them and
``plot=`` draws relation counts by type and, when documents have dates, by
day (matplotlib, Agg backend).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox

from .errors import ExportError, InputError, KGError
from .export import relation_labels
from .model import MODALITIES, Actor, Document, Extraction, Sentence, Statement
from .network import rank_actors, to_networkx
from .rdf import DEFAULT_BASE
from .store import open_sources

__all__ = ["GraphStats", "read_stats"]

_KG = "https://w3id.org/rawabit/ontology#"
_LOUVAIN_SEED = 20180312
_BETWEENNESS_EXACT_MAX = 1000
_DOC_IRI = re.compile(r"^(?P<base>.*/)doc/(?P<id>[^/#]+)$")
_ACTOR_IRI = re.compile(r"/(?P<kind>actor|place)/(?P<slug>[^/#]+)$")
_FRAGMENT = re.compile(r"#[rs](?P<n>\d+)$")
_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")

_STATEMENTS = f"""
PREFIX kg: <{_KG}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?st ?s ?p ?o ?mod ?by ?place ?conf ?count ?cue WHERE {{
  ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:modality ?mod .
  OPTIONAL {{ ?st kg:attributedTo ?by }}
  OPTIONAL {{ ?st kg:place ?place }}
  OPTIONAL {{ ?st kg:confidence ?conf }}
  OPTIONAL {{ ?st kg:mentionCount ?count }}
  OPTIONAL {{ ?st kg:cue ?cue }}
}}"""
_EVIDENCE = f"""
PREFIX kg: <{_KG}>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?st ?sent ?text WHERE {{
  ?st a kg:Statement ; prov:wasDerivedFrom ?sent . ?sent kg:text ?text .
}}"""
_ACTORS = f"""
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?a ?type ?label WHERE {{
  ?a a ?type . FILTER(STRSTARTS(STR(?type), "{_KG}"))
  OPTIONAL {{ ?a skos:prefLabel ?label }}
}}"""
_DOCUMENTS = f"""
PREFIX kg: <{_KG}>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?d ?id ?date WHERE {{
  ?d a kg:Document . OPTIONAL {{ ?d dct:identifier ?id }} OPTIONAL {{ ?d dct:date ?date }}
}}"""


@dataclass(frozen=True)
class GraphStats:
    """What ``kg stats`` reports about a graph."""

    documents: int
    """Number of documents."""
    actors_by_type: tuple[tuple[str, int], ...]
    """(actor type, number of actors and places in statements), most first."""
    relations: tuple[tuple[str, tuple[int, ...]], ...]
    """(relation, statements per modality in :data:`~kg.model.MODALITIES` order), most first."""
    by_degree: tuple[tuple[str, str, int], ...]
    """(actor IRI, label, number of distinct neighbours), most central first."""
    by_betweenness: tuple[tuple[str, str, float], ...]
    """(actor IRI, label, normalised betweenness), most central first."""
    communities: tuple[tuple[str, ...], ...]
    """Labels of the members of each Louvain community of 2 or more, largest first."""
    by_day: tuple[tuple[str, int], ...]
    """(ISO day, statements in documents of that day), for documents with a date."""

    @property
    def statements(self) -> int:
        """Number of statements."""
        return sum(sum(counts) for _, counts in self.relations)

    def to_text(self, limit: int = 10) -> str:
        """The report as plain text, one section per heading.

        Args:
            limit: Rows of the centrality sections and communities to print.

        Returns:
            The report, ending with a newline.
        """
        n_actors = sum(n for _, n in self.actors_by_type)
        out = [f"Graph: {self.documents} documents, {n_actors} actors, {self.statements} statements", ""]
        out.append("Actors by type")
        out += [f"  {name or 'unknown type':<28} {n:>6}" for name, n in self.actors_by_type]
        out += ["", "Relations by type and modality"]
        out.append(f"  {'relation':<20} " + " ".join(f"{m:>9}" for m in MODALITIES) + f" {'total':>9}")
        for name, counts in self.relations:
            out.append(f"  {name:<20} " + " ".join(f"{c:>9}" for c in counts) + f" {sum(counts):>9}")
        out += ["", "Most central actors by degree (distinct neighbours)"]
        out += [f"  {i:>3}. {d:>6}  {label}  <{iri}>" for i, (iri, label, d) in
                enumerate(self.by_degree[:limit], 1)]
        out += ["", "Most central actors by betweenness"]
        out += [f"  {i:>3}. {b:>8.4f}  {label}  <{iri}>" for i, (iri, label, b) in
                enumerate(self.by_betweenness[:limit], 1)]
        out += ["", f"Communities (Louvain): {len(self.communities)} of 2 or more actors"]
        for i, members in enumerate(self.communities[:limit], 1):
            shown = " · ".join(members[:8]) + (" …" if len(members) > 8 else "")
            out.append(f"  {i:>3}. {len(members):>4} actors: {shown}")
        if self.by_day:
            out += ["", "Statements by day"]
            out += [f"  {day}  {n:>6}" for day, n in self.by_day]
        return "\n".join(out) + "\n"

    def write_plot(self, path: str | os.PathLike[str]) -> None:
        """Draw relation counts by type (and by day, when documents have dates) as a PNG.

        Args:
            path: The PNG to write.

        Raises:
            ExportError: The file could not be written.
        """
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        rows = 2 if self.by_day else 1
        fig, axes = plt.subplots(rows, 1, figsize=(9, 4.5 * rows), squeeze=False)
        try:
            ax = axes[0][0]
            names = [name for name, _ in self.relations][::-1]
            left = [0] * len(names)
            colors = {"Asserted": "#4d4d4d", "Claimed": "#9e9e9e", "Denied": "#d62728"}
            for m, modality in enumerate(MODALITIES):
                values = [counts[m] for _, counts in self.relations][::-1]
                ax.barh(names, values, left=left, color=colors.get(modality, "#777777"), label=modality)
                left = [a + b for a, b in zip(left, values)]
            ax.set_title("Statements by relation and modality")
            ax.set_xlabel("statements")
            if names:
                ax.legend(loc="lower right")
            if self.by_day:
                ax2 = axes[1][0]
                ax2.bar([d for d, _ in self.by_day], [n for _, n in self.by_day], color="#4e79a7")
                ax2.set_title("Statements by day")
                ax2.set_ylabel("statements")
                ax2.tick_params(axis="x", labelrotation=45)
            fig.tight_layout()
            fig.savefig(os.fspath(path), format="png", dpi=100, metadata={"Software": None})
        except OSError as err:
            raise ExportError(f"cannot write the plot {os.fspath(path)!r}: {err.strerror or err}; "
                              "check that the folder exists and is writable") from err
        finally:
            plt.close(fig)


def read_stats(
    source: str | os.PathLike[str], *, plot: str | os.PathLike[str] | None = None
) -> GraphStats:
    """Read a graph and compute its statistics (and draw them, when asked).

    Args:
        source: A graph file (``.nq``, ``.trig``, ``.ttl``, ``.nt``, ``.jsonld``)
            or a ``kg build`` output folder.
        plot: Write a PNG of relation counts (and statements by day) here.

    Returns:
        The statistics.

    Raises:
        InputError: The graph file is missing, unreadable or not valid RDF.
        ExportError: The plot could not be written.
    """
    path = Path(source)
    if not path.exists():
        raise InputError(f"graph {str(path)!r} does not exist; give graph.nq, graph.ttl or a kg build folder")
    try:
        db = open_sources([path])
    except KGError as err:
        raise InputError(str(err)) from err
    extractions, dates = _extractions(db)
    bases = sorted({m["base"] for d in _select(db, _DOCUMENTS) if (m := _DOC_IRI.match(_value(d[0]) or ""))})
    stats = _compute(extractions, dates, bases[0] if bases else DEFAULT_BASE)
    if plot is not None:
        stats.write_plot(plot)
    return stats


def _select(db: ox.Store, sparql: str) -> list[list[object | None]]:
    """Rows of a SELECT over the union of all graphs.

    Args:
        db: The store.
        sparql: The query.

    Returns:
        One list of terms per solution.
    """
    answer = db.query(sparql, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QuerySolutions)
    width = len(answer.variables)
    return [[sol[i] for i in range(width)] for sol in answer]


def _value(term: object | None) -> str | None:
    """The lexical value of a term, or None.

    Args:
        term: A pyoxigraph term or None.

    Returns:
        Its value.
    """
    return None if term is None else str(getattr(term, "value", term))


def _key(iri: str) -> str:
    """The actor key of an actor or place IRI (``actor:x``), or the IRI itself.

    Args:
        iri: The IRI.

    Returns:
        The key.

    >>> _key("https://w3id.org/rawabit/id/actor/jaysh-al-islam")
    'actor:jaysh-al-islam'
    """
    match = _ACTOR_IRI.search(iri)
    return f"{match['kind']}:{unquote(match['slug'])}" if match else iri


def _local(iri: str) -> str:
    """The local name of an ontology IRI.

    Args:
        iri: The IRI.

    Returns:
        What follows the last ``#`` or ``/``.
    """
    return re.split(r"[#/]", iri)[-1]


def _extractions(db: ox.Store) -> tuple[list[Extraction], dict[str, str]]:
    """Rebuild one extraction per document from the statements of a store.

    Args:
        db: The store holding the graph.

    Returns:
        The extractions (sorted by document IRI) and document id to ISO day.
    """
    docs: dict[str, tuple[str, str | None]] = {}
    for d, doc_id, date in _select(db, _DOCUMENTS):
        iri = _value(d) or ""
        docs.setdefault(iri, (_value(doc_id) or iri, _value(date)))
    types: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {}
    for a, t, label in _select(db, _ACTORS):
        iri, local = _value(a) or "", _local(_value(t) or "")
        if local in ("Document", "Sentence", "Mention", "Statement", "Actor"):
            continue
        types[iri] = min(types.get(iri, local), local)
        if isinstance(label, ox.Literal):
            lang = label.language or ""
            found = labels.setdefault(iri, {})
            found[lang] = min(found.get(lang, label.value), label.value)
    evidence: dict[str, list[tuple[int, str]]] = {}
    for st, sent, text in _select(db, _EVIDENCE):
        match = _FRAGMENT.search(_value(sent) or "")
        index = int(match["n"]) - 1 if match else 0
        evidence.setdefault(_value(st) or "", []).append((index, _value(text) or ""))
    grouped: dict[str, list[tuple[int, Statement]]] = {}
    for st, s, p, o, mod, by, place, conf, count, cue in _select(db, _STATEMENTS):
        iri = _value(st) or ""
        doc_iri, _, _ = iri.partition("#")
        match = _FRAGMENT.search(iri)
        found_sents = sorted(set(evidence.get(iri, [])))
        statement = Statement(
            subject=_key(_value(s) or ""),
            predicate=_local(_value(p) or ""),
            object=_key(_value(o) or ""),
            modality=_local(_value(mod) or ""),
            cue=_value(cue) or "",
            confidence=float(_value(conf) or 0.0),
            sentences=tuple(i for i, _ in found_sents),
            attributed_to=_key(_value(by) or "") if by is not None else None,
            place=_key(_value(place) or "") if place is not None else None,
            count=int(_value(count) or 1),
        )
        grouped.setdefault(doc_iri, []).append((int(match["n"]) if match else 0, statement))
    texts: dict[str, dict[int, str]] = {}
    for st_iri, items in evidence.items():
        for index, text in items:
            texts.setdefault(st_iri.partition("#")[0], {})[index] = text
    extractions = []
    dates: dict[str, str] = {}
    for doc_iri in sorted(set(grouped) | set(docs)):
        doc_id, date = docs.get(doc_iri, (_doc_id(doc_iri), None))
        statements = [st for _, st in sorted(grouped.get(doc_iri, []), key=lambda x: x[0])]
        keys = sorted({k for st in statements for k in (st.subject, st.object)})
        iris = {_key(i): i for i in types}
        actors = tuple(
            Actor(
                key=k,
                type=types.get(iris.get(k, ""), ""),
                label_ar=labels.get(iris.get(k, ""), {}).get("ar", k),
                label_en=labels.get(iris.get(k, ""), {}).get("en"),
            )
            for k in keys
            if k in iris
        )
        sentences = tuple(
            Sentence(index=i, start=0, end=len(t), text=t) for i, t in sorted(texts.get(doc_iri, {}).items())
        )
        extractions.append(Extraction(Document(doc_id, "", date=date), sentences, actors, (), tuple(statements)))
        day = _DAY.match(date or "")
        if day:
            dates[doc_id] = day[1]
    return extractions, dates


def _doc_id(doc_iri: str) -> str:
    """The document id of a document IRI.

    Args:
        doc_iri: The IRI.

    Returns:
        Its last segment, percent-decoded.
    """
    match = _DOC_IRI.match(doc_iri)
    return unquote(match["id"]) if match else doc_iri


def _compute(extractions: Sequence[Extraction], dates: Mapping[str, str], base: str) -> GraphStats:
    """Count and rank over the networkx projection of the extractions.

    Args:
        extractions: The documents.
        dates: Document id to ISO day.
        base: The instance namespace of the graph.

    Returns:
        The statistics.
    """
    g = to_networkx(extractions, base, relation_labels())
    by_type = Counter(str(d.get("type") or "") for _, d in g.nodes(data=True))
    per_relation: dict[str, list[int]] = {}
    day_counts: Counter[str] = Counter()
    for _, _, d in g.edges(data=True):
        counts = per_relation.setdefault(str(d["relation"]), [0] * len(MODALITIES))
        if d["modality"] in MODALITIES:
            counts[MODALITIES.index(d["modality"])] += 1
        day = dates.get(str(d["document"]))
        if day is not None:
            day_counts[day] += 1
    degree_of, between, groups = rank_actors(g, seed=_LOUVAIN_SEED, exact_max=_BETWEENNESS_EXACT_MAX)
    label = {n: str(d.get("label") or n) for n, d in g.nodes(data=True)}
    degree = sorted(((n, label[n], k) for n, k in degree_of.items()), key=lambda r: (-r[2], r[0]))
    by_between = sorted(((n, label[n], round(b, 6)) for n, b in between.items()), key=lambda r: (-r[2], r[0]))
    communities = sorted(
        (tuple(label[n] for n in sorted(c, key=lambda n: (-degree_of[n], n))) for c in groups if len(c) > 1),
        key=lambda c: (-len(c), c),
    )
    return GraphStats(
        documents=len(extractions),
        actors_by_type=tuple(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))),
        relations=tuple(sorted(((k, tuple(v)) for k, v in per_relation.items()), key=lambda kv: (-sum(kv[1]), kv[0]))),
        by_degree=tuple(degree),
        by_betweenness=tuple(by_between),
        communities=tuple(communities),
        by_day=tuple(sorted(day_counts.items())),
    )
