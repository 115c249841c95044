"""Write the interactive graph page: actors as nodes, statements as edges.

The only module that imports pyvis. pyvis 0.3.2 is used for what it does well
(the vis-network data model and page template) and its traps are worked
around here:

- the page is made with ``Network.generate_html()`` and written by
  :func:`write_html` as UTF-8 through a temporary file and ``os.replace``;
- every ``<script src>`` and ``<link>`` the template emits is removed and the
  JavaScript and CSS shipped inside the pyvis package (vis-network 9.1.2 and
  pyvis' bindings) are inlined, so the page needs no network at all;
- every string that came from an input is escaped with :func:`html.escape`
  before it reaches pyvis; the data is embedded by the template's ``tojson``
  filter, which writes ``<``, ``>``, ``&`` and ``'`` as ``\\u003c`` etc., so
  no input can close the ``<script>`` block;
- vis-network 9 shows a string ``title`` as plain text, so the tooltip markup
  travels in an ``info`` field that pyvis never looks at and a small script
  turns it into an element (and decodes the escaped canvas labels) in the
  browser;
- options go in as a dict, never through ``set_options()``.

The side panel has the legend and the controls, plain HTML and JavaScript
inlined in the page: filters by relation, by actor type and by minimum
evidence (sentences stating an edge), search by Arabic or English name, and
the neighbourhood of one actor. Nodes are sized by degree, edges are as wide
as the number of sentences that state them; an edge's tooltip lists the first
:data:`EVIDENCE_SHOWN` of them, so the page grows with the graph, not the corpus
(:class:`PageGraph` folds documents in one at a time).

Output is deterministic: nodes and edges are sorted, positions come from a
seeded ``networkx.spring_layout`` and physics is off above 300 nodes;
``top=N`` keeps only the N actors of highest degree.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import networkx as nx  # type: ignore[import-untyped]
from pyvis.edge import Edge  # type: ignore[import-untyped]
from pyvis.network import Network  # type: ignore[import-untyped]

from kg.errors import ExportError
from kg.model import ACTOR_TYPES, MODALITIES, Actor, Extraction

__all__ = ["EVIDENCE_SHOWN", "PageGraph", "generate_html", "write_html"]

_FONT_STACK = '"Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "DejaVu Sans", sans-serif'
_LAYOUT_SEED = 20180312
_PHYSICS_MAX_NODES = 300
_SPRING_MAX_NODES = 1500
_VIS_DIR = "vis-9.1.2"

#: Node colour and vis-network shape per actor type.
_TYPE_STYLES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "Person": ("#4e79a7", "dot"),
        "State": ("#f28e2b", "square"),
        "Government": ("#e15759", "diamond"),
        "StateForces": ("#b07aa1", "triangle"),
        "ArmedGroup": ("#8c564b", "triangleDown"),
        "PoliticalGroup": ("#59a14f", "hexagon"),
        "InternationalOrganization": ("#17becf", "star"),
        "NGO": ("#edc948", "star"),
        "MediaOutlet": ("#ff9da7", "diamond"),
        "Civilians": ("#bcbd22", "dot"),
        "Place": ("#76b7b2", "square"),
    }
)
_UNKNOWN_STYLE = ("#9e9e9e", "dot")

#: Edge colour and dash pattern (dash, gap) per modality; no pattern: a solid line.
_MODALITY_STYLES: Mapping[str, tuple[str, tuple[int, ...]]] = MappingProxyType(
    {
        "Asserted": ("#4d4d4d", ()),
        "Claimed": ("#7f7f7f", (10, 6)),
        "Denied": ("#d62728", (3, 5)),
    }
)

_SVG_SHAPES: Mapping[str, str] = MappingProxyType(
    {
        "dot": '<circle cx="9" cy="9" r="7"/>',
        "square": '<rect x="2" y="2" width="14" height="14"/>',
        "diamond": '<polygon points="9,1 17,9 9,17 1,9"/>',
        "triangle": '<polygon points="9,2 17,16 1,16"/>',
        "triangleDown": '<polygon points="1,2 17,2 9,16"/>',
        "hexagon": '<polygon points="5,2 13,2 17,9 13,16 5,16 1,9"/>',
        "star": (
            '<polygon points="9,1 11.2,6.6 17,6.9 12.5,10.6 14,16.4 9,13.2 4,16.4 5.5,10.6'
            ' 1,6.9 6.8,6.6"/>'
        ),
    }
)

_CSS = """
html, body { margin: 0; padding: 0; }
body {
  font-family: __FONT__;
  color: #222; background: #fff;
  height: 100vh; overflow: hidden;
  display: grid;
  grid-template-columns: 19rem minmax(0, 1fr);
  grid-template-rows: auto minmax(0, 1fr);
  grid-template-areas: "head head" "side graph";
}
#kg-header { grid-area: head; padding: 0.3rem 1rem; border-bottom: 1px solid #ddd; }
#kg-header h1 { font-size: 1.5rem; margin: 0; }
#kg-stats { margin: 0 0 0.2rem; color: #555; font-size: 0.95rem; text-align: right; }
#kg-side {
  grid-area: side; padding: 0.3rem 0.8rem; font-size: 0.9rem;
  border-inline-end: 1px solid #ddd; min-height: 0; overflow: auto;
}
#kg-side h2 { font-size: 1rem; margin: 0.6rem 0 0.3rem; }
#kg-legend, #kg-lines { list-style: none; margin: 0; padding: 0; }
#kg-legend li, #kg-lines li { display: flex; align-items: center; gap: 0.4rem; margin: 0.15rem 0; }
#kg-side svg { flex: none; }
#kg-details { font-size: 0.9rem; line-height: 1.6; overflow-wrap: anywhere; }
div.card { grid-area: graph; min-width: 0; min-height: 0; height: 100%; }
#mynetwork { float: none; width: 100%; height: 100%; box-sizing: border-box; border: none; }
#loadingBar { grid-area: graph; position: relative; width: 100%; height: 100%; }
div.vis-tooltip {
  font-family: __FONT__;
  font-size: 14px; direction: rtl; text-align: right;
  white-space: normal; max-width: 34rem; line-height: 1.6; overflow-wrap: anywhere;
}
.kg-tip ol { margin: 0.2rem 0; padding-inline-start: 1.4rem; }
.kg-tip .kg-doc { color: #555; font-size: 0.85em; }
.kg-tip .kg-en, .kg-tip code { direction: ltr; unicode-bidi: isolate; }
#kg-relations { list-style: none; margin: 0; padding: 0; }
#kg-relations li, #kg-legend li { margin: 0.1rem 0; }
#kg-relations label, #kg-legend label { display: flex; align-items: center; gap: 0.35rem; }
#kg-side input[type="search"] { width: 100%; box-sizing: border-box; font: inherit; }
#kg-side input[type="number"] { width: 4.5rem; font: inherit; }
#kg-side button { font: inherit; font-size: 0.85rem; margin: 0.2rem 0 0; }
#kg-search-result { margin: 0.2rem 0; min-height: 1.2em; color: #555; }
.kg-count { color: #777; font-size: 0.85em; }
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var kgConfig = __KG_CONFIG__;
  function decode(text) {
    var box = document.createElement("textarea");
    box.innerHTML = text;
    return box.value;
  }
  function tip(markup) {
    var div = document.createElement("div");
    div.className = "kg-tip";
    div.setAttribute("dir", "rtl");
    div.innerHTML = markup;
    return div;
  }
  var nodeUpdates = [];
  nodes.forEach(function (n) {
    nodeUpdates.push({
      id: n.id, label: decode(n.label), title: tip(n.info),
      kgtype: decode(n.kgtype), name_ar: decode(n.name_ar), name_en: decode(n.name_en)
    });
  });
  nodes.update(nodeUpdates);
  var edgeUpdates = [];
  edges.forEach(function (e) {
    edgeUpdates.push({
      id: e.id, label: decode(e.label), title: tip(e.info), relation: decode(e.relation)
    });
  });
  edges.update(edgeUpdates);
  var details = document.getElementById("kg-details");
  network.on("click", function (params) {
    var item = null;
    if (params.nodes.length > 0) {
      item = nodes.get(params.nodes[0]);
    } else if (params.edges.length > 0) {
      item = edges.get(params.edges[0]);
    }
    if (item !== null && details !== null) {
      details.innerHTML = item.info;
    }
  });
  var denied = document.getElementById("kg-show-denied");
  var minBox = document.getElementById("kg-min-evidence");
  var focusButton = document.getElementById("kg-focus");
  var allButton = document.getElementById("kg-show-all");
  var search = document.getElementById("kg-search");
  var searchButton = document.getElementById("kg-search-go");
  var found = document.getElementById("kg-search-result");
  var boxes = document.querySelectorAll("input.kg-rel, input.kg-type");
  var focused = null;
  // Forms keep their state across a reload: start from what the page shows.
  denied.checked = false;
  minBox.value = "1";
  search.value = "";
  boxes.forEach(function (b) { b.checked = true; });
  function ticked(selector, attribute) {
    var out = {};
    document.querySelectorAll(selector).forEach(function (b) {
      out[b.getAttribute(attribute)] = b.checked;
    });
    return out;
  }
  function apply() {
    var relations = ticked("input.kg-rel", "data-relation");
    var types = ticked("input.kg-type", "data-type");
    var least = parseInt(minBox.value, 10);
    if (!(least > 1)) { least = 1; }
    var showDenied = denied.checked;
    var nodeOk = {};
    nodes.forEach(function (n) { nodeOk[n.id] = types[n.kgtype] !== false; });
    var edgeOk = {};
    var near = null;
    if (focused !== null) { near = {}; near[focused] = true; }
    edges.forEach(function (e) {
      var ok = relations[e.relation] !== false && e.evidence >= least &&
        (e.modality !== "Denied" || showDenied) && nodeOk[e.from] && nodeOk[e.to];
      edgeOk[e.id] = ok;
      if (ok && near !== null && (e.from === focused || e.to === focused)) {
        near[e.from] = true;
        near[e.to] = true;
      }
    });
    var nodeChanges = [];
    nodes.forEach(function (n) {
      var hidden = !(nodeOk[n.id] && (near === null || near[n.id] === true));
      if (hidden !== (n.hidden === true)) { nodeChanges.push({id: n.id, hidden: hidden}); }
    });
    var edgeChanges = [];
    edges.forEach(function (e) {
      var hidden = !(edgeOk[e.id] && (near === null || (near[e.from] === true && near[e.to] === true)));
      if (hidden !== (e.hidden === true)) { edgeChanges.push({id: e.id, hidden: hidden}); }
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    document.body.setAttribute("data-kg-focus", focused === null ? "" : focused);
  }
  function fold(text) {
    // Lower case; Arabic without diacritics or tatweel, alef forms, alef maqsura and ta marbuta folded.
    return (text || "").toLowerCase()
      .replace(/[\u064B-\u065F\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064A")
      .replace(/\u0629/g, "\u0647")
      .replace(/\s+/g, " ").trim();
  }
  function lookup(query) {
    var q = fold(query);
    if (q === "") { return null; }
    var exact = null;
    var partial = null;
    nodes.forEach(function (n) {
      var ar = fold(n.name_ar);
      var en = fold(n.name_en);
      if (ar === q || en === q) {
        if (exact === null) { exact = n.id; }
      } else if (partial === null && (ar.indexOf(q) >= 0 || (en !== "" && en.indexOf(q) >= 0))) {
        partial = n.id;
      }
    });
    return exact !== null ? exact : partial;
  }
  function select(id) {
    var node = nodes.get(id);
    if (node.hidden === true) {
      focused = null;
      minBox.value = "1";
      boxes.forEach(function (b) { b.checked = true; });
      apply();
    }
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: false});
    details.innerHTML = node.info;
    found.textContent = node.label;
  }
  function find() {
    var id = lookup(search.value);
    if (id === null) {
      found.textContent = "\u2205";
      network.unselectAll();
      return;
    }
    select(id);
  }
  function focusOn(id) {
    focused = id;
    apply();
    network.selectNodes([id]);
    network.fit({animation: false});
  }
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); find(); }
  });
  search.addEventListener("change", find);
  searchButton.addEventListener("click", find);
  focusButton.addEventListener("click", function () {
    var chosen = network.getSelectedNodes();
    if (chosen.length > 0) { focusOn(chosen[0]); }
  });
  allButton.addEventListener("click", function () {
    focused = null;
    apply();
    network.fit({animation: false});
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length > 0) { focusOn(params.nodes[0]); }
  });
  denied.addEventListener("change", apply);
  minBox.addEventListener("input", apply);
  minBox.addEventListener("change", apply);
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  function ready() {
    document.body.setAttribute("data-kg-ready", "true");
  }
  if (kgConfig.physics) {
    network.once("stabilizationIterationsDone", ready);
  } else {
    network.once("afterDrawing", ready);
  }
})();
"""


#: Sentences an edge's tooltip lists (the first ones, in input order); it says how many more
#: state the edge, and the RDF keeps them all. A corpus that states an edge a thousand
#: times makes a page of the same size as one that states it ten times.
EVIDENCE_SHOWN = 10


@dataclass
class _Edge:
    """Accumulates the statements that one drawn edge stands for."""

    subject: str
    predicate: str
    object: str
    modality: str
    evidence: list[tuple[str, str | None, str]] = field(default_factory=list)
    """(document id, document URL, sentence text) of the first :data:`EVIDENCE_SHOWN` sentences, in input order."""
    sentences: int = 0
    """How many distinct sentences state it."""
    attributed: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    count: int = 0


class PageGraph:
    """What the graph page shows, folded in one extraction at a time.

    It keeps actors, edges, counts and a few sentences per edge, so its size
    grows with the graph, not with the corpus: ``kg build`` adds each document
    as it arrives and drops it. Documents are counted once each, as a build's
    ids are unique.

    >>> g = PageGraph()
    >>> g.page({}).startswith('<html lang="ar" dir="rtl">')
    True
    """

    def __init__(self) -> None:
        self.actors: dict[str, Actor] = {}
        """Actor key to actor, the first one seen winning."""
        self.found: dict[tuple[str, str, str, str], _Edge] = {}
        self.statements: dict[str, int] = {}
        """Actor key to the statements it takes part in."""
        self.documents: dict[str, int] = {}
        """Actor key to the documents with a statement it takes part in."""
        self.n_documents = 0
        self.n_statements = 0

    def add(self, extraction: Extraction) -> None:
        """Fold one document's actors and statements into the graph."""
        for actor in extraction.actors:
            self.actors.setdefault(actor.key, actor)
        doc = extraction.document
        sentences = {s.index: s for s in extraction.sentences}
        cited: dict[tuple[str, str, str, str], set[int]] = {}  # an edge's sentences in this document
        named: set[str] = set()
        for st in extraction.statements:
            key = (st.subject, st.predicate, st.object, st.modality)
            edge = self.found.get(key)
            if edge is None:
                edge = self.found[key] = _Edge(*key)
            edge.count += st.count
            if st.attributed_to is not None and st.attributed_to not in edge.attributed:
                edge.attributed.append(st.attributed_to)
            if st.place is not None and st.place not in edge.places:
                edge.places.append(st.place)
            seen = cited.setdefault(key, set())
            for index in st.sentences:
                sentence = sentences.get(index)
                if sentence is not None and index not in seen:
                    seen.add(index)
                    edge.sentences += 1
                    if len(edge.evidence) < EVIDENCE_SHOWN:
                        edge.evidence.append((doc.id, doc.url, sentence.text))
            ends = {st.subject, st.object}
            named |= ends
            for actor_key in ends:
                self.statements[actor_key] = self.statements.get(actor_key, 0) + 1
        for actor_key in named:
            self.documents[actor_key] = self.documents.get(actor_key, 0) + 1
        self.n_documents += 1
        self.n_statements += len(extraction.statements)

    def edges(self) -> list[_Edge]:
        """One edge per (subject, predicate, object, modality), sorted by them."""
        order = {m: i for i, m in enumerate(MODALITIES)}
        found = self.found
        return [found[k]
                for k in sorted(found, key=lambda k: (k[0], k[1], k[2], order.get(k[3], len(order)), k[3]))]

    def page(
        self,
        relation_labels: Mapping[str, tuple[str, str]],
        *,
        title: str = "rawabit",
        top: int | None = None,
    ) -> str:
        """Make the page; the arguments are those of :func:`generate_html`."""
        if top is not None and top < 1:
            raise ExportError(f"top={top!r} keeps no actor; give a number of actors of 1 or more")
        actors = self.actors
        edges = self.edges()
        keys = sorted({k for e in edges for k in (e.subject, e.object)})
        n_all_actors = len(keys)
        if top is not None and top < len(keys):
            edges, keys = _keep_top(edges, keys, top)
        node_ids = {key: f"n{i}" for i, key in enumerate(keys)}
        degree = {key: 0 for key in keys}
        for edge in edges:
            for key in {edge.subject, edge.object}:
                degree[key] += 1
        physics = len(keys) <= _PHYSICS_MAX_NODES
        positions = _layout(keys, edges)
        net = Network(
            height="100%", width="100%", directed=True, heading="", cdn_resources="local"
        )
        net.options = _options(physics)
        for key in keys:
            actor = actors.get(key) or Actor(key=key, type="", label_ar=key)
            color, shape = _TYPE_STYLES.get(actor.type, _UNKNOWN_STYLE)
            x, y = positions[key]
            net.add_node(
                node_ids[key],
                label=html.escape(actor.label_ar or actor.label_en or actor.key),
                shape=shape,
                color=color,
                size=round(12 + 4 * math.sqrt(degree[key]), 1),
                x=x,
                y=y,
                info=_node_info(actor, degree[key], self.statements.get(key, 0), self.documents.get(key, 0)),
                kgtype=html.escape(actor.type),
                degree=degree[key],
                name_ar=html.escape(actor.label_ar or ""),
                name_en=html.escape(actor.label_en or ""),
            )
        pair_seen: dict[frozenset[str], int] = {}
        n_denied = 0
        relation_counts: dict[str, int] = {}
        for i, edge in enumerate(edges):
            ar, en = relation_labels.get(edge.predicate, (edge.predicate, edge.predicate))
            color, dashes = _MODALITY_STYLES.get(edge.modality, _MODALITY_STYLES["Claimed"])
            evidence = _evidence(edge)
            relation_counts[edge.predicate] = relation_counts.get(edge.predicate, 0) + 1
            options: dict[str, Any] = {
                "id": f"e{i}",
                "label": html.escape(ar),
                "info": _edge_info(edge, ar, en, actors),
                "modality": edge.modality,
                "relation": html.escape(edge.predicate),
                "evidence": evidence,
                "color": {"color": color, "highlight": color, "hover": color},
                "dashes": list(dashes) if dashes else False,
                "width": round(1.5 + 1.5 * min(math.log2(evidence), 3), 2),
                "hidden": edge.modality == "Denied",
            }
            pair = frozenset((edge.subject, edge.object))
            parallel = pair_seen.get(pair, 0)
            pair_seen[pair] = parallel + 1
            if parallel:  # fan out edges between the same two nodes
                roundness = round(0.2 * parallel, 2)
                options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": roundness}
            n_denied += edge.modality == "Denied"
            # Network.add_edge() scans the node list for both ends (O(n) per edge);
            # both ends are known to exist, so the edge is appended as add_edge does.
            net.edges.append(
                Edge(node_ids[edge.subject], node_ids[edge.object], directed=True, **options).options
            )
        page = net.generate_html()
        type_counts: dict[str, int] = {}
        for key in keys:
            actor_type = actors[key].type if key in actors else ""
            type_counts[actor_type] = type_counts.get(actor_type, 0) + 1
        relations = [
            (name, *relation_labels.get(name, (name, name)), relation_counts[name])
            for name in sorted(relation_counts)
        ]
        legend = _legend(
            [(t, type_counts[t]) for t in sorted(type_counts, key=_type_order)],
            relations,
            n_denied,
            max((_evidence(e) for e in edges), default=1),
        )
        header = _header(title, self.n_documents, len(keys), self.n_statements, len(edges), n_all_actors)
        return _finish_page(page, title, header, legend, physics)


