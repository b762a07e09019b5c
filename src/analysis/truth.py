"""Is every row as strong and as precise as its source says, and no stronger?

Why: the tables passed every plumbing check (needles found, dates resolved, sums right) and
still said more than the articles: day-precise dates where the paragraph names only a
weekday, planned events counted as done, disputed rows quoted in the findings as plain fact,
and percentages with a decimal from an "about" figure and an undated peak.  These checks
make that class of error fail loudly.  `problems(tables)` is called by `validate`; the
helpers for the briefing's findings (`finding_rows`, `hedge`, `derived`, `printed_problems`)
are shared with `analysis.report`, so the findings and their checks agree by construction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .memo import per_build

__all__ = ["problems", "finding_rows", "conflict_rows", "hedge", "Derived", "derived", "printed_problems",
           "paragraph_states", "MONTHS", "FINDINGS"]

DATED_TABLES = ("base_events", "troop_levels", "attacks", "milestones")
#: Month names as the articles write them (Egyptian/Gulf and Levantine/Iraqi forms).
MONTHS: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني"), 2: ("فبراير", "شباط"), 3: ("مارس", "آذار"), 4: ("أبريل", "ابريل", "نيسان"),
    5: ("مايو", "أيار", "ايار"), 6: ("يونيو", "حزيران"), 7: ("يوليو", "تموز"), 8: ("أغسطس", "اغسطس", "آب"),
    9: ("سبتمبر", "أيلول", "ايلول"), 10: ("أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول"),
    11: ("نوفمبر", "تشرين الثاني"), 12: ("ديسمبر", "كانون الأول", "كانون الاول"),
}
_UNITS = ["", "الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر"]
_TEENS = ["", "الحادي", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع"]
#: Kinds of milestone that say something happened: an expected row of these kinds would be
#: read (and drawn) as a fact, so planned events are recorded as announcements or deadlines.
FACT_KINDS = ("invasion", "withdrawal", "strike", "visit", "parliament", "combat_end", "construction", "confirmation")
#: The briefing's key findings, in order (the keys of `finding_rows`).
FINDINGS = ("peak", "since", "bases", "attacks", "combat_end", "remaining")


def _ordinal(day: int) -> tuple[str, ...]:
    if day <= 10:
        return (_UNITS[day], _UNITS[day].replace("الأول", "الاول"))
    if day < 20:
        return (f"{_TEENS[day - 10]} عشر",)
    tens = {2: "العشرين", 3: "الثلاثين"}[day // 10]
    return (tens,) if day % 10 == 0 else (f"{_TEENS[day % 10]} و{tens}",)


def paragraph_states(text: str, date, precision: str) -> list[str]:
    """What a paragraph fails to state of `date` at `precision`: [] when it names the year and,
    as needed, the month and the day (a number or an ordinal word)."""
    missing = []
    if not re.search(rf"(?<!\d){date.year}(?!\d)", text):
        missing.append(f"year {date.year}")
    if precision in ("month", "day") and not any(name in text for name in MONTHS[date.month]):
        missing.append(f"month {date.month}")
    if precision == "day":
        number = re.search(rf"(?<!\d){date.day}(?!\d)", text)
        if not number and not any(w in text for w in _ordinal(date.day)):
            missing.append(f"day {date.day}")
    return missing


def _texts(tables) -> dict[str, list[str]]:
    pkg = getattr(tables, "package", None)
    corpus = pkg.corpus if pkg is not None else None
    out = {}
    if corpus is None:
        return out
    for r in tables["sources"].itertuples(index=False):
        path = pkg.corpus_file(str(r.file))  # None outside the corpus: never read
        if path is not None and path.is_file():
            out[r.source_id] = [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]
    return out


def _rows(tables, name):
    return ((i + 2, r) for i, r in enumerate(tables[name].itertuples(index=False)))


# --------------------------------------------------------------------------------------------
# conflicts and the findings that use them

def conflict_rows(tables) -> dict[tuple[str, str], set[str]]:
    """(table, record id) -> ids of the open conflicts the row belongs to: it takes a side
    (its conflict_id) or it is the conflict's subject."""
    from .sources import record_ids

    ids = record_ids(tables)
    conf = tables["conflicts"]
    open_ = set(conf.loc[conf["status"].astype("string") == "unresolved", "conflict_id"].astype(str))
    out: dict[tuple[str, str], set[str]] = {}
    for name, key in ids.items():
        if name not in tables or "conflict_id" not in tables[name] or name == "claims":
            continue
        for rid, cid in zip(tables[name][key].astype(str), tables[name]["conflict_id"], strict=True):
            if not pd.isna(cid) and str(cid) in open_:
                out.setdefault((name, rid), set()).add(str(cid))
    for r in conf.itertuples(index=False):
        if str(r.conflict_id) in open_ and not pd.isna(r.subject_id):
            out.setdefault((str(r.subject_table), str(r.subject_id)), set()).add(str(r.conflict_id))
    return out


