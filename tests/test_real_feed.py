"""Every article of a real news feed builds: ``../shared/corpus/feed.jsonl``, 5,986 whole articles of every section.

Skipped on a clone without ``../shared`` beside it; a failure under
``KG_REQUIRE_SHARED=1``, which CI sets. The articles are read from there,
never copied into the project.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import require_shared

import kg
from kg.builder import FAILED_FILE

DOC = "https://w3id.org/rawabit/id/doc/"


@pytest.fixture(scope="module")
def feed() -> Path:
    return require_shared("corpus/feed.jsonl")


def test_every_article_of_the_feed_builds(feed: Path, tmp_path: Path, lexicon: kg.Lexicon) -> None:
    ids = [json.loads(line)["id"] for line in feed.read_text("utf-8").splitlines() if line.strip()]
    assert len(ids) > 5000
    out = tmp_path / "out"
    result = kg.build([str(feed)], out, "nq", lexicon=lexicon, workers=2)
    assert result.failed == [], "\n".join(f.line() + "\n" + f.traceback for f in result.failed[:3])
    assert not (out / FAILED_FILE).exists()
    assert result.documents == len(ids)
    graphs = set()
    for quad in ox.parse(path=out / "graph.nq", format=ox.RdfFormat.N_QUADS):
        graphs.add(quad.graph_name.value)  # type: ignore[union-attr]
    assert graphs == {DOC + i for i in ids}
    assert result.statements > 1000 and result.actors > 1000


def _with_header(row: dict[str, str]) -> str:
    """The article as scraped text often arrives: the SGML header lines of its collection left in."""
    return (f"<DOC>\n<DOCNO>{row['id']}</DOCNO>\n<SOURCE>{row.get('source', '')}</SOURCE>\n"
            f"<DATE>{row.get('date', '')}</DATE>\n<TITLE>\n{row.get('title', '')}\n</TITLE>\n<TEXT>\n"
            f"{row['text']}\n</TEXT>\n</DOC>\n")


def test_every_article_with_markup_left_in_extracts(feed: Path, lexicon: kg.Lexicon) -> None:
    rows = [json.loads(line) for line in feed.read_text("utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["id"].startswith("ant")]
    assert len(rows) >= 1000
    for row in rows:
        kg.extract(kg.Document(row["id"], _with_header(row)), lexicon)