def generate_html(
    extractions: Iterable[Extraction],
    relation_labels: Mapping[str, tuple[str, str]],
    *,
    title: str = "rawabit",
    top: int | None = None,
) -> str:
    """Make the interactive graph page of some extractions.

    Args:
        extractions: One extraction per document; actors with the same key
            across documents become one node.
        relation_labels: Relation local name to (Arabic label, English label);
            a relation missing here is labelled with its local name.
        title: The page title and heading.
        top: Keep only this many actors, those of highest degree (ties by key),
            and the edges between them; None keeps every actor.

    Returns:
        A complete HTML page that needs no network, identical for identical input.

    Raises:
        ExportError: The pyvis template or its assets are not the expected ones,
            or ``top`` is not a positive number.

    >>> page = generate_html([], {})
    >>> page.startswith('<html lang="ar" dir="rtl">')
    True
    """
    graph = PageGraph()
    for extraction in extractions:
        graph.add(extraction)
    return graph.page(relation_labels, title=title, top=top)


def write_html(
    extractions: Sequence[Extraction],
    relation_labels: Mapping[str, tuple[str, str]],
    path: str | os.PathLike[str],
    *,
    title: str = "rawabit",
    top: int | None = None,
) -> None:
    """Write the interactive graph page to a file, whole or not at all.

    Args:
        extractions: One extraction per document.
        relation_labels: Relation local name to (Arabic label, English label).
        path: The page to write (replaced when it exists).
        title: The page title and heading.
        top: Keep only this many actors, those of highest degree.

    Raises:
        ExportError: The file could not be written (no partial file is left),
            or ``top`` is not a positive number.
    """
    target = Path(path)
    page = generate_html(extractions, relation_labels, title=title, top=top)
    try:
        data = page.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ExportError(
            f"cannot encode the graph page as UTF-8 ({err.reason} at {err.start}); "
            "remove unpaired surrogates from the input text"
        ) from err
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        try:
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as err:
        raise ExportError(
            f"cannot write the graph page {str(target)!r}: {err.strerror or err}; "
            "check that the folder exists and is writable"
        ) from err


