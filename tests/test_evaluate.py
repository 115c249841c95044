"""``kg evaluate``: hand-made gold against hand-made graphs with answers worked out by hand, parity with the
evaluation sets' scorer, the example gold, the command's errors, and the plain progress lines of ``kg build``.

The hand-made paragraph, «حاصرت قوات النظام مدينة دوما. ونفت فصائل المعارضة وجود مفاوضات مع روسيا.», has
four actors and three relations: the forces besiege Douma (asserted), the factions deny Russia (asserted)
and the factions negotiate with Russia (denied).
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT, require_shared

import kg.cli
from kg.cli import _ProgressLines, cli, main
from kg.errors import InputError
from kg.evaluate import (
    GraphDocuments,
    evaluate,
    name_key,
    name_match,
    parse_gold,
    read_gold,
    read_graph_documents,
    score,
)

EXAMPLE_GOLD = ROOT / "examples" / "ghouta_gold.jsonl"

GOLD: dict[str, Any] = {
    "id": "d1",
    "actors": [
        {"id": "a1", "names": ["قوات النظام"], "en": "regime forces", "type": "StateForces"},
        {"id": "a2", "names": ["مدينة دوما", "دوما"], "en": "Douma", "type": "Place"},
        {"id": "a3", "names": ["فصائل المعارضة"], "en": "opposition factions", "type": "ArmedGroup"},
        {"id": "a4", "names": ["روسيا"], "en": "Russia", "type": "State"},
    ],
    "relations": [
        {"s": "a1", "p": "besieges", "o": "a2", "modality": "asserted"},
        {"s": "a3", "p": "denies", "o": "a4", "modality": "asserted"},
        {"s": "a3", "p": "negotiatesWith", "o": "a4", "modality": "denied"},
    ],
}

PREFIXES = """\
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix kg: <https://w3id.org/rawabit/ontology#> .
@prefix actor: <https://w3id.org/rawabit/id/actor/> .
@prefix place: <https://w3id.org/rawabit/id/place/> .
@prefix doc: <https://w3id.org/rawabit/id/doc/> .
"""

#: The graph ``kg build`` would ideally make of the paragraph, in its shape (see kg.rdf).
PERFECT = PREFIXES + """
<https://w3id.org/rawabit/id/doc/d1> a kg:Document ; dcterms:identifier "d1" .
<https://w3id.org/rawabit/id/doc/d1#s1> a kg:Sentence ; dcterms:isPartOf <https://w3id.org/rawabit/id/doc/d1> .
actor:syrian-regime-forces a kg:StateForces ; skos:prefLabel "قوات النظام السوري"@ar , "Syrian regime forces"@en ;
    skos:altLabel "قوات النظام"@ar .
place:douma a kg:Place ; skos:prefLabel "دوما"@ar .
actor:opposition-factions a kg:ArmedGroup ; skos:prefLabel "فصائل المعارضة"@ar .
actor:russia a kg:State ; skos:prefLabel "روسيا"@ar .
<https://w3id.org/rawabit/id/doc/d1#m1> a kg:Mention ; kg:refersTo actor:syrian-regime-forces ;
    kg:anchorOf "قوات النظام" ; prov:wasDerivedFrom <https://w3id.org/rawabit/id/doc/d1#s1> .
<https://w3id.org/rawabit/id/doc/d1#r1> a kg:Statement ; rdf:subject actor:syrian-regime-forces ;
    rdf:predicate kg:besieges ; rdf:object place:douma ; kg:modality kg:Asserted ;
    prov:wasDerivedFrom <https://w3id.org/rawabit/id/doc/d1#s1> .
<https://w3id.org/rawabit/id/doc/d1#r2> a kg:Statement ; rdf:subject actor:opposition-factions ;
    rdf:predicate kg:denies ; rdf:object actor:russia ; kg:modality kg:Asserted ;
    prov:wasDerivedFrom <https://w3id.org/rawabit/id/doc/d1#s1> .
<https://w3id.org/rawabit/id/doc/d1#r3> a kg:Statement ; rdf:subject actor:opposition-factions ;
    rdf:predicate kg:negotiatesWith ; rdf:object actor:russia ; kg:modality kg:Denied ;
    prov:wasDerivedFrom <https://w3id.org/rawabit/id/doc/d1#s1> .
