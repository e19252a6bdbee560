"""Numbers as written: digits with either separator, and number words."""

import pytest

from workbench.numbers import digit_value, fold, reading


@pytest.mark.parametrize(
    ("digits", "value"),
    [
        ("1,200", 1200.0),
        ("١٬٢٠٠", 1200.0),  # Arabic-Indic, with the Arabic thousands separator
        ("1.5", 1.5),
        ("١٫٥", 1.5),  # the Arabic decimal separator
        ("1,5", 1.5),  # French decimals
        ("1.200.000", 1200000.0),
        ("12 500", 12500.0),  # a French thousands space
    ],
)
def test_digits_are_read_with_either_separator(digits: str, value: float) -> None:
    assert digit_value(fold(digits)) == value


def test_number_words_have_a_value_a_kind_and_how_they_were_written() -> None:
    assert reading("forty") == (40.0, "tens", False, False)
    assert reading(fold("وعشرين")) == (20.0, "tens", True, False)  # "and twenty"
    assert reading(fold("الثلاثة")) == (3.0, "unit", False, True)  # with the article
    assert reading(fold("آلاف")) == (1000.0, "plural", False, False)
    assert reading("soldiers") is None
    assert reading("quarante") == (40.0, "tens", False, False)
    # French words that other words share are left out: "sept" is a month, "un" an article.
    assert reading("huit") == (8.0, "unit", False, False) and reading("sept") is None
