"""The interactive graph page: static checks and a real browser with the network cut off."""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kg.errors import ExportError
from kg.html import generate_html, write_html
from kg.model import Actor, Document, Extraction, Sentence, Statement


def _screenshot_script() -> Any:
    """``scripts/screenshot.py``, the path the README screenshot is taken through, as a module."""
    path = Path(__file__).resolve().parents[1] / "scripts" / "screenshot.py"
    spec = importlib.util.spec_from_file_location("rawabit_screenshot", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# the browser is launched exactly as for the README screenshot
_SCREENSHOT = _screenshot_script()
CHROMIUM: str = _SCREENSHOT.CHROMIUM
CHROMIUM_ARGS: list[str] = _SCREENSHOT.CHROMIUM_ARGS

LABELS = {
    "besieges": ("يحاصر", "besieges"),
    "negotiatesWith": ("يتفاوض مع", "negotiates with"),
    "captures": ("يسيطر على", "captures"),
    # "attacks" is left out on purpose: the page falls back to the local name.
}

SIEGE = "حاصرت قوات النظام مدينة دوما منذ أسابيع."
SIEGE_AGAIN = "وواصلت قوات النظام حصار دوما لليوم العاشر."
CLAIM = "وقال جيش الإسلام إن القوات الروسية قصفت دوما."
DENIAL = "ونفى جيش الإسلام وجود مفاوضات مع روسيا."

HOSTILE_NAME = '<img src=x onerror="window.__pwned=1;alert(1)">'
HOSTILE_SENTENCE = "سيطرت الجماعة على البلدة </script><script>window.__pwned=1;alert(1)</script>"
HOSTILE_DOC = 'x"><img src=x onerror=alert(1)>'
HOSTILE_URL = "javascript:alert(1)"
HOSTILE_TITLE = "<script>alert(1)</script> روابط"


def _sentences(*texts: str) -> tuple[str, tuple[Sentence, ...]]:
    """Join sentences into a document text with correct offsets."""
    out = []
    start = 0
    for i, text in enumerate(texts):
        out.append(Sentence(index=i, start=start, end=start + len(text), text=text))
        start += len(text) + 1
    return " ".join(texts), tuple(out)


REGIME = Actor("actor:syrian-regime-forces", "StateForces", "قوات النظام", "Syrian regime forces")
DOUMA = Actor("place:douma", "Place", "دوما", "Douma")
RUSSIA = Actor("actor:russia", "State", "روسيا", "Russia")
JAYSH = Actor("actor:jaysh-al-islam", "ArmedGroup", "جيش الإسلام", "Jaysh al-Islam")
UNUSED = Actor(
    "actor:united-nations", "InternationalOrganization", "الأمم المتحدة", "United Nations"
)


def _corpus() -> list[Extraction]:
    """Three documents about Douma, sharing actors by key."""
    text1, sents1 = _sentences(SIEGE, CLAIM)
    doc1 = Extraction(
        document=Document("ghouta_1", text1, url="https://example.org/ghouta-1"),
        sentences=sents1,
        actors=(REGIME, DOUMA, RUSSIA, JAYSH, UNUSED),
        mentions=(),
        statements=(
            Statement(REGIME.key, "besieges", DOUMA.key, "Asserted", "حاصرت", 0.9, (0,)),
            Statement(
                RUSSIA.key, "attacks", DOUMA.key, "Claimed", "قصفت", 0.7, (1,),
                attributed_to=JAYSH.key,
            ),
        ),
    )
    text2, sents2 = _sentences(SIEGE_AGAIN, DENIAL)
    doc2 = Extraction(
        document=Document("ghouta_2", text2),
        sentences=sents2,
        actors=(REGIME, DOUMA, JAYSH, RUSSIA),
        mentions=(),
        statements=(
            Statement(REGIME.key, "besieges", DOUMA.key, "Asserted", "حصار", 0.9, (0,)),
            Statement(
                JAYSH.key, "negotiatesWith", RUSSIA.key, "Denied", "مفاوضات", 0.7, (1,),
                attributed_to=JAYSH.key,
            ),
        ),
    )
    return [doc1, doc2]


def _hostile() -> Extraction:
    """A document whose name, sentence, id and URL try to inject markup or script."""
    text, sents = _sentences(HOSTILE_SENTENCE)
    evil = Actor("actor:evil", "ArmedGroup", HOSTILE_NAME, HOSTILE_NAME)
    return Extraction(
        document=Document(HOSTILE_DOC, text, url=HOSTILE_URL),
        sentences=sents,
        actors=(evil, DOUMA),
        mentions=(),
        statements=(Statement(evil.key, "captures", DOUMA.key, "Asserted", "سيطرت", 0.8, (0,)),),
    )


@pytest.fixture(scope="module")
def extractions() -> list[Extraction]:
    """The corpus plus the hostile document."""
    return [*_corpus(), _hostile()]


@pytest.fixture(scope="module")
def page(extractions: list[Extraction]) -> str:
    """The generated page."""
    return generate_html(extractions, LABELS, title=HOSTILE_TITLE)


# --- static checks ---------------------------------------------------------------------


def test_page_is_rtl_utf8_and_titled(page: str) -> None:
    assert page.startswith('<html lang="ar" dir="rtl">')
    assert '<meta charset="utf-8">' in page
    assert '<div id="mynetwork" dir="rtl"' in page
    assert '<aside id="kg-side" dir="rtl">' in page
    assert '"Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "DejaVu Sans", sans-serif' in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; روابط</title>" in page
    # 3 documents, 5 actors in statements (the UN takes part in none), 5 statements, 4 edges.
    assert 'data-documents="3" data-actors="5" data-statements="5" data-edges="4"' in page
    assert "3 documents · 5 actors · 5 statements · 4 edges" in page


def test_no_remote_or_external_resources(page: str) -> None:
    tags_with_links = re.findall(r"<[a-zA-Z][^>]*\b(?:src|href)\s*=[^>]*>", page)
    assert tags_with_links == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert "@import" not in page
    assert "cdnjs" not in page and "jsdelivr" not in page
    # vis-network itself is inlined.
    assert "vis.Network" in page and page.count("<script>") >= 3


def test_deterministic(extractions: list[Extraction], page: str, tmp_path: Path) -> None:
    assert generate_html(extractions, LABELS, title=HOSTILE_TITLE) == page
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    write_html(extractions, LABELS, a, title=HOSTILE_TITLE)
    write_html(list(extractions), dict(LABELS), b, title=HOSTILE_TITLE)
    assert a.read_bytes() == b.read_bytes() == page.encode("utf-8")


def test_written_as_utf8_without_leftovers(extractions: list[Extraction], tmp_path: Path) -> None:
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")
    write_html(extractions, LABELS, target, title="روابط الغوطة")
    data = target.read_bytes()
    assert "روابط الغوطة".encode() in data
    data.decode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_write_error_leaves_nothing(extractions: list[Extraction], tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"cannot write the graph page .*missing.*folder exists"):
        write_html(extractions, LABELS, tmp_path / "missing" / "graph.html")
    target = tmp_path / "is-a-folder"
    target.mkdir()
    (target / "keep").write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match=r"cannot write the graph page"):
        write_html(extractions, LABELS, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["is-a-folder"]


def test_hostile_strings_are_escaped(page: str) -> None:
    for raw in (HOSTILE_NAME, HOSTILE_SENTENCE, HOSTILE_DOC, HOSTILE_TITLE, "<img", "onerror=\""):
        assert raw not in page
    # The non-http URL is not written at all (vis-network's own code mentions "javascript:").
    assert HOSTILE_URL not in page
    assert not re.search(r"href\W{0,12}javascript", page, re.IGNORECASE)
    # Exactly the page's own script elements: no string from the input closed one or opened one.
    assert page.count("<script>") == page.count("</script>")
    assert "\\u003c/script\\u003e" in page or "\\u0026lt;/script\\u0026gt;" in page


def test_empty_input_gives_a_page() -> None:
    page = generate_html([], {})
    assert 'data-documents="0" data-actors="0"' in page


# --- real browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright; skipped when either is missing."""
    required = os.environ.get("KG_REQUIRE_TOOLS") == "1"
    if not os.path.exists(CHROMIUM):
        if required:
            pytest.fail(f"{CHROMIUM} is missing (KG_REQUIRE_TOOLS=1): apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("playwright is not installed (KG_REQUIRE_TOOLS=1)")
        pytest.skip("playwright is not installed")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class Loaded:
    """A page opened in the browser, with everything it tried to do recorded."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []


@contextmanager
def _offline_page(browser: Any, path: Path, timeout: int = 30_000) -> Iterator[Loaded]:
    """``path`` opened from file:// with the network cut off, once the page says it is ready.

    Every request that is not a file is aborted and recorded, as are console errors, page errors
    and dialogs; none may happen.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    state = Loaded(page)

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith("file://"):
            r.continue_()
        else:
            state.requests.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: state.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: state.page_errors.append(str(e)))

    def dialog(d: Any) -> None:
        state.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.add_init_script("window.__pwned = false;")
    try:
        page.goto(path.as_uri())
        page.wait_for_function("document.body.dataset.kgReady === 'true'", timeout=timeout)
        yield state
    finally:
        context.close()
    assert state.requests == []
    assert state.console_errors == []
    assert state.page_errors == []
    assert state.dialogs == []


@pytest.fixture()
def loaded(browser: Any, extractions: list[Extraction], tmp_path: Path) -> Iterator[Loaded]:
    """The page written to disk and opened from file:// with the network cut off."""
    path = tmp_path / "graph.html"
    write_html(extractions, LABELS, path, title=HOSTILE_TITLE)
    with _offline_page(browser, path) as state:
        # Freeze the layout so that positions read now are where the mouse will go.
        state.page.evaluate("network.setOptions({physics: {enabled: false}})")
        yield state


def _edge_id(page: Any, predicate_label: str) -> str:
    """The id of the edge whose label is the given one."""
    ids: list[str] = page.evaluate(
        "(label) => edges.get({filter: (e) => e.label === label}).map((e) => e.id)", predicate_label
    )
    assert len(ids) == 1, ids
    return ids[0]


def _point_on_edge(page: Any, edge_id: str) -> tuple[float, float]:
    """A page coordinate on the edge, off every node, where vis finds that edge."""
    point = page.evaluate(
        """(id) => {
            const rect = document.querySelector('#mynetwork canvas').getBoundingClientRect();
            for (const t of [0.5, 0.42, 0.58, 0.35, 0.65, 0.3, 0.7]) {
                const p = network.canvasToDOM(network.body.edges[id].edgeType.getPoint(t));
                if (network.getEdgeAt(p) === id && network.getNodeAt(p) === undefined) {
                    return [rect.left + p.x, rect.top + p.y];
                }
            }
            return null;
        }""",
        edge_id,
    )
    assert point is not None, f"no free point on edge {edge_id}"
    return point[0], point[1]


def _point_on_node(page: Any, key_label: str) -> tuple[float, float]:
    """The page coordinate of the node with the given (decoded) label."""
    point = page.evaluate(
        """(label) => {
            const rect = document.querySelector('#mynetwork canvas').getBoundingClientRect();
            const node = nodes.get({filter: (n) => n.label === label})[0];
            const p = network.canvasToDOM(network.getPositions([node.id])[node.id]);
            return [rect.left + p.x, rect.top + p.y];
        }""",
        key_label,
    )
    return point[0], point[1]


def _tooltip_text(page: Any, x: float, y: float) -> str:
    """Hover a point and return the text of the vis tooltip that appears."""
    page.mouse.move(x + 30, y + 30)
    page.mouse.move(x, y, steps=5)
    page.wait_for_function(
        "() => { const t = document.querySelector('div.vis-tooltip');"
        " return t !== null && t.style.visibility === 'visible' && t.textContent.length > 0; }",
        timeout=10_000,
    )
    text: str = page.evaluate("document.querySelector('div.vis-tooltip').textContent")
    return text


def test_browser_draws_the_graph_offline(loaded: Loaded) -> None:
    page = loaded.page
    assert page.evaluate("network.body.data.nodes.length") == 5
    assert page.evaluate("network.body.data.edges.length") == 4
    assert page.locator("#mynetwork canvas").count() == 1
    assert page.evaluate("document.documentElement.dir") == "rtl"
    direction = "getComputedStyle(document.getElementById('mynetwork')).direction"
    assert page.evaluate(direction) == "rtl"
    labels = page.evaluate("nodes.get().map((n) => n.label).sort()")
    assert "قوات النظام" in labels and "دوما" in labels
    # attacks has no label in LABELS: its local name is shown.
    assert page.evaluate("edges.get().map((e) => e.label).sort()") == sorted(
        ["يحاصر", "attacks", "يتفاوض مع", "يسيطر على"]
    )


def test_browser_tooltip_shows_evidence(loaded: Loaded) -> None:
    page = loaded.page
    siege = _edge_id(page, "يحاصر")
    data = page.evaluate("(id) => [edges.get(id).title.textContent, edges.get(id).info]", siege)
    assert SIEGE in data[0] and SIEGE_AGAIN in data[0]
    assert "ghouta_1" in data[0] and "ghouta_2" in data[0] and "besieges" in data[0]
    text = _tooltip_text(page, *_point_on_edge(page, siege))
    assert SIEGE in text and SIEGE_AGAIN in text
    # Clicking the edge shows the same details in the side panel, with the http link.
    page.mouse.click(*_point_on_edge(page, siege))
    page.wait_for_function("document.getElementById('kg-details').textContent.includes('ghouta_2')")
    hrefs = page.evaluate("[...document.querySelectorAll('#kg-details a')].map((a) => a.href)")
    assert hrefs == ["https://example.org/ghouta-1"]
    claim = _edge_id(page, "attacks")
    claim_text = page.evaluate("(id) => edges.get(id).title.textContent", claim)
    assert "Claimed" in claim_text and "جيش الإسلام" in claim_text and CLAIM in claim_text


def test_browser_denied_hidden_until_asked(loaded: Loaded) -> None:
    page = loaded.page
    denied = _edge_id(page, "يتفاوض مع")
    assert page.evaluate("(id) => edges.get(id).hidden", denied) is True
    assert page.evaluate("(id) => edges.get(id).dashes", denied) is not False
    page.check("#kg-show-denied")
    assert page.evaluate("(id) => edges.get(id).hidden", denied) is False
    text = _tooltip_text(page, *_point_on_edge(page, denied))
    assert "Denied" in text and DENIAL in text
    page.uncheck("#kg-show-denied")
    assert page.evaluate("(id) => edges.get(id).hidden", denied) is True


def test_browser_hostile_input_stays_inert(loaded: Loaded) -> None:
    page = loaded.page
    # The hostile name is drawn as text on the canvas and shown as text in the tooltip.
    labels = page.evaluate("nodes.get().map((n) => n.label)")
    assert HOSTILE_NAME in labels
    node_text = _tooltip_text(page, *_point_on_node(page, HOSTILE_NAME))
    assert HOSTILE_NAME in node_text
    capture = _edge_id(page, "يسيطر على")
    edge_text = _tooltip_text(page, *_point_on_edge(page, capture))
    assert HOSTILE_SENTENCE in edge_text and HOSTILE_DOC in edge_text
    page.mouse.click(*_point_on_edge(page, capture))
    page.wait_for_function(
        "document.getElementById('kg-details').textContent.includes('</script>')"
    )
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.querySelectorAll('#kg-details a').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 3
    assert "<script>" in page.title() and "روابط" in page.title()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is False


def _large(n_nodes: int) -> list[Extraction]:
    """A chain of statements over many actors (more than the physics limit)."""
    actors = tuple(
        Actor(f"actor:a{i:04d}", "ArmedGroup" if i % 2 else "Place", f"فصيل {i}")
        for i in range(n_nodes)
    )
    text, sents = _sentences(*(f"هاجم فصيل {i} فصيل {i + 1}." for i in range(n_nodes - 1)))
    statements = tuple(
        Statement(actors[i].key, "attacks", actors[i + 1].key, "Asserted", "هاجم", 0.8, (i,))
        for i in range(n_nodes - 1)
    )
    return [Extraction(Document("chain", text), sents, actors, (), statements)]


def test_a_large_graph_opens_on_a_view_and_a_small_one_draws_everything() -> None:
    from kg.html import OPEN_ACTORS, VIEW_ALL_MAX

    small = generate_html(_large(VIEW_ALL_MAX), LABELS)
    large = generate_html(_large(VIEW_ALL_MAX + 20), LABELS)
    assert '"physics": {"enabled": true' in small and '"physics": {"enabled": true' in large
    assert not any(n.get("hidden") for n in _data(small, "nodes"))
    assert 'id="kg-community"' not in small and '"view": null' in small
    # every actor is in the large page; the physics moves only the ones drawn
    nodes = _data(large, "nodes")
    assert len(nodes) == VIEW_ALL_MAX + 20 and f'data-actors="{VIEW_ALL_MAX + 20}"' in large
    drawn = [n for n in nodes if not n["hidden"]]
    assert len(drawn) == OPEN_ACTORS and all(n["physics"] for n in drawn)
    assert not any(n["physics"] for n in nodes if n["hidden"])
    assert 'id="kg-community"' in large


def test_browser_draws_a_large_graph(browser: Any, tmp_path: Path) -> None:
    from kg.html import OPEN_ACTORS

    path = tmp_path / "large.html"
    write_html(_large(320), LABELS, path)
    with _offline_page(browser, path, timeout=30_000) as state:
        page = state.page
        assert page.evaluate("network.body.data.nodes.length") == 320
        assert page.evaluate("nodes.get({filter: (n) => !n.hidden}).length") == OPEN_ACTORS


# --- reading, finding, size --------------------------------------------------------------


def _data(page: str, name: str) -> list[dict[str, Any]]:
    """The items of the vis DataSet ``name`` ("nodes" or "edges") as embedded in the page."""
    import json

    match = re.search(name + r" = new vis\.DataSet\((\[.*?\])\);\n", page)
    assert match is not None
    items: list[dict[str, Any]] = json.loads(match[1])
    return items


def test_sizes_by_degree_and_widths_by_sentences(page: str) -> None:
    nodes = {n["name_en"]: n for n in _data(page, "nodes")}
    # Douma: 3 edges (besieges, attacks, captures); Jaysh al-Islam: 1 (the denied negotiation).
    assert nodes["Douma"]["degree"] == 3 and nodes["Jaysh al-Islam"]["degree"] == 1
    assert nodes["Douma"]["size"] > nodes["Jaysh al-Islam"]["size"]
    edges = {e["relation"]: e for e in _data(page, "edges")}
    # besieges is stated by two sentences (two documents), attacks by one.
    assert edges["besieges"]["evidence"] == 2 and edges["attacks"]["evidence"] == 1
    assert edges["besieges"]["width"] > edges["attacks"]["width"]
    # The controls are in the page, plain HTML: a box per relation and per actor type.
    for name in ("besieges", "attacks", "negotiatesWith", "captures"):
        assert f'class="kg-rel" data-relation="{name}"' in page
    for actor_type in ("StateForces", "Place", "State", "ArmedGroup"):
        assert f'class="kg-type" data-type="{actor_type}"' in page
    assert 'id="kg-min-evidence" min="1" max="2"' in page


def _sieges(documents: int) -> list[Extraction]:
    """Documents that each state the siege of Douma in two sentences (one statement citing both)
    and repeat the first sentence's claim in a second statement, which adds no sentence."""
    out = []
    for i in range(documents):
        text, sents = _sentences(SIEGE, SIEGE_AGAIN)
        out.append(Extraction(
            document=Document(f"siege_{i:03d}", text),
            sentences=sents,
            actors=(REGIME, DOUMA),
            mentions=(),
            statements=(
                Statement(REGIME.key, "besieges", DOUMA.key, "Asserted", "حاصرت", 0.9, (0, 1), count=2),
                Statement(REGIME.key, "besieges", DOUMA.key, "Asserted", "حاصرت", 0.9, (0,)),
            ),
        ))
    return out


def test_an_edge_stated_many_times_lists_its_first_sentences_and_counts_all() -> None:
    from kg.html import EVIDENCE_SHOWN

    page = generate_html(_sieges(14), LABELS)
    (edge,) = _data(page, "edges")
    assert edge["evidence"] == 28  # 14 documents x 2 distinct sentences
    assert 'id="kg-min-evidence" min="1" max="28"' in page
    assert "stated 42×" in edge["info"]  # the statements' counts: 2 + 1 per document
    listed = re.findall(r'<li>(.*?) · <span class="kg-doc" dir="ltr">(\w+)</span></li>', edge["info"])
    assert EVIDENCE_SHOWN == 10
    # the first ten, in input order: both sentences of each of the first five documents
    assert listed == [(text, f"siege_{i:03d}") for i in range(5) for text in (SIEGE, SIEGE_AGAIN)]
    assert edge["info"].endswith("and 18 more sentences, all in the RDF</span>")


def test_the_page_grows_with_the_graph_not_with_the_corpus() -> None:
    small = generate_html(_sieges(14), LABELS)
    large = generate_html(_sieges(1400), LABELS)
    # the same graph: only the counts in it differ
    assert len(large) - len(small) < 100
    assert "and 2790 more sentences" in large
    # fed one at a time, as kg build does, the page is the same
    assert generate_html(iter(_sieges(14)), LABELS) == small


def test_top_must_be_positive(extractions: list[Extraction]) -> None:
    with pytest.raises(ExportError, match=r"top=0 keeps no actor"):
        generate_html(extractions, LABELS, top=0)


def _hidden(page: Any, dataset: str) -> dict[str, bool]:
    """Label of each node (or relation of each edge) to whether it is hidden."""
    key = "label" if dataset == "nodes" else "relation"
    pairs = page.evaluate(f"{dataset}.get().map((x) => [x.{key}, x.hidden === true])")
    return {k: v for k, v in pairs}


def test_browser_filters_by_relation_type(loaded: Loaded) -> None:
    page = loaded.page
    assert _hidden(page, "edges") == {
        "besieges": False, "attacks": False, "captures": False, "negotiatesWith": True
    }
    page.uncheck('input.kg-rel[data-relation="besieges"]')
    assert _hidden(page, "edges")["besieges"] is True
    assert _hidden(page, "edges")["attacks"] is False
    # Denied edges stay under their own switch too.
    page.check("#kg-show-denied")
    assert _hidden(page, "edges")["negotiatesWith"] is False
    page.uncheck('input.kg-rel[data-relation="negotiatesWith"]')
    assert _hidden(page, "edges")["negotiatesWith"] is True
    page.check('input.kg-rel[data-relation="besieges"]')
    assert _hidden(page, "edges")["besieges"] is False


def test_browser_filters_by_actor_type(loaded: Loaded) -> None:
    page = loaded.page
    page.uncheck('input.kg-type[data-type="Place"]')
    nodes = _hidden(page, "nodes")
    assert nodes["دوما"] is True and nodes["قوات النظام"] is False and nodes["روسيا"] is False
    # Every edge to Douma goes with it.
    edges = _hidden(page, "edges")
    assert edges["besieges"] and edges["attacks"] and edges["captures"]
    page.check('input.kg-type[data-type="Place"]')
    assert _hidden(page, "nodes")["دوما"] is False
    assert _hidden(page, "edges")["besieges"] is False


def test_browser_minimum_evidence_hides_single_sentence_edges(loaded: Loaded) -> None:
    page = loaded.page
    page.fill("#kg-min-evidence", "2")
    edges = _hidden(page, "edges")
    assert edges["besieges"] is False  # two sentences
    assert edges["attacks"] is True and edges["captures"] is True  # one each
    page.fill("#kg-min-evidence", "1")
    assert _hidden(page, "edges")["attacks"] is False


def _search(page: Any, text: str) -> list[str]:
    """Type a name in the search box, press Enter and return the selected node labels."""
    page.fill("#kg-search", text)
    page.press("#kg-search", "Enter")
    labels: list[str] = page.evaluate(
        "network.getSelectedNodes().map((id) => nodes.get(id).label)"
    )
    return labels


def test_browser_search_by_arabic_and_english_name(loaded: Loaded) -> None:
    page = loaded.page
    # Written without the hamza: Arabic letters are folded before comparing.
    assert _search(page, "جيش الاسلام") == ["جيش الإسلام"]
    assert "Jaysh al-Islam" in page.evaluate("document.getElementById('kg-details').textContent")
    assert _search(page, "russia") == ["روسيا"]
    # The view is centred on the node found.
    centre = page.evaluate(
        """() => { const p = network.getPositions()[network.getSelectedNodes()[0]];
                   const v = network.getViewPosition(); return Math.hypot(p.x - v.x, p.y - v.y); }"""
    )
    assert centre < 1
    assert _search(page, "Syrian regime") == ["قوات النظام"]  # a part of the name
    assert _search(page, "no such actor") == []


def test_browser_neighbourhood_focus(loaded: Loaded) -> None:
    page = loaded.page
    assert _search(page, "Douma") == ["دوما"]
    page.click("#kg-focus")
    shown = sorted(k for k, hidden in _hidden(page, "nodes").items() if not hidden)
    assert shown == sorted(["دوما", "قوات النظام", "روسيا", HOSTILE_NAME])
    assert _hidden(page, "nodes")["جيش الإسلام"] is True
    page.click("#kg-show-all")
    assert not any(_hidden(page, "nodes").values())
    # Double-clicking a node focuses on it as well.
    x, y = _point_on_node(page, "روسيا")
    page.mouse.dblclick(x, y)
    page.wait_for_function("document.body.dataset.kgFocus !== ''")
    shown = sorted(k for k, hidden in _hidden(page, "nodes").items() if not hidden)
    assert shown == sorted(["روسيا", "دوما"])  # the denied negotiation is hidden, so is Jaysh


def _corpus_sized(n_docs: int = 3000, n_actors: int = 1500, per_doc: int = 2) -> list[Extraction]:
    """Synthetic extractions the size of a 3,000-document corpus: 1,500 actors, 6,000 statements."""
    import random

    rng = random.Random(3000)
    actors = [
        Actor(f"actor:x{i:04d}", ("ArmedGroup", "State", "Person", "Place")[i % 4], f"فاعل {i}", f"actor {i}")
        for i in range(n_actors)
    ]
    out = []
    for d in range(n_docs):
        texts = [f"هاجم فاعل {d} فاعلا آخر {k}." for k in range(per_doc)]
        text, sents = _sentences(*texts)
        statements = []
        used = set()
        for k in range(per_doc):
            # Skewed: low numbers are picked often, so degrees differ widely.
            a = int(rng.paretovariate(1.2)) % n_actors
            b = rng.randrange(n_actors)
            if a == b:
                b = (b + 1) % n_actors
            statements.append(
                Statement(actors[a].key, ("attacks", "besieges")[d % 2], actors[b].key,
                          "Asserted", "هاجم", 0.8, (k,))
            )
            used.update((a, b))
        out.append(
            Extraction(Document(f"d{d:05d}", text), sents, tuple(actors[i] for i in sorted(used)), (),
                       tuple(statements))
        )
    return out


@pytest.fixture(scope="module")
def big() -> list[Extraction]:
    """The corpus-sized extractions."""
    return _corpus_sized()


def test_corpus_sized_page_has_positions_for_every_actor(big: list[Extraction]) -> None:
    assert sum(len(x.statements) for x in big) == 6000
    page = generate_html(big, LABELS)
    nodes = _data(page, "nodes")
    assert len(nodes) > 1000
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes)
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes)
    assert generate_html(big, LABELS) == page


