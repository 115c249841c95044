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

A page of more than :data:`VIEW_ALL_MAX` actors holds the whole graph but
opens on a view a person can read: the :data:`OPEN_ACTORS` most connected
actors and at most :data:`EDGE_BUDGET` edges between them, the best attested
(the reader can change the number). The reader grows
the view: a node's neighbours (double-click, or the button in the node panel),
the next :data:`WIDEN_STEP` most connected actors, or one community (seeded
Louvain, computed here); an actor found by name joins the view. The physics
simulation runs on the nodes drawn only. Smaller pages draw everything.
When documents carry dates, edges carry the days of the documents that state
them and a date range hides the others.

Output is deterministic: nodes and edges are sorted, positions come from a
seeded ``networkx.spring_layout`` (of the opening view, on a large page) and
communities from a seeded Louvain run on numbered nodes; ``top=N`` keeps only
the N actors of highest degree.
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
from kg.rdf import parse_date

__all__ = [
    "EDGE_BUDGET",
    "EVIDENCE_SHOWN",
    "EXPAND_STEP",
    "OPEN_ACTORS",
    "VIEW_ALL_MAX",
    "WIDEN_STEP",
    "PageGraph",
    "generate_html",
    "write_html",
]

_FONT_STACK = '"Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "DejaVu Sans", sans-serif'
_LAYOUT_SEED = 20180312
_PHYSICS_MAX_NODES = 300
_COMMUNITIES_LISTED = 40
_COMMUNITY_MIN = 3
_EDGE_LABEL_THRESHOLD = 13  # an edge label (14 px) is drawn from a zoom of about 0.9 on
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
body[data-kg-ready="true"] #loadingBar { display: none !important; }
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
#kg-side select { width: 100%; box-sizing: border-box; font: inherit; font-size: 0.85rem; }
#kg-side input[type="date"] { font: inherit; font-size: 0.85rem; }
#kg-view-status { margin: 0.2rem 0; color: #555; }
#kg-search-result { margin: 0.2rem 0; min-height: 1.2em; color: #555; }
.kg-count { color: #777; font-size: 0.85em; }
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var kgConfig = __KG_CONFIG__;
  var view = kgConfig.view;  // null: everything is drawn; else the limits of a large page's view
  var golden = Math.PI * (3 - Math.sqrt(5));
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
  var denied = document.getElementById("kg-show-denied");
  var minBox = document.getElementById("kg-min-evidence");
  var focusButton = document.getElementById("kg-focus");
  var allButton = document.getElementById("kg-show-all");
  var search = document.getElementById("kg-search");
  var searchButton = document.getElementById("kg-search-go");
  var found = document.getElementById("kg-search-result");
  var boxes = document.querySelectorAll("input.kg-rel, input.kg-type");
  var dateFrom = document.getElementById("kg-date-from");
  var dateTo = document.getElementById("kg-date-to");
  var undated = document.getElementById("kg-undated");
  var communityBox = document.getElementById("kg-community");
  var viewStatus = document.getElementById("kg-view-status");
  var maxBox = document.getElementById("kg-max-edges");
  var focused = null;
  // Forms keep their state across a reload: start from what the page shows.
  function resetDates() {
    if (dateFrom !== null) {
      dateFrom.value = dateFrom.min;
      dateTo.value = dateTo.max;
      undated.checked = true;
    }
  }
  denied.checked = false;
  minBox.value = "1";
  search.value = "";
  boxes.forEach(function (b) { b.checked = true; });
  resetDates();
  if (view !== null) {
    communityBox.value = "";
    maxBox.value = String(view.edges);
  }
  // A large page holds the whole graph and draws a part of it, the view.
  var inView = {};  // node id: true when in the view
  var pinned = {};  // edge id: true when drawn whatever its evidence (it brought an actor into the view)
  var neighbours = {};  // node id: its neighbours, most connected first
  var byRank = [];  // node ids, most connected first
  var home = {};  // node id: where the page placed it
  var physicsOn = kgConfig.physics;
  var edgeOrder = {};  // edge id: its place in the page, which breaks ties in evidence
  if (view !== null) {
    var rankOf = {};
    nodes.forEach(function (n) {
      rankOf[n.id] = n.rank;
      home[n.id] = {x: n.x, y: n.y};
      neighbours[n.id] = {};
      if (n.hidden !== true) { inView[n.id] = true; }
    });
    edges.forEach(function (e) {
      edgeOrder[e.id] = parseInt(e.id.slice(1), 10);
      if (e.from !== e.to) { neighbours[e.from][e.to] = true; neighbours[e.to][e.from] = true; }
    });
    var byRankOf = function (a, b) { return rankOf[a] - rankOf[b]; };
    Object.keys(neighbours).forEach(function (id) {
      neighbours[id] = Object.keys(neighbours[id]).sort(byRankOf);
    });
    byRank = nodes.getIds().sort(byRankOf);
  }
  function ticked(selector, attribute) {
    var out = {};
    document.querySelectorAll(selector).forEach(function (b) {
      out[b.getAttribute(attribute)] = b.checked;
    });
    return out;
  }
  function inRange(e, from, to, withUndated) {
    if (e.days.length === 0) { return withUndated; }
    for (var i = 0; i < e.days.length; i++) {
      if (e.days[i] >= from && e.days[i] <= to) { return true; }
    }
    return false;
  }
  function apply() {
    var relations = ticked("input.kg-rel", "data-relation");
    var types = ticked("input.kg-type", "data-type");
    var least = parseInt(minBox.value, 10);
    if (!(least > 1)) { least = 1; }
    var showDenied = denied.checked;
    var from = "", to = "", withUndated = true, dated = false;
    if (dateFrom !== null) {
      from = dateFrom.value || dateFrom.min;
      to = dateTo.value || dateTo.max;
      withUndated = undated.checked;
      dated = from > dateFrom.min || to < dateTo.max || !withUndated;
    }
    var nodeOk = {};
    nodes.forEach(function (n) {
      nodeOk[n.id] = types[n.kgtype] !== false && (view === null || inView[n.id] === true);
    });
    var edgeOk = {};
    var touched = {};
    var near = null;
    if (focused !== null) { near = {}; near[focused] = true; }
    edges.forEach(function (e) {
      edgeOk[e.id] = relations[e.relation] !== false && (e.evidence >= least || pinned[e.id] === true) &&
        (e.modality !== "Denied" || showDenied) && nodeOk[e.from] && nodeOk[e.to] &&
        (!dated || inRange(e, from, to, withUndated));
    });
    if (view !== null) {
      // At most so many edges, the best attested; those that brought an actor in stay.
      var most = parseInt(maxBox.value, 10);
      if (!(most >= 0)) { most = view.edges; }
      var candidates = edges.get({filter: function (e) { return edgeOk[e.id] && pinned[e.id] !== true; }});
      if (candidates.length > most) {
        candidates.sort(function (a, b) {
          return b.evidence - a.evidence || edgeOrder[a.id] - edgeOrder[b.id];
        });
        for (var i = most; i < candidates.length; i++) { edgeOk[candidates[i].id] = false; }
      }
    }
    edges.forEach(function (e) {
      var ok = edgeOk[e.id];
      if (ok) { touched[e.from] = true; touched[e.to] = true; }
      if (ok && near !== null && (e.from === focused || e.to === focused)) {
        near[e.from] = true;
        near[e.to] = true;
      }
    });
    var nodeChanges = [];
    var nodesShown = 0;
    nodes.forEach(function (n) {
      // Within a date range, an actor with no statement drawn goes too.
      var hidden = !(nodeOk[n.id] && (!dated || touched[n.id] === true) &&
        (near === null || near[n.id] === true));
      nodesShown += hidden ? 0 : 1;
      if (hidden !== (n.hidden === true)) {
        // Hidden nodes still take part in vis' physics unless told not to.
        nodeChanges.push(view === null ? {id: n.id, hidden: hidden} : {id: n.id, hidden: hidden, physics: !hidden});
      }
    });
    var edgeChanges = [];
    var edgesShown = 0;
    edges.forEach(function (e) {
      var hidden = !(edgeOk[e.id] && (near === null || (near[e.from] === true && near[e.to] === true)));
      edgesShown += hidden ? 0 : 1;
      if (hidden !== (e.hidden === true)) {
        edgeChanges.push(view === null ? {id: e.id, hidden: hidden} : {id: e.id, hidden: hidden, physics: !hidden});
      }
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    document.body.setAttribute("data-kg-focus", focused === null ? "" : focused);
    if (view !== null) {
      viewStatus.textContent = nodesShown + " of " + nodes.length + " actors drawn \u00b7 " +
        edgesShown + " edge" + (edgesShown === 1 ? "" : "s");
      var wanted = nodesShown <= view.physicsMax;
      if (wanted !== physicsOn) {
        physicsOn = wanted;
        network.setOptions({physics: {enabled: wanted}});
      }
    }
  }
  function shownIds() {
    return nodes.getIds({filter: function (n) { return n.hidden !== true; }});
  }
  function fitShown() {
    var ids = shownIds();
    if (ids.length > 0) { network.fit({nodes: ids, animation: false}); }
  }
  function settle() {
    // Let the physics arrange what is drawn, then show all of it.
    if (physicsOn) {
      network.once("stabilizationIterationsDone", fitShown);
      network.stabilize(300);
    } else {
      fitShown();
    }
  }
  function place(added) {
    // Put each node added beside its most connected neighbour drawn, or around the drawing.
    var pos = network.getPositions(Object.keys(inView));
    var xs = [], ys = [];
    Object.keys(pos).forEach(function (id) { xs.push(pos[id].x); ys.push(pos[id].y); });
    var cx = 0, cy = 0, radius = 0;
    if (xs.length > 0) {
      var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
      var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
      cx = (minX + maxX) / 2;
      cy = (minY + maxY) / 2;
      radius = Math.max(maxX - minX, maxY - minY) / 2;
    }
    var around = {};
    var ring = 0;
    var updates = [];
    added.forEach(function (id) {
      var anchor = null;
      neighbours[id].forEach(function (m) {
        if (anchor === null && pos[m] !== undefined) { anchor = m; }
      });
      var p;
      if (anchor !== null) {
        var k = around[anchor] = (around[anchor] || 0) + 1;
        var r = 120 + 30 * Math.sqrt(k);
        p = {x: pos[anchor].x + r * Math.cos(k * golden), y: pos[anchor].y + r * Math.sin(k * golden)};
      } else {
        ring += 1;
        var far = radius + 150 + 20 * Math.sqrt(ring);
        p = {x: cx + far * Math.cos(ring * golden), y: cy + far * Math.sin(ring * golden)};
      }
      pos[id] = p;
      updates.push({id: id, x: p.x, y: p.y});
    });
    nodes.update(updates);
  }
  function pin(from, to) {
    // Draw the edges between the actors in one list and those in the other.
    var a = {}, b = {};
    from.forEach(function (id) { a[id] = true; });
    to.forEach(function (id) { b[id] = true; });
    edges.forEach(function (e) {
      if ((a[e.from] === true && b[e.to] === true) || (b[e.from] === true && a[e.to] === true)) {
        pinned[e.id] = true;
      }
    });
  }
  function grow(ids) {
    var added = ids.filter(function (id) { return inView[id] !== true; });
    place(added);
    added.forEach(function (id) { inView[id] = true; });
    apply();
    settle();
    return added.length;
  }
  function restart(ids, positions) {
    inView = {};
    pinned = {};
    focused = null;
    ids.forEach(function (id) { inView[id] = true; });
    nodes.update(ids.map(function (id) { return {id: id, x: positions[id].x, y: positions[id].y}; }));
    apply();
    settle();
  }
  function chosenCommunity() {
    return communityBox.value === "" ? null : parseInt(communityBox.value, 10);
  }
  function widen() {
    var c = chosenCommunity();
    var next = [];
    for (var i = 0; i < byRank.length && next.length < view.step; i++) {
      var n = nodes.get(byRank[i]);
      if (inView[n.id] !== true && (c === null || n.community === c)) { next.push(n.id); }
    }
    grow(next);
  }
  function pickCommunity() {
    var c = chosenCommunity();
    if (c === null) {
      restart(byRank.slice(0, view.open), home);
      return;
    }
    var members = byRank.filter(function (id) { return nodes.get(id).community === c; }).slice(0, view.open);
    var spiral = {};
    members.forEach(function (id, i) {
      var r = 90 * Math.sqrt(i + 0.5);
      spiral[id] = {x: r * Math.cos(i * golden), y: r * Math.sin(i * golden)};
    });
    restart(members, spiral);
  }
  function expand(id) {
    var next = neighbours[id].filter(function (m) { return inView[m] !== true; }).slice(0, view.expand);
    if (inView[id] !== true) { next.unshift(id); }
    pin([id], next);
    grow(next);
    network.selectNodes([id]);
    showDetails(id, null);
  }
  function showDetails(nodeId, edgeId) {
    var item = nodeId !== null ? nodes.get(nodeId) : edges.get(edgeId);
    details.innerHTML = item.info;
    if (view === null || nodeId === null) { return; }
    var all = neighbours[nodeId];
    var left = all.filter(function (m) { return inView[m] !== true; }).length;
    var button = document.createElement("button");
    button.type = "button";
    button.id = "kg-expand-node";
    button.setAttribute("dir", "ltr");
    button.textContent = left > 0
      ? "show " + Math.min(left, view.expand) + " more of its " + all.length + " neighbours"
      : "its " + all.length + " neighbours are in the view";
    button.disabled = left === 0;
    button.addEventListener("click", function () { expand(nodeId); });
    var line = document.createElement("div");
    line.appendChild(button);
    var c = String(item.community);
    var listed = communityBox.querySelector('option[value="' + c + '"]');
    if (listed !== null && communityBox.value !== c) {
      var other = document.createElement("button");
      other.type = "button";
      other.id = "kg-node-community";
      other.setAttribute("dir", "ltr");
      other.textContent = "its community (" + (item.community + 1) + ")";
      other.addEventListener("click", function () {
        communityBox.value = c;
        pickCommunity();
        if (inView[nodeId] === true) {
          network.selectNodes([nodeId]);
          showDetails(nodeId, null);
        }
      });
      line.appendChild(document.createTextNode(" "));
      line.appendChild(other);
    }
    details.appendChild(line);
  }
  network.on("click", function (params) {
    if (params.nodes.length > 0) {
      showDetails(params.nodes[0], null);
    } else if (params.edges.length > 0) {
      showDetails(null, params.edges[0]);
    }
  });
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
    var order = view === null ? nodes.getIds() : byRank;  // a large page prefers the most connected
    order.forEach(function (id) {
      var n = nodes.get(id);
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
    if (view !== null && inView[id] !== true) {
      // A large page adds the actor found to the view, with its edges to the actors drawn.
      pin([id], Object.keys(inView));
      grow([id]);
    }
    if (nodes.get(id).hidden === true) {
      focused = null;
      minBox.value = "1";
      boxes.forEach(function (b) { b.checked = true; });
      resetDates();
      apply();
    }
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: false});
    showDetails(id, null);
    found.textContent = nodes.get(id).label;
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
    fitShown();
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
    fitShown();
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length === 0) { return; }
    if (view === null) { focusOn(params.nodes[0]); } else { expand(params.nodes[0]); }
  });
  denied.addEventListener("change", apply);
  minBox.addEventListener("input", apply);
  minBox.addEventListener("change", apply);
  if (maxBox !== null) {
    maxBox.addEventListener("input", apply);
    maxBox.addEventListener("change", apply);
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  if (dateFrom !== null) {
    [dateFrom, dateTo, undated].forEach(function (box) {
      box.addEventListener("change", apply);
      box.addEventListener("input", apply);
    });
  }
  if (view !== null) {
    document.getElementById("kg-widen").addEventListener("click", widen);
    document.getElementById("kg-expand").addEventListener("click", function () {
      var chosen = network.getSelectedNodes();
      if (chosen.length > 0) { expand(chosen[0]); }
    });
    document.getElementById("kg-reset").addEventListener("click", function () {
      communityBox.value = "";
      pickCommunity();
    });
    communityBox.addEventListener("change", pickCommunity);
    apply();
  }
  function ready() {
    if (view !== null) {
      fitShown();
    }
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

#: A page with more actors than this opens on a readable part of the graph (the
#: :data:`OPEN_ACTORS` most connected) and lets the reader grow it; every actor and
#: edge is still in the page. Up to this many, everything is drawn.
VIEW_ALL_MAX = 300

#: How many actors, the most connected, a large page opens on.
OPEN_ACTORS = 50

#: How many more actors "more actors" adds, the next most connected.
WIDEN_STEP = 25

#: How many hidden neighbours expanding an actor adds at most, the most connected first.
EXPAND_STEP = 25

#: A large page draws at most this many edges between the actors shown, the best attested
#: (stated by the most sentences), besides those that brought an actor in; the reader can change it.
EDGE_BUDGET = 100


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
    days: set[str] = field(default_factory=set)
    """The days (``YYYY-MM-DD``) of the dated documents that state it."""


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
        day = _day(doc.date)
        for st in extraction.statements:
            key = (st.subject, st.predicate, st.object, st.modality)
            edge = self.found.get(key)
            if edge is None:
                edge = self.found[key] = _Edge(*key)
            edge.count += st.count
            if day is not None:
                edge.days.add(day)
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
        ranked = sorted(keys, key=lambda k: (-degree[k], k))
        large = len(keys) > VIEW_ALL_MAX
        opening = set(ranked[:OPEN_ACTORS]) if large else set(keys)
        strongest = _strongest(edges, opening) if large else set()
        communities = _communities(ranked, edges) if large else []
        community = {key: i for i, members in enumerate(communities) for key in members}
        physics = large or len(keys) <= _PHYSICS_MAX_NODES
        positions = _view_layout(ranked, edges, opening) if large else _layout(keys, edges)
        net = Network(
            height="100%", width="100%", directed=True, heading="", cdn_resources="local"
        )
        net.options = _options(physics, large)
        rank = {key: i for i, key in enumerate(ranked)}
        for key in keys:
            actor = actors.get(key) or Actor(key=key, type="", label_ar=key)
            color, shape = _TYPE_STYLES.get(actor.type, _UNKNOWN_STYLE)
            x, y = positions[key]
            extra: dict[str, Any] = {}
            if large:
                shown = key in opening
                extra = {"rank": rank[key], "community": community[key], "hidden": not shown, "physics": shown}
            net.add_node(
                node_ids[key],
                label=html.escape(actor.label_ar or actor.label_en or actor.key),
                shape=shape,
                color=color,
                size=_size(degree[key], large),
                x=x,
                y=y,
                info=_node_info(actor, degree[key], self.statements.get(key, 0), self.documents.get(key, 0)),
                kgtype=html.escape(actor.type),
                degree=degree[key],
                name_ar=html.escape(actor.label_ar or ""),
                name_en=html.escape(actor.label_en or ""),
                **extra,
            )
        pair_seen: dict[frozenset[str], int] = {}
        n_denied = 0
        relation_counts: dict[str, int] = {}
        days: set[str] = set()
        n_undated = 0
        for i, edge in enumerate(edges):
            ar, en = relation_labels.get(edge.predicate, (edge.predicate, edge.predicate))
            color, dashes = _MODALITY_STYLES.get(edge.modality, _MODALITY_STYLES["Claimed"])
            evidence = _evidence(edge)
            relation_counts[edge.predicate] = relation_counts.get(edge.predicate, 0) + 1
            hidden = edge.modality == "Denied" or (large and i not in strongest)
            options: dict[str, Any] = {
                "id": f"e{i}",
                "label": html.escape(ar),
                "info": _edge_info(edge, ar, en, actors),
                "modality": edge.modality,
                "relation": html.escape(edge.predicate),
                "evidence": evidence,
                "days": sorted(edge.days),
                "color": {"color": color, "highlight": color, "hover": color},
                "dashes": list(dashes) if dashes else False,
                "width": round(1.5 + 1.5 * min(math.log2(evidence), 3), 2),
                "hidden": hidden,
            }
            if large:
                options["physics"] = not hidden
            days |= edge.days
            n_undated += not edge.days
            pair = frozenset((edge.subject, edge.object))
            parallel = pair_seen.get(pair, 0)
            pair_seen[pair] = parallel + 1
            if parallel:  # fan out edges between the same two nodes
                roundness = round(0.2 * parallel, 2) if not large else round(min(0.12 * parallel, 0.5), 2)
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
        listed = [
            (i, [actors[k].label_ar if k in actors and actors[k].label_ar else k for k in members[:3]],
             len(members))
            for i, members in enumerate(communities[:_COMMUNITIES_LISTED])
            if len(members) >= _COMMUNITY_MIN
        ]
        legend = _legend(
            [(t, type_counts[t]) for t in sorted(type_counts, key=_type_order)],
            relations,
            n_denied,
            max((_evidence(e) for e in edges), default=1),
            view=_view_panel(listed, len(keys)) if large else "",
            dates=_date_panel(min(days), max(days), n_undated) if days else "",
        )
        header = _header(title, self.n_documents, len(keys), self.n_statements, len(edges), n_all_actors)
        config: dict[str, Any] = {"physics": physics, "view": None}
        if large:
            config["view"] = {
                "open": OPEN_ACTORS, "step": WIDEN_STEP, "expand": EXPAND_STEP,
                "edges": EDGE_BUDGET, "physicsMax": _PHYSICS_MAX_NODES,
            }
        return _finish_page(page, title, header, legend, config)


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


def _day(value: str | None) -> str | None:
    """The day (``YYYY-MM-DD``) of a document date as inputs carry it, or None when it does not parse.

    The day is the one written in the date, in its own time zone.

    >>> _day("Sat, 17 Mar 2018 15:23:32 +0400"), _day("2015-07-22 10:09:37"), _day("soon")
    ('2018-03-17', '2015-07-22', None)
    """
    if not value:
        return None
    parsed = parse_date(value)
    return parsed[0][:10] if parsed is not None else None


def _strongest(edges: Sequence[_Edge], shown: set[str]) -> set[int]:
    """The edges a large page draws between the actors it opens on: the :data:`EDGE_BUDGET` best attested.

    Denied edges are left out, as the page hides them; ties go to the edge first in
    the page. The page's script makes the same choice whenever the view changes.

    Args:
        edges: The edges, in page order.
        shown: The keys of the actors drawn.

    Returns:
        The indexes in ``edges`` of the edges drawn.

    >>> e = [_Edge("a", "p", "b", "Asserted", sentences=n) for n in (1, 2, 2, 5)]
    >>> sorted(_strongest(e, {"a", "b"}))
    [0, 1, 2, 3]
    >>> len(_strongest(e * 50, {"a", "b"})), min(_evidence(e[i % 4]) for i in _strongest(e * 50, {"a", "b"}))
    (100, 2)
    """
    between = [
        i for i, e in enumerate(edges)
        if e.modality != "Denied" and e.subject in shown and e.object in shown
    ]
    between.sort(key=lambda i: (-_evidence(edges[i]), i))
    return set(between[:EDGE_BUDGET])


def _communities(ranked: Sequence[str], edges: Sequence[_Edge]) -> list[list[str]]:
    """Split the actors into communities, deterministically (seeded Louvain).

    Two actors are as close as the number of edges between them. Nodes are
    numbered before networkx sees them, so that no set of strings, whose order
    changes from one Python process to the next, decides the result.

    Args:
        ranked: The node keys, most connected first.
        edges: The edges between them.

    Returns:
        The communities, largest first (ties: the one with the most connected actor),
        each listing its actors most connected first.

    >>> e = [_Edge("a", "p", "b", "Asserted"), _Edge("c", "p", "d", "Asserted")]
    >>> _communities(["a", "b", "c", "d"], e)
    [['a', 'b'], ['c', 'd']]
    """
    rank = {k: i for i, k in enumerate(ranked)}
    graph = nx.Graph()
    graph.add_nodes_from(range(len(ranked)))
    for e in edges:
        if e.subject != e.object:
            a, b = rank[e.subject], rank[e.object]
            weight = graph.edges[a, b]["weight"] + 1 if graph.has_edge(a, b) else 1
            graph.add_edge(a, b, weight=weight)
    parts = nx.community.louvain_communities(graph, weight="weight", seed=_LAYOUT_SEED)
    found = [sorted(part) for part in parts]
    found.sort(key=lambda members: (-len(members), members[0]))
    return [[ranked[i] for i in members] for members in found]


def _sunflower(order: Sequence[str], spacing: float) -> dict[str, tuple[float, float]]:
    """Place nodes on a sunflower spiral, the first ones in the middle.

    Args:
        order: The node keys, the first placed in the middle.
        spacing: About the distance between neighbouring nodes, in pixels.

    Returns:
        Node key to (x, y), rounded to a tenth of a pixel.
    """
    golden = math.pi * (3 - math.sqrt(5))
    return {
        k: (
            round(spacing * math.sqrt(i + 0.5) * math.cos(i * golden), 1) + 0.0,
            round(spacing * math.sqrt(i + 0.5) * math.sin(i * golden), 1) + 0.0,
        )
        for i, k in enumerate(order)
    }


def _view_layout(
    ranked: Sequence[str], edges: Sequence[_Edge], opening: set[str]
) -> dict[str, tuple[float, float]]:
    """Place the nodes of a large page: a spring layout of the opening view, the rest on a spiral.

    The page's script places the other nodes beside their neighbours when they are shown.

    Args:
        ranked: The node keys, most connected first.
        edges: The edges.
        opening: The keys of the actors the page opens on.

    Returns:
        Node key to (x, y), rounded to a tenth of a pixel.
    """
    first = sorted(opening)
    positions = _sunflower([k for k in ranked if k not in opening], 60)
    positions.update(_layout(first, [e for e in edges if e.subject in opening and e.object in opening]))
    return positions


def _layout(keys: Sequence[str], edges: Sequence[_Edge]) -> dict[str, tuple[float, float]]:
    """Place the nodes deterministically with a seeded spring layout, in canvas pixels.

    Fewer iterations as the graph grows, since each costs n²; pages above
    :data:`VIEW_ALL_MAX` actors lay out only the view they open on.

    Args:
        keys: The node keys, sorted.
        edges: The edges between them.

    Returns:
        Node key to (x, y), rounded to a tenth of a pixel.
    """
    n = len(keys)
    if n == 0:
        return {}
    graph = nx.Graph()
    graph.add_nodes_from(keys)
    graph.add_edges_from((e.subject, e.object) for e in edges if e.subject != e.object)
    iterations = max(10, min(50, int(50 * (500 / n) ** 2)))
    scale = 100 + 120 * math.sqrt(n)
    pos = nx.spring_layout(
        graph, seed=_LAYOUT_SEED, scale=scale, iterations=iterations, method="force"
    )
    return {k: (round(float(pos[k][0]), 1) + 0.0, round(float(pos[k][1]), 1) + 0.0) for k in keys}


def _size(degree: int, large: bool) -> float:
    """The size of a node of the given degree; a large page's view keeps hubs smaller.

    >>> _size(4, False), _size(4, True)
    (20.0, 11.0)
    """
    return round(12 + 4 * math.sqrt(degree), 1) if not large else round(8 + 1.5 * math.sqrt(degree), 1)


def _options(physics: bool, large: bool = False) -> dict[str, Any]:
    """Build the vis-network options.

    Args:
        physics: Whether the physics simulation runs (on the nodes shown).
        large: Whether the page opens on a part of the graph; edge labels are
            then drawn only when zoomed in, where they can be read.

    Returns:
        The options as a dict, serialised by pyvis with ``json.dumps``.
    """
    font = {"face": _FONT_STACK, "strokeWidth": 3, "strokeColor": "#ffffff"}
    options: dict[str, Any] = {
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
    if large:  # a few dozen nodes drawn out of many: closer together, kept near the middle
        # forceAtlas2 pushes hubs apart harder, which spreads a dense core where labels can be read
        options["physics"]["solver"] = "forceAtlas2Based"
        options["physics"]["forceAtlas2Based"] = {
            "gravitationalConstant": -80, "centralGravity": 0.02, "springLength": 100,
            "springConstant": 0.08, "avoidOverlap": 0.6,
        }
        options["physics"]["stabilization"]["iterations"] = 600
        options["physics"]["minVelocity"] = 1
        options["nodes"]["font"]["size"] = 20
        options["edges"]["smooth"] = {"enabled": False}
        options["edges"]["scaling"] = {"label": {"drawThreshold": _EDGE_LABEL_THRESHOLD}}
    return options


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
    *,
    view: str = "",
    dates: str = "",
) -> str:
    """Make the side panel: view, search, focus, filters with the legend, dates, details.

    Args:
        types: (actor type, number of nodes) drawn, in display order.
        relations: (local name, Arabic label, English label, number of edges), sorted.
        n_denied: How many denied edges there are.
        max_evidence: The most sentences stating one edge.
        view: The controls that grow the view of a large page (:func:`_view_panel`), or "".
        dates: The date range controls (:func:`_date_panel`), or "".

    Returns:
        An HTML fragment; every value in it is escaped.
    """
    e = html.escape
    if view:
        hint = "Click a node or an edge; double-click a node to show its neighbours."
    else:
        hint = "Click a node or an edge; double-click a node for its neighbourhood."
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
        '<aside id="kg-side" dir="rtl">' + view +
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
        + dates +
        '<h2 dir="ltr">Relations</h2><ul id="kg-relations">' + "".join(rels) + "</ul>"
        '<h2 dir="ltr">Details</h2>'
        '<div id="kg-details" class="kg-tip" dir="rtl">'
        f'<span dir="ltr">{hint}</span></div>'
        "</aside>"
    )


def _view_panel(communities: Sequence[tuple[int, Sequence[str], int]], n_actors: int) -> str:
    """Make the controls that grow the view of a large page.

    Args:
        communities: (index, names of its most connected actors, size) of the communities listed.
        n_actors: How many actors the page holds.

    Returns:
        An HTML fragment; every name in it is escaped.
    """
    e = html.escape
    options = ['<option value="" selected>the most connected actors</option>']
    for index, names, size in communities:
        shown = "، ".join(e(n) for n in names)
        options.append(
            f'<option value="{index}" dir="auto">{index + 1}: {shown} ({size})</option>'
        )
    return (
        '<h2 dir="ltr">View</h2>'
        f'<p id="kg-view-status" dir="ltr">{OPEN_ACTORS} of {n_actors} actors drawn</p>'
        '<div dir="ltr"><button type="button" id="kg-widen">'
        f"more actors (+{WIDEN_STEP})</button> "
        '<button type="button" id="kg-expand">show neighbours</button> '
        '<button type="button" id="kg-reset">start again</button></div>'
        '<p><label dir="ltr">at most <input type="number" id="kg-max-edges" min="0"'
        f' value="{EDGE_BUDGET}" step="10"> edges, the best attested</label></p>'
        '<p><label dir="ltr" for="kg-community">community</label>'
        '<select id="kg-community" dir="auto">' + "".join(options) + "</select></p>"
    )


def _date_panel(first: str, last: str, n_undated: int) -> str:
    """Make the date range controls.

    Args:
        first: The earliest day a statement's document carries (``YYYY-MM-DD``).
        last: The latest such day.
        n_undated: How many edges no dated document states.

    Returns:
        An HTML fragment.
    """
    return (
        '<h2 dir="ltr">Dates</h2>'
        '<p dir="ltr"><label>from <input type="date" id="kg-date-from"'
        f' min="{first}" max="{last}" value="{first}"></label><br>'
        '<label>to <input type="date" id="kg-date-to"'
        f' min="{first}" max="{last}" value="{last}"></label><br>'
        '<label><input type="checkbox" id="kg-undated" checked> '
        f"undated edges ({n_undated})</label></p>"
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


def _finish_page(page: str, title: str, header: str, side: str, config: Mapping[str, Any]) -> str:
    """Turn pyvis' page into the offline, right-to-left rawabit page.

    Args:
        page: What ``Network.generate_html()`` returned.
        title: The page title (escaped here).
        header: The heading fragment.
        side: The side panel fragment.
        config: What the page's script needs to know: whether physics runs,
            the minimum evidence it opens with, and the limits of the view of a large page.

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
    script = _SCRIPT.replace("__KG_CONFIG__", json.dumps(config, sort_keys=True))
    end = "drawGraph();\n        </script>"
    page = _replace_once(page, end, "drawGraph();\n" + script + "</script>")
    return page
