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

__all__ = ["Noun", "NBSP", "count", "join", "number", "keep_dates", "keep_latin", "keep_together"]

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
