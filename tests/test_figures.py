"""Tests for reading figures out of claims and comparing them."""

from __future__ import annotations

import pytest

from workbench.figures import (
    Figure,
    Qualifier,
    agreeing_figures,
    conflicting_figures,
    describe,
    extract_figures,
)


def read(text: str, language: str = "") -> list[tuple[float, float | None, str, str]]:
    figures = extract_figures(text, language)
    for figure in figures:
        assert text[figure.start : figure.end] == figure.text
    return [(f.value, f.upper, f.qualifier, f.counts) for f in figures]


def figure(
    value: float, counts: str, qualifier: str = "exact", upper: float | None = None
) -> Figure:
    return Figure(value, upper, Qualifier(qualifier), counts, str(value), 0, 0)


# What a figure counts


@pytest.mark.parametrize(
    "text",
    [
        "Militants said 40 soldiers were killed in the ambush.",
        "The ambush killed 40 members of the army, the group claimed.",
        "Forty troops died when the convoy was hit.",
        "The attack left 40 dead.",
        "أسفر الكمين عن مقتل ٤٠ جندياً.",
        "قُتل ٤٠ عنصراً من الجيش في الهجوم.",
        "زعم التنظيم أن أربعين جندياً قُتلوا.",
        "سقط 40 قتيلاً في الكمين.",
        "قتل ۴۰ جندياً في الهجوم.",  # Persian digits
    ],
)
def test_casualty_verb_wins_over_the_noun(text: str) -> None:
    assert read(text) == [(40, None, "exact", "killed")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monitors said 39 soldiers died, 8 of them officers.", [(39, "killed"), (8, "officers")]),
        ("The toll rose to 39, including eight officers.", [(39, "killed"), (8, "officers")]),
        ("وثّق المرصد مقتل ٣٩ عنصراً، بينهم ٨ ضباط.", [(39, "killed"), (8, "officers")]),
        ("قُتل تسعة وثلاثون جندياً، من بينهم ثمانية ضباط.", [(39, "killed"), (8, "officers")]),
        ("وبين القتلى ٥ أطفال.", [(5, "children")]),
        ("Eleven drowned; among the dead were four children.", [(11, "killed"), (4, "children")]),
    ],
)
def test_a_part_of_a_toll_counts_its_own_noun(text: str, expected: list[tuple[int, str]]) -> None:
    assert [(value, counts) for value, _, _, counts in read(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Three soldiers were killed and five wounded.", [(3, "killed"), (5, "wounded")]),
        ("قُتل ٣ جنود وجُرح ٥ آخرون.", [(3, "killed"), (5, "wounded")]),
        ("أسفر الهجوم عن مقتل ثلاثة وإصابة خمسة.", [(3, "killed"), (5, "wounded")]),
        ("Guards shot dead 4 smugglers and seized 2,000 pills.", [(4, "killed"), (2000, "pills")]),
        ("More than 2,000 tents were swept away.", [(2000, "tents")]),
        ("نزحت ١٢٠ عائلة من القرية.", [(120, "families")]),
        ("The committee counted 300 tents.", [(300, "tents")]),
    ],
)
def test_each_figure_reads_its_own_words(text: str, expected: list[tuple[int, str]]) -> None:
    assert [(value, counts) for value, _, _, counts in read(text)] == expected


def test_unknown_noun_counts_nothing() -> None:
    assert read("Officials opened four new stations.") == [(4, None, "exact", "")]


# Digits and separators


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Some 1,200 families fled.", 1200),
        ("نزحت ١٬٢٠٠ عائلة", 1200),
        ("نزحت ١٢٠٠ عائلة", 1200),
        ("The army seized 1.5 million pills.", 1_500_000),
        ("ضُبطت ١٫٥ مليون حبة", 1_500_000),
        ("ضُبط مليون ونصف حبة", 1_500_000),
        ("يعيش في المدينة ٤٦٠ ألف شخص", 460_000),
        ("The deal is worth 146 billion dollars.", 146e9),
        ("The fund received $2.5bn.", 2.5e9),
        ("تبلغ الكلفة ٣٠٠ مليون دولار", 300e6),
    ],
)
def test_digits_separators_and_scales(text: str, value: float) -> None:
    assert [v for v, _, _, _ in read(text)] == [value]