def _evidence(edge: _Edge) -> int:
    """How many sentences state an edge (at least 1).

    Args:
        edge: The edge.

    Returns:
        The number of distinct sentences in its evidence, or 1 when none was kept.
    """
    return max(edge.sentences, 1)


def _keep_top(edges: Sequence[_Edge], keys: Sequence[str], top: int) -> tuple[list[_Edge], list[str]]:
    """Keep the ``top`` nodes of highest degree and the edges between them.

    Args:
        edges: The edges, sorted.
        keys: The node keys, sorted.
        top: How many nodes to keep.

    Returns:
        The kept edges (still sorted) and the kept keys (still sorted).

    >>> e = [_Edge("a", "p", "b", "Asserted"), _Edge("a", "p", "c", "Asserted")]
    >>> _keep_top(e, ["a", "b", "c"], 2)[1]
    ['a', 'b']
    """
    degree = {k: 0 for k in keys}
    for e in edges:
        for key in {e.subject, e.object}:
            degree[key] += 1
    kept = set(sorted(keys, key=lambda k: (-degree[k], k))[:top])
    return (
        [e for e in edges if e.subject in kept and e.object in kept],
        [k for k in keys if k in kept],
    )


def _layout(keys: Sequence[str], edges: Sequence[_Edge]) -> dict[str, tuple[float, float]]:
    """Place the nodes deterministically, in canvas pixels.

    A seeded spring layout up to 1,500 nodes (fewer iterations as the graph
    grows, since each costs n²); above that, where vis-network physics stalls
    and a spring layout takes minutes, a sunflower spiral with the
    best-connected nodes in the middle.

    Args:
        keys: The node keys, sorted.
        edges: The edges between them.

    Returns:
        Node key to (x, y), rounded to a tenth of a pixel.
    """
    n = len(keys)
    if n == 0:
        return {}
    if n > _SPRING_MAX_NODES:
        degree = {k: 0 for k in keys}
        for e in edges:
            degree[e.subject] += 1
            degree[e.object] += 1
        order = sorted(keys, key=lambda k: (-degree[k], k))
        golden = math.pi * (3 - math.sqrt(5))
        return {
            k: (
                round(60 * math.sqrt(i + 0.5) * math.cos(i * golden), 1) + 0.0,
                round(60 * math.sqrt(i + 0.5) * math.sin(i * golden), 1) + 0.0,
            )
            for i, k in enumerate(order)
        }
    graph = nx.Graph()
    graph.add_nodes_from(keys)
    graph.add_edges_from((e.subject, e.object) for e in edges if e.subject != e.object)
    iterations = max(10, min(50, int(50 * (500 / n) ** 2)))
    scale = 100 + 120 * math.sqrt(n)
    pos = nx.spring_layout(
        graph, seed=_LAYOUT_SEED, scale=scale, iterations=iterations, method="force"
    )
    return {k: (round(float(pos[k][0]), 1) + 0.0, round(float(pos[k][1]), 1) + 0.0) for k in keys}


