"""The briefing's story, as facts: what the summary and the closing questions say, in no language.

Why: the summary at the top of the briefing and its closing "what to watch" section must be
built from the data (a changed CSV value changes the sentence) and hedged as strongly as the
sources are: each fact here carries the rows it rests on (for citations), their modality
(stated / attributed / expected / background), the basis of their dates, and the open
conflicts those rows take part in.  The wording is elsewhere (`analysis.story_ar`; an English
edition would add its own), so every edition says the same facts.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .memo import per_build

__all__ = ["Row", "Fact", "facts", "questions", "HANDOVER_BY"]

#: Bases handed over "by the end of 2020" (the year of the handovers the summary counts).
HANDOVER_BY = "2020-12-31"


@dataclass(frozen=True)
class Row:
    """One cited data row: table, id, source and paragraph, modality, and its date."""

    table: str
    id: str
    source_id: str
    paragraph: int
    modality: str
    date: pd.Timestamp | None
    precision: str
    basis: str
    record: dict = field(repr=False, compare=False, hash=False, default_factory=dict)


@dataclass(frozen=True)
class Fact:
    """A fact of the story: its `kind`, the rows it rests on, the numbers it carries, and the
    open conflicts among its rows (ids, in the conflicts' rank order)."""

    kind: str
    rows: tuple[Row, ...]
    numbers: dict = field(default_factory=dict, hash=False, compare=False)
    conflicts: tuple[str, ...] = ()


def cited_paragraphs(rows) -> list[tuple[str, list[str]]]:
    """The paragraphs `rows` cite, per source in the order the sources first appear, each
    source's paragraphs once and in order; `rows` are Row or (source_id, paragraph) pairs.
    Both languages' citations (story_ar.cite, story_en.cite) word this."""
    by: dict[str, list[str]] = {}
    for r in rows:
        sid, par = (r.source_id, r.paragraph) if hasattr(r, "source_id") else r
        pars = by.setdefault(str(sid), [])
        if str(par) not in pars:
            pars.append(str(par))
    return [(sid, sorted(pars, key=int)) for sid, pars in by.items()]


def _row(tables, table: str, rid: str) -> Row:
    from .sources import record_ids

    t = tables[table]
    key = record_ids(tables)[table]
    r = t[t[key].astype(str) == str(rid)].iloc[0]
    date = r.get("date")
    return Row(table, str(rid), str(r["source_id"]), int(r["paragraph"]), str(r.get("modality", "stated")),
               None if pd.isna(date) else pd.Timestamp(date), str(r.get("date_precision", "unknown")),
               str(r.get("date_basis", "not_stated")), r.to_dict())


def _ranked(tables, ids) -> tuple[str, ...]:
    conf = tables["conflicts"].set_index("conflict_id")
    rank = conf["rank"] if "rank" in conf else pd.Series(range(len(conf)), index=conf.index)
    return tuple(sorted(set(ids), key=lambda c: (int(rank.get(c, 10**6)), c)))


def _fact(tables, kind: str, rows: list[Row], **numbers) -> Fact:
    from .truth import conflict_rows

    cr = conflict_rows(tables)
    ids = {c for r in rows for c in cr.get((r.table, r.id), set())}
    return Fact(kind, tuple(rows), numbers, _ranked(tables, ids))


def _period_end(r: Row) -> pd.Timestamp:
    """The last day a row's date can mean (its month's end for month precision, ...)."""
    if r.date is None:
        return pd.Timestamp.max
    if r.precision == "year":
        return r.date + pd.offsets.YearEnd(0)
    if r.precision == "month":
        return r.date + pd.offsets.MonthEnd(0)
    return r.date


@per_build
def facts(tables) -> dict[str, Fact]:
    """The summary's facts, by kind: combat_end, troops_before, troops_after, vote, handovers,
    withdrawal, remaining, disputes, gap.  A kind the data cannot support is left out."""
    from . import bases as B
    from . import troops as T
    from .truth import finding_rows  # the same rows as the key findings

    out: dict[str, Fact] = {}
    rows_of = finding_rows(tables)
    ms_rows = [i for t, i in rows_of["combat_end"] if t == "milestones"]
    ms = tables["milestones"]
    combat = None
    if ms_rows and (ms.loc[ms["milestone_id"] == ms_rows[0], "kind"] == "combat_end").any():
        combat = _row(tables, "milestones", ms_rows[0])
        out["combat_end"] = _fact(tables, "combat_end", [combat])

    # US troops in all Iraq, observed: the last count that ends before the combat mission
    # did, and the last count of all (the one that runs on from it)
    s = T.series(tables["troop_levels"], areas=("iraq",))
    us = s[(s["counted"] == "us") & (s["kind"] == "observed")]
    us_rows = [_row(tables, "troop_levels", i) for i in us["obs_id"].astype(str)]
    us_rows = [r for r in us_rows if r.modality != "expected"]
    if combat is not None and us_rows:
        before = [r for r in us_rows if r.date is not None and pd.isna(r.record.get("date_end"))
                  and _period_end(r) < combat.date]
        after = [r for r in us_rows if r.date is not None and _period_end(r) >= combat.date]
        if before and after:
            b, a = before[-1], after[-1]
            nb, na = int(b.record["count"]), int(a.record["count"])
            out["troops_before"] = _fact(tables, "troops_before", [b], count=nb,
                                         approximate=bool(b.record.get("count_approximate")))
            out["troops_after"] = _fact(tables, "troops_after", [a], count=na,
                                        approximate=bool(a.record.get("count_approximate")),
                                        change=na - nb, same=(na == nb))

    votes = ms[(ms["kind"] == "parliament") & ms["date"].notna()].sort_values(["date", "milestone_id"])
    if len(votes):
        out["vote"] = _fact(tables, "vote", [_row(tables, "milestones", str(votes["milestone_id"].iloc[0]))])

    ev = tables["base_events"]
    ho = B.handed_over(ev, states=("handed_over",))
    by = ho[ho["date"] <= pd.Timestamp(HANDOVER_BY)]
    if len(by):
        out["handovers"] = _fact(tables, "handovers", [_row(tables, "base_events", e) for e in by["event_id"]],
                                 count=len(by), year=pd.Timestamp(HANDOVER_BY).year)

    wd = [i for t, i in rows_of["combat_end"] if t == "milestones"]
    wd = ms[ms["milestone_id"].isin(wd) & (ms["kind"] == "withdrawal")]
    if len(wd):
        out["withdrawal"] = _fact(tables, "withdrawal", [_row(tables, "milestones", str(wd["milestone_id"].iloc[-1]))])

    rem = B.remaining(ev, tables["bases"])
    if len(rem):
        rows = [_row(tables, "base_events", str(e)) for e in rem["event_id"]]
        bases_rows = [_row(tables, "bases", str(b)) for b in rem["base_id"]]
        f = _fact(tables, "remaining", rows + bases_rows, count=len(rem))
        out["remaining"] = Fact(f.kind, tuple(rows), f.numbers, f.conflicts)  # cite the events, hedge the bases too

    conf = tables["conflicts"]
    open_ = conf[conf["status"].astype("string") == "unresolved"]
    if len(open_):
        out["disputes"] = Fact("disputes", (), {"count": len(open_)}, _ranked(tables, open_["conflict_id"].astype(str)))

    gap = coverage_gap(tables)
    if gap is not None:
        out["gap"] = Fact("gap", (), gap)
    return out


def coverage_gap(tables) -> dict | None:
    """The years between the last two articles that no article was written in, and how many
    dated rows fall in them ({"from", "to", "rows", "source_year"}), or None."""
    src = tables["sources"]
    years = sorted(set(src["published"].dt.year))
    if len(years) < 2 or years[-1] - years[-2] <= 1:
        return None
    lo, hi = years[-2] + 1, years[-1] - 1
    n = 0
    for t in ("base_events", "troop_levels", "attacks", "milestones"):
        d = tables[t]["date"].dropna()
        n += int(((d.dt.year >= lo) & (d.dt.year <= hi)).sum())
    return {"from": lo, "to": hi, "rows": n, "source_year": years[-1]}


def questions(tables) -> list[dict]:
    """The open questions, most consequential first: each open conflict (its rank, id and
    the claims of each side, with their rows), then the coverage gap and the expectations of
    the latest article that no later article could confirm."""
    from .sources import disagreements

    conf = tables["conflicts"]
    open_ = conf[conf["status"].astype("string") == "unresolved"]
    dis = disagreements(tables)
    out = []
    for cid in _ranked(tables, open_["conflict_id"].astype(str)):
        sides = dis[dis["conflict_id"] == cid]
        out.append({"kind": "conflict", "id": cid,
                    "sources": tuple(dict.fromkeys(sides["source_id"].astype(str)))})
    gap = coverage_gap(tables)
    if gap is not None:
        out.append({"kind": "gap", **gap})
    src = tables["sources"].sort_values("published")
    latest = str(src["source_id"].iloc[-1])
    ms = tables["milestones"]
    exp = ms[(ms["source_id"].astype(str) == latest) & (ms["modality"].astype("string") == "expected")]
    if len(exp):
        out.append({"kind": "expected", "source_id": latest,
                    "rows": tuple(_row(tables, "milestones", str(i)) for i in exp["milestone_id"])})
    return out