def test_french_spaces_group_thousands_only_for_french() -> None:
    assert [v for v, _, _, _ in read("Plus de 2 000 tentes", "fr")] == [2000]
    assert [v for v, _, _, _ in read("Group 2 000 is ready")] == [2, 0]


@pytest.mark.parametrize(
    "text",
    ["Prices rose 20%.", "ارتفعت الأسعار ٢٠٪", "up 20 per cent", "بنسبة عشرين بالمئة",
     "بنسبة عشرين في المئة", "prices rose 20 percent"],
)  # fmt: skip
def test_percent(text: str) -> None:
    assert read(text) == [(20, None, "exact", "percent")]


@pytest.mark.parametrize("text", ["It cost $80.", "بلغ السعر 80 دولاراً", "a price of 80 dollars"])
def test_money(text: str) -> None:
    assert read(text) == [(80, None, "exact", "money")]


# Number words


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("one", 1), ("three", 3), ("twelve", 12), ("nineteen", 19), ("thirty", 30),
        ("twenty-five", 25), ("twenty five", 25), ("three hundred", 300),
        ("two hundred and fifty", 250), ("a hundred", 100), ("a dozen", 12), ("two dozen", 24),
        ("three thousand", 3000), ("a million", 1e6),
        ("واحد", 1), ("واحدة", 1), ("اثنان", 2), ("اثنين", 2), ("ثلاثة", 3), ("أربعة", 4),
        ("خمسة", 5), ("ستة", 6), ("سبعة", 7), ("ثمانية", 8), ("تسعة", 9), ("عشرة", 10),
        ("أحد عشر", 11), ("إحدى عشرة", 11), ("اثنا عشر", 12), ("اثني عشر", 12),
        ("خمسة عشر", 15), ("عشرون", 20), ("عشرين", 20), ("ثلاثون", 30), ("ثلاثين", 30),
        ("أربعون", 40), ("أربعين", 40), ("تسعين", 90), ("خمسة وعشرين", 25),
        ("تسعة وثلاثين", 39), ("اثنين وعشرين", 22), ("مئة", 100), ("مائة", 100),
        ("مئتين", 200), ("ثلاثمئة", 300), ("ثلاث مئة", 300), ("مئة وخمسون", 150), ("ألف", 1000),
        ("ألفي", 2000), ("ثلاثة آلاف", 3000), ("خمسة عشر ألفاً", 15000), ("مليون", 1e6),
        ("مليونان", 2e6),
    ],
)  # fmt: skip
def test_number_words(text: str, value: float) -> None:
    assert [v for v, _, _, _ in read(f"{text} people")] == [value]


@pytest.mark.parametrize(
    ("text", "value"),
    [("والثلاثة قتلوا", 3), ("وأربعين جندياً", 40), ("الجنود الخمسة", 5), ("بثلاثين طلقة", 30),
     ("ستةٌ", 6), ("أربعـــين", 40)],
)  # fmt: skip
def test_arabic_words_with_attached_letters_marks_and_tatweel(text: str, value: float) -> None:
    assert [v for v, _, _, _ in read(text)] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "Thousands fled the city.",
        "آلاف النازحين في المخيمات",
        "Hundreds of families fled.",
        "عشرات القتلى",
        "لست متأكداً",  # "I am not": not six
        "One of the dead was a child.",
        "No one was hurt.",
    ],
)
def test_vague_and_pronoun_uses_are_not_figures(text: str) -> None:
    assert read(text) == []


