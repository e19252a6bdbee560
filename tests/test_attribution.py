"""Tests for finding who a claim is attributed to."""

from __future__ import annotations

import pytest

from workbench.attribution import Attribution, attribute, attribute_article

# English cues


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        ("According to the Syrian Observatory for Human Rights, 12 fighters died.", "according to",
         "the Syrian Observatory for Human Rights"),
        ("Twelve fighters died, according to local medics.", "according to", "local medics"),
        ("The Jordanian army said four smugglers were shot.", "said", "The Jordanian army"),
        ("Four smugglers were shot, the Jordanian army said on Tuesday.", "said",
         "the Jordanian army"),
        ("Four smugglers were shot dead, said a border official.", "said", "a border official"),
        ("“The road is a trap,” said Abu Samir, a driver from the town.", "said", "Abu Samir"),
        ("Aid groups say the camp is flooded.", "said", "Aid groups"),
        ("The monitor says 39 soldiers died.", "said", "The monitor"),
        ("The militants claimed they had destroyed the bus.", "claimed", "The militants"),
        ("The group claims the attack killed 40.", "claimed", "The group"),
        ("The Observatory also reported heavy shelling overnight.", "reported", "The Observatory"),
        ("The ministry announced a curfew in the city.", "announced", "The ministry"),
        ("The governor stated that schools would reopen.", "stated", "The governor"),
        ("A medic told reporters that 15 had died.", "told", "A medic"),
        ("Hospital staff confirmed that five children were among the dead.", "confirmed",
         "Hospital staff"),
        ("The coalition has denied that civilians were harmed.", "denied", "The coalition"),
        ("The factions deny cutting off the water.", "denied", "The factions"),
        ("Activists alleged that the prisoners were tortured.", "alleged", "Activists"),
        ("The faction rejected the account of the exchange.", "rejected", "The faction"),
        ("A Syrian news site, citing local sources, said four died.", "citing", "local sources"),
        ("The figure was published by Amaq on Friday.", "published by", "Amaq"),
        ("The toll came in a statement posted on Friday by the ministry.", "posted by",
         "the ministry"),
        # French, in its commonest forms.
        ("L'OSDH fait état de 39 soldats tués, dont huit officiers.", "reported", "L'OSDH"),
        ("Selon l'Observatoire, 39 soldats ont été tués.", "according to", "l'Observatoire"),
        ("L'agence Amaq a revendiqué l'attaque.", "claimed", "L'agence Amaq"),
        ("L'armée jordanienne affirme avoir tué quatre trafiquants.", "said",
         "L'armée jordanienne"),
        ("Les familles des victimes démentent toute implication.", "denied",
         "Les familles des victimes"),
    ],
)  # fmt: skip
def test_english_and_french_cues(text: str, cue: str, source: str) -> None:
    found = attribute(text, "en")
    assert (found.cue, found.source) == (cue, source)
    assert not found.own and not found.inherited


def test_in_a_statement_alone_is_a_cue_without_a_source() -> None:
    found = attribute("In a statement, fighters were urged to stay home.")
    assert (found.cue, found.source, found.own) == ("in a statement", "", False)


def test_relative_clauses_and_auxiliaries_are_skipped() -> None:
    text = "The Syrian Observatory, which has sources across the country, has said 39 died."
    assert attribute(text).source == "The Syrian Observatory"
    assert attribute("A local official did not say how many died.").source == "A local official"


def test_passive_verbs_attribute_nothing() -> None:
    found = attribute("Neither toll could be independently confirmed.")
    assert found.cue == "" and found.own


