"""Who says so: the attribution cue, the source named, and the party behind that source."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from workbench.sources import fold, fold_indexed

# Canonical cue: the forms that write it (English, and French in its commonest forms). Arabic is
# folded when the module loads, so "أكد" also matches "أكّد" and "اكد"; a leading و or ف and the
# feminine ت are allowed for every verb.
_EN_VERBS = {
    "said": "said|says|say|a déclaré|déclare|déclarent|a indiqué|indique|indiquent|a affirmé|"
    "affirme|affirment",
    "claimed": "claimed|claims|a revendiqué|revendique|revendiquent",
    "reported": "reported|fait état de|a fait état de|font état de|rapporte|rapportent|a rapporté",
    "announced": "announced|announces|a annoncé|annonce|annoncent",
    "stated": "stated",
    "told": "told|tells",
    "confirmed": "confirmed|confirms",
    "denied": "denied|denies|deny|a démenti|dément|démentent",
    "rejected": "rejected|rejects",
    "alleged": "alleged|alleges",
    "added": "added|adds",
    "continued": "continued",
    "went on to say": "went on to say",
}
_AR_VERBS = {
    "قال": "قال يقول تقول",
    "أكد": "أكد يؤكد تؤكد",
    "أشار": "أشار يشير تشير",
    "زعم": "زعم يزعم تزعم",
    "ادعى": "ادعى ادعت يدعي تدعي",
    "أعلن": "أعلن يعلن تعلن",
    "تبنى": "تبنى تبنت يتبنى تتبنى",
    "أفاد": "أفاد يفيد تفيد",
    "ذكر": "ذكر يذكر تذكر",
    "نفى": "نفى نفت ينفي تنفي",
    "كذب": "كذب يكذب تكذب",
    "أوضح": "أوضح يوضح توضح",
    "صرح": "صرح يصرح تصرح",
    "أضاف": "أضاف يضيف تضيف",
    "تابع": "تابع",
    "وثق": "وثق يوثق",
    "نقل عن": "نقل ينقل تنقل",  # only with عن: "نقل الجرحى" is carrying, not quoting
    "تحدث عن": "تحدث يتحدث تتحدث",
    "رجح": "رجح يرجح ترجح",
}
_PREPOSITIONS = {
    "according to": "according to|selon|d'après",
    "citing": "citing|quoting",
    "بحسب": "بحسب|حسب",
    "وفقا ل": "وفقا|وفق",
    "نقلا عن": "نقلا عن",
}
# Channels name the medium that carried a claim; the subject of the claim verb is its claimant.
_EN_CHANNEL = r"(published|carried|issued|posted|quoted|broadcast|circulated)\b[^.;]{0,40}?\bby"
_AR_CHANNEL = "نشرته|نشرتها|نشره|نشرها|بثته|بثتها|أوردته|أوردتها"
_DENIALS = frozenset({"denied", "rejected", "نفى", "كذب"})
_HEDGES = (
    r"reportedly|allegedly|purportedly|apparently|unconfirmed reports?|(?:is|are|was|were) "
    r"(?:believed|thought|understood|said|reported) to|could not (?:be )?(?:independently )?"
    r"verif|appears? to|يعتقد|يرجح|رجح|ترجح|بحسب ما|حسب ما|أنباء غير مؤكدة|على ما يبدو|يبدو أن|"
    r"وردت أنباء|أنباء عن|يشتبه|يقال|لم يتسن التحقق|مزاعم|المزعوم|ربما|"
    # French: the reporting conditional ("aurait tué"), "présumé", "apparemment"...
    r"aurait|auraient|présumée?s?|prétendue?s?|prétendument|apparemment|semble-t-il|"
    r"il semblerait|informations non confirmées|n'a pas pu être (?:vérifiée?|confirmée?)"
)
_AFFILIATION = (
    r"affiliated with|linked to|run by|close to|loyal to|speaking for|(?:mouthpiece|propaganda "
    r"(?:arm|agency|outlet)|media (?:arm|wing)) of|التابعة|التابع|الناطقة باسم|الناطق باسم|"
    r"المقربة من|المقرب من|الموالية|الذراع الإعلامي|الذراع الإعلامية|باسم"
)
# References back to a source named earlier: a sentence citing one of these inherits.
_GENERIC = (
    "it|he|she|they|the statement|the agency|the group|the monitor|the source|the report|"
    "the spokesman|the spokesperson|the official|the committee|the communique|البيان|الوكالة|"
    "المصدر|المصادر|التنظيم|الجماعة|المتحدث|التقرير|اللجنة|المسؤول|الجيش|الوزارة|the army|"
    "the ministry|the sources"
)
# Subjects that name no party: "The statement claimed" has no claimant.
_NOT_PARTIES = "it|he|she|they|the statement|the report|the agency|البيان|التقرير|الوكالة"
_EN_STOPS = (
    "that on in at when after as who which while but and said says saying told to from with "
    "has have had was were is are would will"
)
_AR_STOPS = "أن إن أنه أنها بأن إلى عن في على من أمس يوم اليوم مساء صباح خلال حول بعد قبل منذ ما"
_AUXILIARIES = (
    "has have had was were is are also later further previously earlier did does do not never "
    "could would will can may might"
)
_SKIPPED = re.compile(r"^(?:which|who|whose|its|the group's|the (?:agency|group|outlet) )")


@dataclass(frozen=True)
class Attribution:
    cue: str = ""  # normalised: "according to", "said", "بحسب", "نشرته وكالة"... or ""
    source: str = ""  # as written: "Amaq", "وكالة أعماق", "a military source"; "" when none
    claimant: str = ""  # the party behind the source when stated ("ISIS", "داعش")
    hedged: bool = False  # reportedly, allegedly, يعتقد, بحسب ما...
    inherited: bool = False  # carried over from an earlier sentence
    own: bool = True  # unattributed: the relaying outlet's own assertion
    denies: bool = False  # the cue is a denial (denied, rejected, نفى, كذب)


@dataclass(frozen=True)
class _Cue:
    cue: str
    kind: str  # "verb", "preposition" (source follows), "channel" (the medium follows)
    start: int  # in the folded text
    end: int
    present: bool = False  # an Arabic verb in the present tense ("يقول"), after its subject


Token = tuple[str, int, int]  # folded text, start, end


def attribute(text: str, language: str = "") -> Attribution:
    """The attribution of one sentence: its first cue, and the source and claimant it names.

    English and Arabic cues always both apply; language is accepted for symmetry with the other
    stages. A sentence that relays two sources ("ISIS says 40, the monitor 39") gets the first.
    """
    folded, offsets = fold_indexed(text)
    hedged = _HEDGE_PATTERN.search(folded) is not None
    cues = sorted(_cues(folded), key=lambda c: (c.kind == "statement", c.start))
    if not cues:
        # An Arabic headline "المرصد: ٣٩ قتيلاً" names its source before a colon.
        headline = _HEADLINE.match(folded)
        if headline is None:
            return Attribution(hedged=hedged)
        named = text[offsets[headline.start(1)] : offsets[headline.end(1) - 1] + 1]
        return Attribution(":", _clean(named), hedged=hedged, own=False)
    primary, phrase = cues[0], _Phrase(text, folded, offsets)
    cue, denies = primary.cue, primary.cue in _DENIALS
    if primary.kind == "verb":
        source = phrase.subject(primary)
    else:
        # "وفقاً للمرصد" takes ل, "وفق ما أعلنته اللجنة" does not.
        takes_lam = cue == "وفقا ل" and " ما " not in folded[primary.start : primary.end]
        source = phrase.after(primary.end, "ل" if takes_lam else "")
    claimant = ""
    # The medium that carried a claim is its source and whoever made the claim its claimant. A
    # channel after a denial or in a relative clause belongs to what is denied or described.
    channel = next(
        (
            c
            for c in cues
            if c.kind == "channel"
            and not (denies and c.start > primary.start)
            and not _RELATIVE.search(folded, 0, c.start)
        ),
        None,
    )
    if channel:
        source = phrase.after(channel.end)
        speaker = next((c for c in cues if c.kind == "verb"), None)
        claimant = phrase.subject(speaker, channel.start) if speaker else ""
        claimant = "" if fold(claimant) in _NOT_PARTY else claimant
        if channel is primary and cue == "نشرته" and fold(source).startswith("كاله"):
            cue = "نشرته وكالة"
    if found := _AFFILIATION_PATTERN.search(folded):
        named = phrase.after(found.end(), "ل")
        claimant = claimant if _PRONOUN.fullmatch(fold(named)) else named or claimant
    return Attribution(cue, _clean(source), _clean(claimant), hedged, False, False, denies)


def attribute_article(sentences: list[str], language: str = "") -> list[Attribution]:
    """Attributions of an article's claims in order. A continuation ("The statement added",
    "وأضاف البيان", "وتابع", "the army said") takes the source and claimant named earlier: the
    latest whose name holds the reference's noun ("the army" -> "the Jordanian army",
    "المصدر" -> "مصدر عسكري"), else the latest of all."""
    attributions: list[Attribution] = []
    named: list[Attribution] = []
    for sentence in sentences:
        attribution = attribute(sentence, language)
        if named and attribution.cue and _is_generic(attribution.source):
            nouns = set(fold(attribution.source).split()) - {"the"}
            earlier = [a for a in named if nouns and nouns <= set(fold(a.source).split())]
            earlier = earlier or named
            claimant = attribution.claimant or earlier[-1].claimant
            attribution = replace(
                attribution, source=earlier[-1].source, claimant=claimant, inherited=True
            )
        attributions.append(attribution)
        if attribution.source and not attribution.inherited:
            named.append(attribution)
    return attributions


class _Phrase:
    """Reads source phrases out of one sentence and returns them as written."""

    def __init__(self, text: str, folded: str, offsets: list[int]) -> None:
        self.text, self.folded, self.offsets = text, folded, offsets
        tokens = [(m[0], m.start(), m.end()) for m in _TOKEN.finditer(folded)]
        self.tokens = [t for t in tokens if t[0] not in _QUOTES]

    def subject(self, cue: _Cue, limit: int | None = None) -> str:
        """Who speaks. English: before the verb ("the army said"), or after it ("..., said the
        spokesman"); the subject stops at limit ("Local sources quoted by a site said" -> "Local
        sources"). Arabic: after a past verb ("قال المرصد"), before a present one ("داعش يقول"),
        after "قد" ("وكان التنظيم قد زعم") or a relative pronoun ("الجيش الذي تحدث")."""
        if not cue.cue.isascii():
            before, prefer_before = self._arabic_before(cue.start)
            if before and (prefer_before or cue.present):
                return before
            return self.after(cue.end, arabic=True) or before
        segments: list[list[Token]] = [[]]
        for token in (t for t in self.tokens if t[2] <= cue.start):
            if token[0][0].isalnum() and token[0] not in _BOUNDARIES:
                segments[-1].append(token)
            else:
                segments.append([])
        if not segments[-1]:  # "..., said the spokesman", "...,” said Umm Khaled"
            inverted = [t for t in self.tokens if t[1] >= cue.end][:1]
            if inverted and (inverted[0][0] in _DETERMINERS or self._capitalised(inverted[0])):
                return self.after(cue.end, arabic=False)
        if segments[-1] and all(t[0] in _AUXILIARY_WORDS for t in segments[-1]):
            segments.pop()  # "The Observatory, which ..., has said"
        segments = [s for s in segments if s]
        while len(segments) > 1 and _SKIPPED.match(" ".join(t[0] for t in segments[-1])):
            segments.pop()
        words = segments[-1] if segments else []
        if limit is not None and words and words[0][1] < limit:
            words = [t for t in words if t[1] < limit]
        while words and words[-1][0] in _AUXILIARY_WORDS:
            words.pop()
        if len(words) > 8:  # "A government official in Aleppo put the figure at 18 and denied"
            words = self._english_phrase(words)
        return self._original(words)

    def after(self, position: int, preposition: str = "", arabic: bool | None = None) -> str:
        """The noun phrase after a folded position, without an attached preposition ("لداعش")."""
        following = [t for t in self.tokens if t[1] >= position]
        if not following:
            return ""
        if preposition and following[0][0] == preposition:  # "وفقا لـ المرصد"
            following = following[1:] or following
        word, start, end = following[0]
        # "للمرصد" is ل + المرصد, its alef dropped in writing.
        alef = bool(preposition) and word.startswith(preposition * 2) and len(word) > 3
        if preposition and word.startswith(preposition) and len(word) > 3:
            following[0] = (word[1:], start + 1, end)
        if arabic is None:
            arabic = not word.isascii()
        if not arabic:
            return self._original(self._english_phrase(following))
        return "ا" * alef + self._original(self._arabic_phrase(following))

    def _english_phrase(self, tokens: list[Token]) -> list[Token]:
        words: list[Token] = []
        for token in tokens:
            if (
                not token[0][0].isalnum()
                or (words and token[0] in _EN_STOP_WORDS)
                or len(words) == 8
            ):
                break
            words.append(token)
        return words

    def _arabic_phrase(self, tokens: list[Token]) -> list[Token]:
        """A name and its attributes: "المرصد السوري لحقوق الإنسان", "مصدر عسكري سوري"."""
        words: list[Token] = []
        for k, token in enumerate(tokens):
            word = token[0]
            if not word[0].isalpha() or word in _AR_STOP_WORDS or len(words) == 6:
                break
            if not words:
                if word not in _PRONOUN_OBJECTS:
                    words.append(token)
                continue
            previous = words[-1][0]
            following = tokens[k + 1][0] if k + 1 < len(tokens) else ""
            nisba = len(word) > 3 and word.endswith(("ي", "يه", "يين", "يون"))
            after_head = previous in _HEADS and not word.startswith(("ب", "ل"))
            construct = (previous.startswith("ل") and word.startswith("ال")) or (
                word.startswith("ل") and following.startswith("ال")
            )
            if not (nisba or after_head or construct):
                break
            words.append(token)
        return words

    def _arabic_before(self, position: int) -> tuple[str, bool]:
        """The subject written before an Arabic verb, and whether "قد" or a relative pronoun
        makes it the subject for sure."""
        clause: list[Token] = []
        crossed = False
        for token in (t for t in self.tokens if t[2] <= position):
            if token[0][0].isalnum():
                clause.append(token)
            elif not (clause and clause[-1][0] in _RELATIVES) or crossed:
                clause, crossed = [], False
            else:
                crossed = True
        if clause and clause[-1][0] in _RELATIVES:
            antecedent = [t for t in self.tokens if t[2] <= clause[-1][1] and t[0][0].isalnum()]
            return self._original(antecedent[-4:]), True
        certain = bool(clause) and clause[-1][0] in _KANA
        while clause and clause[-1][0] in _KANA:
            clause.pop()
        while clause and clause[0][0] in _KANA | _PARTICLES:
            clause.pop(0)
        return self._original(self._arabic_phrase(clause)), certain

    def _capitalised(self, token: Token) -> bool:
        return self.text[self.offsets[token[1]]].isupper()

    def _original(self, words: list[Token]) -> str:
        if not words:
            return ""
        start, end = self.offsets[words[0][1]], self.offsets[words[-1][2] - 1] + 1
        return self.text[start:end]


def _cues(folded: str) -> list[_Cue]:
    found = []
    for cue, kind, pattern in _CUE_PATTERNS:
        for match in pattern.finditer(folded):
            if kind == "verb" and cue.isascii() and _PASSIVE.search(folded, 0, match.start()):
                continue  # "could not be confirmed" attributes nothing
            name = f"{match[1]} by" if kind == "channel" and match.lastindex else cue
            form = match[1] if kind == "verb" and match.lastindex else ""
            present = form.startswith(("ي", "تت")) or (form[:1] == "ت" and cue[0] != "ت")
            found.append(_Cue(name, kind, match.start(), match.end(), present))
    return found


def _is_generic(source: str) -> bool:
    return not source or fold_indexed(source)[0] in _GENERIC_FOLDED


def _clean(phrase: str) -> str:
    phrase = re.sub('[“”«»"]', "", phrase).strip(" ,.;:،؛")
    return re.sub(r"^(?:its|their|his|her) ", "", phrase)


def _patterns() -> list[tuple[str, str, re.Pattern[str]]]:
    def folded(forms: str) -> str:
        return "|".join(fold_indexed(form)[0] for form in forms.split("|"))

    patterns = [(cue, "verb", re.compile(rf"\b(?:{forms})\b")) for cue, forms in _EN_VERBS.items()]
    for cue, forms in _AR_VERBS.items():
        words = folded(forms.replace(" ", "|"))
        tail = r"(?=\W+(?:\w+\W+){0,6}?عن\b)" if cue.endswith("عن") else ""
        head = r"^\W*و" if cue == "تابع" else r"(?<!\w)[وف]?"  # "تابع لـ" is "affiliated to"
        suffixes = r"(?:ت|وا|ون)?(?:ه|ها|هم)?"  # "قالت", "قالوا", "ما أعلنته"
        patterns.append((cue, "verb", re.compile(rf"{head}({words}){suffixes}(?!\w){tail}")))
    for cue, forms in _PREPOSITIONS.items():
        # "بحسب ما أفاد به", "وفق ما أعلنته": the source follows the verb.
        tail = r"(?:\s+ما\s+\w+(?:\s+بها?)?)?" if cue in ("بحسب", "وفقا ل") else ""
        patterns.append(
            (cue, "preposition", re.compile(rf"(?<!\w)و?(?:{folded(forms)}){tail}(?!\w)"))
        )
    patterns.append(("", "channel", re.compile(rf"\b{_EN_CHANNEL}\b")))
    patterns.append(("نشرته", "channel", re.compile(rf"(?<!\w)(?:{folded(_AR_CHANNEL)})(?!\w)")))
    patterns.append(("through", "channel", re.compile(r"\b(?:through|via) (?=its |their )")))
    patterns.append(("in a statement", "statement", re.compile(r"\bin a (?:written )?statement\b")))
    return patterns


def _foldset(words: str) -> frozenset[str]:
    return frozenset(fold_indexed(word)[0] for word in words.split())


_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|[^\w\s]")
_QUOTES = frozenset("“”«»\"'‘’")
_BOUNDARIES = _foldset("that while but whereas when after because although")
_PRONOUN_OBJECTS = _foldset("به بها له لها عنه عنها ما")
_AR_STOP_WORDS = _foldset(_AR_STOPS)
_KANA = _foldset("كان كانت وكان وكانت قد لقد وقد فقد")
_HEADS = _foldset(
    "بيان صحيفة قناة موقع تلفزيون إذاعة أحد أقارب وزارة وكالة تنظيم قوات جيش حرس مصدر مصادر "
    "لجنة عضو متحدث سكان أهالي مسؤول ناشط ناشطون مراسل شبكة مكتب قيادة هيئة فصائل منظمة منظمات "
    "إدارة"
)
_EN_STOP_WORDS = _foldset(_EN_STOPS)
_AUXILIARY_WORDS = _foldset(_AUXILIARIES)
_GENERIC_FOLDED = frozenset(fold_indexed(w)[0] for w in _GENERIC.split("|"))
_DETERMINERS = _foldset("the a an one its his her their")
_RELATIVES = _foldset("الذي التي الذين اللذين which who")
_PARTICLES = _foldset("غير أن إن إلا كما بينما فيما حين في لكن ولكن لم ولم لن ولن لا ولا")
_PASSIVE = re.compile(r"\b(?:be|been|being|is|are|was|were)(?:\s+\w+ly)?\s+$")
# Up to three Arabic words and a colon; a body sentence would start with و.
_HEADLINE = re.compile(r"^\W*((?!و)(?:[^\W\d_a-z]+\s){0,2}[^\W\d_a-z]+):\s")
_CUE_PATTERNS = _patterns()
_HEDGE_PATTERN = re.compile(rf"(?<!\w)[وف]?(?:{fold_indexed(_HEDGES)[0]})")
_AFFILIATION_PATTERN = re.compile(rf"(?<!\w)(?:{fold_indexed(_AFFILIATION)[0]})(?=\s)")
_RELATIVE = re.compile(r"(?:التي|الذي|which|that)\W*$")
_PRONOUN = re.compile(r"|it|them|له|لها|لهم|ه|ها|هم")
_NOT_PARTY = frozenset(fold(w) for w in _NOT_PARTIES.split("|"))
