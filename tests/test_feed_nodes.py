"""Executable specs for the nodes real news feeds give (issue 14, points 3 and 4).

Each row of ``tests/data/feed_specs_ar.jsonl`` is a sentence we wrote with the node
labels that must appear (``present``), the labels (``absent_labels``) and actor keys
(``absent_keys``) that must not, and the relations no statement may carry, in any
modality (``absent_relations``), or that one must (``expect_relations``). Labels are
compared after Arabic normalisation: a node's label and each mention's text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import Document, extract
from kg.model import Extraction
from kg.text import normalize

SPECS = [json.loads(line) for line in (Path(__file__).parent / "data" / "feed_specs_ar.jsonl").read_text("utf-8").splitlines()
         if line.strip()]


def _norm(text: str) -> str:
    return " ".join(normalize(w) for w in text.split())


def _labels(ex: Extraction) -> set[str]:
    """Every node label and mention text of the extraction, normalised (clitics kept)."""
    mentioned = {m.actor for m in ex.mentions}
    labels = {_norm(a.label_ar) for a in ex.actors if a.key in mentioned}
    return labels | {_norm(m.text) for m in ex.mentions}


def _present(ex: Extraction, label: str) -> bool:
    """True when a mention or a mentioned actor's label is the name, with or without the article."""
    want = _norm(label)
    forms = {want, want[2:] if want.startswith("ال") else "ال" + want}
    return not forms.isdisjoint(_labels(ex))


def _show(ex: Extraction) -> str:
    mentions = "\n".join(f"  mention «{m.text}» -> {m.actor} ({m.type}, {m.source})" for m in ex.mentions)
    statements = "\n".join(f"  {st.subject} {st.predicate} {st.object} [{st.modality}]" for st in ex.statements)
    return f"{mentions}\n{statements}"


@pytest.mark.parametrize("spec", SPECS, ids=[s["id"] for s in SPECS])
def test_feed_spec(spec: dict, lexicon) -> None:  # type: ignore[no-untyped-def]
    ex = extract(Document(spec["id"], spec["text"]), lexicon)
    why = f"{spec['why']}\n{_show(ex)}"
    labels = _labels(ex)
    for label in spec.get("present", []):
        assert _present(ex, label), f"no node «{label}»: {why}"
    for label in spec.get("absent_labels", []):
        assert _norm(label) not in labels, f"node «{label}» must not appear: {why}"
    keys = {m.actor for m in ex.mentions} | {st.subject for st in ex.statements} | {st.object for st in ex.statements}
    for key in spec.get("absent_keys", []):
        assert key not in keys, f"{key} must not appear: {why}"
    relations = {st.predicate for st in ex.statements}
    for rel in spec.get("absent_relations", []):
        assert rel not in relations, f"no {rel} statement may appear (any modality): {why}"
    for rel in spec.get("expect_relations", []):
        assert rel in relations, f"a {rel} statement must appear: {why}"


def test_specs_are_well_formed() -> None:
    allowed = {"id", "text", "present", "absent_labels", "absent_keys", "absent_relations", "expect_relations", "why"}
    ids = [s["id"] for s in SPECS]
    assert len(ids) == len(set(ids))
    for spec in SPECS:
        assert set(spec) <= allowed, spec["id"]
        assert spec["why"].strip() and spec["text"].strip()
        assert set(spec) - {"id", "text", "why"}, f"{spec['id']} checks nothing"