def _options(physics: bool) -> dict[str, Any]:
    """Build the vis-network options.

    Args:
        physics: Whether the physics simulation runs (small graphs only).

    Returns:
        The options as a dict, serialised by pyvis with ``json.dumps``.
    """
    font = {"face": _FONT_STACK, "strokeWidth": 3, "strokeColor": "#ffffff"}
    return {
        "layout": {"randomSeed": _LAYOUT_SEED, "improvedLayout": False},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000, "springLength": 170, "avoidOverlap": 0.2},
            "stabilization": {"enabled": physics, "iterations": 400, "fit": True},
        },
        "nodes": {"font": dict(font, size=16), "borderWidth": 1},
        "edges": {
            "font": dict(font, size=14, align="horizontal", background="rgba(255,255,255,0.85)"),
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.7}},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.5},
            "selectionWidth": 2,
        },
        "interaction": {"hover": True, "tooltipDelay": 150},
    }


def _node_info(actor: Actor, degree: int, statements: int, documents: int) -> str:
    """Make the tooltip markup of a node, every input escaped.

    Args:
        actor: The actor.
        degree: How many drawn edges touch it.
        statements: How many statements it takes part in.
        documents: In how many documents.

    Returns:
        An HTML fragment.
    """
    e = html.escape
    parts = [f"<b>{e(actor.label_ar or actor.key)}</b>"]
    if actor.label_en:
        parts.append(f'<span class="kg-en" dir="ltr">{e(actor.label_en)}</span>')
    parts.append(f'<span class="kg-en" dir="ltr">{e(actor.type or "unknown type")}</span>')
    parts.append(
        f'<span class="kg-en" dir="ltr">degree {degree} · statements {statements}'
        f" · documents {documents}</span>"
    )
    parts.append(f'<code dir="ltr">{e(actor.key)}</code>')
    return "<br>".join(parts)


