"""How the English briefing words numbers, counted nouns, lists, dates and periods.

The same functions as `analysis.briefing.ar`, with English conventions: "2,500", "3 articles",
"a, b and c", "9 December 2021", "March to August 2020".  A date never breaks across lines
(no-break spaces inside it).
"""
from __future__ import annotations

from .markdown import NBSP, _isna

#: The one name the English edition gives a source whose publisher is not known (text, tables and
#: the figures' source lines, analysis.sourceline).
UNKNOWN_PUBLISHER = "unknown publisher"


def num(n) -> str:
    """An integer with thousands separators."""
    return f"{int(n):,}"


def pct(x) -> str:
    return f"{float(x):.1f}%"


#: noun -> (singular, plural, zero); a count reads "1 article", "3 articles", "no articles".
NOUNS: dict[str, tuple[str, str, str]] = {
    "article": ("article", "articles", "no articles"),
    "site": ("site", "sites", "no sites"),
    "base": ("base", "bases", "no bases"),
    "province": ("province", "provinces", "no provinces"),
    "record": ("incident", "incidents", "no incidents"),  # an attack the articles mention
    "event": ("event", "events", "no events"),  # a dated row of any kind
    "fact": ("fact", "facts", "no facts"),  # a row an article supports
    "single": ("single attack", "single attacks", "no single attacks"),
    "series": ("series of attacks", "series of attacks", "no series of attacks"),
    "killed": ("killed", "killed", "no one killed"),
    "injured": ("injured", "injured", "no one injured"),
    "day": ("day", "days", "no days"),
    "year": ("year", "years", "no years"),
    "issue": ("question", "questions", "no questions"),
    "observation": ("observation", "observations", "no observations"),
    "row": ("row", "rows", "no rows"),
    "citation": ("citation", "citations", "no citations"),
    "milestone": ("milestone", "milestones", "no milestones"),
    "table": ("table", "tables", "no tables"),
    "date": ("date", "dates", "no dates"),
}


#: One to nine are spelled out in running text, as English house styles do.
WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def phrase(n, noun: str) -> str:
    """A number and its noun: "one article", "12 articles", "no articles"."""
    one, many, zero = NOUNS[noun]
    n = int(n)
    if n == 0:
        return zero
    return f"{WORDS[n] if 0 < n < 10 else num(n)} {one if n == 1 else many}"


def join_en(items: list[str], conj: str = "and") -> str:
    """"a", "a and b", "a, b and c"."""
    items = [str(i) for i in items if str(i)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


join = join_en  #: the name briefing.ar has too


def keep_dates(text: str) -> str:
    """A date that never breaks across lines: its spaces are no-break spaces."""
    return text.replace(" ", NBSP)


def _format(value, precision: str) -> str:
    from ..arabic import format_date

    return format_date(value, precision, lang="en")


def fdate(value, precision="day", *, basis=None) -> str:
    """A date at the precision the source supports; "not given" when there is none."""
    if _isna(value) or precision in (None, "unknown") or _isna(precision):
        return "not given"
    out = keep_dates(_format(value, str(precision)))
    if basis is not None and not _isna(basis) and str(basis) == "inferred":
        out += " (inferred)"
    return out


def date_range(start, end, precision: str = "day", *, between: bool = False) -> str:
    """"March to August 2020", "3 to 9 December 2021", "December 2021 to March 2022"
    ("between 9 and 31 December 2021" with `between`); one date when both ends read the same."""
    import pandas as pd

    a, b = pd.Timestamp(start), pd.Timestamp(end)
    full_a, full_b = _format(a, precision), _format(b, precision)
    if full_a == full_b:
        return keep_dates(full_a)
    a_txt = full_a
    if precision in ("day", "month") and a.year == b.year:
        a_txt = str(a.day) if precision == "day" and a.month == b.month else full_a.rsplit(" ", 1)[0]
    if between:
        return f"between {keep_dates(a_txt)} and {keep_dates(full_b)}"
    return f"{keep_dates(a_txt)} to {keep_dates(full_b)}"


def fperiod(start, end, precision="day") -> str:
    """A period "March to August 2020", or one date."""
    if _isna(end):
        return fdate(start, precision)
    if _isna(start):
        return f"before the end of {fdate(end, 'year')}" if str(precision) == "unknown" else fdate(end, precision)
    return date_range(start, end, str(precision))


def on(value, precision="day", *, basis=None) -> str:
    """A date with its preposition in running text: "on 9 December 2021", "in December 2021",
    "in 2026 (inferred)"; "on a date not given" when there is none."""
    text = fdate(value, precision, basis=basis)
    if text == "not given":
        return "on a date not given"
    return ("on " if str(precision) == "day" else "in ") + text


#: Words that open a table-style name or title only because it is capitalised there; in running
#: text they are lower case ("International coalition" -> "the international coalition").
COMMON_OPENERS = frozenset({
    "who", "whom", "whose", "what", "when", "where", "whether", "which", "why", "how",
    "distance", "month", "number", "scope", "date", "dates", "size", "role", "location", "place",
    "international", "armed", "federal", "unnamed", "unknown", "the", "a", "an",
})

#: Capitalised last words of names that take "the" ("the United States", "the Joint
#: Operations Command"); a person's name takes none.
INSTITUTIONS = frozenset({
    "states", "nations", "kingdom", "command", "pentagon", "ministry", "council", "parliament",
    "government", "coalition", "army", "embassy", "office", "department", "region", "forces",
})


def lower_first(text: str) -> str:
    """A table-style title in running text: its first word in lower case when it is a common
    word ("Whether the coalition left ..." -> "whether the coalition left ..."), a name untouched."""
    s = str(text)
    head = s.split(" ", 1)[0]
    return s[0].lower() + s[1:] if s and head.lower() in COMMON_OPENERS else s


def running(name: str) -> str:
    """A table-style name as running text, with the article English gives it: "Iraqi
    government" -> "the Iraqi government", "International coalition" -> "the international
    coalition", "United States" -> "the United States", "Iraqi officials" and "Qasim al-Araji"
    unchanged.  A heuristic over the words: a lower-case singular noun last, a plural joined by
    "and", or an institution's name takes "the"."""
    s = str(name).strip()
    words = s.split()
    if not words:
        return s
    if s.lower() in ("not named", "unnamed", "unknown"):
        return "an unnamed source"
    if words[0].lower() in ("the", "a", "an"):
        return lower_first(s)
    last = words[-1]
    takes_the = (last.lower() in INSTITUTIONS
                 or (last.islower() and (not last.endswith("s") or (" and " in s and "," not in s))))
    if len(words) > 1 and words[0].lower() in COMMON_OPENERS:
        s = lower_first(s)
    return f"the {s}" if takes_the and (len(words) > 1 or last.lower() == "pentagon") else s


def capital(text: str) -> str:
    """The first letter in upper case (a sentence that opens with a running name)."""
    return text[:1].upper() + text[1:]
