import pytest

from workbench.language import UNKNOWN, detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("قتل أربعون جنديا في كمين قرب السخنة", "ar"),
        ("Forty soldiers were killed in an ambush", "en"),
        ("Quarante soldats tués près de Soukhné", "fr"),
        (
            "The port of Marsa reopened on Monday after two weeks of repairs to its main quay, "
            "officials said, and forty ships that had waited offshore began to unload.",
            "en",
        ),
        (
            "أعادت السلطات فتح ميناء مرسى يوم الاثنين بعد أسبوعين من أعمال الإصلاح في رصيفه "
            "الرئيسي، وبدأت أربعون سفينة كانت تنتظر قبالة الساحل في تفريغ حمولتها.",
            "ar",
        ),
    ],
)
def test_detects_short_and_long_texts(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_text_without_letters_is_unknown() -> None:
    assert detect_language("2021-01-05 12:30 — 40/39") == UNKNOWN