def _edge_info(edge: _Edge, ar: str, en: str, actors: Mapping[str, Actor]) -> str:
    """Make the tooltip markup of an edge: relation, modality and evidence.

    Args:
        edge: The edge.
        ar: The Arabic relation label.
        en: The English relation label.
        actors: Actor key to actor, for the labels of the actors named.

    Returns:
        An HTML fragment.
    """
    e = html.escape

    def names(keys: Sequence[str]) -> str:
        found = [actors.get(k) for k in keys]
        return " · ".join(
            f"<bdi>{e(a.label_ar if a is not None and a.label_ar else k)}</bdi>"
            for k, a in zip(keys, found)
        )

    lines = [
        f'<b>{e(ar)}</b> <span class="kg-en" dir="ltr">({e(en)})</span>',
        f"{names([edge.subject])} &larr; {names([edge.object])}",
    ]
    modality = f'<span class="kg-en" dir="ltr">{e(edge.modality)}</span>'
    if edge.attributed:
        modality += f' <span class="kg-en" dir="ltr">attributed to</span> {names(edge.attributed)}'
    lines.append(modality)
    if edge.places:
        lines.append(f'<span class="kg-en" dir="ltr">place</span> {names(edge.places)}')
    lines.append(f'<span class="kg-en" dir="ltr">evidence, stated {edge.count}×</span>')
    items = []
    for doc_id, url, text in edge.evidence:
        link = (url or "").strip()
        if link.lower().startswith(("http://", "https://")):
            source = (
                f'<a href="{e(link)}" target="_blank" rel="noopener noreferrer">{e(doc_id)}</a>'
            )
        else:
            source = e(doc_id)
        items.append(f'<li>{e(text)} · <span class="kg-doc" dir="ltr">{source}</span></li>')
    more = edge.sentences - len(edge.evidence)
    rest = (f'<span class="kg-en kg-more" dir="ltr">and {more} more sentence{"s" if more > 1 else ""}, '
            'all in the RDF</span>') if more > 0 else ""
    return "<br>".join(lines) + f"<ol>{''.join(items)}</ol>" + rest


