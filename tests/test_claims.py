"""Tests for splitting articles into claims."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from workbench.claims import MAX_CLAIM_CHARS, ClaimSpan, split_claims

DATA = Path(__file__).parent / "data" / "claims"


def check_offsets(body: str, title: str, claims: list[ClaimSpan]) -> None:
    for claim in claims:
        source = title if claim.is_headline else body
        assert source[claim.start : claim.end] == claim.text
        assert claim.text == claim.text.strip()


def texts(body: str, title: str = "", language: str = "") -> list[str]:
    claims = split_claims(body, title=title, language=language)
    check_offsets(body, title, claims)
    return [claim.text for claim in claims]


# Arabic


def test_arabic_splits_on_full_stop_question_and_exclamation() -> None:
    body = (
        "أعلنت وزارة الزراعة أن محصول القمح تضاعف هذا العام. "
        "هل تكفي المخازن الحالية لاستيعاب كل هذه الكميات؟ "
        "قال وزير الزراعة إن المخازن ممتلئة بالكامل منذ أسبوعين!"
    )
    assert texts(body, language="ar") == [
        "أعلنت وزارة الزراعة أن محصول القمح تضاعف هذا العام.",
        "هل تكفي المخازن الحالية لاستيعاب كل هذه الكميات؟",
        "قال وزير الزراعة إن المخازن ممتلئة بالكامل منذ أسبوعين!",
    ]


def test_arabic_full_stop_mark_and_missing_space_split() -> None:
    body = (
        "افتتحت البلدية جسراً جديداً فوق النهر۔ بلغت تكلفة المشروع نحو مليوني دولار."
        "وقال المهندس إن الجسر سيخدم آلاف السكان"
    )
    assert texts(body) == [
        "افتتحت البلدية جسراً جديداً فوق النهر۔",
        "بلغت تكلفة المشروع نحو مليوني دولار.",
        "وقال المهندس إن الجسر سيخدم آلاف السكان",
    ]


def test_arabic_newlines_end_sentences() -> None:
    body = (
        "ارتفع سعر الخبز في الأسواق المحلية بنسبة عشرين بالمئة\n"
        "أغلقت ثلاث مدارس أبوابها بسبب العاصفة الثلجية\n\n"
        "عاد التيار الكهربائي إلى معظم أحياء المدينة مساء الأحد"
    )
    assert texts(body) == [
        "ارتفع سعر الخبز في الأسواق المحلية بنسبة عشرين بالمئة",
        "أغلقت ثلاث مدارس أبوابها بسبب العاصفة الثلجية",
        "عاد التيار الكهربائي إلى معظم أحياء المدينة مساء الأحد",
    ]


def test_arabic_comma_does_not_split() -> None:
    body = "زار الرئيس المستشفى الجديد، والتقى الأطباء، ووعد بزيادة الرواتب، ثم غادر المدينة."
    assert texts(body) == [body]


def test_arabic_semicolon_splits_between_long_clauses() -> None:
    body = (
        "أعلنت الحكومة رفع أسعار الوقود بنسبة عشرة بالمئة؛ "
        "وقالت النقابات إنها ستنظم إضراباً عاماً الأسبوع المقبل."
    )
    assert texts(body) == [
        "أعلنت الحكومة رفع أسعار الوقود بنسبة عشرة بالمئة",
        "وقالت النقابات إنها ستنظم إضراباً عاماً الأسبوع المقبل.",
    ]


def test_arabic_semicolon_keeps_short_clause_attached() -> None:
    body = "وأضاف المتحدث؛ أن الطائرات قصفت ثلاثة مواقع قرب الحدود فجر اليوم."
    assert texts(body) == [body]


def test_arabic_semicolon_chain_never_leaves_short_piece() -> None:
    body = (
        "قال التقرير إن البطالة ارتفعت في كل المحافظات الشمالية؛ خاصة بين الشباب؛ "
        "وأشار إلى أن الحكومة لم تقدم أي خطة لمعالجة الأزمة."
    )
    pieces = texts(body)
    assert len(pieces) == 2
    assert pieces[1].startswith("خاصة بين الشباب؛")
    assert all(len(piece.split()) >= 6 for piece in pieces)


def test_arabic_semicolon_inside_short_quotation_does_not_split() -> None:
    body = (
        "قال المتحدث: «الحكومة ستدفع رواتب جميع الموظفين هذا الشهر؛ "
        "ولن يتم تأجيل أي دفعة إلى الشهر المقبل» في مؤتمر صحفي."
    )
    assert texts(body) == [body]


def test_arabic_short_quotation_is_not_split() -> None:
    body = "قال المتحدث باسم الجيش: «لن ننسحب. سنبقى هنا» ثم غادر المؤتمر الصحفي."
    assert texts(body) == [body]


def test_arabic_closing_quote_after_full_stop_stays_with_sentence() -> None:
    body = (
        "قال الوزير: “أُفرج عن جميع المحتجزين يوم الخميس.” وأضاف أن المفاوضات ستستمر الأسبوع المقبل."
    )
    assert texts(body) == [
        "قال الوزير: “أُفرج عن جميع المحتجزين يوم الخميس.”",
        "وأضاف أن المفاوضات ستستمر الأسبوع المقبل.",
    ]


def test_unclosed_quote_does_not_block_splitting() -> None:
    body = (
        "وأضاف البيان “أن القوات سيطرت على التلال المحيطة بالقرية. "
        "وقُتل خمسة مسلحين خلال الاشتباكات العنيفة."
    )
    assert texts(body) == [
        "وأضاف البيان “أن القوات سيطرت على التلال المحيطة بالقرية.",
        "وقُتل خمسة مسلحين خلال الاشتباكات العنيفة.",
    ]


# English


@pytest.mark.parametrize(
    ("body", "first"),
    [
        (
            "Mr. Haddad met Dr. Lewis at the U.N. offices on Jan. 5 to discuss aid. "
            "The talks lasted three hours.",
            "Mr. Haddad met Dr. Lewis at the U.N. offices on Jan. 5 to discuss aid.",
        ),
        (
            "The U.S. Army confirmed the strike on Tuesday. Two officers were injured.",
            "The U.S. Army confirmed the strike on Tuesday.",
        ),
        (
            "Some allies, e.g. France, sent two brigades to the border. Nobody resisted the move.",
            "Some allies, e.g. France, sent two brigades to the border.",
        ),
        (
            "Polls closed at 8 p.m. Turnout was the lowest in two decades.",
            "Polls closed at 8 p.m.",
        ),
        (
            "Shares of the bank fell sharply on Monday. No. 10 declined to comment on it.",
            "Shares of the bank fell sharply on Monday.",
        ),
        (
            "Farmers lost rice, wheat, etc. More crops failed this year than ever before.",
            "Farmers lost rice, wheat, etc.",
        ),
    ],
)
def test_english_abbreviations_split_once(body: str, first: str) -> None:
    claims = texts(body, language="en")
    assert claims == [first, body[len(first) :].strip()]


@pytest.mark.parametrize(
    "body",
    [
        "Gen. Omar and St. Mary's hospital staff were evacuated overnight by road.",
        "The company, Acme Inc. said profits fell by half last year.",
        "Officials from the U.K. Foreign Office arrived with Prof. Adeyemi.",
    ],
)
def test_english_abbreviations_do_not_split(body: str) -> None:
    assert texts(body, language="en") == [body]


def test_decimals_and_thousands_separators() -> None:
    body = (
        "Inflation rose to 3.5 percent in March, hitting 1,200,000 households. "
        "Prices fell 0.7 percent in April."
    )
    assert texts(body) == [
        "Inflation rose to 3.5 percent in March, hitting 1,200,000 households.",
        "Prices fell 0.7 percent in April.",
    ]


def test_initials_do_not_end_sentences() -> None:
    body = (
        "The audit was written by J. R. Okafor and approved by the board. "
        "It was published on Monday."
    )
    assert texts(body) == [
        "The audit was written by J. R. Okafor and approved by the board.",
        "It was published on Monday.",
    ]


def test_two_dots_join_a_headline_to_its_tag() -> None:
    body = (
        "عمدة المدينة يفتتح جسرا جديدا فوق النهر.. حقيقة الصورة المتداولة. "
        "The mayor opened the bridge.. Residents were not convinced."
    )
    assert texts(body) == [
        "عمدة المدينة يفتتح جسرا جديدا فوق النهر.. حقيقة الصورة المتداولة.",
        "The mayor opened the bridge.. Residents were not convinced.",
    ]


def test_ellipsis_before_lowercase_continues_sentence() -> None:
    body = (
        "The minister said the deal was... complicated, according to aides. "
        "Nobody else commented on it."
    )
    assert texts(body) == [
        "The minister said the deal was... complicated, according to aides.",
        "Nobody else commented on it.",
    ]


def test_quoted_full_stop_keeps_quote() -> None:
    body = 'The mayor said "the bridge will reopen next week." Engineers disputed that timeline.'
    assert texts(body) == [
        'The mayor said "the bridge will reopen next week."',
        "Engineers disputed that timeline.",
    ]


def test_quotation_with_inner_stops_is_one_claim() -> None:
    body = "She told reporters “We lost. We will fight again.” and left the building quietly."
    assert texts(body) == [body]


def test_question_in_quote_before_lowercase_is_one_claim() -> None:
    body = '"Who paid for the new stadium?" asked the opposition leader on Tuesday.'
    assert texts(body) == [body]


# Furniture and fragments


@pytest.mark.parametrize(
    "line",
    [
        "By John Smith and Jane Doe, Reuters",
        "By staff reporter",
        "Reporting by Lina Haddad; editing by Tom Brown",
        "If you think this article contains an error, please send us a correction.",
        "Send a correction",
        "Leave a reply",
        "Leave a comment",
        "Share this article on Facebook",
        "Share on Twitter",
        "Read more: why the dam matters to millions of farmers",
        "Related articles",
        "Subscribe to our newsletter for daily updates",
        "Advertisement",
        "Cancel reply",
        "Your email address will not be published. Required fields are marked *",
        "Copyright © 2024 Example Media Group Ltd",
        "All rights reserved to the publisher of this site 2024",
        "Published: Tuesday 5 March 2024, 10:45 GMT",
        "https://example.com/news/2024/03/05/a-story-about-the-dam",
        "World",
        "News Section",
    ],
)
def test_english_furniture_is_dropped(line: str) -> None:
    body = f"The dam was completed in 2019 after eight years of work.\n{line}\n"
    assert texts(body) == ["The dam was completed in 2019 after eight years of work."]


@pytest.mark.parametrize(
    "line",
    [
        "بقلم: أحمد علي الحسن من دمشق",
        "كتب: محمد حسن - مراسل الموقع",
        "إذا وجدت خطأ في هذا المقال أرسل تصحيحاً",
        "أرسل تصحيحاً",
        "اترك تعليقاً",
        "اترك رداً",
        "شارك المقال على فيسبوك وتويتر",
        "شارك على فيسبوك",
        "اقرأ أيضاً: كيف تغيرت أسعار الخبز في المدينة",
        "مواضيع ذات صلة",
        "اشترك",
        "إعلان",
        "لن يتم نشر عنوان بريدك الإلكتروني.",
        "جميع الحقوق محفوظة لموقع أخبار المدينة 2024",
        "الجمعة 1 كانون الثاني/ يناير 2021",
        "آخر تحديث: الثلاثاء ٥ آذار ٢٠٢٤ الساعة ١٠:٤٥ مساءً",
        "قسم الأخبار",
        "أخبار سوريا",
    ],
)
def test_arabic_furniture_is_dropped(line: str) -> None:
    body = f"افتتحت الحكومة مستشفى جديداً في المدينة يوم الأحد.\n{line}\n"
    assert texts(body) == ["افتتحت الحكومة مستشفى جديداً في المدينة يوم الأحد."]


@pytest.mark.parametrize(
    "body",
    [
        "By Friday the water level had dropped by two metres.",
        "Copyright lawsuits against publishers rose sharply in 2023.",
        "كتب الوزير في تغريدة أن المعبر سيفتح غداً.",
        "اشترك أكثر من مئتي شخص في المسيرة السلمية أمس.",
        "Subscribers to the service rose by 40 percent last year.",
    ],
)
def test_sentences_that_resemble_furniture_are_kept(body: str) -> None:
    assert texts(body) == [body]


@pytest.mark.parametrize(
    "line", ["Yes.", "Thanks to all.", "١٢٣ - ٤٥٦ - ٧٨٩ - ٠٠٠", "👍 👍 👍 👍 👍", "نعم بالتأكيد."]
)
def test_fragments_are_dropped(line: str) -> None:
    assert split_claims(line) == []


def test_arabic_furniture_dropped_whatever_the_language_hint() -> None:
    assert split_claims("لن يتم نشر عنوان بريدك الإلكتروني.", language="en") == []


# Headline


def test_headline_comes_first_with_offsets_into_title() -> None:
    title = "  \u200fFloods cut the main road to the north\n"
    body = "Heavy rain fell for three days in the valley. Two bridges collapsed on Sunday."
    claims = split_claims(body, title=title)
    check_offsets(body, title, claims)
    assert claims[0] == ClaimSpan("Floods cut the main road to the north", 3, 40, True)
    assert [claim.is_headline for claim in claims] == [True, False, False]
    assert (claims[1].start, claims[2].start) == (0, 46)


def test_short_headline_is_kept_but_not_a_two_word_label() -> None:
    assert split_claims("", title="Minister resigns today")[0].is_headline
    assert split_claims("", title="أخبار سوريا") == []
    assert split_claims("", title="الوزير يعلن استقالته") != []


def test_furniture_title_is_dropped() -> None:
    body = "The museum reopened after two years."
    assert texts(body, title="Leave a reply") == [body]
    assert texts(body, title="Share this article") == [body]


def test_headline_repeated_in_body_is_not_duplicated() -> None:
    title = "Floods cut the main road to the north"
    body = "Floods cut the main road to the north\nHeavy rain fell for three days in the valley."
    assert texts(body, title=title) == [title, "Heavy rain fell for three days in the valley."]


# Offsets, invisible characters, scripts


def test_invisible_characters_keep_offsets() -> None:
    body = (
        "\u200f\u2067أعلنت الشركة\u200b عن خسائر بلغت 3 ملايين دولار.\u2069\u200f "
        "\u202bThe company\u200d reported losses of $3 million.\u202c\n\ufeff"
    )
    claims = split_claims(body)
    assert [body[claim.start : claim.end] for claim in claims] == [claim.text for claim in claims]
    assert claims[0].text.startswith("أعلنت") and claims[0].text.endswith("دولار.")
    assert claims[1].text.startswith("The") and claims[1].text.endswith("million.")


def test_windows_line_ends_split_without_carriage_return_in_claims() -> None:
    expected = ["The port reopened to ships on Monday", "Fuel prices fell for the first time"]
    assert texts("\r\n".join(expected) + "\r\n") == expected
    assert texts("\r".join(expected)) == expected


def test_mixed_scripts_and_emoji() -> None:
    body = (
        "قال مدير Google في الشرق الأوسط 🚀 إن الشركة ستوظف 500 مهندس. "
        "The 🇸🇾 team grew fast 👍🏽 this year!"
    )
    assert texts(body) == [
        "قال مدير Google في الشرق الأوسط 🚀 إن الشركة ستوظف 500 مهندس.",
        "The 🇸🇾 team grew fast 👍🏽 this year!",
    ]


# Long input


def test_long_run_is_cut_at_whitespace() -> None:
    words = ["river", "dam", "flooded", "village", "a"] * 1000
    body = " ".join(words)
    claims = split_claims(body)
    check_offsets(body, "", claims)
    assert len(claims) > 30
    assert all(len(claim.text) <= MAX_CLAIM_CHARS for claim in claims)
    assert [word for claim in claims for word in claim.text.split()] == words


def test_long_run_without_whitespace_is_cut() -> None:
    body = "كلمة واحدة طويلة جدا " + "ب" * 20_000
    claims = split_claims(body)
    check_offsets(body, "", claims)
    assert all(len(claim.text) <= MAX_CLAIM_CHARS for claim in claims)


@pytest.mark.parametrize(
    "body",
    [
        "“" + "a. " * 10_000,
        "." * 20_000,
        "U.S. " * 5_000,
        "By " + "And " * 150 + "x",
        "؛ كلمة" * 5_000,
        "\u200f" * 20_000,
    ],
)
def test_pathological_inputs_are_fast(body: str) -> None:
    started = time.perf_counter()
    claims = split_claims(body, title=body[:600])
    assert time.perf_counter() - started < 2.0
    assert all(len(claim.text) <= MAX_CLAIM_CHARS for claim in claims if not claim.is_headline)


# Other languages and whole articles


def test_french_article() -> None:
    body = (
        "Par Jean Dupont et Marie Martin\n"
        "M. Lefèvre a annoncé mardi que le budget augmentera de 2,5 % en 2025. "
        "« Nous avons gagné cette bataille. » Le ministre a ensuite quitté la salle.\n"
        "Lire aussi : La réforme des retraites expliquée en cinq points\n"
        "Partager sur Facebook\n"
    )
    assert texts(body, language="fr") == [
        "M. Lefèvre a annoncé mardi que le budget augmentera de 2,5 % en 2025.",
        "« Nous avons gagné cette bataille. »",
        "Le ministre a ensuite quitté la salle.",
    ]


def test_arabic_article_fixture() -> None:
    body = (DATA / "article-ar.txt").read_text(encoding="utf-8")
    title, body = body.split("\n", 1)
    claims = split_claims(body, title=title, language="ar")
    check_offsets(body, title, claims)
    assert claims[0].is_headline and claims[0].text == title
    assert len(claims) == 7
    assert claims[-1].text == "وسيتم نشر جدول التوزيع على صفحة البلدية مساء اليوم."
    assert not any("تصحيح" in claim.text or "بقلم" in claim.text for claim in claims)
    assert split_claims(body, title=title, language="ar") == claims