def _facts(frame):
    return frame if "modality" not in frame else frame[frame["modality"].astype("string") != "expected"]


@per_build
def finding_rows(tables) -> dict[str, list[tuple[str, str]]]:
    """The rows each key finding is built from, found the way the briefing finds them."""
    from . import bases as B
    from . import troops as T

    lv = tables["troop_levels"]
    s = T.series(lv, areas=("iraq",))
    us = s[(s["counted"] == "us") & (s["kind"] == "observed")]
    peak, last = T.peak(lv), us.iloc[-1]
    since = T.reduction(lv, "2017-12-31", str(last["obs_id"]))
    out: dict[str, list[tuple[str, str]]] = {
        "peak": [("troop_levels", str(peak["obs_id"])), ("troop_levels", str(last["obs_id"]))],
        "since": [("troop_levels", str(since["start_obs_id"])), ("troop_levels", str(last["obs_id"]))],
    }
    ev = tables["base_events"]
    ho = B.handed_over(ev, states=("handed_over",))
    part = B.handed_over(ev, states=B.PARTIAL_STATES)
    out["bases"] = [("base_events", e) for e in list(ho["event_id"]) + list(part["event_id"])]
    at = tables["attacks"]
    out["attacks"] = [("attacks", a) for a in at.loc[at["injured"].notna() | at["killed"].notna(), "attack_id"].astype(str)]
    ms = _facts(tables["milestones"])
    combat = ms[ms["kind"] == "combat_end"].dropna(subset=["date"])
    rows = []
    if len(combat):
        prec = combat["date_precision"].astype("string").map({"year": 0, "month": 1, "day": 2})
        c = combat.assign(_p=prec).sort_values(["_p", "date"], ascending=[False, True], kind="stable").iloc[0]
        rows.append(("milestones", str(c["milestone_id"])))
    dl = tables["milestones"][tables["milestones"]["kind"] == "deadline"]
    rows += [("milestones", str(d)) for d in dl["milestone_id"][:1]]
    rows.append(("troop_levels", str(last["obs_id"])))
    wd = ms[ms["kind"] == "withdrawal"].dropna(subset=["date"]).sort_values("date")
    rows += [("milestones", str(w)) for w in wd["milestone_id"][-1:]]
    out["combat_end"] = rows
    rem = B.remaining(ev, tables["bases"])
    out["remaining"] = [("base_events", str(e)) for e in rem["event_id"]] + [("bases", str(b)) for b in rem["base_id"]]
    return out


def hedge(tables, rows) -> str:
    """Arabic hedge naming every open conflict among `rows` (empty when there is none)."""
    from .briefing.markdown import md_escape

    cr = conflict_rows(tables)
    ids = sorted({c for r in rows for c in cr.get((r[0], r[1]), set())}, key=lambda c: int(re.sub(r"\D", "", c) or 0))
    if not ids:
        return ""
    topics = tables["conflicts"].set_index("conflict_id")["topic_ar"]
    parts = [f"{md_escape(topics[c])} ({md_escape(c)})" for c in ids]
    return "وتختلف المصادر هنا في: " + "؛ ".join(parts) + "، انظر [قسم خلافات المصادر](#sec-conflicts)."


def _briefings(tables) -> list[Path]:
    """The editions' documents beside the data (report/briefing.<lang>.qmd) that exist."""
    from .config import LANGS

    pkg = getattr(tables, "package", None)
    if pkg is None:
        return []
    paths = [Path(pkg.root).resolve().parent / "report" / f"briefing.{lang}.qmd" for lang in LANGS]
    return [p for p in paths if p.is_file()]


def _finding_problems(tables, qmd: str, descriptor: str) -> list:
    from .errors import Problem

    out = []
    cr = conflict_rows(tables)
    bullets = {m.group(1): m.group(0) for m in re.finditer(r"^- .*?findings\.(\w+)\.cite.*$", qmd, re.M)}
    for key, rows in finding_rows(tables).items():
        touched = sorted({c for r in rows for c in cr.get(r, set())})
        if not touched:
            continue
        text = bullets.get(key)
        if text is None or f"findings.{key}.hedge" not in text:
            used = ", ".join(f"{t}:{i}" for t, i in rows if cr.get((t, i)))
            out.append(Problem(descriptor, 0, key, f"key finding '{key}' uses {used}, in open conflict(s) "
                                                   f"{', '.join(touched)}, without its hedge (findings.{key}.hedge)"))
    return out


