"""A large graph page: it opens on a readable part of the graph and grows on request.

A generated graph of hundreds of actors in groups (communities) is enough for
the page's logic; the real feed, read from ``../shared`` when it is beside
the project, checks that a real page opens readable.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import require_shared
from test_html import HOSTILE_NAME, LABELS, _data, _offline_page, _sentences, browser  # noqa: F401

import kg
from kg.html import (
    EDGE_BUDGET,
    EXPAND_STEP,
    OPEN_ACTORS,
    VIEW_ALL_MAX,
    WIDEN_STEP,
    generate_html,
    write_html,
)
from kg.model import Actor, Document, Extraction, Statement

GROUPS = 8
MEMBERS = 60
FIRST_DAY = dt.date(2018, 3, 1)
RELATIONS = ("attacks", "besieges", "supports", "negotiatesWith")


def _date(d: int) -> str | None:
    """The date of document ``d`` as a feed might carry it: in four formats, unreadable, or none."""
    if d % 11 == 10:
        return None
    if d % 7 == 6:
        return "yesterday"
    day = FIRST_DAY + dt.timedelta(days=d % 30)
    return (
        day.isoformat(),
        day.strftime("%a, %d %b %Y 10:00:00 +0000"),
        day.strftime("%d/%m/%Y"),
        f"{day.isoformat()}T10:00:00",
    )[d % 4]


def _day(d: int) -> str | None:
    """The day the page takes from document ``d``'s date."""
    if d % 11 == 10 or d % 7 == 6:
        return None
    return (FIRST_DAY + dt.timedelta(days=d % 30)).isoformat()


def _grouped(documents: int = 900) -> list[Extraction]:
    """Hundreds of actors in groups that mostly speak of each other; degrees skewed within a group.

    The best connected actor of group 3 has a name that tries to inject markup.
    """
    rng = random.Random(17)
    actors = [
        [
            Actor(f"actor:g{g}m{m:02d}", ("ArmedGroup", "State", "Person", "Place")[m % 4],
                  HOSTILE_NAME if (g, m) == (3, 0) else f"فاعل {g}-{m}", f"actor {g}-{m}")
            for m in range(MEMBERS)
        ]
        for g in range(GROUPS)
    ]
    out = []
    for d in range(documents):
        g = d % GROUPS
        texts = [f"جملة {k} من الوثيقة {d}." for k in range(3)]
        text, sents = _sentences(*texts)
        statements = []
        used: set[Actor] = set()
        for k in range(3):
            a = min(int(rng.paretovariate(1.1)) - 1, MEMBERS - 1)
            b = rng.randrange(MEMBERS)
            other = (g + 1) % GROUPS if rng.random() < 0.04 else g
            if (other, b) == (g, a):
                b = (b + 1) % MEMBERS
            subject, obj = actors[g][a], actors[other][b]
            statements.append(Statement(subject.key, RELATIONS[(d + k) % 4], obj.key, "Asserted",
                                        "cue", 0.8, (k,)))
            used.update((subject, obj))
        out.append(Extraction(Document(f"d{d:04d}", text, date=_date(d)), sents,
                              tuple(sorted(used, key=lambda x: x.key)), (), tuple(statements)))
    return out


@pytest.fixture(scope="module")
def grouped() -> list[Extraction]:
    return _grouped()


@pytest.fixture(scope="module")
def page(grouped: list[Extraction]) -> str:
    return generate_html(grouped, LABELS)


def _keys(nodes: list[dict[str, Any]]) -> dict[str, str]:
    """Node id to actor key (from the English name ``actor G-M``)."""
    out = {}
    for n in nodes:
        g, m = map(int, n["name_en"].split()[1].split("-"))
        out[n["id"]] = f"actor:g{g}m{m:02d}"
    return out


# --- the page as written ------------------------------------------------------------------


