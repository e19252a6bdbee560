import sys

import pytest

from workbench import normalise as normalise_module
from workbench.errors import WorkbenchError
from workbench.normalise import (
    EnglishStemmer,
    Rules,
    character_grams,
    light_stem,
    normalise,
    singular,
    tokenise,
    word_language,
)

PLAIN = Rules(english_stopwords=False, english_stemmer=EnglishStemmer.NONE, arabic_stemming=False)
GRAMS = Rules(arabic_character_grams=True)


@pytest.mark.parametrize(
    ("marked", "bare"),
    [
        ("كَتَبَ", "كتب"),  # fatha
        ("كُتِبَ", "كتب"),  # damma, kasra
        ("مدرّسة", "مدرسه"),  # shadda (and ta marbuta)
        ("قُلْ", "قل"),  # sukun
        ("كتابًا", "كتابا"),  # tanwin
        ("هٰذا", "هذا"),  # superscript alef
        ("جـمـيـل", "جميل"),  # tatweel
    ],
)
def test_arabic_diacritics_and_tatweel_are_removed(marked: str, bare: str) -> None:
    assert normalise(marked, "ar") == bare


@pytest.mark.parametrize(
    ("letter", "folded"),
    [
        *[("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا")],  # alef forms
        *[("ؤ", "و"), ("ئ", "ي")],  # hamza on waw and ya
        *[("ة", "ه"), ("ى", "ي")],  # ta marbuta, alef maqsura
    ],
)
def test_arabic_letter_variants_are_unified(letter: str, folded: str) -> None:
    assert normalise(f"ب{letter}ب", "ar") == f"ب{folded}ب"


def test_spelling_variants_of_one_arabic_sentence_normalise_alike() -> None:
    careful = "أعلنت وزارةُ الصحة إغلاقَ المدارس حتى"
    hasty = "اعلنت وزاره الصحه اغلاق المدارس حتي"
    assert normalise(careful, "ar") == normalise(hasty, "ar")


def test_arabic_indic_and_persian_digits_become_western() -> None:
    assert normalise("عام ٢٠٢١ و۱۴۰۰", "ar") == "عام 2021 و1400"


def test_arabic_punctuation_separates_words() -> None:
    assert normalise("كورونا،لقاح؛خبر؟صحيح", "ar") == "كورونا لقاح خبر صحيح"


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("المدرسه", "مدرس"),  # ال, then the suffix ه (ta marbuta, folded)
        ("والكتاب", "كتاب"),
        ("بالبيت", "بيت"),
        ("كالبحر", "بحر"),
        ("فالامر", "امر"),
        ("للطلاب", "طلاب"),
        ("بالسيارات", "سيار"),
        ("كتابها", "كتاب"),
        ("معلمون", "معلم"),
        ("معلمين", "معلم"),
    ],
)
def test_arabic_light_stemming_strips_article_particles_and_suffixes(word: str, stem: str) -> None:
    assert light_stem(word) == stem


def test_arabic_light_stemming_keeps_two_letters_and_applies_to_folded_words() -> None:
    assert light_stem("الف") == "الف" and light_stem("بال") == "بال"
    assert tokenise("المدرسة والكتاب", "ar") == ["مدرس", "كتاب"]
    assert tokenise("المدرسة والكتاب", "ar", PLAIN) == ["المدرسه", "والكتاب"]


def test_arabic_words_can_be_read_as_padded_character_grams() -> None:
    assert character_grams(["كتاب"]) == ["#كت", "كتا", "تاب", "اب#", "#كتا", "كتاب", "تاب#"]
    assert tokenise("الكتاب", "ar", GRAMS) == character_grams(["الكتاب"])
    assert tokenise("Les chiens", "fr", GRAMS) == ["les", "chiens"]


def test_a_word_with_a_clitic_shares_most_grams_with_the_bare_word() -> None:
    clitic, bare = set(tokenise("بالكتاب", "ar", GRAMS)), set(tokenise("الكتاب", "ar", GRAMS))
    assert len(clitic & bare) >= len(bare) - 3


def test_english_text_loses_links_bylines_and_hash_signs_but_keeps_hashtag_words() -> None:
    tweet = (
        "Look at this #AustralianFires #bushfire video https://t.co/AbC123 www.example.com/x "
        "pic.twitter.com/0eJtwJyS1J — Jane (@JaneDoe_1) mail me@example.org"
    )
    assert normalise(tweet, "en") == (
        "look at this australian fires bushfire video jane mail me example org"
    )


def test_handles_in_the_text_become_words_and_a_bylines_handle_goes() -> None:
    tweet = "How @BernieSanders beat @hillary_clinton — Jo Bloggs (@JoBloggs42) April 3, 2016"
    assert (
        normalise(tweet, "en") == "how bernie sanders beat hillary clinton jo bloggs april 3 2016"
    )
    assert normalise("ask (@Reuters) and ( @AFP )") == "ask and"
    assert normalise("write to desk@example.org") == "write to desk example org"


def test_word_language_follows_the_tag_or_else_the_script() -> None:
    assert word_language("بالسيارات", "") == word_language("bonjour", "AR-eg") == "ar"
    assert word_language("the dogs", "und") == "en" and word_language("les chiens", "fr") == "fr"


def test_english_stopwords_single_letters_and_stems() -> None:
    assert tokenise("The dogs and a cat are in the houses, I said", "en") == [
        "dog",
        "cat",
        "hous",
        "said",
    ]
    plural = Rules(english_stemmer=EnglishStemmer.PLURAL)
    assert tokenise("The dogs and the houses", "en", plural) == ["dog", "house"]
    assert tokenise("The dogs", "en", PLAIN) == ["the", "dogs"]


@pytest.mark.parametrize(
    ("word", "stem"),
    [("flies", "fly"), ("horses", "horse"), ("cats", "cat"), ("virus", "virus"), ("mass", "mass")],
)
def test_plural_stemmer(word: str, stem: str) -> None:
    assert singular(word) == stem


def test_unicode_is_nfkc_and_invisible_characters_go() -> None:
    assert normalise("Ｆａｋｅ\u200b news\u200f ﻻ", "en") == "fake news لا"


def test_unknown_language_takes_the_script_rules() -> None:
    assert tokenise("the dogs", "und") == tokenise("the dogs", "en") == ["dog"]
    assert tokenise("بالسيارات", "") == tokenise("بالسيارات", "ar") == ["سيار"]
    assert tokenise("بالسيارات", "", GRAMS) == character_grams(["بالسيارات"])
    # Another language's words get the character rules only.
    assert tokenise("Les chiens", "fr") == ["les", "chiens"]


def test_rules_read_back_from_strings_and_refuse_unknown_stemmers() -> None:
    assert Rules(**{"english_stemmer": "snowball"}).english_stemmer is EnglishStemmer.SNOWBALL
    with pytest.raises(ValueError):
        Rules(**{"english_stemmer": "porter2"})


def test_snowball_without_pystemmer_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "Stemmer", None)
    normalise_module._snowball.cache_clear()
    with pytest.raises(WorkbenchError, match="PyStemmer"):
        tokenise("dogs", "en", Rules(english_stemmer=EnglishStemmer.SNOWBALL))
    normalise_module._snowball.cache_clear()
