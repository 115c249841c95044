"""Actors a sentence names without a title or a gazetteer row of their own: the speaker after a verb of
saying, a person named again by the family name, the leader named inside an organisation's name, forces
named by whom they belong to, a group the text names by its head noun alone, and counted people. And the
common noun a one-word group name also is («القاعدة الجوية»: an air base)."""

from __future__ import annotations

from kg import Document, Lexicon, analyse, extract
from kg.candidates import propose
from kg.classifier import with_model
from kg.mentions import discovered_key, find_mentions
from kg.relations import extract_relations
from kg.text import iter_sentences


def mentions(text: str) -> dict[str, tuple[str, str]]:
    """Mention text -> (actor key, type) over a whole document, with the rules alone."""
    ex = extract(Document("d", text), with_model(Lexicon.builtin(), None))
    return {m.text: (m.actor, m.type) for m in ex.mentions}


def statements(text: str, model: str = "rules") -> set[tuple[str, str, str]]:
    return {(s.subject, s.predicate, s.object) for s in analyse(text, model=model).statements}


def test_the_speaker_after_a_verb_of_saying_is_a_person() -> None:
    got = mentions("وقال فالح ناصر إن الهجوم على الرمادي فشل.")
    assert got.get("فالح ناصر", ("", ""))[1] == "Person"
    got = mentions("وأكد عبد الرحمن النعيمي أن الحركة لن تتفاوض.")
    assert got.get("عبد الرحمن النعيمي", ("", ""))[1] == "Person"


def test_no_speaker_where_no_name_follows_the_verb() -> None:
    # «لي» is «to me», «متحدث باسم» a title without a name, «مصدر أمني» no name at all
    for text in ("وقال لي يوسف إن الفيلم جاهز.", "وقال متحدث باسم الجيش إن المعارك عنيفة.",
                 "وقال مصدر أمني إن القوات انسحبت."):
        assert not [t for t, (_, type_) in mentions(text).items() if type_ == "Person"], text


def test_a_first_name_opening_with_fal_is_no_conjunction_on_the_article() -> None:
    # «فالح» starts like «ف» + «ال», but two letters after them make no word: it is a name
    got = mentions("وقال فالح ناصر، قائد الشرطة في الأنبار، إن الهجوم فشل.")
    assert got.get("فالح ناصر", ("", ""))[1] == "Person"


def persons(text: str) -> set[str]:
    return {t for t, (_, type_) in mentions(text).items() if type_ == "Person"}


def test_a_name_right_before_a_title_is_a_person() -> None:
    # NAME TITLE: the apposition names the person, whether the organisation after the title is known or not
    assert "سامر حداد" in persons("وقال سامر حداد المتحدث باسم الشرطة المحلية إن الانفجار وقع قرب السوق.")
    # a compound given name («فضل الله») before the title; no organisation known after it
    assert "فضل الله رحماني" in persons("وقال فضل الله رحماني المتحدث باسم حاكم الولاية إن المسلحين انسحبوا.")
    # NAME، TITLE: after a comma, the verb before the name left out
    assert "كريم سعداوي" in persons("وأوضح كريم سعداوي، رئيس بلدية المدينة، أن المياه عادت.")


def test_a_name_before_a_title_takes_the_titles_role() -> None:
    got = statements("وقال رامي فرحات، الناطق الرسمي لجيش الإسلام، إن الهجوم فشل.")
    assert ("actor:rAmy-frHAt", "spokespersonOf", "actor:jaysh-al-islam") in got
    got = statements("وقال سامر حداد زعيم حزب الله إن الحرب انتهت.")
    assert ("actor:sAmr-HdAd", "leaderOf", "actor:hezbollah") in got


def test_a_given_name_opens_the_name_after_the_words_that_govern_it() -> None:
    # «على حد قول» is no name: the name starts at the given name
    assert persons("وارتفعت المبيعات على حد قول جورج مارتينيز مدير الشركة.") == {"جورج مارتينيز"}


