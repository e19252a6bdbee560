"""Split an article into claims: the headline plus each body sentence that asserts something."""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from workbench.text import INVISIBLE, clean_for_index, strip_invisible, western_digits

MAX_CLAIM_CHARS = 600
MIN_CLAIM_WORDS = 4
MIN_HEADLINE_WORDS = 3
# Each side of an Arabic semicolon must be this long to stand alone as a claim.
MIN_SEMICOLON_WORDS = 6
# A "quotation" longer than this is more likely an unmatched quote mark than a short quote.
MAX_QUOTE_CHARS = 250


@dataclass(frozen=True)
class ClaimSpan:
    """One claim: text is exactly source[start:end] of the title or the body."""

    text: str
    start: int
    end: int
    is_headline: bool


Span = tuple[int, int]

_LINE = re.compile(r"[^\n\r\v\f\x85\u2028\u2029]+")
# Sentence-final marks plus the closing quotes and brackets that belong to the sentence;
# French sets a space before the closing guillemet.
_TERMINATOR = re.compile(r"[.!?؟۔…。！？]+(?:[\"'”’»)\]]|[ \u00a0\u202f]»)*")
_QUOTATION = re.compile(
    "|".join(f"{o}[^{o}{c}\\n\\r]{{1,{MAX_QUOTE_CHARS}}}{c}" for o, c in ("“”", "«»", '""', "‘’"))
)
_SEMICOLON = re.compile("؛")
# Before a capital these keep their full stop inside the sentence (titles, months, references).
_ABBREVIATION_WORDS = (
    "Mr Mrs Ms Dr Prof Gen Lt Col Maj Capt Sgt Adm Gov Sen Rep Rev Hon St Mt Ft No Nos Art Vol "
    "Fig Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mme Mlle Mgr Me e.g i.e vs cf approx "
    "ca pp al"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_ACRONYM = re.compile(r"(?:[A-Z]\.)+[A-Z]")
_URL = re.compile(r"(?:https?://|www\.)\S*|[^\s@]+@[^\s@]+", re.IGNORECASE)
# A letter or digit: what str.isalnum accepts (Unicode \w is exactly that, and "_").
_ALNUMERIC = re.compile(r"[^\W_]")
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed]")
_LETTER_FORMS = str.maketrans("أإآٱىة’‘", "اااايه''")
_EDGE_PUNCTUATION = " .,:;!?؟…|*•·-–—>«»\"“”'،؛"
_TIME = re.compile(r"\d[\d:/.h-]*(?:st|nd|rd|th|am|pm)?")

# Name-like tokens of a byline. Case-sensitive and disjoint alternatives keep matching linear.
_EN_NAME = r"(?-i:[A-Z][\w.'-]*|and|in|the|our|staff|special|senior|correspondents?|reporters?)"
_FR_NAME = r"(?-i:[A-ZÀ-Ý][\w.'-]*|et|de|du|la|le|notre|envoyée?|spéciale?|correspondante?)"
# Lines shorter than MIN_HEADLINE_WORDS ("Subscribe", "Cancel reply", "إعلان", "اترك رداً") are
# dropped by length, so they need no pattern.
_FURNITURE = {
    "en": (
        rf"^by {_EN_NAME}(?:,? {_EN_NAME})*$",
        r"^(?:additional )?(?:reporting|writing|editing) by ",
        r"^(?:please )?(?:send|submit|suggest) (?:us )?an? (?:correction|tip)",
        r"(?:, |please )(?:send|submit) (?:us )?a correction$",
        r"^report an? (?:error|typo|mistake)",
        r"^(?:leave|post|add) a (?:reply|comment)",
        r"^share (?:this|the) (?:article|story|post|page)",
        r"^share (?:on|via|to) ",
        r"^read (?:more|also|next)\b",
        r"^(?:related|recommended|popular|more) (?:articles|stories|posts|news|coverage|reading)$",
        r"^(?:subscribe|sign up) (?:to|for) (?:our|the) (?:newsletter|channel|podcast)",
        r"your email address will not be published",
        r"^required fields are marked",
        r"^follow us on ",
        r"^click here\b",
        r"^(?:photo|image|video|source|credit)s?(?: credit)?:",
        r"^(?:©|\(c\)|copyright (?:©|\(c\)|\d))",
        r"\ball rights reserved\b",
    ),
    "ar": (
        r"^بقلم\b",
        r"^(?:كتب|كتبت|كتبه|إعداد|تحرير|ترجمة|تقرير|متابعة) ?[:\-–—]",
        r"^(?:ال)?(?:مصدر|مصادر|صورة|تصوير) ?:",
        r"^أرسل (?:لنا )?تصحيح",
        r"أرسل (?:لنا )?تصحيحا?$",
        r"^أبلغ عن (?:خطأ|تصحيح)",
        r"لن يتم نشر (?:عنوان )?بريدك الإلكتروني",
        r"^الحقول (?:الإلزامية|المطلوبة)",
        r"^شارك (?:هذا |هذه )?(?:المقال|المقالة|الخبر|الموضوع)",
        r"^شارك (?:على|عبر) ",
        r"^اقرأ (?:أيضا|المزيد)",
        r"^(?:مواضيع|مقالات|أخبار) (?:ذات صلة|متعلقة|مشابهة)",
        r"^اشترك في (?:النشرة|نشرتنا|القناة|قناتنا)",
        r"^تابعونا (?:على|عبر) ",
        r"جميع الحقوق محفوظة",
        r"^(?:©|حقوق (?:النشر|الطبع))",
    ),
    "fr": (
        rf"^par {_FR_NAME}(?:,? {_FR_NAME})*$",
        r"^(?:envoyer|signaler|proposer) une (?:correction|erreur)",
        r"^(?:laisser|ajouter|écrire) un commentaire",
        r"^partager (?:cet article|sur )",
        r"^lire (?:aussi|la suite|plus|également)\b",
        r"^(?:articles?|sujets?) (?:similaires|liés|associés)$",
        r"^(?:abonnez-vous|s'abonner|inscrivez-vous)\b",
        r"votre adresse (?:e-?mail|de messagerie|courriel) ne sera pas publiée",
        r"tous droits réservés",
    ),
}
_DATE_WORDS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday am pm gmt utc updated published posted last on at ago hour hours minutes "
    "يناير فبراير مارس أبريل إبريل مايو يونيو يونيه يوليو يوليه أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
    "كانون الثاني الأول شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين السبت الأحد الاثنين "
    "الثلاثاء الأربعاء الخميس الجمعة ص م مساء صباحا الساعة نشر في بتاريخ آخر تحديث منذ ساعة "
    "ساعات دقيقة دقائق هـ janvier février mars avril mai juin juillet août septembre octobre "
    "novembre décembre lundi mardi mercredi jeudi vendredi samedi dimanche le à publié mis jour"
)


