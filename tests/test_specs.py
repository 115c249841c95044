"""Executable specs: Arabic sentences we wrote, every statement they must give, what else is acceptable, and why.

Each row of ``tests/data/specs_ar.jsonl`` holds a sentence and:

- ``expect``: every statement the sentence states, as ``[subject, predicate,
  object, modality]``, or with a fifth item, who claims or denies it
  (``attributed_to``; a list gives the acceptable ones);
- ``allow`` (optional): further statements that are acceptable but not
  required;
- ``absent`` (optional): statements a known misreading would give, named so the
  failure says what went wrong;
- ``why``: the reading the expectations come from;
- ``xfail`` (optional): why the extractor does not give the whole set yet; the
  spec is a strict expected failure, so it turns red the day it passes.

The extraction must give exactly the expected statements, plus any allowed
ones: a statement no row names fails the spec. Actors are named by a surface
form (a list gives alternatives); a statement's actor matches when it carries
that form as a label or as a mention's text, compared after Arabic
normalisation without clitics. ``"*"`` matches any actor, predicate or
modality. A symmetric predicate (``owl:SymmetricProperty`` in the ontology)
matches in either direction.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.namespace import OWL, RDF

from kg import Document, extract
from kg.lexicon import ontology_path
from kg.model import MODALITIES, RELATIONS, Extraction, Statement
from kg.text import normalize

SPECS_FILE = Path(__file__).parent / "data" / "specs_ar.jsonl"
SPECS: list[dict[str, Any]] = [json.loads(line) for line in SPECS_FILE.read_text("utf-8").splitlines() if line.strip()]
ANY = "*"
KG = "https://w3id.org/rawabit/ontology#"


def _symmetric() -> frozenset[str]:
    g = rdflib.Graph().parse(ontology_path("kg.ttl"), format="turtle")
    return frozenset(str(p)[len(KG):] for p in g.subjects(RDF.type, OWL.SymmetricProperty) if str(p).startswith(KG))


SYMMETRIC = _symmetric()


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


def _is(actor: str | None, form: str | list[str], names: dict[str, set[str]]) -> bool:
    """Whether ``actor`` (a key) carries ``form`` (a surface form, a list of alternatives, or ``"*"``)."""
    if form == ANY:
        return True
    if actor is None:
        return False
    forms = [form] if isinstance(form, str) else form
    return any(_key(f) in names.get(actor, set()) for f in forms)


def _matches(st: Statement, row: list[Any], names: dict[str, set[str]]) -> bool:
    s, p, o, modality, *by = row
    if p not in (ANY, st.predicate) or modality not in (ANY, st.modality):
        return False
    if by and not _is(st.attributed_to, by[0], names):
        return False
    if _is(st.subject, s, names) and _is(st.object, o, names):
        return True
    return st.predicate in SYMMETRIC and _is(st.subject, o, names) and _is(st.object, s, names)


def _show(ex: Extraction) -> str:
    return "\n".join(
        f"  {st.subject} {st.predicate} {st.object} [{st.modality}]"
        + (f" by {st.attributed_to}" if st.attributed_to else "") + f"  ({st.rule})"
        for st in ex.statements
    )


def check_spec(spec: dict[str, Any], ex: Extraction) -> list[str]:
    """Every way ``ex`` departs from ``spec``: a missing, an unexpected or a forbidden statement."""
    names = _names(ex)
    problems = []
    for row in spec["expect"]:
        if not any(_matches(st, row, names) for st in ex.statements):
            problems.append(f"missing {row}")
    for row in spec.get("absent", []):
        problems += [f"must not state {row}: got {st.subject} {st.predicate} {st.object} [{st.modality}]"
                     for st in ex.statements if _matches(st, row, names)]
    named = spec["expect"] + spec.get("allow", [])
    problems += [f"unexpected {st.subject} {st.predicate} {st.object} [{st.modality}]"
                 + (f" by {st.attributed_to}" if st.attributed_to else "")
                 for st in ex.statements if not any(_matches(st, row, names) for row in named)]
    return problems


def _param(spec: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=spec["xfail"])] if "xfail" in spec else []
    return pytest.param(spec, id=spec["id"], marks=marks)


@pytest.mark.parametrize("spec", [_param(s) for s in SPECS])
def test_spec(spec: dict[str, Any], lexicon) -> None:  # type: ignore[no-untyped-def]
    ex = extract(Document(spec["id"], spec["text"]), lexicon)
    problems = check_spec(spec, ex)
    assert not problems, "\n".join(problems) + f"\nbecause: {spec['why']}\ngot:\n{_show(ex)}"


def test_the_specs_are_well_formed() -> None:
    """Ids unique; every row names a relation and a modality that exist; an xfail gives its reason."""
    ids = [s["id"] for s in SPECS]
    assert len(ids) == len(set(ids))
    for spec in SPECS:
        assert set(spec) <= {"id", "text", "expect", "allow", "absent", "why", "xfail"}, spec["id"]
        assert spec["text"].strip() and spec["why"].strip(), spec["id"]
        if "xfail" in spec:
            assert spec["xfail"].strip(), spec["id"]
        for kind in ("expect", "allow", "absent"):
            for row in spec.get(kind, []):
                assert len(row) in (4, 5), (spec["id"], row)
                assert row[1] in (*RELATIONS, ANY) and row[3] in (*MODALITIES, ANY), (spec["id"], row)
                if kind == "expect":
                    assert ANY not in (row[0], row[2]), (spec["id"], row)


def _statement(s: str, p: str, o: str, modality: str, by: str | None = None) -> Statement:
    return Statement(s, p, o, modality, cue="", confidence=1.0, sentences=(0,), attributed_to=by)


def test_the_check_fails_on_an_extra_a_forbidden_or_a_misattributed_statement(lexicon) -> None:  # type: ignore[no-untyped-def]
    """The spec check itself: a wrong further triple, a forbidden one at any modality, or the wrong claimant fails."""
    spec = {"id": "t", "text": "نفت حركة أحرار الشام وجود مفاوضات مع روسيا.", "why": "test",
            "expect": [["حركة أحرار الشام", "negotiatesWith", "روسيا", "Denied", "حركة أحرار الشام"]],
            "absent": [["روسيا", "attacks", ANY, ANY]]}
    real = extract(Document("t", spec["text"]), lexicon)
    ahrar, russia = "actor:ahrar-al-sham", "actor:russia"
    assert {st.subject for st in real.statements} >= {ahrar}

    def with_(*sts: Statement) -> Extraction:
        return Extraction(real.document, real.sentences, real.actors, real.mentions, sts)

    good = _statement(ahrar, "negotiatesWith", russia, "Denied", ahrar)
    assert check_spec(spec, with_(good)) == []
    assert check_spec(spec, with_(_statement(russia, "negotiatesWith", ahrar, "Denied", ahrar))) == [], "symmetric"
    assert check_spec(spec, with_(good, _statement(ahrar, "denies", russia, "Asserted")))[0].startswith("unexpected")
    assert check_spec(spec, with_(_statement(ahrar, "negotiatesWith", russia, "Denied", russia)))[0].startswith("missing")
    assert check_spec(spec, with_(_statement(ahrar, "negotiatesWith", russia, "Asserted")))[0].startswith("missing")
    problems = check_spec(spec, with_(good, _statement(russia, "attacks", ahrar, "Claimed", ahrar)))
    assert any(p.startswith("must not state") for p in problems)
    assert any(p.startswith("unexpected") for p in problems)