def _type_order(actor_type: str) -> tuple[int, str]:
    """Sort key of actor types: the model's order, unknown types last.

    Args:
        actor_type: A type name.

    Returns:
        The sort key.
    """
    if actor_type in ACTOR_TYPES:
        return (ACTOR_TYPES.index(actor_type), "")
    return (len(ACTOR_TYPES), actor_type)


def _legend(
    types: Sequence[tuple[str, int]],
    relations: Sequence[tuple[str, str, str, int]],
    n_denied: int,
    max_evidence: int,
) -> str:
    """Make the side panel: search, focus, filters with the legend, details.

    Args:
        types: (actor type, number of nodes) drawn, in display order.
        relations: (local name, Arabic label, English label, number of edges), sorted.
        n_denied: How many denied edges there are.
        max_evidence: The most sentences stating one edge.

    Returns:
        An HTML fragment; every value in it is escaped.
    """
    e = html.escape
    rows = []
    for actor_type, n in types:
        color, shape = _TYPE_STYLES.get(actor_type, _UNKNOWN_STYLE)
        rows.append(
            f'<li><label><input type="checkbox" class="kg-type" data-type="{e(actor_type)}" checked>'
            f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">'
            f'<g fill="{color}" stroke="#333" stroke-width="0.8">{_SVG_SHAPES[shape]}</g></svg>'
            f'<span dir="ltr">{e(actor_type or "unknown type")}</span>'
            f'<span class="kg-count" dir="ltr">({n})</span></label></li>'
        )
    rels = []
    for name, ar, en, n in relations:
        rels.append(
            f'<li><label><input type="checkbox" class="kg-rel" data-relation="{e(name)}" checked>'
            f'<bdi>{e(ar)}</bdi> <span class="kg-count" dir="ltr">{e(en)} ({n})</span></label></li>'
        )
    lines = []
    for modality in MODALITIES:
        color, dashes = _MODALITY_STYLES[modality]
        dash = f' stroke-dasharray="{" ".join(map(str, dashes))}"' if dashes else ""
        lines.append(
            f'<li><svg width="40" height="10" viewBox="0 0 40 10" aria-hidden="true">'
            f'<line x1="0" y1="5" x2="40" y2="5" stroke="{color}" stroke-width="2"{dash}/></svg>'
            f'<span dir="ltr">{modality}</span></li>'
        )
    return (
        '<aside id="kg-side" dir="rtl">'
        '<h2 dir="ltr">Find</h2>'
        '<input type="search" id="kg-search" dir="auto" autocomplete="off"'
        ' placeholder="Arabic or English name" aria-label="Find an actor by name">'
        '<div><button type="button" id="kg-search-go" dir="ltr">find</button> '
        '<button type="button" id="kg-focus" dir="ltr">neighbourhood</button> '
        '<button type="button" id="kg-show-all" dir="ltr">show all</button></div>'
        '<p id="kg-search-result" dir="auto"></p>'
        '<h2 dir="ltr">Actors</h2><ul id="kg-legend">' + "".join(rows) + "</ul>"
        '<h2 dir="ltr">Statements</h2><ul id="kg-lines">' + "".join(lines) + "</ul>"
        f'<p><label dir="ltr"><input type="checkbox" id="kg-show-denied"> '
        f"show denied ({n_denied})</label></p>"
        f'<p><label dir="ltr">at least <input type="number" id="kg-min-evidence" min="1"'
        f' max="{max(max_evidence, 1)}" value="1" step="1"> sentences</label></p>'
        '<h2 dir="ltr">Relations</h2><ul id="kg-relations">' + "".join(rels) + "</ul>"
        '<h2 dir="ltr">Details</h2>'
        '<div id="kg-details" class="kg-tip" dir="rtl">'
        '<span dir="ltr">Click a node or an edge; double-click a node for its neighbourhood.'
        "</span></div>"
        "</aside>"
    )