# Arabic cues


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        ("بحسب المرصد السوري لحقوق الإنسان، قُتل ١٢ عنصراً.", "بحسب",
         "المرصد السوري لحقوق الإنسان"),
        ("قُتل ١٢ عنصراً بحسب مصادر محلية.", "بحسب", "مصادر محلية"),
        ("وحسب المرصد، تضررت عشرات الخيام.", "بحسب", "المرصد"),
        ("وفقاً للمرصد السوري، قُتل ثلاثة.", "وفقا ل", "المرصد السوري"),
        ("وفقا لـ مصادر طبية، ارتفعت الحصيلة.", "وفقا ل", "مصادر طبية"),
        ("ارتفعت الحصيلة إلى ١٥ وفق مصدر طبي.", "وفقا ل", "مصدر طبي"),
        ("قال المرصد إن الغارات استهدفت القرية.", "قال", "المرصد"),
        ("وقال مسؤول محلي في حلب إن المعبر أغلق.", "قال", "مسؤول محلي"),
        ("قالت مصادر محلية إن ثلاثة قتلوا.", "قال", "مصادر محلية"),
        ("وقالت وزارة الدفاع السورية إن الهجوم أحبط.", "قال", "وزارة الدفاع السورية"),
        ("في المقابل، يقول المرصد إن الحصيلة أعلى.", "قال", "المرصد"),
        ("أكد الجيش الأردني أن الحدود مغلقة.", "أكد", "الجيش الأردني"),
        ("وأكدت لجنة الإغاثة أن المخيمات غرقت.", "أكد", "لجنة الإغاثة"),
        ("وأشار المرصد إلى ارتفاع عدد القتلى.", "أشار", "المرصد"),
        ("وزعم التنظيم أن مقاتليه انسحبوا سالمين.", "زعم", "التنظيم"),
        ("وادّعى التنظيم أن الحافلة احترقت.", "ادعى", "التنظيم"),
        ("وادعت الجماعة أن الطائرة أسقطت.", "ادعى", "الجماعة"),
        ("أعلن الجيش الأردني مقتل ٤ مهربين.", "أعلن", "الجيش الأردني"),
        ("تبنى تنظيم داعش الهجوم على الحافلة.", "تبنى", "تنظيم داعش"),
        ("ونقل المرصد عن مصادر محلية أن القصف استمر.", "نقل عن", "المرصد"),
        ("أفاد المرصد السوري لحقوق الإنسان بمقتل ٣٩ عنصراً.", "أفاد",
         "المرصد السوري لحقوق الإنسان"),
        ("وأفادت مصادر طبية بارتفاع الحصيلة.", "أفاد", "مصادر طبية"),
        ("ذكرت وكالة سانا أن الطريق أعيد فتحه.", "ذكر", "وكالة سانا"),
        ("وذكر المرصد أن الطائرات حلقت فوق المنطقة.", "ذكر", "المرصد"),
        ("نفى مصدر عسكري سوري صحة الأرقام.", "نفى", "مصدر عسكري سوري"),
        ("ونفت الفصائل أي مسؤولية عن انقطاع المياه.", "نفى", "الفصائل"),
        ("وأوضح البيان أن العملية استمرت ساعتين.", "أوضح", "البيان"),
        ("صرح المتحدث باسم الدفاع المدني بأن الفرق تعمل.", "صرح", "المتحدث"),
        ("نقلا عن مصادر محلية، قُتل راعيان.", "نقلا عن", "مصادر محلية"),
        ("وثّق المرصد السوري لحقوق الإنسان مقتل ٣٩ عنصراً.", "وثق",
         "المرصد السوري لحقوق الإنسان"),
        ("وكان تنظيم داعش قد زعم أن أربعين جندياً قتلوا.", "زعم", "تنظيم داعش"),
        ("الفصائل تنفي قطع المياه عن المدينة", "نفى", "الفصائل"),
        ("غير أن لجنة الإغاثة المحلية تتحدث عن اثني عشر قتيلاً.", "تحدث عن", "لجنة الإغاثة المحلية"),
        ("وخالفت الرواية بيان الجيش الأردني الذي تحدث عن مقتل أربعة.", "تحدث عن",
         "الرواية بيان الجيش الأردني"),
        ("وتابع أن الحافلة دمرت.", "تابع", ""),
    ],
)  # fmt: skip
def test_arabic_cues(text: str, cue: str, source: str) -> None:
    found = attribute(text, "ar")
    assert (found.cue, found.source) == (cue, source)
    assert not found.own


