"""Attacks on bases hosting US and coalition forces: chronology, counts, and timing relative
to a milestone.

Why: the sources date attacks at day, month or year precision, or not at all (a "series" of
attacks "before December 2021"); some casualty figures are hedged.  These functions order and
count the attacks without pretending to more precision than the sources give.  All are
vectorised (no per-row Python), so they scale to large synthetic tables.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["period_bounds", "chronology", "per_year", "per_base", "relative_to", "RELATIONS"]

#: Values of `relative_to(...)["relation"]`.
RELATIONS: tuple[str, ...] = ("before", "after", "overlaps", "unknown")


def period_bounds(date: pd.Series, precision: pd.Series, date_end: pd.Series | None = None):
    """First and last day each row's date may stand for.

    Day precision: the day itself; month: the whole month; year: the whole year; a row with a
    `date_end` (a period or series) runs to that date.  Undated rows have NaT for `lo`, and
    `hi` from `date_end` when given (an upper bound such as "before December 2021").
    """
    d = pd.to_datetime(date).to_numpy(dtype="datetime64[D]")
    prec = pd.Series(precision, copy=False).astype("string").to_numpy(dtype=object, na_value="")
    month_end = (d.astype("datetime64[M]") + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    year_end = (d.astype("datetime64[Y]") + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    hi = np.where(prec == "month", month_end, np.where(prec == "year", year_end, d))
    if date_end is not None:
        end = pd.to_datetime(date_end).to_numpy(dtype="datetime64[D]")
        hi = np.where(np.isnat(end), hi, end)
    index = getattr(date, "index", None)
    return (pd.Series(d.astype("datetime64[s]"), index=index, name="lo"),
            pd.Series(hi.astype("datetime64[s]"), index=index, name="hi"))


def _col(frame: pd.DataFrame, name: str, dtype: str):
    return frame[name].astype(dtype) if name in frame else pd.Series(pd.NA, index=frame.index, dtype=dtype)


def chronology(attacks: pd.DataFrame, bases: pd.DataFrame | None = None) -> pd.DataFrame:
    """Attacks in time order: dated rows by date, then undated series by their latest possible
    date (`date_end`), then by id.

    Adds the target's name (`target_ar`/`target_en`: the base's name with `bases`, else the
    target text), `casualties` (killed + injured, NA when neither is given), `dated`, and the
    period each date stands for (`lo`, `hi`).
    """
    a = attacks
    lo, hi = period_bounds(a["date"], a["date_precision"], a["date_end"] if "date_end" in a else None)
    out = pd.DataFrame({
        "attack_id": a["attack_id"].astype("string"),
        "date": pd.to_datetime(a["date"]),
        "date_end": pd.to_datetime(a["date_end"]) if "date_end" in a else pd.NaT,
        "date_precision": a["date_precision"].astype("string"),
        "lo": lo, "hi": hi,
        "event_kind": a["event_kind"].astype("string"),
        "base_id": a["base_id"].astype("string"),
        "target_ar": _col(a, "target_ar", "string"),
        "target_en": _col(a, "target_en", "string"),
        "perpetrator_ar": _col(a, "perpetrator_ar", "string"),
        "perpetrator_en": _col(a, "perpetrator_en", "string"),
        "perpetrator_kind": a["perpetrator_kind"].astype("string"),
        "weapon": a["weapon"].astype("string"),
        "projectiles": _col(a, "projectiles", "Int64"),
        "killed": _col(a, "killed", "Int64"),
        "injured": _col(a, "injured", "Int64"),
        "casualties_approximate": _col(a, "casualties_approximate", "boolean"),
        "source_id": a["source_id"].astype("string"),
    })
    if bases is not None:
        names = bases.assign(base_id=bases["base_id"].astype("string")).set_index("base_id")
        out["target_ar"] = out["base_id"].map(names["name_ar"].astype("string")).astype("string").fillna(out["target_ar"])
        out["target_en"] = out["base_id"].map(names["name_en"].astype("string")).astype("string").fillna(out["target_en"])
    both = out["killed"].isna() & out["injured"].isna()
    out["casualties"] = (out["killed"].fillna(0) + out["injured"].fillna(0)).mask(both)
    out["dated"] = out["date"].notna()
    out = out.sort_values(["dated", "date", "hi", "attack_id"], ascending=[False, True, True, True],
                          kind="stable", na_position="last")
    return out.reset_index(drop=True)


def per_year(attacks: pd.DataFrame, *, undated: bool = True) -> pd.DataFrame:
    """Attacks per calendar year of their (first) date: rows, single attacks, series, killed
    and injured (sums of the figures the sources give; a row without a figure adds 0).
    Undated rows form a last row with `year` NA when `undated` is true, so nothing is dropped
    silently.  A series counts as one row."""
    year = pd.to_datetime(attacks["date"]).dt.year.astype("Int64")
    kind = attacks["event_kind"].astype("string")
    frame = pd.DataFrame({
        "year": year,
        "single": (kind == "single").astype("Int64"),
        "series": (kind == "series").astype("Int64"),
        "killed": _col(attacks, "killed", "Int64"),
        "injured": _col(attacks, "injured", "Int64"),
    })
    out = frame.groupby("year", dropna=not undated, sort=True).agg(
        attacks=("single", "size"), single=("single", "sum"), series=("series", "sum"),
        killed=("killed", "sum"), injured=("injured", "sum"),
    ).reset_index()
    for c in ("attacks", "single", "series", "killed", "injured"):
        out[c] = out[c].astype("Int64")
    out["year"] = out["year"].astype("Int64")
    return out.sort_values("year", na_position="last", kind="stable").reset_index(drop=True)


def per_base(attacks: pd.DataFrame, bases: pd.DataFrame | None = None) -> pd.DataFrame:
    """Attacks per target base (NA for targets that are not one base): rows, series, killed,
    injured, first and last date; with `bases`, the base names.  Most attacked first."""
    frame = pd.DataFrame({
        "base_id": attacks["base_id"].astype("string"),
        "series": (attacks["event_kind"].astype("string") == "series").astype("Int64"),
        "killed": _col(attacks, "killed", "Int64"),
        "injured": _col(attacks, "injured", "Int64"),
        "date": pd.to_datetime(attacks["date"]),
    })
    out = frame.groupby("base_id", dropna=False, sort=True).agg(
        attacks=("series", "size"), series=("series", "sum"), killed=("killed", "sum"),
        injured=("injured", "sum"), first=("date", "min"), last=("date", "max"),
    ).reset_index()
    for c in ("attacks", "series", "killed", "injured"):
        out[c] = out[c].astype("Int64")
    if bases is not None:
        names = bases.assign(base_id=bases["base_id"].astype("string")).set_index("base_id")
        out["name_ar"] = out["base_id"].map(names["name_ar"]).astype("string")
        out["name_en"] = out["base_id"].map(names["name_en"]).astype("string")
    out = out.sort_values(["attacks", "base_id"], ascending=[False, True], kind="stable", na_position="last")
    return out.reset_index(drop=True)


def relative_to(attacks: pd.DataFrame, milestones: pd.DataFrame, milestone_id: str = "M07") -> pd.DataFrame:
    """Is each attack before or after a milestone (default M07, the 3 January 2020 strike)?

    Compares the period each date can stand for (see `period_bounds`) with the milestone's:
    `before` if the attack's latest possible day is earlier than the milestone's first,
    `after` if its earliest possible day is later than the milestone's last, else `overlaps`
    (a month-precision attack in the milestone's month, or a series spanning it).  An
    overlapping row whose `date_note` begins with "After"/"Before" takes that side, with
    `basis` "note".  Undated rows are `before` when their `date_end` bound precedes the
    milestone, otherwise `unknown`.  `days` is the earliest possible day minus the milestone
    date (NA if undated).
    """
    m = milestones[milestones["milestone_id"].astype("string") == milestone_id]
    if m.empty:
        raise KeyError(f"milestone {milestone_id!r} not found")
    m_lo, m_hi = period_bounds(m["date"], m["date_precision"], m["date_end"] if "date_end" in m else None)
    m_lo, m_hi = m_lo.iloc[0], m_hi.iloc[0]
    lo, hi = period_bounds(attacks["date"], attacks["date_precision"],
                           attacks["date_end"] if "date_end" in attacks else None)
    note = _col(attacks, "date_note", "string").fillna("").str.strip().str.lower()
    dated = lo.notna()
    before = hi.notna() & (hi < m_lo)
    after = dated & (lo > m_hi)
    overlaps = dated & ~before & ~after
    note_after = overlaps & note.str.startswith("after")
    note_before = overlaps & note.str.startswith("before")
    relation = np.select(
        [before.to_numpy(), after.to_numpy(), (note_after).to_numpy(), (note_before).to_numpy(),
         overlaps.to_numpy()],
        ["before", "after", "after", "before", "overlaps"], default="unknown")
    basis = np.select([(note_after | note_before).to_numpy(), dated.to_numpy(), before.to_numpy()],
                      ["note", "date", "bound"], default="none")
    days = ((lo - m_lo).dt.days).astype("Int64")
    return pd.DataFrame({
        "attack_id": attacks["attack_id"].astype("string"),
        "date": pd.to_datetime(attacks["date"]),
        "date_precision": attacks["date_precision"].astype("string"),
        "lo": lo, "hi": hi,
        "milestone_id": milestone_id,
        "relation": pd.Categorical(relation, categories=list(RELATIONS)),
        "basis": pd.Series(basis, index=attacks.index, dtype="string"),
        "days": days,
    }).reset_index(drop=True)
