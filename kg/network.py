"""The networkx projection of a graph: actors and places as nodes, statements as edges.

The only module (with the HTML writer's layout) that imports networkx. The
projection keeps what an analyst filters on in Gephi, yEd or Cytoscape:
labels, types, relation, modality, attribution, confidence, document and
evidence sentences.

>>> from kg import Document, Lexicon, extract
>>> g = to_networkx([extract(Document("d1", "حاصرت قوات النظام مدينة دوما."), Lexicon.builtin())])
>>> [(d["relation"], d["modality"]) for _, _, d in g.edges(data=True)]
[('besieges', 'Asserted')]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, Any

import networkx as nx  # type: ignore[import-untyped]

from .model import Actor, Extraction
from .rdf import DEFAULT_BASE, actor_iri, document_iri

__all__ = ["to_networkx", "write_graphml", "rank_actors"]


def _node_attrs(actor: Actor | None, key: str) -> dict[str, object]:
    if actor is None:  # an actor a statement names but the document did not list: keep its key
        return {"label": key, "label_ar": key, "label_en": "", "type": "", "kind": key.split(":", 1)[0]}
    return {
        "label": actor.label_ar,
        "label_ar": actor.label_ar,
        "label_en": actor.label_en or "",
        "type": actor.type,
        "kind": "place" if actor.is_place else "actor",
    }


def to_networkx(
    extractions: Sequence[Extraction],
    base: str = DEFAULT_BASE,
    relation_labels: Mapping[str, tuple[str, str]] | None = None,
) -> nx.MultiDiGraph:
    """A directed multigraph: one node per actor or place (keyed by IRI), one edge per statement.

    Args:
        extractions: the documents.
        base: the instance namespace (node keys are IRIs).
        relation_labels: relation local name -> (Arabic, English) labels, for the edges.

    Returns:
        The graph; edge keys are statement IRIs.

    Raises:
        ExportError: when an IRI cannot be made from the base or a document id.
    """
    labels = relation_labels or {}
    g = nx.MultiDiGraph()
    for ex in extractions:
        actors = {a.key: a for a in ex.actors}
        doc = document_iri(ex.document.id, base).value
        texts = {s.index: s.text for s in ex.sentences}
        for n, st in enumerate(ex.statements, 1):
            ends = []
            for key in (st.subject, st.object):
                node = actor_iri(key, base).value
                if node not in g:
                    g.add_node(node, **_node_attrs(actors.get(key), key))
                ends.append(node)
            by = actors.get(st.attributed_to) if st.attributed_to else None
            ar, en = labels.get(st.predicate, (st.predicate, st.predicate))
            g.add_edge(
                ends[0], ends[1], key=f"{doc}#r{n}",
                label=ar,
                relation=st.predicate,
                relation_ar=ar,
                relation_en=en,
                modality=st.modality,
                attributed_to=actor_iri(st.attributed_to, base).value if st.attributed_to else "",
                attributed_to_label=(by.label_ar if by else st.attributed_to or ""),
                place=actor_iri(st.place, base).value if st.place else "",
                confidence=float(st.confidence),
                mentions=int(st.count),
                document=ex.document.id,
                sentence="\n".join(texts[i] for i in st.sentences if i in texts),
                statement=f"{doc}#r{n}",
            )
    return g


def write_graphml(
    extractions: Sequence[Extraction],
    fh: IO[bytes],
    base: str = DEFAULT_BASE,
    relation_labels: Mapping[str, tuple[str, str]] | None = None,
) -> None:
    """Write the projection as GraphML (UTF-8) to a binary file.

    Raises:
        ExportError: when an IRI cannot be made from the base or a document id.
    """
    nx.write_graphml(to_networkx(extractions, base, relation_labels), fh, encoding="utf-8", prettyprint=True)


def rank_actors(
    g: Any, *, seed: int, exact_max: int
) -> tuple[dict[str, int], dict[str, float], list[set[str]]]:
    """Degree (distinct neighbours), betweenness and Louvain communities of the actor graph.

    Args:
        g: the projection from :func:`to_networkx`.
        seed: seed for sampled betweenness and for Louvain, so results repeat.
        exact_max: above this many actors betweenness is sampled from that many sources.

    Returns:
        Degree by node, betweenness by node, and communities (sets of nodes).
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in g.edges() if u != v))
    degree = {n: int(k) for n, k in simple.degree()}
    if simple.number_of_nodes() > exact_max:
        between = nx.betweenness_centrality(simple, k=exact_max, seed=seed)
    else:
        between = nx.betweenness_centrality(simple)
    groups = nx.community.louvain_communities(simple, seed=seed) if simple.number_of_edges() else []
    return degree, {n: float(b) for n, b in between.items()}, [set(c) for c in groups]