def _header(
    title: str, n_docs: int, n_actors: int, n_statements: int, n_edges: int, n_all_actors: int
) -> str:
    """Make the page heading with the counts.

    Args:
        title: The page title (escaped here).
        n_docs: Number of documents.
        n_actors: Number of nodes drawn.
        n_statements: Number of statements.
        n_edges: Number of drawn edges.
        n_all_actors: Number of actors before ``top`` was applied.

    Returns:
        An HTML fragment.
    """

    def count(n: int, noun: str) -> str:
        return f"{n} {noun}{'' if n == 1 else 's'}"

    actors = count(n_actors, "actor")
    if n_all_actors != n_actors:
        actors = f"top {n_actors} of {count(n_all_actors, 'actor')}"
    return (
        f'<header id="kg-header" dir="rtl" data-documents="{n_docs}" data-actors="{n_actors}"'
        f' data-statements="{n_statements}" data-edges="{n_edges}"'
        f' data-all-actors="{n_all_actors}">'
        f"<h1>{html.escape(title)}</h1>"
        f'<p id="kg-stats" dir="ltr">{count(n_docs, "document")} · {actors}'
        f" · {count(n_statements, 'statement')} · {count(n_edges, 'edge')}</p></header>"
    )


def _asset(*parts: str) -> str:
    """Read a JavaScript or CSS file shipped inside the pyvis package.

    Args:
        parts: The path below ``pyvis/lib`` (or ``pyvis/templates/lib``).

    Returns:
        The file's text, safe to put inside a ``<script>`` or ``<style>`` element.

    Raises:
        ExportError: The file is missing or would close its element early.
    """
    root = resources.files("pyvis")
    for base in ("lib", "templates/lib"):
        candidate = root.joinpath(base, *parts)
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8")
            if re.search(r"</(script|style)", text, re.IGNORECASE):
                raise ExportError(
                    f"pyvis asset {'/'.join(parts)!r} contains a closing tag; "
                    "reinstall pyvis==0.3.2"
                )
            return text
    raise ExportError(f"pyvis asset {'/'.join(parts)!r} not found; reinstall pyvis==0.3.2")