def test_it_holds_every_actor_and_opens_on_the_most_connected(page: str) -> None:
    nodes = _data(page, "nodes")
    edges = _data(page, "edges")
    assert VIEW_ALL_MAX < len(nodes) <= GROUPS * MEMBERS
    assert f'data-actors="{len(nodes)}"' in page  # the whole graph is in the page
    by_rank = sorted(nodes, key=lambda n: n["rank"])
    assert [n["degree"] for n in by_rank] == sorted((n["degree"] for n in nodes), reverse=True)
    shown = {n["id"] for n in nodes if not n["hidden"]}
    assert shown == {n["id"] for n in by_rank[:OPEN_ACTORS]}
    # the best attested edges between them, ties to the first in the page, up to the budget
    between = [e for e in edges if e["from"] in shown and e["to"] in shown]
    assert len(between) > EDGE_BUDGET
    best = sorted(between, key=lambda e: (-e["evidence"], int(e["id"][1:])))[:EDGE_BUDGET]
    assert [e["id"] for e in edges if not e["hidden"]] == [e["id"] for e in edges if e in best]
    assert f'id="kg-max-edges" min="0" value="{EDGE_BUDGET}"' in page


def test_communities_are_found_and_listed_escaped(page: str) -> None:
    nodes = _data(page, "nodes")
    keys = _keys(nodes)
    groups: dict[int, list[int]] = {}  # community -> the generated group of each member
    for n in nodes:
        groups.setdefault(n["community"], []).append(int(keys[n["id"]][len("actor:g")]))
    assert sorted(groups) == list(range(len(groups)))
    sizes = [len(groups[c]) for c in sorted(groups)]
    assert sizes == sorted(sizes, reverse=True)  # numbered largest first
    # the generated groups come out as communities: each large one is mostly one group
    large = [members for members in groups.values() if len(members) >= 20]
    assert len(large) >= GROUPS // 2
    for members in large:
        assert max(members.count(g) for g in set(members)) >= 0.8 * len(members)
    options = re.findall(r'<option value="(\d+)" dir="auto">(.*?)</option>', page)
    assert [int(v) for v, _ in options] == sorted(int(v) for v, _ in options)
    assert any(html.escape(HOSTILE_NAME) in text for _, text in options)
    assert HOSTILE_NAME not in page


def test_deterministic_and_top_keeps_its_meaning(grouped: list[Extraction], page: str) -> None:
    assert generate_html(grouped, LABELS) == page
    trimmed = generate_html(grouped, LABELS, top=100)
    nodes = _data(trimmed, "nodes")
    assert len(nodes) == 100 and not any(n.get("hidden") for n in nodes)  # small: all drawn
    assert 'id="kg-community"' not in trimmed
    wide = generate_html(grouped, LABELS, top=VIEW_ALL_MAX + 1)
    nodes = _data(wide, "nodes")
    assert len(nodes) == VIEW_ALL_MAX + 1 and sum(not n["hidden"] for n in nodes) == OPEN_ACTORS


