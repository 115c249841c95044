"""References across sentences: a bare definite head noun («الجيش», «الحكومة», «قوات الجيش») refers to the
actor named on it before, or to the army or government of the country the document is about so far; a
report verb without a subject («وأضاف») goes on with the previous sentence's speaker."""

from __future__ import annotations

from kg import Document, Lexicon, extract


def refs(text: str) -> dict[str, str]:
    """Mention text -> actor key, for the mentions found by reference (source "pronoun")."""
    ex = extract(Document("d", text), Lexicon.builtin())
    return {m.text: m.actor for m in ex.mentions if m.source == "pronoun"}


def test_the_army_named_before() -> None:
    got = refs("قصف الجيش السوري مدينة حلب. وقال الجيش إنه استعاد السيطرة على البلدة.")
    assert got.get("الجيش") == "actor:syrian-regime-forces"


def test_the_forces_of_the_army_take_the_construct_noun() -> None:
    got = refs("قصف الجيش السوري مدينة حلب. وقتلت قوات الجيش خمسة مسلحين.")
    assert got.get("قوات الجيش") == "actor:syrian-regime-forces"


def test_the_army_is_a_states_not_an_armed_groups() -> None:
    got = refs("هاجم الجيش السوري الحر مواقع للنظام. وقال الجيش إن المعارك مستمرة.")
    assert "الجيش" not in got  # not the Free Syrian Army named before, and no state's army was named


def test_the_government_named_before() -> None:
    got = refs("اتهمت الحكومة العراقية تنظيم داعش بتفجير السوق. ونفت الحكومة أن تكون قد فاوضت التنظيم.")
    assert got.get("الحكومة") == "actor:iraqi-government"


def test_with_no_antecedent_the_countrys_own_army() -> None:
    text = ("أعلنت مصادر أمنية مصرية بمحافظة شمال سيناء أن قوات الجيش تواصل عملياتها في العريش.")
    assert refs(text).get("قوات الجيش") == "actor:egyptian-army"


def test_one_mention_of_a_country_is_not_enough() -> None:
    assert "الجيش" not in refs("قالت مصادر مصرية إن الجيش سيطر على المنطقة.")


def test_a_sentence_naming_another_country_keeps_the_bare_word() -> None:
    text = ("زار وزير الخارجية المصري القاهرة والإسكندرية. "
            "وقالت وزارة الدفاع الأمريكية إن الجيش سيرسل قوات إضافية.")
    assert "الجيش" not in refs(text)  # Egypt is named three times, but this sentence is about the US


def test_a_report_verb_without_a_subject_goes_on_with_the_previous_speaker() -> None:
    # «وأضاف أن …»: the prime minister's account of his own side's strikes is his claim, not a fact
    text = ("قال رئيس الوزراء التركي أحمد داود أوغلو إن الشرطة اعتقلت عشرات المشتبه بهم. "
            "وأضاف أن مقاتلات تركية قصفت مواقع تنظيم داعش في سوريا.")
    from kg import analyse

    for model in ("rules", "builtin"):
        got = {(s.subject, s.predicate, s.object): (s.modality, s.attributed_to) for s in analyse(text, model=model).statements}
        for (s, p, o), (modality, by) in got.items():
            if p == "attacks":
                assert (modality, by) == ("Claimed", "actor:ahmet-davutoglu"), (s, p, o, model)
        assert any(p == "attacks" for _, p, _ in got)