"""

#: Nodes of the variants below: key -> (IRI, class, Arabic label).
NODES = {
    "forces": ("actor:syrian-regime-forces", "StateForces", "قوات النظام"),
    "forces-2": ("actor:syrian-regime-forces-2", "StateForces", "قوات النظام السوري"),
    "forces-generic": ("actor:forces", "StateForces", "قوات"),
    "douma": ("place:douma", "Place", "دوما"),
    "factions": ("actor:opposition-factions", "ArmedGroup", "فصائل المعارضة"),
    "russia": ("actor:russia", "State", "روسيا"),
}


def graph(*statements: tuple[str, str, str, str], doc: str = "d1") -> str:
    """A Turtle graph in the project's shape: one document, its sentence, and each statement
    (subject node, relation, object node, modality) with its two nodes."""
    lines = [PREFIXES,
             f'<https://w3id.org/rawabit/id/doc/{doc}> a kg:Document ; dcterms:identifier "{doc}" .',
             f"<https://w3id.org/rawabit/id/doc/{doc}#s1> a kg:Sentence ; "
             f"dcterms:isPartOf <https://w3id.org/rawabit/id/doc/{doc}> ."]
    for key in sorted({n for s, _, o, _ in statements for n in (s, o)}):
        iri, cls, label = NODES[key]
        lines.append(f'{iri} a kg:{cls} ; skos:prefLabel "{label}"@ar .')
    for i, (s, p, o, modality) in enumerate(statements, 1):
        lines.append(f"<https://w3id.org/rawabit/id/doc/{doc}#r{i}> a kg:Statement ; rdf:subject {NODES[s][0]} ; "
                     f"rdf:predicate kg:{p} ; rdf:object {NODES[o][0]} ; kg:modality kg:{modality} ; "
                     f"prov:wasDerivedFrom <https://w3id.org/rawabit/id/doc/{doc}#s1> .")
    return "\n".join(lines) + "\n"


BESIEGES = ("forces", "besieges", "douma", "Asserted")
DENIES = ("factions", "denies", "russia", "Asserted")
NEGOTIATES = ("factions", "negotiatesWith", "russia", "Denied")


def scored(tmp_path: Path, turtle: str, *gold: dict[str, Any]) -> Any:
    """``kg evaluate --json --verbose`` of the gold rows (default: the hand-made paragraph) against the Turtle."""
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold or [GOLD]), "utf-8")
    ttl = tmp_path / "graph.ttl"
    ttl.write_text(turtle, "utf-8")
    return evaluate(gold_file, ttl).to_json(verbose=True)


def counts(part: dict[str, Any]) -> tuple[int, int, int]:
    return part["tp"], part["sys"], part["gold"]


def modality(result: dict[str, Any]) -> tuple[int, int, int, int]:
    m = result["modality"]
    return m["matched"], m["correct"], m["gold_denied_matched"], m["denied_but_asserted"]


def lines(result: dict[str, Any]) -> list[str]:
    return [f"{d['kind']} {d['s']} {d['p']} {d['o']} {','.join(d['modality'])}" for d in result["differences"]]


# --- hand-made gold against hand-made graphs ---------------------------------


@pytest.mark.parametrize("fmt", ["ttl", "nq"])
def test_a_perfect_graph_scores_one_everywhere(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"graph.{fmt}"
    if fmt == "ttl":
        path.write_text(PERFECT, "utf-8")
    else:  # the same triples in the document's named graph, as graph.nq holds them
        g = ox.NamedNode("https://w3id.org/rawabit/id/doc/d1")
        quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(PERFECT, format=ox.RdfFormat.TURTLE)]
        path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", "utf-8")
    result = evaluate(gold, path)
    assert (result.relations.tp, result.relations.system, result.relations.gold) == (3, 3, 3)
    assert (result.relations.p, result.relations.r, result.relations.f1) == (1.0, 1.0, 1.0)
    assert (result.actors.tp, result.actors.system, result.actors.gold) == (4, 4, 4)
    assert result.modality.accuracy == 1.0 and result.modality.denied_as_asserted == 0
    assert result.differences == () and result.missing == ()
    assert [name for name, _ in result.per_relation] == ["besieges", "denies", "negotiatesWith"]


def test_an_empty_graph_finds_nothing(tmp_path: Path) -> None:
    result = scored(tmp_path, graph())
    assert counts(result["relations"]) == (0, 0, 3)
    assert (result["relations"]["p"], result["relations"]["r"], result["relations"]["f1"]) == (0.0, 0.0, 0.0)
    assert counts(result["actors"]) == (0, 0, 4)
    assert modality(result) == (0, 0, 0, 0) and result["modality"]["accuracy"] == 0.0
    assert lines(result) == ["MISS a1 besieges a2 asserted", "MISS a3 denies a4 asserted",
                             "MISS a3 negotiatesWith a4 denied"]


def test_a_relation_the_wrong_way_round_is_a_miss_and_an_extra(tmp_path: Path) -> None:
    result = scored(tmp_path, graph(("douma", "besieges", "forces", "Asserted"), DENIES, NEGOTIATES))
    assert counts(result["relations"]) == (2, 3, 3)
    assert result["relations"]["f1"] == pytest.approx(2 / 3)
    assert counts(result["per_relation"]["besieges"]) == (0, 1, 1)
    assert counts(result["actors"]) == (4, 4, 4), "the actors are right, only the direction is wrong"
    assert lines(result) == ["MISS a1 besieges a2 asserted", "EXTRA a2 besieges a1 asserted"]
    assert modality(result)[:2] == (2, 2), "modality is scored on matched relations only"


def test_a_symmetric_relation_matches_either_way_round(tmp_path: Path) -> None:
    result = scored(tmp_path, graph(BESIEGES, DENIES, ("russia", "negotiatesWith", "factions", "Denied")))
    assert counts(result["relations"]) == (3, 3, 3)
    assert modality(result) == (3, 3, 1, 0)


def test_a_denied_relation_stated_as_asserted_is_found_with_the_wrong_modality(tmp_path: Path) -> None:
    result = scored(tmp_path, graph(BESIEGES, DENIES, ("factions", "negotiatesWith", "russia", "Asserted")))
    assert counts(result["relations"]) == (3, 3, 3), "the relation counts whatever its modality"
    assert modality(result) == (3, 2, 1, 1)
    assert result["modality"]["accuracy"] == pytest.approx(2 / 3)


def test_a_relation_stated_as_asserted_and_denied_at_once_has_the_wrong_modality(tmp_path: Path) -> None:
    result = scored(tmp_path, graph(BESIEGES, DENIES, NEGOTIATES, ("factions", "negotiatesWith", "russia", "Asserted")))
    assert counts(result["relations"]) == (3, 3, 3), "one triple, whatever its statements"
    assert modality(result) == (3, 2, 1, 1)


def test_a_second_node_for_one_gold_actor_lowers_actor_precision_only(tmp_path: Path) -> None:
    result = scored(tmp_path, graph(BESIEGES, ("forces-2", "besieges", "douma", "Asserted"), DENIES, NEGOTIATES))
    assert counts(result["actors"]) == (4, 5, 4)
    assert (result["actors"]["p"], result["actors"]["r"]) == (0.8, 1.0)
    assert result["actors"]["f1"] == pytest.approx(2 * 0.8 / 1.8)
    assert counts(result["relations"]) == (3, 3, 3), "both nodes stand for a1: one relation"


def test_a_generic_word_alone_matches_no_longer_name(tmp_path: Path) -> None:
    result = scored(tmp_path, graph(("forces-generic", "besieges", "douma", "Asserted"), DENIES, NEGOTIATES))
    assert counts(result["actors"]) == (3, 4, 4), "«قوات» is not «قوات النظام»"
    assert counts(result["relations"]) == (2, 3, 3)
    assert lines(result) == ["MISS a1 besieges a2 asserted", "EXTRA ?قوات besieges a2 asserted"]


def test_mention_texts_name_a_node_and_labels_in_other_languages_do_not(tmp_path: Path) -> None:
    turtle = PERFECT.replace('"قوات النظام السوري"@ar , ', "")
    turtle = turtle.replace('skos:altLabel "قوات النظام"@ar', 'skos:altLabel "x"@ar')  # labels that name nothing
    assert scored(tmp_path, turtle)["actors"]["tp"] == 4, "the mention «قوات النظام» names the node"
    without_mention = turtle.replace('kg:anchorOf "قوات النظام"', 'kg:anchorOf "Syrian regime forces"')
    assert scored(tmp_path, without_mention)["actors"]["tp"] == 3, "an English label names nothing"


def test_a_statement_without_modality_is_asserted(tmp_path: Path) -> None:
    result = scored(tmp_path, PERFECT.replace("kg:modality kg:Asserted ;", ""))
    assert modality(result) == (3, 3, 1, 0)


@pytest.mark.parametrize(("node_type", "found"), [("Place", 1), ("Government", 0)])
def test_a_name_of_two_gold_actors_goes_to_the_one_of_the_nodes_type(tmp_path: Path, node_type: str,
                                                                      found: int) -> None:
    gold = {"id": "d1",
            "actors": [{"id": "a1", "names": ["دمشق"], "type": "Government"},
                       {"id": "a2", "names": ["دمشق"], "type": "Place"},
                       {"id": "a3", "names": ["فصائل المعارضة"], "type": "ArmedGroup"}],
            "relations": [{"s": "a3", "p": "attacks", "o": "a2", "modality": "asserted"}]}
    NODES["damascus"] = ("place:damascus", node_type, "دمشق")
    try:
        result = scored(tmp_path, graph(("factions", "attacks", "damascus", "Claimed")), gold)
    finally:
        del NODES["damascus"]
    assert result["relations"]["tp"] == found
    assert modality(result)[:2] == (found, 0)


def test_a_gold_paragraph_missing_from_the_graph_counts_as_missed(tmp_path: Path) -> None:
    result = scored(tmp_path, PERFECT, GOLD, {**GOLD, "id": "d2"})
    assert result["missing"] == ["d2"]
    assert counts(result["relations"]) == (3, 3, 6)
    assert counts(result["actors"]) == (4, 4, 8)


def test_the_report_for_people_has_the_tables_and_the_differences(tmp_path: Path) -> None:
    (tmp_path / "g.ttl").write_text(graph(("douma", "besieges", "forces", "Asserted"), DENIES, NEGOTIATES), "utf-8")
    (tmp_path / "gold.jsonl").write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", "utf-8")
    text = evaluate(tmp_path / "gold.jsonl", tmp_path / "g.ttl").to_text(verbose=True)
    assert text.splitlines()[:2] == ["d1 MISS a1 besieges a2 (asserted)", "d1 EXTRA a2 besieges a1 (asserted)"]
    assert re.search(r"^besieges\s+0\.00\s+0\.00\s+0\.00\s+0\s+1\s+1$", text, re.M)
    assert re.search(r"^relations\s+0\.67\s+0\.67\s+0\.67\s+2\s+3\s+3$", text, re.M)
    assert re.search(r"^actors\s+1\.00\s+1\.00\s+1\.00\s+4\s+4\s+4$", text, re.M)
    assert "modality accuracy 1.00 on 2 matched relations; denied stated as asserted: 0 of 1" in text


# --- names -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param("قوات النظام", "وقوات النظام", 2, id="conjunction-off"),
        pytest.param("النظام", "للنظام", 2, id="li-al-off"),
        pytest.param("جيش الإسلام", "جَيْش الاسلام", 2, id="diacritics-and-hamza"),
        pytest.param("الإدارة الذاتية", "الادارة الذاتيه", 2, id="ta-marbuta"),
        pytest.param("«جيش الإسلام»", "جيش الإسلام", 2, id="quotes-are-no-part-of-a-name"),
        pytest.param("دوما", "مدينة دوما", 1, id="a-name-closes-a-longer-one"),
        pytest.param("جيش الإسلام", "جيش الإسلام في الغوطة", 1, id="a-name-opens-a-longer-one"),
        pytest.param("النظام", "قوات النظام السوري", 0, id="not-in-the-middle"),
        pytest.param("مدينة", "مدينة دوما", 0, id="a-generic-word-alone"),
        pytest.param("قوات", "قوات النظام", 0, id="a-generic-head-alone"),
        pytest.param("حي", "حي الوعر", 0, id="a-word-of-two-letters"),
        pytest.param("مجلس الأمن", "مجلس الأمن الدولي", 1, id="two-generic-words-are-specific"),
        pytest.param("حلب", "", 0, id="an-empty-name"),
    ],
)
def test_names_match_after_normalisation_whole_words_at_an_edge(a: str, b: str, expected: int) -> None:
    assert name_match(name_key(a), name_key(b)) == expected
    assert name_match(name_key(b), name_key(a)) == expected


# --- gold files ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        pytest.param("{not json", "not valid JSON", id="not-json"),
        pytest.param('["p1"]', 'a JSON object with a string "id"', id="not-an-object"),
        pytest.param('{"id": "d1", "actors": [], "relations": []}', "paragraph id 'd1' is also on line 1",
                     id="paragraph-id-twice"),
        pytest.param('{"id": "p1", "actors": {}, "relations": []}', '"actors" and "relations" must be lists',
                     id="actors-not-a-list"),
        pytest.param('{"id": "p1", "actors": [{"id": "a1", "names": "x"}], "relations": []}',
                     'needs a string "id" and a list of string "names"', id="names-not-a-list"),
        pytest.param('{"id": "p1", "actors": [{"id": "a1", "names": []}, {"id": "a1", "names": []}], "relations": []}',
                     "actor id 'a1' appears twice", id="duplicate-actor-id"),
        pytest.param('{"id": "p1", "actors": [{"id": "a1", "names": []}], '
                     '"relations": [{"s": "a1", "p": "attacks", "o": "a9", "modality": "asserted"}]}',
                     'needs "s" and "o" naming actors of the paragraph', id="unknown-actor"),
        pytest.param('{"id": "p1", "actors": [{"id": "a1", "names": []}], '
                     '"relations": [{"s": "a1", "p": "hits", "o": "a1", "modality": "asserted"}]}',
                     "relation 'hits' is not one of mediates", id="unknown-relation"),
        pytest.param('{"id": "p1", "actors": [{"id": "a1", "names": []}], '
                     '"relations": [{"s": "a1", "p": "attacks", "o": "a1", "modality": "Asserted"}]}',
                     "modality 'Asserted' is not one of asserted, claimed, denied", id="unknown-modality"),
    ],
)
def test_a_malformed_gold_line_is_reported_with_its_line_number(line: str, problem: str) -> None:
    good = json.dumps(GOLD, ensure_ascii=False)
    with pytest.raises(InputError, match=r"gold\.jsonl:2: .*" + re.escape(problem)):
        parse_gold([good, line], "gold.jsonl")


def test_every_bad_gold_line_is_reported_at_once_up_to_ten() -> None:
    listed = r"(?s)\(12 problems\):\n  g:1: not valid JSON.*\n  g:10: not valid JSON[^\n]*\n  … and 2 more\n"
    with pytest.raises(InputError, match=listed):
        parse_gold(["{"] * 12, "g")


def test_a_gold_file_without_paragraphs_is_refused() -> None:
    with pytest.raises(InputError, match=r"'g' holds no gold paragraph"):
        parse_gold(["", "  "], "g")


def test_an_unreadable_gold_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot read gold file .*missing\.jsonl"):
        read_gold(tmp_path / "missing.jsonl")
    (tmp_path / "latin1.jsonl").write_bytes(b"\xff\xfe\xfa")
    with pytest.raises(InputError, match=r"cannot read gold file .*latin1\.jsonl"):
        read_gold(tmp_path / "latin1.jsonl")


def test_a_graph_without_any_gold_paragraph_is_refused(tmp_path: Path) -> None:
    (tmp_path / "gold.jsonl").write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", "utf-8")
    (tmp_path / "g.ttl").write_text(graph(doc="other"), "utf-8")
    with pytest.raises(InputError, match=r"no gold paragraph id \('d1'\) is a document of .*g\.ttl"):
        evaluate(tmp_path / "gold.jsonl", tmp_path / "g.ttl")


def test_scoring_needs_no_files(tmp_path: Path) -> None:
    (paragraph,) = parse_gold([json.dumps(GOLD)])
    empty = GraphDocuments(labels={}, types={}, mentions={}, statements={}, documents=frozenset({"d1"}))
    assert score([paragraph], empty).relations.gold == 3
    (tmp_path / "g.ttl").write_text(PERFECT, "utf-8")
    assert score([paragraph], read_graph_documents(tmp_path / "g.ttl")).relations.tp == 3


# --- the command -----------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_prints_tables_or_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "gold.jsonl").write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", "utf-8")
    (tmp_path / "g.ttl").write_text(PERFECT, "utf-8")
    code, out, err = run(capsys, "evaluate", tmp_path / "gold.jsonl", tmp_path / "g.ttl")
    assert (code, err) == (0, "")
    assert re.search(r"^relations\s+1\.00\s+1\.00\s+1\.00\s+3\s+3\s+3$", out, re.M)
    code, out, err = run(capsys, "evaluate", tmp_path / "gold.jsonl", tmp_path / "g.ttl", "--json")
    assert code == 0
    result = json.loads(out)
    assert {"relations", "actors", "per_relation", "modality"} <= set(result)
    assert {k: result["relations"][k] for k in ("p", "r", "f1")} == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert "differences" not in result


def test_the_command_warns_of_gold_paragraphs_missing_from_the_graph(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    rows = [GOLD, {**GOLD, "id": "d2"}]
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    (tmp_path / "g.ttl").write_text(PERFECT, "utf-8")
    code, out, err = run(capsys, "evaluate", tmp_path / "gold.jsonl", tmp_path / "g.ttl")
    assert code == 0
    assert err == "Warning: 1 of 2 gold paragraphs are no document of the graph ('d2'); they count as missed\n"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        pytest.param("missing-gold", r"cannot read gold file '.*nowhere\.jsonl'", id="missing-gold"),
        pytest.param("malformed-line", r"gold\.jsonl:2: not valid JSON", id="malformed-line"),
        pytest.param("missing-graph", r"graph '.*nowhere\.nq' does not exist", id="missing-graph"),
        pytest.param("bad-graph", r"bad\.nq' is not valid N-Quads", id="graph-does-not-parse"),
        pytest.param("no-gold-id", r"no gold paragraph id \('d1'\) is a document of", id="no-gold-id-in-graph"),
    ],
)
def test_the_command_reports_user_mistakes_in_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             case: str, message: str) -> None:
    gold, ttl = tmp_path / "gold.jsonl", tmp_path / "g.ttl"
    gold.write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", "utf-8")
    ttl.write_text(PERFECT, "utf-8")
    if case == "missing-gold":
        gold = tmp_path / "nowhere.jsonl"
    elif case == "malformed-line":
        gold.write_text(json.dumps(GOLD, ensure_ascii=False) + '\n{"id": "d2", \n', "utf-8")
    elif case == "missing-graph":
        ttl = tmp_path / "nowhere.nq"
    elif case == "bad-graph":
        ttl = tmp_path / "bad.nq"
        ttl.write_text("this is not N-Quads\n", "utf-8")
    else:
        ttl.write_text(graph(doc="other"), "utf-8")
    code, out, err = run(capsys, "evaluate", gold, ttl)
    assert code == 1 and out == ""
    assert err.startswith("Error: ") and err.count("Error:") == 1
    assert "Traceback" not in err
    assert re.search(message, err), err


# --- the example gold (no ../shared needed) ----------------------------------


def test_the_example_gold_is_well_formed_and_states_what_the_article_says() -> None:
    text = EXAMPLE.read_text("utf-8")
    (paragraph,) = read_gold(EXAMPLE_GOLD)
    assert paragraph.id == EXAMPLE.stem
    for actor in paragraph.actors:
        for name in actor.names:
            assert name in text.replace('"', ""), name
    rows = [json.loads(line) for line in EXAMPLE_GOLD.read_text("utf-8").splitlines()]
    for relation in rows[0]["relations"]:
        assert relation["evidence"] in text, relation["evidence"]
    assert {r.modality for r in paragraph.relations} == {"asserted", "claimed", "denied"}


def test_the_example_builds_and_evaluates_against_its_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "build", EXAMPLE, "-o", tmp_path / "g", "-q")
    assert code == 0, err
    code, out, err = run(capsys, "evaluate", EXAMPLE_GOLD, tmp_path / "g", "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["documents"] == 1 and result["missing"] == []
    assert result["relations"]["gold"] == len(read_gold(EXAMPLE_GOLD)[0].relations)
    assert result["relations"]["tp"] > 0 and result["actors"]["tp"] > 0


# --- parity with the evaluation sets' scorer ---------------------------------


@pytest.mark.parametrize("split", ["dev", "train"])
def test_the_figures_are_those_of_the_evaluation_sets_scorer(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             split: str) -> None:
    scorer = require_shared("eval/score.py")
    gold, texts = require_shared(f"eval/{split}.jsonl"), require_shared(f"eval/{split}_texts.jsonl")
    out = tmp_path / split
    code, _, err = run(capsys, "build", texts, "-o", out, "--formats", "nq", "-q", "-j", "1")
    assert code == 0, err
    code, ours, err = run(capsys, "evaluate", gold, out, "--json")
    assert code == 0, err
    done = subprocess.run([sys.executable, str(scorer), str(gold), str(out / "graph.nq"), "--json"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    mine, theirs = json.loads(ours), json.loads(done.stdout)

    def figures(result: dict[str, Any]) -> dict[str, str]:
        found = {f"{part}.{k}": f"{result[part][k]:.2f}" for part in ("relations", "actors") for k in ("p", "r", "f1")}
        found |= {f"{rel}.{k}": f"{v[k]:.2f}" for rel, v in result["per_relation"].items() for k in ("p", "r", "f1")}
        m = result["modality"]
        return found | {"modality.accuracy": f"{m['accuracy']:.2f}", "modality.matched": str(m["matched"]),
                        "modality.denied": str(m["gold_denied_matched"]),
                        "modality.denied_but_asserted": str(m["denied_but_asserted"])}

    assert figures(mine) == figures(theirs)
    assert mine["relations"]["gold"] > 300


# --- progress lines of kg build ----------------------------------------------


def test_progress_lines_come_at_the_first_update_and_then_every_interval(capsys: pytest.CaptureFixture[str]) -> None:
    times = iter([100.0, 100.5, 101.0, 104.0, 105.0, 105.5, 106.0])  # the start, then one per update
    progress = _ProgressLines("building", "documents", 5.0, clock=lambda: next(times))
    for _ in range(6):
        progress.update(200)
    progress.close()
    assert capsys.readouterr().err.splitlines() == [
        "building: 200 documents",  # the first update, 0.5 s after the start: the build has begun
        "building: 1,000 documents, 182/s",  # 5 s after that line
    ]


def write_corpus(path: Path, n: int) -> Path:
    rows = [{"id": f"d{i}", "text": "حاصرت قوات النظام مدينة دوما."} for i in range(n)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_a_build_logging_to_a_file_prints_plain_progress_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.cli, "PROGRESS_EVERY", 0.0)  # a line at each document
    corpus = write_corpus(tmp_path / "c.jsonl", 3)
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "out"), "--formats", "nq", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "\r" not in result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("building")]
    assert [re.sub(r", [\d,]+/s$", "", line) for line in progress] == [
        "building: 1 documents", "building: 2 documents", "building: 3 documents"]
    assert "documents: 3" in result.stdout


def test_a_quiet_build_prints_no_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.cli, "PROGRESS_EVERY", 0.0)
    corpus = write_corpus(tmp_path / "c.jsonl", 3)
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "out"), "--formats", "nq", "-j", "1",
                                      "-q"])
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == ("", "")


def test_a_build_on_a_terminal_keeps_the_progress_bar(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    fcntl, termios = pytest.importorskip("fcntl"), pytest.importorskip("termios")
    corpus = write_corpus(tmp_path / "c.jsonl", 3)
    parent, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # tqdm draws nothing 0 wide
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(corpus), "-o", str(tmp_path / "out"),
                             "--formats", "nq", "-j", "1"], stdout=subprocess.DEVNULL, stderr=child, cwd=ROOT)
    os.close(child)
    err = b""
    try:
        while True:
            try:
                chunk = os.read(parent, 65536)
            except OSError:  # EIO: the build closed the terminal's other end
                break
            if not chunk:
                break
            err += chunk
    finally:
        os.close(parent)
        code = proc.wait(timeout=300)
    assert code == 0, err
    assert b"\r" in err and b"documents/s" in err, "tqdm's bar, redrawn in place"
    assert not re.search(rb"^building: \d+ documents, ", err, re.M), "no plain progress lines"


def test_the_module_exports_exactly_its_public_names() -> None:
    import inspect

    import kg.evaluate as module

    defined = {name for name, value in vars(module).items() if not name.startswith("_")
               and (inspect.isfunction(value) or inspect.isclass(value)) and value.__module__ == module.__name__}
    assert set(module.__all__) == defined | {"GOLD_MODALITIES", "TYPE_CLASS"}
    assert len(module.__all__) == len(set(module.__all__))
