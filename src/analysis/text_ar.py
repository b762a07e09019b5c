"""Arabic copy rules, done by code rather than by templates.

Why: numbers and lists in the briefing are built from data, so the grammar around them must
follow the data too: «قاعدة واحدة»، «قاعدتان»، «3 قواعد»، «11 قاعدةً»، «100 قاعدة»; lists put
و before every item after the first; a date never breaks across lines («كانون» / «الأول»);
a Latin parenthetical such as (CNN Arabic) never splits; every number has one thousands
separator style (Latin digits with a comma, 2,500; or, as an option for the whole briefing,
Arabic-Indic digits with the Arabic separator, ٢٬٥٠٠).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .arabic import MONTHS_EGYPTIAN, MONTHS_IRAQI, to_arabic_digits
from .config import DIGIT_MODES  # noqa: F401  (re-exported: the digit styles)
from .config import digits as digits_mode  # the briefing's digit style: one reader, analysis.config

__all__ = ["Noun", "NBSP", "UNKNOWN_PUBLISHER", "count", "join", "number", "keep_dates", "keep_latin",
           "keep_together", "date_range", "group_thousands", "digits_mode", "apply_digits", "copy_problems"]

#: The one name the briefing gives a source whose publisher is not known.
UNKNOWN_PUBLISHER = "ناشر مجهول"  # the name the figures' source lines use too (analysis.sourceline)

NBSP = "\u00a0"
DIGITS = ("latin", "arabic")


@dataclass(frozen=True)
class Noun:
    """A counted noun: singular, dual (the case the sentence needs), plural for 3-10, its
    gender (number words agree with it), and the accusative singular for 11-99 (derived
    when not given: «قاعدة» -> «قاعدةً», «مقال» -> «مقالاً»)."""

    singular: str
    dual: str
    plural: str
    gender: str = "m"
    accusative: str | None = None
    zero: str | None = None  # e.g. «لا قتلى»; default: «لا» + plural

    def __post_init__(self):
        if self.gender not in ("m", "f"):
            raise ValueError(f"gender must be 'm' or 'f', not {self.gender!r}")

    @property
    def tamyiz(self) -> str:
        if self.accusative:
            return self.accusative
        s = self.singular
        if s.endswith("ة") or s.endswith("اء") or s.endswith("ى"):
            return s + "\u064b"
        return s + "ا\u064b"


ONE = {"m": "واحد", "f": "واحدة"}


def number(n, digits: str = "latin") -> str:
    """An integer in the briefing's one style: thousands separated by a comma (2,500), or
    Arabic-Indic digits with the Arabic thousands separator (٢٬٥٠٠)."""
    if digits not in DIGITS:
        raise ValueError(f"digits must be one of {DIGITS}, not {digits!r}")
    text = f"{int(n):,}"
    return to_arabic_digits(text) if digits == "arabic" else text


def count(n, noun: Noun, digits: str = "latin") -> str:
    """`n` and the noun with Arabic number-noun agreement.

    0: «لا» + plural (never a bare «0»); 1: singular + واحد/واحدة by gender; 2: the dual;
    3-10 (and 103-110 ...): the plural; 11-99: the accusative singular; hundreds and
    thousands (100, 101, 102, 1000 ...): the singular."""
    n = int(n)
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")
    if n == 0:
        return noun.zero or f"لا {noun.plural}"
    if n == 1:
        return f"{noun.singular} {ONE[noun.gender]}"
    if n == 2:
        return noun.dual
    rest = n % 100
    shown = number(n, digits)
    if 3 <= rest <= 10:
        return f"{shown} {noun.plural}"
    if 11 <= rest <= 99:
        return f"{shown} {noun.tamyiz}"
    return f"{shown} {noun.singular}"


def join(items, sep: str = "، ") -> str:
    """A list with و before every item after the first: «أ وب»، «أ، وب، وج»."""
    items = [str(i) for i in items if i is not None and str(i) != ""]
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} و{items[1]}"
    return sep.join(items[:1] + ["و" + i for i in items[1:]])


_MONTHS = sorted(set(MONTHS_IRAQI) | set(MONTHS_EGYPTIAN), key=len, reverse=True)
_MONTH_RE = "|".join(re.escape(m) for m in _MONTHS)
# [day] month [year], with Latin or Arabic-Indic digits
_DATE_RE = re.compile(rf"(?:[0-9٠-٩]{{1,2}}\s+)?(?:{_MONTH_RE})(?:\s+[0-9٠-٩]{{4}})?")
_LATIN_PAREN_RE = re.compile(r"\([A-Za-z][^()\u0600-\u06FF]*\)")


def keep_dates(text: str) -> str:
    """No-break spaces inside every date («9 كانون الأول 2021»), so no line breaks inside it."""
    return _DATE_RE.sub(lambda m: re.sub(r"\s+", NBSP, m.group(0)), text)


def keep_latin(text: str) -> str:
    """No-break spaces inside a Latin parenthetical such as (CNN Arabic) or (Al-Amsar)."""
    return _LATIN_PAREN_RE.sub(lambda m: m.group(0).replace(" ", NBSP), text)


def keep_together(text: str) -> str:
    """Both rules: dates and Latin parentheticals never break across lines."""
    return keep_latin(keep_dates(text))


def date_range(start, end, precision: str = "day", *, between: bool = False) -> str:
    """«من X إلى Y» without repeating what both ends share: «من آذار إلى آب 2020», «من 3 إلى
    9 كانون الأول 2021», «من كانون الأول 2021 إلى آذار 2022»; one date when both ends read
    the same.  Dates never break across lines (no-break spaces inside each)."""
    import pandas as pd

    from .arabic import format_date

    a, b = pd.Timestamp(start), pd.Timestamp(end)
    full_a, full_b = format_date(a, precision), format_date(b, precision)
    if full_a == full_b:
        return keep_dates(full_a)
    if precision in ("day", "month") and a.year == b.year:
        if precision == "day" and a.month == b.month:
            short = str(a.day)
        else:
            short = format_date(a, precision).rsplit(" ", 1)[0]  # drop the shared year
        a_txt = short
    else:
        a_txt = full_a
    if between:  # «بين 9 و31 كانون الأول 2021»
        return f"بين {keep_dates(a_txt)} و{keep_dates(full_b)}"
    return f"من {keep_dates(a_txt)} إلى {keep_dates(full_b)}"


# A number of four digits or more outside a year range (1900-2030) and not part of a Latin
# name (F-16, K-1) or an id (s002): written as the sources write it, 2500, it gets the one
# thousands style of the briefing, 2,500.  Years stay as years.
_BARE_NUMBER_RE = re.compile(r"(?<![A-Za-z0-9_,.\-])([0-9]{4,})(?![A-Za-z0-9_\-]|[,.][0-9])")


def group_thousands(text: str) -> str:
    """Put the briefing's thousands separator into bare numbers in data text («2500 جندي» ->
    «2,500 جندي»), leaving years (1900-2030), ids and Latin names alone."""
    def sub(m: re.Match) -> str:
        n = int(m.group(1))
        if len(m.group(1)) == 4 and 1900 <= n <= 2030:
            return m.group(1)
        return f"{n:,}"

    return _BARE_NUMBER_RE.sub(sub, text)





def apply_digits(text: str, mode: str = "latin") -> str:
    """Text in the briefing's digit style: unchanged for latin; Arabic-Indic digits with the
    Arabic separators (٢٬٥٠٠، ٩٩٪) otherwise, digits inside Latin tokens (ids such as s002,
    anchors such as #conflict-C3, names such as F-16) kept, so links and names still work."""
    if mode == "latin":
        return text
    from .arabic import to_arabic_digits

    return to_arabic_digits(text)


_ENDS_IN_BARE_DIGIT = re.compile(r":\s*[0-9٠-٩]\s*[.،؛]?\s*$")
_COLON_DIGIT = re.compile(r"[:：]\s*[01٠١](?=\s*(?:[.،؛\n]|$))")
_REPEATED_YEAR_RANGE = re.compile(r"(?:من|بين)[\s\u00a0]+(?:\S+[\s\u00a0]+){0,3}?((?:19|20)\d\d)[\s\u00a0]+(?:إلى|و)[\s\u00a0]*"
                                  r"(?:\S+[\s\u00a0]+){0,3}?\1(?!\d)")


def copy_problems(text: str) -> list[str]:
    """The copy rules a finished Arabic text breaks (one message each): a sentence ending in
    «: 0» or «: 1», a year repeated inside a range («من آذار 2020 إلى آب 2020»), a date split by
    an ordinary space, a Latin parenthetical with an ordinary space, a bare 4+ digit number
    without the thousands separator."""
    out = []
    for m in _COLON_DIGIT.finditer(text):
        out.append(f"a sentence ends in a bare count after a colon: {text[max(0, m.start() - 30):m.end()]!r}")
    for m in _REPEATED_YEAR_RANGE.finditer(text):
        out.append(f"a range repeats its year: {m.group(0)!r}")
    for m in _DATE_RE.finditer(text):
        if " " in m.group(0):
            out.append(f"a date can break across lines: {m.group(0)!r}")
    for m in _LATIN_PAREN_RE.finditer(text):
        if " " in m.group(0):
            out.append(f"a Latin parenthetical can split: {m.group(0)!r}")
    for m in _BARE_NUMBER_RE.finditer(text):
        if group_thousands(m.group(0)) != m.group(0):
            out.append(f"a number without the thousands separator: {m.group(0)!r}")
    return out


_EGYPTIAN_VARIANTS = {"ابريل": 4, "اغسطس": 8, "اكتوبر": 10}
_EGY_TO_IRAQI = {**{m: MONTHS_IRAQI[i] for i, m in enumerate(MONTHS_EGYPTIAN)},
                 **{m: MONTHS_IRAQI[n - 1] for m, n in _EGYPTIAN_VARIANTS.items()}}
_EGY_RE = "|".join(re.escape(m) for m in sorted(_EGY_TO_IRAQI, key=len, reverse=True))
_EGY_WORD_RE = re.compile(rf"(?<![\u0621-\u064A\u0671-\u06D3])({_EGY_RE})(?![\u0621-\u064A\u0671-\u06D3])")
_QUOTED_RE = re.compile(r"«[^«»]*»|\"[^\"]*\"|“[^“”]*”")


def other_month_names(text: str) -> list[str]:
    """Egyptian month names outside quotation marks (the copy rule's failures)."""
    bare = _QUOTED_RE.sub("", text)
    return _EGY_WORD_RE.findall(bare)


_ARABIC_RE = re.compile("[\u0600-\u06ff]")


def reader_text(text: str) -> str:
    """A data string as the reader sees it: exactly as written (a number, a month name, a
    phone number or «مايو كلينك» is never rewritten: the curated data write the briefing's
    styles themselves, and tests/test_story.py checks that they do), but with dates and Latin
    parentheticals that never break across lines.  In a string with no Arabic letters (the
    English edition's) a parenthetical is ordinary text and may break, as it would in a narrow
    column."""
    return keep_together(text) if _ARABIC_RE.search(text) else keep_dates(text)
