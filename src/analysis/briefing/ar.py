"""How the Arabic briefing words numbers, counted nouns, lists, dates and periods."""
from __future__ import annotations

from .markdown import _isna


def num(n) -> str:
    """An integer with thousands separators (Latin digits, as in the sources)."""
    return f"{int(n):,}"


def pct(x) -> str:
    return f"{float(x):.1f}%"


def count_phrase(n: int, forms: dict[str, str]) -> str:
    """Arabic number + counted noun with the right agreement.

    `forms`: one ("قاعدة واحدة"), two ("قاعدتان"), few (3-10, "قواعد"), many (11-99,
    "قاعدةً"), hundred (100, 200...: "قاعدة"), and optionally zero.
    """
    from ..text_ar import Noun, count

    n = int(n)
    if n == 1:
        return forms["one"]
    # agreement rules live in analysis.text_ar; zero reads «لا قواعد», never a bare «0»
    return count(n, Noun(forms["hundred"], forms["two"], forms["few"], accusative=forms["many"],
                         zero=forms.get("zero")))


_WAQIA = dict(one="واقعة واحدة", two="واقعتين", few="وقائع", many="واقعةً", hundred="واقعة")

NOUNS: dict[str, dict[str, str]] = {
    "article": dict(one="مقال واحد", two="مقالان", few="مقالات", many="مقالاً", hundred="مقال"),
    "site": dict(one="موقع واحد", two="موقعان", few="مواقع", many="موقعاً", hundred="موقع"),
    "base": dict(one="قاعدة واحدة", two="قاعدتين", few="قواعد", many="قاعدةً", hundred="قاعدة"),
    "province": dict(one="محافظة واحدة", two="محافظتين", few="محافظات", many="محافظةً", hundred="محافظة"),
    # «واقعة» is an incident, an event and a recorded fact alike; English needs three words (briefing.en)
    "record": _WAQIA,
    "event": _WAQIA,
    "fact": _WAQIA,
    "single": dict(one="هجوم منفرد واحد", two="هجومان منفردان", few="هجمات منفردة",
                   many="هجوماً منفرداً", hundred="هجوم منفرد"),
    "series": dict(one="سلسلة هجمات واحدة", two="سلسلتا هجمات", few="سلاسل هجمات",
                   many="سلسلةَ هجمات", hundred="سلسلة هجمات"),
    "killed": dict(zero="لا قتلى", one="قتيل واحد", two="قتيلان", few="قتلى", many="قتيلاً", hundred="قتيل"),
    "injured": dict(zero="لا جرحى", one="جريح واحد", two="جريحان", few="جرحى", many="جريحاً", hundred="جريح"),
    "day": dict(one="يوم واحد", two="يومين", few="أيام", many="يوماً", hundred="يوم"),
    "year": dict(one="سنة واحدة", two="سنتين", few="سنوات", many="سنةً", hundred="سنة"),
    "issue": dict(one="مسألة واحدة", two="مسألتين", few="مسائل", many="مسألةً", hundred="مسألة"),
    "observation": dict(one="رصد واحد", two="رصدين", few="أرصاد", many="رصداً", hundred="رصد"),
    "row": dict(one="سطر واحد", two="سطرين", few="أسطر", many="سطراً", hundred="سطر"),
    "citation": dict(one="إحالة واحدة", two="إحالتين", few="إحالات", many="إحالةً", hundred="إحالة"),
    "milestone": dict(one="محطة واحدة", two="محطتين", few="محطات", many="محطةً", hundred="محطة"),
    "table": dict(one="جدول واحد", two="جدولين", few="جداول", many="جدولاً", hundred="جدول"),
    "date": dict(one="تاريخ واحد", two="تاريخين", few="تواريخ", many="تاريخاً", hundred="تاريخ"),
}


def phrase(n, noun: str) -> str:
    return count_phrase(n, NOUNS[noun])


def join_ar(items: list[str]) -> str:
    """«أ وب»، «أ، وب، وج»: و before every item after the first (analysis.text_ar.join)."""
    from ..text_ar import join

    return join(items)


join = join_ar  #: the name briefing.en has too: a caller picks the language's module, not a function


def date_range(start, end, precision: str = "day", *, between: bool = False) -> str:
    """«من آذار إلى آب 2020», «بين 9 و31 كانون الأول 2021» (analysis.text_ar.date_range)."""
    from ..text_ar import date_range as words

    return words(start, end, precision, between=between)


def fdate(value, precision="day", *, basis=None) -> str:
    """A date at the precision the source supports; "غير محدد" when there is none."""
    from ..arabic import format_date

    if _isna(value) or precision in (None, "unknown") or _isna(precision):
        return "غير محدد"
    from ..text_ar import keep_dates

    out = keep_dates(format_date(value, str(precision), style="iraqi"))  # never split across lines
    if basis is not None and not _isna(basis) and str(basis) == "inferred":
        out += " (مستنتج)"
    return out


def fperiod(start, end, precision="day") -> str:
    """A period "من X إلى Y" (words, so no bidi reordering), or one date."""
    if _isna(end):
        return fdate(start, precision)
    if _isna(start):
        return f"قبل نهاية {fdate(end, 'year')}" if str(precision) == "unknown" else fdate(end, precision)
    from ..text_ar import date_range

    return date_range(start, end, str(precision))  # «من آذار إلى آب 2020»: the year once