def test_no_name_before_a_title_where_the_words_are_no_name() -> None:
    for text in (
        "وقال المصدر المتحدث باسم الشرطة إن الهجوم فشل.",  # a definite noun, no name
        "وانتقدت الحكومة رئيس البرلمان بسبب تصريحاته.",  # the title is the object of the verb
        "وتفاقمت الأزمة في ظل حكم رئيس الوزراء السابق.",  # nouns after a preposition
        "وارتفعت المبيعات على حد قول الرئيس التنفيذي للشركة.",
        "وحددت اللجنة موعد انتخاب رئيس جديد للنادي.",  # a verbal noun governs the title
        "وانتقد قرارها زعيم المعارضة بشدة.",  # a word with a pronoun on it
        "وقال حسن وزير الخارجية إن الحرب انتهت.",  # one word alone may be anything
    ):
        assert not persons(text), text


def test_a_person_named_again_by_the_family_name() -> None:
    text = "قال القيادي هشام عشماوي إن التنظيم سيواصل القتال. وأضاف عشماوي أن الجيش المصري يهاجم سيناء."
    got = mentions(text)
    assert got["عشماوي"][0] == got["هشام عشماوي"][0]


def test_a_family_name_after_another_first_name_is_another_person() -> None:
    got = mentions("قال هشام عشماوي إن التنظيم سيواصل القتال. وقال سامي عشماوي إن الأمر غير صحيح.")
    assert got.get("عشماوي", ("",))[0] != "actor:hisham-ashmawy"


def test_a_definite_adjective_is_no_family_name() -> None:
    got = mentions("قال عبد الله العالمي إن الوضع صعب. وشارك في مجلس التفاهم العالمي.")
    assert "العالمي" not in got


def test_a_given_name_alone_names_nobody_again() -> None:
    # «ناصر» is also a given name: alone it may be another person
    got = mentions("وقال فالح ناصر إن القوات تقدمت. وأكد ناصر أن الجيش سيطر على الرمادي.")
    assert "ناصر" not in got


def test_a_leader_named_inside_the_organisations_name() -> None:
    got = statements("وقصفت قوات الأسد مدينة دوما.")
    assert ("actor:bashar-al-assad", "leaderOf", "actor:syrian-regime-forces") in got
    got = statements("ويدعم التحالف الذي تقوده الولايات المتحدة قوات سوريا الديمقراطية.")
    assert ("actor:usa", "leaderOf", "actor:us-led-coalition") in got


def test_a_leader_named_with_his_title_after_the_organisations_head() -> None:
    # «قوات الرئيس المخلوع …»: the forces are an actor of their own, led by the person named in them
    text = "وقصفت قوات الرئيس المخلوع علي عبد الله صالح مدينة تعز."
    got = mentions(text)
    forces = got["قوات الرئيس المخلوع علي عبد الله صالح"]
    assert forces[1] == "ArmedGroup"
    assert ("actor:ali-abdullah-saleh", "leaderOf", forces[0]) in statements(text)
    # a nisba in the title is part of the name: «نظام الرئيس السوري بشار الأسد» is no mention of Syria
    text = "وقال نظام الرئيس السوري بشار الأسد إن المسلحين هاجموا المدينة."
    got = mentions(text)
    assert got["نظام الرئيس السوري بشار الأسد"][1] == "Government" and "السوري" not in got
    # without a head noun before the title the person stays a person
    got = mentions("وقال الرئيس السوري بشار الأسد إن المسلحين هاجموا المدينة.")
    assert got["بشار الأسد"] == ("actor:bashar-al-assad", "Person")


def test_forces_named_by_whom_they_belong_to() -> None:
    text = "وتعاونت الحكومة الصومالية مع القوات التابعة للاتحاد الإفريقي في مقديشو."
    got = mentions(text)
    forces = got["القوات"][0]
    assert forces != "actor:african-union" and got["القوات"][1] == "StateForces"
    assert (forces, "memberOf", "actor:african-union") in statements(text)