# --------------------------------------------------------------------------------------------
# derived numbers

@dataclass(frozen=True)
class Derived:
    """A number the briefing derives from rows: its key, value, kind ('count', 'pct', 'days')
    and the rows it is computed from."""

    key: str
    value: float
    kind: str
    rows: tuple[tuple[str, str], ...]


def _row(tables, table, rid):
    from .sources import record_ids

    t = tables[table]
    return t[t[record_ids(tables)[table]].astype(str) == rid].iloc[0]


def _inexact(tables, rows) -> bool:
    """Any input hedged ('about') or dated coarser than a day or to a period."""
    for t, i in rows:
        r = _row(tables, t, i)
        if bool(r.get("count_approximate", False)) is True:
            return True
        if "date_end" in r and not pd.isna(r["date_end"]):
            return True
    return False


@per_build
def derived(tables) -> list[Derived]:
    """The derived numbers of the key findings, with their inputs."""
    from . import troops as T

    rows = finding_rows(tables)
    lv = tables["troop_levels"]
    out = []
    for key, start in (("peak", rows["peak"][0][1]), ("since", rows["since"][0][1])):
        end = rows[key][1][1]
        r = T.reduction(lv, start, end)
        ins = ((("troop_levels", start), ("troop_levels", end)))
        out.append(Derived(f"troops.cut_{key}", float(r["reduction"]), "count", ins))
        out.append(Derived(f"troops.cut_{key}_pct", float(r["pct_reduction"]), "pct", ins))
    c = [r for r in rows["combat_end"] if r[0] == "milestones"]
    if len(c) >= 2:
        a, b = _row(tables, *c[0]), _row(tables, *c[1])
        if not pd.isna(a["date"]) and not pd.isna(b["date"]):
            out.append(Derived("milestones.days_before_deadline", float((b["date"] - a["date"]).days), "days", (c[0], c[1])))
    return out


#: The word that hedges a rounded number, by language ("about 98%").
ABOUT = {"ar": "نحو", "en": "about"}


def fmt(d: Derived, tables, lang: str = "ar") -> str:
    """A derived number at the precision of its inputs: 'نحو 98%' (about 98%) from a hedged
    input, never 98.5%; counts rounded to the coarsest hedged input's last significant digit."""
    from .briefing.ar import num

    about = ABOUT[lang]
    inexact = _inexact(tables, d.rows)
    if d.kind == "pct":
        return (f"{about} {round(d.value):d}%" if inexact else f"{d.value:.1f}%")
    if d.kind == "count" and inexact:
        hedged = [_row(tables, t, i) for t, i in d.rows]
        hedged = [r for r in hedged if bool(r.get("count_approximate", False)) is True] or hedged
        step = min(_unit(int(r["count"])) for r in hedged)
        return f"{about} " + num(int(round(d.value / step) * step))
    return num(int(d.value))


def _unit(n: int) -> int:
    """Place of the last non-zero digit: 2500 -> 100, 170000 -> 10000."""
    n, u = abs(int(n)), 1
    while n and n % 10 == 0:
        n //= 10
        u *= 10
    return u


def printed_problems(values: dict, tables, lang: str = "ar") -> list[str]:
    """Derived numbers in the briefing's values printed more precisely than their inputs allow:
    a decimal or a bare figure from a hedged input, a day count from a non-day date."""
    about = ABOUT[lang]
    out = []
    for d in derived(tables):
        group, name = d.key.split(".")
        printed = str(values.get(group, {}).get(name, ""))
        inexact = _inexact(tables, d.rows)
        if d.kind == "pct" and inexact and (re.search(r"\d[.,]\d", printed) or about not in printed):
            out.append(f"{d.key} = {printed!r}: its inputs are hedged or undated, so a rounded '{about} N%' is all they carry")
        if d.kind == "count" and inexact and about not in printed:
            out.append(f"{d.key} = {printed!r}: computed from a hedged figure, it needs '{about}'")
        if d.kind == "days":
            for t, i in d.rows:
                if str(_row(tables, t, i)["date_precision"]) != "day":
                    out.append(f"{d.key}: {t}:{i} is not dated to the day, so no day count can be derived from it")
    return out