def test_top_keeps_the_highest_degree_actors(big: list[Extraction]) -> None:
    neighbours: dict[str, set[tuple[str, str, str, str]]] = {}
    for x in big:
        for st in x.statements:
            edge = (st.subject, st.predicate, st.object, st.modality)
            for key in (st.subject, st.object):
                neighbours.setdefault(key, set()).add(edge)
    ranked = sorted(neighbours, key=lambda k: (-len(neighbours[k]), k))
    top = 50
    page = generate_html(big, LABELS, top=top)
    nodes = _data(page, "nodes")
    keys = {f"actor:x{int(n['name_en'].split()[1]):04d}" for n in nodes}
    assert keys == set(ranked[:top])
    assert len(set(len(neighbours[k]) for k in keys)) > 1  # degrees really differ
    ids = {n["id"] for n in nodes}
    edges = _data(page, "edges")
    assert edges and all(e["from"] in ids and e["to"] in ids for e in edges)
    assert f'data-actors="{top}"' in page and f'data-all-actors="{len(neighbours)}"' in page
    assert f"top {top} of {len(neighbours)} actors" in page
    sizes = {n["degree"]: n["size"] for n in nodes}
    assert len(set(sizes.values())) > 1


def test_browser_opens_a_corpus_sized_page(browser: Any, big: list[Extraction], tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    write_html(big, LABELS, path)
    from kg.html import OPEN_ACTORS

    with _offline_page(browser, path, timeout=60_000) as state:
        page = state.page
        n = page.evaluate("network.body.data.nodes.length")
        assert n > 1000
        assert page.evaluate("nodes.get({filter: (n) => !n.hidden}).length") == OPEN_ACTORS
        # the physics runs on the actors drawn only
        assert page.evaluate("network.physics.options.enabled") is True
        assert page.evaluate("network.physics.physicsBody.physicsNodeIndices.length") == OPEN_ACTORS
        # an actor found by name joins the view
        assert _search(page, "actor 1499") == ["فاعل 1499"]
        assert page.evaluate("nodes.get({filter: (n) => !n.hidden}).length") == OPEN_ACTORS + 1