def test_separatists_loyal_to_a_state_support_it() -> None:
    text = "وقتل عشرون شخصا في شرق أوكرانيا في اشتباكات بين الجيش وانفصاليين موالين لروسيا."
    got = mentions(text)
    separatists = got["انفصاليين"][0]  # the conjunction is not part of the name
    assert separatists.startswith("actor:") and got["انفصاليين"][1] == "ArmedGroup"
    assert (separatists, "supports", "actor:russia") in statements(text)


def test_a_group_named_by_its_head_noun_alone() -> None:
    # nobody named on «المقاومة» before: the resistance is the actor the text names so
    got = mentions("وقالت المقاومة إنها قصفت مواقع الحوثيين في تعز.")
    assert got["المقاومة"][1] == "ArmedGroup" and got["المقاومة"][0] != "actor:houthis"
    # named before, it is that group
    got = mentions("أعلنت حركة حماس أن المقاومة ستواصل القتال.")
    assert got["المقاومة"][0] == "actor:hamas"


def test_the_army_or_the_government_nobody_named_before() -> None:
    # no army named before and no country the document is about: «الجيش» is the army the text names so
    text = "وقتل الجيش عشرين مسلحا في غارات على مواقعهم."
    got = mentions(text)
    assert got["الجيش"][1] == "StateForces"
    assert (got["الجيش"][0], "kills", got["مسلحا"][0]) in statements(text)
    got = mentions("واعتقلت السلطات ثلاثة صحفيين في العاصمة.")
    assert got["السلطات"][1] == "Government"
    # named before, it is that army
    got = mentions("وقصف الجيش الليبي مواقع المسلحين. وقال الجيش إنه قتل عشرين مسلحا.")
    assert got["الجيش"][0] == "actor:libyan-national-army"


def test_counted_people_are_actors() -> None:
    got = mentions("وقتلت القوات الحكومية 71 إرهابيا واعتقلت عشرات المتهمين في ولاية بورنو.")
    assert got["إرهابيا"] == ("actor:militants", "ArmedGroup")
    assert got["المتهمين"] == ("actor:suspects", "Civilians")


def test_accusing_is_no_suspect() -> None:
    # «متهما» after a clause is the participle «accusing», not «a suspect»
    got = mentions("وانتقد رئيس الوزراء الهدنة، متهما إسرائيل بخرقها.")
    assert "actor:suspects" not in {k for k, _ in got.values()}


def test_a_group_name_that_is_also_a_noun_before_an_adjective_is_the_noun() -> None:
    for text in ("وهاجمت الطائرات القاعدة الجوية في حميميم.", "هاجمت الطائرات القاعدة العسكرية الروسية.",
                 "واعتقلت الشرطة الشباب الفلسطيني في الخليل."):
        assert not {k for k, _ in mentions(text).values()} & {"actor:al-qaeda", "actor:al-shabaab"}, text
    assert mentions("وهاجمت القاعدة مواقع الجيش اليمني.")["القاعدة"][0] == "actor:al-qaeda"
    assert mentions("وتبنت حركة الشباب الهجوم.")["حركة الشباب"][0] == "actor:al-shabaab"