# Qualifiers


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("At least 30 people died.", "at least"),
        ("No fewer than 30 people died.", "at least"),
        ("قُتل ما لا يقل عن ٣٠ شخصاً", "at least"),
        ("قُتل ٣٠ شخصاً على الأقل", "at least"),
        ("30 people or more died", "at least"),
        ("More than 30 people died.", "more than"),
        ("Over 30 people died.", "more than"),
        ("قُتل أكثر من ٣٠ شخصاً", "more than"),
        ("قُتل ما يزيد عن ٣٠ شخصاً", "more than"),
        ("About 30 people died.", "about"),
        ("Nearly 30 people died.", "about"),
        ("قُتل نحو ٣٠ شخصاً", "about"),
        ("قُتل حوالي ٣٠ شخصاً", "about"),
        ("قُتل قرابة ٣٠ شخصاً", "about"),
        ("قُتل زهاء ٣٠ شخصاً", "about"),
        ("قُتل ٣٠ شخصاً تقريباً", "about"),
        ("Up to 30 people died.", "up to"),
        ("قُتل ما يصل إلى ٣٠ شخصاً", "up to"),
        ("Fewer than 30 people died.", "less than"),
        ("قُتل أقل من ٣٠ شخصاً", "less than"),
        ("30 people died.", "exact"),
        ("Au moins 30 personnes sont mortes.", "at least"),
        ("Plus de 30 personnes sont mortes.", "more than"),
        ("Environ 30 personnes sont mortes.", "about"),
    ],
)
def test_qualifiers(text: str, qualifier: str) -> None:
    assert [q for _, _, q, _ in read(text)] == [qualifier]
    assert isinstance(extract_figures(text)[0].qualifier, Qualifier)


def test_qualifier_is_part_of_the_span() -> None:
    (found,) = extract_figures("The monitor says at least 39 died.")
    assert found.text == "at least 39"
    (found,) = extract_figures("قُتل ما لا يقل عن ٣٩ جندياً")
    assert found.text == "ما لا يقل عن ٣٩"


# Ranges


@pytest.mark.parametrize(
    "text",
    [
        "between 30 and 40 people were killed",
        "30-40 people were killed",
        "30–40 people were killed",
        "thirty to forty people were killed",
        "قُتل ما بين ٣٠ و٤٠ شخصاً",
        "قُتل بين ٣٠ و ٤٠ شخصاً",
        "قُتل ما بين ثلاثين وأربعين شخصاً",
    ],
)
def test_ranges(text: str) -> None:
    assert read(text) == [(30, 40, "exact", "killed")]


def test_a_score_is_not_a_range_nor_two_figures() -> None:
    assert read("Al-Nahr beat Rivers United 3-1 on Friday.") == []


# What is not a figure


@pytest.mark.parametrize(
    "text",
    [
        "The statement came out on Friday, 1 January 2021.",
        "It was posted on January 1, 2021.",
        "The raid happened on 1/1/2021 at 10:30.",
        "The area was held until 2017.",
        "صدر البيان يوم الجمعة ١ كانون الثاني/يناير ٢٠٢١",
        "وقع الهجوم في ٥ آب الماضي",
        "منذ عام 2019",
        "الساعة 5 صباحاً",
        "The soldiers served in the Fourth Division.",
        "The soldiers served in the 4th Armoured Division.",
        "ينتمي الجنود إلى الفرقة الرابعة",
        "ينتمي الجنود إلى اللواء 93",
        "The F-16 and the MiG-29 flew over.",
        "COVID-19 cases rose.",
        "Trains on Line 3 stopped.",
        "Resolution 2254 calls for talks.",
        "وصل الوفد يوم الاثنين",
        "في الحادي عشر من الشهر",
        "He met them on the 11th.",
    ],
)
def test_dates_times_years_ordinals_and_ids_are_not_figures(text: str) -> None:
    assert read(text) == []


def test_a_year_like_number_with_a_noun_is_a_figure() -> None:
    assert read("2000 tents were damaged.") == [(2000, None, "exact", "tents")]