def split_claims(body: str, title: str = "", language: str = "") -> list[ClaimSpan]:
    """Return the headline (if any and not furniture) followed by the body's claims in order."""
    furniture = _furniture(language.lower().split("-")[0])
    claims = []
    start, end = _trim(title, 0, len(title))
    headline = title[start:end]
    if _word_count(headline) >= MIN_HEADLINE_WORDS and not _is_furniture(headline, furniture):
        claims.append(ClaimSpan(headline, start, end, is_headline=True))
    for start, end in _sentence_spans(body):
        text = body[start:end]
        if _word_count(text) < MIN_CLAIM_WORDS or _is_furniture(text, furniture):
            continue
        # Pages often repeat the headline as the first line of the body.
        if claims and claims[0].is_headline and clean_for_index(text) == clean_for_index(headline):
            continue
        claims.append(ClaimSpan(text, start, end, is_headline=False))
    return claims


def _sentence_spans(body: str) -> Iterator[Span]:
    """Trimmed, claim-sized spans of the body: lines split into sentences, then into pieces."""
    quotes = [match.span() for match in _QUOTATION.finditer(body)]
    for line in _LINE.finditer(body):
        start = line.start()
        for match in _TERMINATOR.finditer(body, line.start(), line.end()):
            if _is_boundary(body, line.start(), line.end(), match, quotes):
                yield from _pieces(body, start, match.end(), quotes)
                start = match.end()
        yield from _pieces(body, start, line.end(), quotes)


def _is_boundary(
    body: str, line_start: int, line_end: int, match: re.Match[str], quotes: list[Span]
) -> bool:
    """True when a run of sentence-final marks really ends a sentence."""
    if _in_quotation(quotes, match.start(), match.end()):
        return False
    following = match.end()
    while following < line_end and _is_edge(body[following]):
        following += 1
    if following == line_end:
        return True
    if match.group().strip() == "..":
        # "X.. Y" joins an Arabic headline to its tag ("حقيقة الفيديو", "صورة مضللة") and marks
        # a pause in running text: CheckThat! Arabic dev MAP@5 0.834 -> 0.870 when kept whole.
        return False
    spaced = any(ch.isspace() for ch in body[match.end() : following])
    next_char = body[following]
    if not spaced:
        # Arabic text often omits the space after a full stop; "3.5" and "U.S" never do.
        before = body[match.start() - 1] if match.start() > 0 else ""
        return (_is_arabic(next_char) and _is_arabic(before)) or match.group()[0] in "。！？"
    if next_char.islower():
        return False  # "Inc. said", '"Why?" he asked', "approx. five"
    if match.group() == ".":
        word = _word_before(body, line_start, match.start())
        is_initial = len(word) == 1 and word.isupper() and word != "I"
        return not (word in _ABBREVIATIONS or _ACRONYM.fullmatch(word) or is_initial)
    return True