def test_every_member_of_a_coordination_is_proposed_with_the_rules_statement() -> None:
    """«قصفت قوات النظام مدينة دوما وبلدتي حمورية وسقبا»: the rules read one target; each other member of the
    list is proposed with the same subject and relation, marked as a sibling of a rule statement."""
    lex = with_model(Lexicon.builtin(), None)
    sentence = next(iter_sentences("وقصفت قوات النظام مدينة دوما وبلدتي حمورية وسقبا."))
    found = find_mentions(sentence, lex, {}, {}, [])
    types = {a.key: a.type for a in found.actors} | {m.actor: m.type for m in found.mentions}
    sts, _, trace = extract_relations(sentence, found, lex, types, {}, None, None)
    cands = {(c.subject, c.relation, c.object): c for c in propose(sentence, found, trace, sts, lex, types)}
    ruled = [k for k, c in cands.items() if c.rules and k[1] == "attacks"]
    assert ruled, "the rules read an attack"
    subject = ruled[0][0]
    for place in ("place:douma", "place:hamouriyah", "place:saqba"):
        c = cands[(subject, "attacks", place)]
        assert "o" in c.coordinated
        assert c.rules or "o" in c.rule_sibling


def test_a_ministers_portfolio_is_part_of_the_title() -> None:
    # «وزيرة التجارة»: the definite word after an indefinite title is its portfolio, then the nisba, then the name
    assert "سلمى بنعلي" in persons("وقالت وزيرة التجارة المغربية سلمى بنعلي إن الأسعار ارتفعت.")
    assert "كريم الساعدي" in persons("وقال وزير النقل كريم الساعدي إن الطريق أغلق.")
    # after a portfolio, words that run on into the sentence are no name
    assert not persons("ووصل وزير الزراعة يلتقي وفدا من المزارعين.")


def test_a_name_after_the_titles_complement() -> None:
    # «رئيس قسم التاريخ في جامعة بغداد»: a construct chain, a preposition and a place, then the name
    assert "هاني الربيعي" in persons("وقال رئيس قسم التاريخ في جامعة بغداد هاني الربيعي إن الوثائق مزورة.")
    # no name after the complement, or a verb and an adverb where it would be
    assert not persons("وقال رئيس قسم التاريخ في الجامعة إن الوثائق مزورة.")
    assert not persons("وكان مدير المكتب في العاصمة سيحل اعتبارا من الشهر المقبل محل سلفه.")
    # «آلية» is no definite word: «إيفانز آلية» ends no complement, and nothing after it is a name
    assert not persons("وشرح المنسق الدولي إيفانز آلية عمل اللجنة للصحفيين.")
    # the name after the complement does not hide the name before the title
    got = persons("وحضر المهندس باسل العتيبي عضو مجلس الإدارة والأستاذ ماهر الدوسري الحفل.")
    assert "باسل العتيبي" in got


def test_a_spokesman_with_an_adjective_and_no_basm() -> None:
    got = persons("وأعلن المتحدث العسكري الأوكراني أندري سافتشينكو الأحد أن القوات صدت الهجوم.")
    assert "أندري سافتشينكو" in got
    # «متحدث» alone is no title, and «باسم» after the adjective belongs to the title, no given name
    assert not persons("ولم يتسن لمتحدث حكومي توضيح الأمر.")
    assert not persons("وقال المتحدث العسكري باسم الجيش إن الهجوم فشل.")


def test_a_listed_given_name_alone_after_a_definite_title() -> None:
    assert "منصور" in persons("وقال الرئيس منصور إن الحكومة ستستقيل.")
    # «زعيما» is a title in the accusative: it ends the name
    assert "منصور" in persons("وبعد تعيين الملا منصور زعيما للحركة تغيرت خططها.")
    # not after an indefinite title, not inside a facility's name, not a town (الشيخ زويد)
    assert not persons("وقال رئيس منصور إن الحكومة ستستقيل.")
    assert not persons("وزار الطلاب جامعة الأمير سلطان بحي الملز.")
    assert not persons("وقصفت الطائرات مدينة الشيخ زويد أمس.")


def test_a_name_before_an_age() -> None:
    assert "كيفن دوران" in persons("واعتقلت الشرطة كيفن دوران (45 عاما) في منزله.")
    assert "دانيال فوستر" in persons("وأصيب المصور الأمريكي، دانيال فوستر، 31 عاما، بجروح طفيفة.")
    # an age after a noun, or after words a noun governs («مصير X»), names no one
    for text in ("وقتل طفل فلسطيني (12 عاما) في القصف.", "واستمرت الحرب الأهلية (15 عاما) في البلاد.",
                 "ولا يزال مصير فيرنر كلاين (28 عاما) غامضا."):
        assert not persons(text), text