def _replace_once(page: str, old: str, new: str, count: int = 1) -> str:
    """Replace a template fragment that must occur exactly ``count`` times.

    Args:
        page: The page.
        old: The fragment.
        new: Its replacement.
        count: How often it must occur.

    Returns:
        The page with the fragment replaced.

    Raises:
        ExportError: The fragment does not occur as expected.
    """
    if page.count(old) != count:
        raise ExportError(
            f"unexpected pyvis template: {old!r} occurs {page.count(old)} times, not {count}; "
            "install pyvis==0.3.2"
        )
    return page.replace(old, new)


def _finish_page(page: str, title: str, header: str, side: str, physics: bool) -> str:
    """Turn pyvis' page into the offline, right-to-left rawabit page.

    Args:
        page: What ``Network.generate_html()`` returned.
        title: The page title (escaped here).
        header: The heading fragment.
        side: The side panel fragment.
        physics: Whether the physics simulation runs.

    Returns:
        The finished page.

    Raises:
        ExportError: The template is not the one of pyvis 0.3.2.
    """
    # Remote and relative resources: every <script src> and <link>, and the
    # commented-out node_modules block; the empty heading blocks.
    page = re.sub(r"<!--.*?-->", "", page, flags=re.DOTALL)
    page = re.sub(r"<script\b[^>]*\bsrc\s*=[^>]*>\s*</script>\s*", "", page, flags=re.IGNORECASE)
    page = re.sub(r"<link\b[^>]*>\s*", "", page, flags=re.IGNORECASE)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>\s*", "", page)
    if re.search(r"<[a-z][^>]*\b(?:src|href)\s*=", page, re.IGNORECASE):
        raise ExportError(
            "unexpected pyvis template: a resource link is left; install pyvis==0.3.2"
        )
    if not page.startswith("<html>"):
        raise ExportError("unexpected pyvis template: no <html> at the start; install pyvis==0.3.2")
    page = '<html lang="ar" dir="rtl">' + page[len("<html>") :]
    inline = (
        f"<title>{html.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{_asset(_VIS_DIR, 'vis-network.css')}</style>\n"
        f"<script>{_asset(_VIS_DIR, 'vis-network.min.js')}</script>\n"
        f"<script>{_asset('bindings', 'utils.js')}</script>\n"
    )
    page = _replace_once(page, '<meta charset="utf-8">', '<meta charset="utf-8">\n' + inline)
    css = _CSS.replace("__FONT__", _FONT_STACK)
    page = _replace_once(page, "</head>", f"<style>{css}</style>\n</head>")
    page = _replace_once(page, "<body>", "<body>\n" + header + "\n" + side)
    page = _replace_once(page, '<div id="mynetwork"', '<div id="mynetwork" dir="rtl"')
    script = _SCRIPT.replace("__KG_CONFIG__", json.dumps({"physics": physics}))
    end = "drawGraph();\n        </script>"
    page = _replace_once(page, end, "drawGraph();\n" + script + "</script>")
    return page