@pytest.mark.parametrize(
    "text",
    [
        "وتم نقل الجرحى إلى المستشفى.",  # carrying, not quoting
        "فصيل تابع لتركيا يسيطر على البلدة.",  # affiliated, not a continuation
        "ولا تزال الطرق مقطوعة.",
        "اجتاحت السيول المخيمات ليلاً.",
    ],
)
def test_arabic_sentences_without_a_cue_are_the_outlets_own(text: str) -> None:
    assert attribute(text) == Attribution()


def test_arabic_headline_names_its_source_before_a_colon() -> None:
    found = attribute("المرصد: ٣٩ قتيلاً في كمين البادية")
    assert (found.cue, found.source, found.own) == (":", "المرصد", False)
    assert attribute("ويتساءل الأهالي: إلى متى؟").own


# Channels and claimants


@pytest.mark.parametrize(
    ("text", "source", "claimant"),
    [
        ("Amaq, the agency affiliated with ISIS, said 40 soldiers died.", "Amaq", "ISIS"),
        ("ISIS claimed through its Amaq agency that 40 soldiers died.", "Amaq agency", "ISIS"),
        ("In a statement carried by its Amaq news agency, ISIS claimed 40 died.",
         "Amaq news agency", "ISIS"),
        ("Local sources quoted by a Syrian news site said four died.", "a Syrian news site",
         "Local sources"),
        ("جاء في بيان للتنظيم نشرته وكالة أعماق التابعة لداعش أن ٤٠ قتلوا.", "وكالة أعماق", "داعش"),
        ("وزعم التنظيم، في بيان نشرته وكالة أعماق التابعة له، أن ٤٠ قتلوا.", "وكالة أعماق",
         "التنظيم"),
        ("وبحسب ما نشرته وكالة أعماق الناطقة باسم التنظيم، قُتل ٤٠.", "وكالة أعماق", "التنظيم"),
        ("وقال متحدث باسم الفصائل إن المحطة جاهزة.", "متحدث", "الفصائل"),
        ("تبنى التنظيم الهجوم في بيان بثته وكالة أعماق.", "وكالة أعماق", "التنظيم"),
    ],
)  # fmt: skip
def test_claimant_is_the_party_behind_the_source(text: str, source: str, claimant: str) -> None:
    found = attribute(text)
    assert (found.source, found.claimant) == (source, claimant)


def test_the_publisher_of_what_is_denied_is_not_the_source() -> None:
    found = attribute("نفى مصدر عسكري الأرقام التي نشرتها وكالة أعماق عن الكمين.")
    assert (found.source, found.claimant, found.denies) == ("مصدر عسكري", "", True)


def test_cue_of_a_publishing_agency() -> None:
    found = attribute("جاء في بيان نشرته وكالة أعماق أن الحافلة دمرت.")
    assert (found.cue, found.source) == ("نشرته وكالة", "وكالة أعماق")


# Hedges and denials


@pytest.mark.parametrize(
    "text",
    [
        "The strikes reportedly hit a market.",
        "The men were allegedly sheltering in a hut.",
        "Two of the dead are believed to be foreigners.",
        "Unconfirmed reports spoke of a second blast.",
        "The commander apparently fled.",
        "ويُعتقد أن المسلحين فروا.",
        "قُتل سبعة رعاة، بحسب ما أفادت مصادر محلية.",
        "ويرجح أن اللغم زرع حديثاً.",
        "وتحدثت أنباء غير مؤكدة عن انفجار ثان.",
        "وعلى ما يبدو فإن القصف توقف.",
        "L'armée aurait tué dix combattants.",
        "Les présumés passeurs ont été arrêtés.",
        "Le commandant a apparemment fui.",
        "Selon des informations non confirmées, un second tir a eu lieu.",
    ],
)
def test_hedges(text: str) -> None:
    assert attribute(text).hedged