def raw_mentions(text: str) -> dict[str, str]:
    """Mention text -> actor key of a one-sentence text as the mention finder reads it (before any
    statement decides which generic actors stay)."""
    sentence = next(iter_sentences(text))
    return {m.text: m.actor for m in find_mentions(sentence, with_model(Lexicon.builtin(), None), {}, {}, []).mentions}


def test_a_nisba_adjective_is_no_generic_actor() -> None:
    # an indefinite accusative noun, a noun the adjective describes, an organisation named before it
    for text, word in (("وتقود الدولة تحالفا عسكريا في المنطقة.", "عسكريا"),
                       ("وقال الوزير في مؤتمر صحفي إن الوضع هادئ.", "صحفي"),
                       ("وعقد الوزير مؤتمرا صحافيا في العاصمة.", "صحافيا"),
                       ("ونددت الحكومة بالفكر الإرهابي في المدارس.", "الإرهابي"),
                       ("وتبنى «داعش» الإرهابي التفجير.", "الإرهابي")):
        assert word not in raw_mentions(text), text
    # after a verb, a verbal noun, a number or a counted noun the same words are the people
    for text, word, actor in (("واعتقلت الشرطة صحفيا في العاصمة.", "صحفيا", "actor:journalists"),
                              ("وندد الحزب باعتقال صحفي في العاصمة.", "صحفي", "actor:journalists"),
                              ("وأعلن الجيش مقتل 15 عسكريا في الهجوم.", "عسكريا", "actor:soldiers"),
                              ("وقتلت القوات 20 عنصرا إرهابيا.", "إرهابيا", "actor:militants"),
                              ("وأصيب 22 جنديا ومدنيا في الانفجار.", "ومدنيا", "actor:civilians")):
        assert raw_mentions(text).get(word) == actor, text
    # after a noun of attack the word names the attackers
    assert raw_mentions("ووقع هجوم انتحاري في السوق.").get("انتحاري") == "actor:gunmen"


def test_a_rank_after_the_organisation_of_a_title_opens_the_name() -> None:
    # «الكولونيل» is the person's rank, not a word of the army's name
    got = mentions("وقال المتحدث باسم الجيش الكولونيل موسى داندا إن القوات صدت الهجوم.")
    assert got.get("موسى داندا", ("", ""))[1] == "Person"
    assert "الجيش الكولونيل" not in got
    # the bare «الجيش» before the rank is the army the text named before, whose spokesman the person is
    text = "وقصفت طائرات الجيش المصري مواقع في سيناء. وقال المتحدث باسم الجيش العميد ماهر الشناوي إن الغارات أصابت أهدافها."
    assert (discovered_key("Person", "ماهر الشناوي"), "spokespersonOf", "actor:egyptian-army") in statements(text)


def test_a_rescue_service_reports_as_a_neutral_source() -> None:
    # civil defence takes no part in the fighting: what it reports is the writer's report, not a party's claim
    from kg import analyse

    got = {(s.subject, s.predicate, s.object): s.modality
           for s in analyse("وقال الدفاع المدني إن قوات النظام قصفت مدينة دوما.", model="rules").statements}
    assert got[("actor:syrian-regime-forces", "attacks", "place:douma")] == "Asserted"
    # a party's report stays its claim
    got = {(s.subject, s.predicate, s.object): s.modality
           for s in analyse("وقالت وزارة الدفاع الروسية إن قوات النظام قصفت مدينة دوما.", model="rules").statements}
    assert got[("actor:syrian-regime-forces", "attacks", "place:douma")] == "Claimed"