# --------------------------------------------------------------------------------------------
# the checks

def problems(tables) -> list:
    """Rows stronger or more precise than their source (see the module docstring)."""
    from . import bases as B
    from .errors import Problem
    from .package import DESCRIPTOR

    p: list = []
    file = {name: tables.package.path(name).name for name in tables} if hasattr(tables, "package") else {n: n for n in tables}
    texts = _texts(tables)
    for name in DATED_TABLES:
        if name not in tables:
            continue
        for line, r in _rows(tables, name):
            mod = str(getattr(r, "modality", "") or "")
            prec = str(r.date_precision)
            if pd.isna(r.date):
                continue
            inside = r.source_id in texts and 1 <= int(r.paragraph) <= len(texts[r.source_id])  # else validate says so
            if str(r.date_basis) == "stated" and inside:
                para = texts[r.source_id][int(r.paragraph) - 1]
                missing = paragraph_states(para, r.date, prec)
                if missing:
                    p.append(Problem(file[name], line, "date_basis",
                                     f"'stated' at {prec} precision, but {r.source_id} p{r.paragraph} does not state the "
                                     f"{', '.join(missing)}: make it 'inferred' with its reason, or coarsen the precision"))
            if prec == "day" and mod == "background":
                p.append(Problem(file[name], line, "date_precision", "a background row cannot carry day precision"))
            if prec == "day" and mod == "expected" and inside:
                para = texts[r.source_id][int(r.paragraph) - 1]
                if paragraph_states(para, r.date, "day") not in ([], [f"year {r.date.year}"]):
                    p.append(Problem(file[name], line, "date_precision",
                                     f"an expected row carries day precision that {r.source_id} p{r.paragraph} does not write"))
    if "modality" in tables["troop_levels"]:
        for line, r in _rows(tables, "troop_levels"):
            if str(r.modality) == "expected" and str(r.kind) == "observed":
                p.append(Problem(file["troop_levels"], line, "kind", "an expected count is a target, not an observed level"))
    if "modality" in tables["attacks"]:
        for line, r in _rows(tables, "attacks"):
            if str(r.modality) == "expected":
                p.append(Problem(file["attacks"], line, "modality", "an attack row records an incident that happened, not an expected one"))
    if "modality" in tables["milestones"]:
        for line, r in _rows(tables, "milestones"):
            if str(r.modality) == "expected" and str(r.kind) in FACT_KINDS:
                p.append(Problem(file["milestones"], line, "kind",
                                 f"an expected milestone of kind {r.kind!r} would be read as done: record it as an announcement or deadline"))
    if "modality" in tables["base_events"]:
        ev = tables["base_events"]
        expected = set(ev.loc[ev["modality"].astype("string") == "expected", "event_id"].astype(str))
        counted = set(B.handed_over(ev)["event_id"]) | set(B.remaining(ev)["event_id"])
        for line, r in _rows(tables, "base_events"):
            if r.event_id in expected & counted:
                p.append(Problem(file["base_events"], line, "modality", "an expected event is counted as a handover or a current state"))
    for qmd in _briefings(tables):  # every edition hedges its findings
        try:
            p += _finding_problems(tables, qmd.read_text(encoding="utf-8"), qmd.name)
        except (KeyError, IndexError, ValueError) as err:  # data too broken to find the findings' rows
            p.append(Problem(DESCRIPTOR, 0, "", f"cannot find the key findings' rows: {err}"))
    return p


# --------------------------------------------------------------------------------------------
# what the sources cover

@per_build
def covered_years(tables) -> set[int]:
    """Years in which some fact row (not an expected one) is dated: the year of its date, or
    of the end of a bounded period (a period's inside years are not observed)."""
    years: set[int] = set()
    for name in DATED_TABLES:
        if name not in tables:
            continue
        f = _facts(tables[name])
        f = f[f["date_precision"].astype("string") != "unknown"]
        years |= set(f["date"].dropna().dt.year.astype(int))
        if "date_end" in f:
            years |= set(f["date_end"].dropna().dt.year.astype(int))
    return years


def uncovered_spans(tables, first: int, last: int) -> list[tuple[int, int]]:
    """Runs of consecutive years in first..last that no source row is dated in, as (from, to)."""
    cov = covered_years(tables)
    spans, start = [], None
    for y in range(first, last + 1):
        if y not in cov and start is None:
            start = y
        if y in cov and start is not None:
            spans.append((start, y - 1))
            start = None
    if start is not None:
        spans.append((start, last))
    return spans