def test_same_page_whatever_the_hash_seed(page: str) -> None:
    """Communities and layout do not hang on the order of sets of strings, which changes per process."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import test_html_large as t; "
        "sys.stdout.buffer.write(t.generate_html(t._grouped(), t.LABELS).encode())"
    )
    here = str(Path(__file__).parent)
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run([sys.executable, "-c", script, here], env=env, capture_output=True, check=True)
        assert run.stdout == page.encode("utf-8")


def test_edges_carry_the_days_of_their_documents(grouped: list[Extraction], page: str) -> None:
    expected: dict[tuple[str, str, str], set[str]] = {}
    for d, x in enumerate(grouped):
        for st in x.statements:
            days = expected.setdefault((st.subject, st.predicate, st.object), set())
            day = _day(d)
            if day is not None:
                days.add(day)
    nodes = _data(page, "nodes")
    keys = _keys(nodes)
    found = {(keys[e["from"]], e["relation"], keys[e["to"]]): e["days"] for e in _data(page, "edges")}
    assert found == {k: sorted(v) for k, v in expected.items()}
    undated = sum(1 for v in expected.values() if not v)
    assert undated > 0
    assert 'id="kg-date-from" min="2018-03-01" max="2018-03-30" value="2018-03-01"' in page
    assert f"undated edges ({undated})" in page


def test_no_dates_no_date_filter() -> None:
    text, sents = _sentences("جملة.")
    a, b = Actor("actor:a", "State", "أ"), Actor("actor:b", "State", "ب")
    x = Extraction(Document("d", text, date="not a date"), sents, (a, b), (),
                   (Statement(a.key, "attacks", b.key, "Asserted", "c", 0.8, (0,)),))
    page = generate_html([x], LABELS)
    assert 'id="kg-date-from"' not in page and _data(page, "edges")[0]["days"] == []


# --- in the browser ------------------------------------------------------------------------


@pytest.fixture()
def opened(browser: Any, page: str, tmp_path: Path) -> Iterator[Any]:  # noqa: F811
    path = tmp_path / "large.html"
    path.write_text(page, encoding="utf-8")
    with _offline_page(browser, path, timeout=60_000) as state:
        yield state.page


def _shown(p: Any) -> set[str]:
    return set(p.evaluate("nodes.getIds({filter: (n) => n.hidden !== true})"))


def _drawn_edges(p: Any) -> list[dict[str, Any]]:
    edges: list[dict[str, Any]] = p.evaluate(
        "edges.get({filter: (e) => e.hidden !== true}).map((e) => ({id: e.id, from: e.from, to: e.to,"
        " days: e.days, evidence: e.evidence}))"
    )
    return edges


def _ranked(p: Any) -> list[str]:
    ids: list[str] = p.evaluate("nodes.get().sort((a, b) => a.rank - b.rank).map((n) => n.id)")
    return ids


def test_browser_opens_on_the_view_and_widens(opened: Any) -> None:
    p = opened
    ranked = _ranked(p)
    assert len(ranked) > VIEW_ALL_MAX
    assert _shown(p) == set(ranked[:OPEN_ACTORS])
    drawn = _drawn_edges(p)
    assert 0 < len(drawn) <= EDGE_BUDGET
    assert p.evaluate("network.physics.physicsBody.physicsNodeIndices.length") == OPEN_ACTORS
    status = p.text_content("#kg-view-status")
    assert status == f"{OPEN_ACTORS} of {len(ranked)} actors drawn · {len(drawn)} edges"
    p.click("#kg-widen")
    assert _shown(p) == set(ranked[:OPEN_ACTORS + WIDEN_STEP])
    assert len(_drawn_edges(p)) <= EDGE_BUDGET
    p.click("#kg-widen")
    assert _shown(p) == set(ranked[:OPEN_ACTORS + 2 * WIDEN_STEP])
    # the edge budget: the reader may ask for more, or fewer
    p.fill("#kg-max-edges", "10")
    assert len(_drawn_edges(p)) == 10
    p.fill("#kg-max-edges", str(EDGE_BUDGET))
    p.click("#kg-reset")
    assert _shown(p) == set(ranked[:OPEN_ACTORS])


def _neighbours(p: Any, node: str) -> list[str]:
    """The neighbours of a node, most connected first."""
    ids: list[str] = p.evaluate(
        """(id) => { const rank = {}; nodes.forEach((n) => { rank[n.id] = n.rank; });
                     const out = new Set();
                     edges.forEach((e) => { if (e.from === id && e.to !== id) out.add(e.to);
                                            if (e.to === id && e.from !== id) out.add(e.from); });
                     return [...out].sort((a, b) => rank[a] - rank[b]); }""",
        node,
    )
    return ids


def test_browser_double_click_expands_a_node(opened: Any) -> None:
    p = opened
    before = _shown(p)
    # the best connected actor drawn with neighbours not drawn
    ranked = _ranked(p)
    node = next(n for n in ranked if n in before and set(_neighbours(p, n)) - before)
    hidden = [m for m in _neighbours(p, node) if m not in before]
    p.evaluate("network.setOptions({physics: {enabled: false}})")  # hold still for the mouse
    x, y = p.evaluate(
        """(id) => { const rect = document.querySelector('#mynetwork canvas').getBoundingClientRect();
                     const q = network.canvasToDOM(network.getPositions([id])[id]);
                     return [rect.left + q.x, rect.top + q.y]; }""",
        node,
    )
    p.mouse.dblclick(x, y)
    p.wait_for_function("(n) => nodes.get({filter: (x) => x.hidden !== true}).length > n", arg=len(before))
    after = _shown(p)
    added = set(hidden[:EXPAND_STEP])
    assert after == before | added
    # every node added is joined to the expanded one by a drawn edge, whatever its evidence
    drawn = _drawn_edges(p)
    linked = {e["to"] if e["from"] == node else e["from"] for e in drawn if node in (e["from"], e["to"])}
    assert added <= linked
    # the node panel offers the rest
    assert "neighbours" in p.text_content("#kg-expand-node")


def test_browser_expand_button_in_the_node_panel(opened: Any) -> None:
    p = opened
    before = _shown(p)
    node = _ranked(p)[0]
    neighbours = _neighbours(p, node)
    p.evaluate("(id) => { network.selectNodes([id]); document.getElementById('kg-expand').click(); }", node)
    first = _shown(p)
    assert first - before == set([m for m in neighbours if m not in before][:EXPAND_STEP])
    p.click("#kg-expand-node")
    second = _shown(p)
    rest = [m for m in neighbours if m not in first]
    assert second - first == set(rest[:EXPAND_STEP])


def test_browser_picks_a_community(opened: Any) -> None:
    p = opened
    values = p.evaluate("[...document.querySelectorAll('#kg-community option')].map((o) => o.value)")
    assert values[0] == "" and len(values) > 3
    members = p.evaluate(
        "(c) => nodes.get({filter: (n) => n.community === c}).sort((a, b) => a.rank - b.rank).map((n) => n.id)", 1
    )
    p.select_option("#kg-community", "1")
    shown = _shown(p)
    assert shown == set(members[:OPEN_ACTORS])
    assert all(e["from"] in shown and e["to"] in shown for e in _drawn_edges(p))
    # more actors: the next ones of the same community
    p.click("#kg-widen")
    assert _shown(p) == set(members[:OPEN_ACTORS + WIDEN_STEP])
    # the community named after the hostile actor shows it as text
    texts = p.evaluate("[...document.querySelectorAll('#kg-community option')].map((o) => o.textContent)")
    assert any(HOSTILE_NAME in t for t in texts)
    hostile = next(i for i, t in enumerate(texts) if HOSTILE_NAME in t)
    p.select_option("#kg-community", values[hostile])
    labels = p.evaluate("nodes.get({filter: (n) => n.hidden !== true}).map((n) => n.label)")
    assert HOSTILE_NAME in labels
    assert p.evaluate("document.querySelectorAll('img').length") == 0
    assert p.evaluate("window.__pwned") is False
    p.select_option("#kg-community", "")
    assert _shown(p) == set(_ranked(p)[:OPEN_ACTORS])


def test_browser_node_panel_opens_its_community(opened: Any) -> None:
    p = opened
    node = _ranked(p)[0]
    community = p.evaluate("(id) => nodes.get(id).community", node)
    p.evaluate("(id) => { network.emit('click', {nodes: [id], edges: []}); }", node)  # as vis does on a click
    p.click("#kg-node-community")
    assert p.input_value("#kg-community") == str(community)
    members = p.evaluate(
        "(c) => nodes.get({filter: (n) => n.community === c}).sort((a, b) => a.rank - b.rank).map((n) => n.id)",
        community,
    )
    assert _shown(p) == set(members[:OPEN_ACTORS])
    # the details are those of the same actor, without the button now that its community is shown
    assert p.evaluate("document.getElementById('kg-node-community')") is None
    assert "neighbours" in p.text_content("#kg-expand-node")


def test_browser_search_brings_an_actor_into_the_view(opened: Any) -> None:
    p = opened
    before = _shown(p)
    ranked = _ranked(p)
    far = ranked[-1]
    name = p.evaluate("(id) => nodes.get(id).name_en", far)
    p.fill("#kg-search", name)
    p.press("#kg-search", "Enter")
    assert _shown(p) == before | {far}
    assert p.evaluate("network.getSelectedNodes()") == [far]


def test_browser_date_range_hides_edges_out_of_it(opened: Any) -> None:
    p = opened
    before = _drawn_edges(p)
    assert any(not e["days"] for e in before) and any(e["days"] for e in before)
    p.fill("#kg-date-from", "2018-03-05")
    p.fill("#kg-date-to", "2018-03-09")
    p.dispatch_event("#kg-date-to", "change")
    drawn = _drawn_edges(p)

    def within(e: dict[str, Any]) -> bool:
        return any("2018-03-05" <= d <= "2018-03-09" for d in e["days"])

    assert drawn and all(within(e) or not e["days"] for e in drawn)
    # those drawn before that are in range stay; the budget freed lets others in range in
    assert {e["id"] for e in before if within(e) or not e["days"]} <= {e["id"] for e in drawn}
    assert len(drawn) <= EDGE_BUDGET
    # without undated edges, only the dated ones in range; the actors without an edge go too
    p.uncheck("#kg-undated")
    drawn = _drawn_edges(p)
    assert drawn and all(within(e) for e in drawn)
    ends = {x for e in drawn for x in (e["from"], e["to"])}
    assert _shown(p) == ends
    p.check("#kg-undated")
    p.fill("#kg-date-from", "2018-03-01")
    p.fill("#kg-date-to", "2018-03-30")
    p.dispatch_event("#kg-date-to", "change")
    assert {e["id"] for e in _drawn_edges(p)} == {e["id"] for e in before}


# --- the real feed -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def feed_page(tmp_path_factory: pytest.TempPathFactory, lexicon: kg.Lexicon) -> Path:
    """graph.html of the real feed (``../shared/corpus/feed.jsonl``), built once."""
    feed = require_shared("corpus/feed.jsonl")
    out = tmp_path_factory.mktemp("feed_page")
    kg.build([str(feed)], out, "html", lexicon=lexicon, workers=2)
    return out / "graph.html"


def test_real_feed_opens_readable_and_grows(browser: Any, feed_page: Path) -> None:  # noqa: F811
    with _offline_page(browser, feed_page, timeout=120_000) as state:
        p = state.page
        total = p.evaluate("nodes.length")
        assert total > 1000
        shown = _shown(p)
        assert len(shown) == OPEN_ACTORS
        assert 0 < len(_drawn_edges(p)) <= EDGE_BUDGET
        # drawn large enough to read at 1280x800: node labels (20 px at zoom 1) at 10 px or more
        assert p.evaluate("network.getScale()") * 20 >= 10
        p.evaluate("(id) => { network.selectNodes([id]); document.getElementById('kg-expand').click(); }",
                   _ranked(p)[0])
        assert len(_shown(p)) > OPEN_ACTORS
        p.select_option("#kg-community", "0")
        community = set(p.evaluate("nodes.getIds({filter: (n) => n.community === 0})"))
        assert _shown(p) <= community and len(_shown(p)) == min(OPEN_ACTORS, len(community))


def test_real_dated_texts_filter_by_date(browser: Any, tmp_path: Path, lexicon: kg.Lexicon) -> None:  # noqa: F811
    texts = require_shared("eval/dev_texts.jsonl")
    kg.build([str(texts)], tmp_path, "html", lexicon=lexicon)
    page = tmp_path / "graph.html"
    source = page.read_text("utf-8")
    first, last = re.search(r'id="kg-date-from" min="([\d-]+)" max="([\d-]+)"', source).groups()  # type: ignore[union-attr]
    assert first < "2018-03-01" < last
    with _offline_page(browser, page) as state:
        p = state.page
        before = _drawn_edges(p)
        p.fill("#kg-date-from", "2018-04-01")
        p.fill("#kg-date-to", "2018-04-15")
        p.dispatch_event("#kg-date-to", "change")
        drawn = _drawn_edges(p)
        assert 0 < len(drawn) < len(before)
        assert all(any("2018-04-01" <= d <= "2018-04-15" for d in e["days"]) or not e["days"] for e in drawn)