def test_the_other_two_is_a_figure_but_monday_is_not() -> None:
    assert [v for v, _, _, _ in read("يُعتقد أن الاثنين الآخرين عراقيان")] == [2]
    assert read("اجتمعوا يوم الاثنين") == []


def test_spans_in_arabic_keep_their_marks() -> None:
    text = "قُتل أربعون جندياً"
    (found,) = extract_figures(text)
    assert found.text == "أربعون"
    assert text[found.start : found.end] == "أربعون"


# Conflicts


def test_different_tolls_conflict() -> None:
    pairs = conflicting_figures([figure(40, "killed")], [figure(39, "killed")])
    assert [(a.value, b.value) for a, b in pairs] == [(40, 39)]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (figure(30, "killed", "at least"), figure(39, "killed")),
        (figure(300, "fighters", "more than"), figure(320, "fighters")),
        (figure(200, "killed", "more than"), figure(200, "killed")),  # reporters round
        (figure(40, "killed", "about"), figure(39, "killed")),
        (figure(30, "killed", upper=40), figure(35, "killed")),
        (figure(50, "killed", "up to"), figure(12, "killed")),
        (figure(74, "money", "less than"), figure(70, "money")),
        (figure(39, "killed"), figure(39, "killed")),
    ],
)
def test_compatible_figures_do_not_conflict(a: Figure, b: Figure) -> None:
    assert conflicting_figures([a], [b]) == []
    assert conflicting_figures([b], [a]) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (figure(1700, "tents", "about"), figure(2000, "tents", "more than")),
        (figure(460_000, "people", "about"), figure(1e6, "people", "about")),
        (figure(30, "killed", upper=40), figure(45, "killed")),
        (figure(1e6, "pills", "up to"), figure(1.5e6, "pills", "more than")),
        (figure(74, "money", "less than"), figure(80, "money")),
        (figure(39, "killed", "at least"), figure(12, "killed")),
    ],
)
def test_incompatible_figures_conflict(a: Figure, b: Figure) -> None:
    assert conflicting_figures([a], [b]) == [(a, b)]


def test_figures_of_different_things_never_conflict() -> None:
    assert conflicting_figures([figure(40, "killed")], [figure(6, "wounded")]) == []
    assert conflicting_figures([figure(40, "")], [figure(6, "")]) == []


def test_an_account_giving_both_tolls_conflicts_with_neither() -> None:
    both = [figure(40, "killed"), figure(39, "killed")]
    assert conflicting_figures(both, [figure(39, "killed")]) == []
    assert conflicting_figures([figure(40, "killed")], both) == []


def test_conflicts_across_languages_and_phrasings() -> None:
    english = extract_figures("The group claimed forty soldiers were killed.")
    arabic = extract_figures("قال المرصد إن ٣٩ عنصراً قُتلوا")
    same = extract_figures("Fighters killed 40 members of the army.")
    assert [(a.value, b.value) for a, b in conflicting_figures(english, arabic)] == [(40, 39)]
    assert conflicting_figures(english, same) == []
    french = extract_figures("L'observatoire fait état de 39 soldats tués, dont huit officiers.")
    assert [describe(f) for f in french] == ["39 killed", "8 officers"]
    assert [(a.value, b.value) for a, b in conflicting_figures(english, french)] == [(40, 39)]


def test_agreeing_figures_count_the_same_thing_compatibly() -> None:
    claim = [figure(40, "killed"), figure(6, "wounded"), figure(3, "")]
    other = [figure(40, "killed", "at least"), figure(7, "wounded"), figure(3, "")]
    assert agreeing_figures(claim, other) == [(figure(40, "killed"), other[0])]
    assert agreeing_figures(claim, [figure(40, "wounded")]) == []


def test_describe() -> None:
    assert describe(figure(39, "killed", "at least")) == "at least 39 killed"
    assert describe(figure(30, "killed", upper=40)) == "30-40 killed"
    assert describe(figure(460_000, "people", "about")) == "about 460,000 people"
    assert describe(figure(4, "")) == "4"
