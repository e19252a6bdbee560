import pytest

from workbench.stance import contradiction_signal, contradicts

PAIRS = [
    ("قتل 40 جنديا في الهجوم على الحافلة", "قتل 39 جنديا في الهجوم على الحافلة", "disagree"),
    ("الجيش يعلن السيطرة على المدينة", "الجيش ينفي السيطرة على المدينة", "disagree"),
    ("افتتاح المكتبة العامة في وسط المدينة", "افتتاح مكتبة عامة جديدة وسط المدينة", "agree"),
    ("ارتفاع أسعار الخبز في بيروت", "أسعار الخبز ترتفع في بيروت", "agree"),
]


def test_conflicting_figures_and_denials_are_contradictions() -> None:
    assert contradicts(PAIRS[0][0], PAIRS[0][1])
    assert contradicts(PAIRS[1][0], PAIRS[1][1])
    assert not contradicts(PAIRS[2][0], PAIRS[2][1])
    assert not contradicts(PAIRS[3][0], PAIRS[3][1])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("الصحيفة تشيد بأداء الحكومة", "الصحيفة تنتقد أداء الحكومة"),
        ("الشرطة تفرج عن الصحفي", "الشرطة تعتقل الصحفي"),
        ("استمرار الاحتجاجات في العاصمة", "توقف الاحتجاجات في العاصمة"),
        ("The minister praised the new law", "The minister criticised the new law"),
        ("The court acquitted the two journalists", "The court convicted the two journalists"),
        ("Oil prices rose on Monday", "Oil prices fell on Monday"),
        ("ارتفاع أسعار النفط يوم الاثنين", "Oil prices fell on Monday"),
    ],
)
def test_opposite_words_in_arabic_and_english_are_contradictions(a: str, b: str) -> None:
    assert contradiction_signal(a, b, "ar") == "opposites"
    assert contradiction_signal(a, a, "ar") == ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # "the opposition" is not "opposes"; a ceasefire is not a halt; "close" is an adjective.
        ("روسيا تدعم قوات النظام", "الجيش يقصف مواقع المعارضة"),
        ("The talks continued into the night", "A close ally of the president spoke"),
        ("استمرار المحادثات حول الهدنة", "الاتفاق على وقف إطلاق النار"),
    ],
)
def test_words_with_other_meanings_are_not_opposites(a: str, b: str) -> None:
    assert contradiction_signal(a, b, "ar") != "opposites"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("L'armée a repris la ville.", "L'armée n'a pas repris la ville."),
        ("Des civils ont été tués.", "La coalition dément que des civils aient été tués."),
        ("Le convoi est arrivé.", "Aucun convoi n'est arrivé."),
        ("The army took the town.", "L'armée n'a jamais repris la ville."),
    ],
)
def test_a_french_negation_on_one_side_only_is_a_contradiction(a: str, b: str) -> None:
    assert contradiction_signal(a, b, "fr") == "negation"
    assert contradiction_signal(b, b, "fr") == ""


def test_negations_on_both_sides_across_languages_agree() -> None:
    french = "Ces chiffres n'ont pas pu être vérifiés."
    assert contradiction_signal(french, "Neither account could be confirmed.", "fr") == ""