def _pieces(body: str, start: int, end: int, quotes: list[Span]) -> Iterator[Span]:
    """A sentence split at Arabic semicolons between long clauses, then cut to a maximum length."""
    start, end = _trim(body, start, end)
    cuts = [m.start() for m in _SEMICOLON.finditer(body, start, end)]
    cuts = [cut for cut in cuts if not _in_quotation(quotes, cut, cut + 1)]
    # Word counts of the clauses between semicolons, so the rule stays linear in their number.
    counts = [
        len(body[a:b].split())
        for a, b in zip([start, *(c + 1 for c in cuts)], [*cuts, end], strict=True)
    ]
    before, after, piece_start = 0, sum(counts), start
    for cut, count in zip(cuts, counts, strict=False):
        before, after = before + count, after - count
        if before >= MIN_SEMICOLON_WORDS and after >= MIN_SEMICOLON_WORDS:
            yield from _cut_long(body, piece_start, cut)
            before, piece_start = 0, cut + 1
    yield from _cut_long(body, piece_start, end)


def _cut_long(body: str, start: int, end: int) -> Iterator[Span]:
    """Pieces of at most MAX_CLAIM_CHARS, cut at whitespace in the later half of each window."""
    while end - start > MAX_CLAIM_CHARS:
        cut = start + MAX_CLAIM_CHARS
        while cut > start + MAX_CLAIM_CHARS // 2 and not body[cut].isspace():
            cut -= 1
        if not body[cut].isspace():
            cut = start + MAX_CLAIM_CHARS
            # Without whitespace, at least keep a letter with its marks and an emoji whole.
            for _ in range(8):
                if unicodedata.category(body[cut]) not in ("Mn", "Me", "Cf", "Sk"):
                    break
                cut -= 1
        yield _trim(body, start, cut)
        start = cut
    yield _trim(body, start, end)


def _trim(source: str, start: int, end: int) -> Span:
    """Move start and end inwards past whitespace and invisible characters."""
    while start < end and _is_edge(source[start]):
        start += 1
    while end > start and _is_edge(source[end - 1]):
        end -= 1
    return start, end


def _is_edge(char: str) -> bool:
    return char.isspace() or INVISIBLE.fullmatch(char) is not None


def _is_arabic(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff" and char.isalpha()


def _in_quotation(quotes: list[Span], start: int, end: int) -> bool:
    """True when start..end lies inside a short quotation, before its closing mark."""
    index = bisect.bisect_right(quotes, start, key=lambda span: span[0]) - 1
    return index >= 0 and end < quotes[index][1]


def _word_before(body: str, line_start: int, end: int) -> str:
    """The short token ending at end, without opening quotes or brackets."""
    start = end
    # Abbreviations are short, so a longer token need not be read (and cannot match).
    while start > line_start and not body[start - 1].isspace() and end - start <= 12:
        start -= 1
    return body[start:end].lstrip("(\"“«'‘[")


def _word_count(text: str) -> int:
    """Whitespace-separated words with a letter or digit; URLs and emails do not count."""
    words = text.split()
    return sum(1 for w in words if _ALNUMERIC.search(w) and not _URL.fullmatch(w))


def _fold(text: str) -> str:
    """Text with Arabic marks, letter variants and digit forms unified, for pattern matching."""
    return western_digits(_ARABIC_MARKS.sub("", strip_invisible(text))).translate(_LETTER_FORMS)


@functools.cache
def _furniture(language: str) -> re.Pattern[str]:
    """Furniture patterns for a language hint: all languages when the hint is unknown."""
    # Arabic patterns only match Arabic script and English UI text shows up on sites in every
    # language, so those two always apply.
    codes = {"en", "ar", language} if language in _FURNITURE else set(_FURNITURE)
    patterns = (_fold(pattern) for code in sorted(codes) for pattern in _FURNITURE[code])
    return re.compile("|".join(patterns), re.IGNORECASE)


@functools.cache
def _date_words() -> frozenset[str]:
    return frozenset(_fold(word).lower() for word in _DATE_WORDS.split())


def _is_furniture(text: str, furniture: re.Pattern[str]) -> bool:
    """True for text with no letters, a furniture pattern, or nothing but a date and time."""
    folded = _fold(clean_for_index(text)).strip(_EDGE_PUNCTUATION)
    if not any(ch.isalpha() for ch in folded) or furniture.search(folded):
        return True
    words = [word.strip(".,:;/|-–—()") for word in folded.lower().split()]
    is_date = all(not w or w in _date_words() or _TIME.fullmatch(w) for w in words)
    return is_date and any(ch.isdigit() for ch in folded)
