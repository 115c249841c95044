"""Executable specs: Arabic sentences we wrote, the triples they must (and must not) give, and why.

Each row of ``tests/data/specs_ar.jsonl`` names actors by a surface form; a
statement matches when its subject and object actors carry that form (as a
label or as a mention's text, compared after Arabic normalisation without
clitics).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import Document, extract
from kg.model import Extraction
from kg.text import normalize

SPECS = [json.loads(line) for line in (Path(__file__).parent / "data" / "specs_ar.jsonl").read_text("utf-8").splitlines() if line.strip()]


def _key(text: str) -> str:
    words = [normalize(w) for w in text.split()]
    out = []
    for w in words:
        for pre in ("وال", "بال", "لل", "ال", "و", "ب", "ل"):
            if w.startswith(pre) and len(w) - len(pre) >= 3:
                w = w[len(pre):]
                break
        out.append(w)
    return " ".join(out)


def _names(ex: Extraction) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for a in ex.actors:
        names.setdefault(a.key, set()).update(_key(n) for n in (a.label_ar, *a.alt_ar))
    for m in ex.mentions:
        names.setdefault(m.actor, set()).add(_key(m.text))
    return names


def _found(ex: Extraction, s: str, p: str, o: str, modality: str) -> bool:
    names = _names(ex)
    for st in ex.statements:
        if st.predicate != p or st.modality != modality:
            continue
        if _key(s) in names.get(st.subject, set()) and _key(o) in names.get(st.object, set()):
            return True
    return False


def _show(ex: Extraction) -> str:
    return "\n".join(f"  {st.subject} {st.predicate} {st.object} [{st.modality}]  ({st.rule})" for st in ex.statements)


@pytest.mark.parametrize("spec", SPECS, ids=[s["id"] for s in SPECS])
def test_spec(spec: dict, lexicon) -> None:  # type: ignore[no-untyped-def]
    ex = extract(Document(spec["id"], spec["text"]), lexicon)
    for s, p, o, mod in spec["expect"]:
        assert _found(ex, s, p, o, mod), f"missing {s} {p} {o} [{mod}] because: {spec['why']}\ngot:\n{_show(ex)}"
    for s, p, o, mod in spec.get("absent", []):
        assert not _found(ex, s, p, o, mod), f"must not state {s} {p} {o} [{mod}] because: {spec['why']}\ngot:\n{_show(ex)}"