@pytest.mark.parametrize(
    "text",
    [
        "The army said the road was closed.",
        "قال المرصد إن الطريق أغلق.",
        "The bus burned.",
        "L'armée a tué dix combattants.",
    ],
)
def test_plain_statements_are_not_hedged(text: str) -> None:
    assert not attribute(text).hedged


@pytest.mark.parametrize(
    "text",
    [
        "The coalition denied that any civilians were killed.",
        "The factions deny the charge.",
        "The ministry rejected the figures.",
        "نفى الجيش وقوع إصابات بين المدنيين.",
        "ونفت العائلات أي صلة بالتهريب.",
        "وكذبت الوزارة الرواية.",
    ],
)
def test_denials(text: str) -> None:
    assert attribute(text).denies


def test_assertions_are_not_denials() -> None:
    assert not attribute("قال الجيش إن المهربين قتلوا.").denies
    assert not attribute("The army said the smugglers were armed.").denies


def test_unattributed_sentence_is_the_outlets_own() -> None:
    found = attribute("Floodwater reached the tents overnight.")
    assert found == Attribution(own=True)
    assert found.cue == found.source == found.claimant == ""


# Articles: continuation sentences inherit


def test_english_statement_is_carried_through_the_article() -> None:
    found = attribute_article(
        [
            "The claim came in a statement published on Friday by Amaq.",
            "According to the statement, the fighters used explosives.",
            "The statement said the bus burned for an hour.",
            "It went on to say that the attackers withdrew.",
            "The agency added that no fighter was hurt.",
            "The newspaper could not verify the account.",
        ]
    )
    assert [a.source for a in found[:5]] == ["Amaq"] * 5
    assert [a.inherited for a in found] == [False, True, True, True, True, False]
    assert [a.cue for a in found[1:5]] == ["according to", "said", "went on to say", "added"]
    assert found[5].own


def test_arabic_statement_is_carried_through_the_article() -> None:
    found = attribute_article(
        [
            "وزعم التنظيم، في بيان نشرته وكالة أعماق التابعة لداعش، أن الحافلة احترقت.",
            "وأضاف البيان أن المقاتلين عادوا إلى مواقعهم.",
            "وأوضح البيان أن الهجوم استمر ساعة.",
            "وتابع أن الطريق أغلق بعد الهجوم.",
            "وأضاف أن التنظيم سيواصل هجماته.",
        ],
        "ar",
    )
    assert {(a.source, a.claimant) for a in found} == {("وكالة أعماق", "داعش")}
    assert [a.inherited for a in found] == [False, True, True, True, True]


def test_a_continuation_naming_its_own_source_resolves_that_source() -> None:
    found = attribute_article(
        [
            "وزعم التنظيم في بيان نشرته وكالة أعماق أن أربعين قتلوا.",
            "وأشار المرصد إلى أن الحصيلة بلغت ٣٩.",
            "وأضاف أن بين القتلى ضباطاً.",
        ]
    )
    assert [(a.source, a.inherited) for a in found] == [
        ("وكالة أعماق", False),
        ("المرصد", False),
        ("المرصد", True),
    ]


def test_a_short_reference_finds_the_source_it_names() -> None:
    found = attribute_article(
        [
            "Guards killed four smugglers, the Jordanian army said.",
            "Local sources said three shepherds died.",
            "The army added that the border stays closed.",
            "قال مصدر عسكري سوري إن الأرقام مبالغ فيها.",
            "وقالت مصادر محلية إن القصف استمر.",
            "ونفى المصدر وجود إصابات.",
        ]
    )
    assert found[2].source == "the Jordanian army"
    assert (found[5].source, found[5].denies, found[5].inherited) == ("مصدر عسكري سوري", True, True)


def test_nothing_is_inherited_at_the_start_or_by_unattributed_sentences() -> None:
    found = attribute_article(["The statement added that the road was closed.", "Rain fell."])
    assert (found[0].source, found[0].inherited) == ("The statement", False)
    assert found[1] == Attribution()
