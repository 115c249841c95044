"""Cue words of general Arabic news the lexicon reads (``ontology/cues.jsonl``), each in a sentence we wrote:
what the rules state from it, before the model decides."""

from __future__ import annotations

import pytest

from kg import analyse


def statements(text: str) -> set[tuple[str, str, str]]:
    return {(s.subject, s.predicate, s.object) for s in analyse(text, model="rules").statements}


@pytest.mark.parametrize("text, expected", [
    # an incursion or an invasion is an attack on the place
    ("واجتاحت القوات الإسرائيلية مدينة جنين فجر اليوم.", ("actor:israeli-army", "attacks", "place:jenin")),
    ("وأدانت الجامعة العربية العدوان الإسرائيلي على قطاع غزة.", ("actor:israel", "attacks", "place:gaza-strip")),
    # a sniper's shot and ramming are attacks on who they hit
    ("وقنص مسلحون ثلاثة جنود قرب الحدود.", ("actor:gunmen", "attacks", "actor:soldiers")),
    # slaughter is a killing
    ("وذبح تنظيم داعش عشرين مدنيا في القرية.", ("actor:islamic-state", "kills", "actor:civilians")),
    # supplying a group with arms supports it
    ("وتزود إيران الحوثيين بالصواريخ منذ سنوات.", ("actor:iran", "supports", "actor:houthis")),
], ids=["incursion", "aggression", "sniping", "slaughter", "supplying"])
def test_a_cue_word_states_its_relation(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in statements(text)


def test_martyred_by_bullets_names_who_killed() -> None:
    # «استشهد» is said of the one killed; «برصاص» names who killed
    got = statements("واستشهد ثلاثة مدنيين برصاص الجيش الإسرائيلي في الخليل.")
    assert ("actor:israeli-army", "kills", "actor:civilians") in got
    assert ("actor:civilians", "kills", "actor:israeli-army") not in got
