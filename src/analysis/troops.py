"""Troop levels: step series, changes between observations, the peak and reductions.

Why: the sources give troop numbers as scattered points of unequal precision (a 2003-2011
peak period, a year, a month, a day), some hedged ("about"), some announced targets rather
than counts, and for different areas (all Iraq, federal Iraq, one base).  These functions keep
all of that visible instead of flattening it into a single line, and compute every number the
briefing quotes.
"""
from __future__ import annotations

import pandas as pd

from .memo import per_build

__all__ = ["AREAS", "series", "changes", "peak", "reduction"]

#: Areas that measure the country-wide presence (a single base or Kurdistan alone do not).
AREAS: tuple[str, ...] = ("iraq", "federal_iraq")

_PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}
_SERIES_COLUMNS = [
    "counted", "kind", "area", "date", "date_end", "date_precision", "count", "approximate",
    "source_id", "obs_id", "conflict_id", "next_date", "step_end",
]


@per_build
def series(troop_levels: pd.DataFrame, *, areas: tuple[str, ...] | None = AREAS) -> pd.DataFrame:
    """Step series, one per (counted, kind), sorted by date.

    Each row is one observation: the level holds from `date` until `next_date`, the date of the
    group's next observation (NaT for the last, open step).  `step_end` is where a drawn step
    should stop: the observation's own `date_end` when it describes a bounded period (the
    2003-2011 peak), else `next_date`.  `areas` keeps country-wide counts only (None keeps all).
    On equal dates the coarser precision comes first, so a day-precise count ends a
    month-precise one of the same month.
    """
    frame = troop_levels
    if areas is not None:
        frame = frame[frame["area"].astype("string").isin(list(areas))]
    out = pd.DataFrame({
        "counted": frame["counted"].astype("string"),
        "kind": frame["kind"].astype("string"),
        "area": frame["area"].astype("string"),
        "date": pd.to_datetime(frame["date"]),
        "date_end": pd.to_datetime(frame["date_end"]) if "date_end" in frame else pd.NaT,
        "date_precision": frame["date_precision"].astype("string"),
        "count": frame["count"].astype("Int64"),
        "approximate": frame["count_approximate"].astype("boolean").fillna(False),
        "source_id": frame["source_id"].astype("string"),
        "obs_id": frame["obs_id"].astype("string"),
        "conflict_id": (frame["conflict_id"] if "conflict_id" in frame else pd.NA),
    })
    out["conflict_id"] = out["conflict_id"].astype("string")
    out["_prec"] = out["date_precision"].map(_PRECISION_ORDER).fillna(-1)
    out = out.sort_values(["counted", "kind", "date", "_prec", "obs_id"], kind="stable").drop(columns="_prec")
    out["next_date"] = out.groupby(["counted", "kind"], sort=False)["date"].shift(-1)
    out["step_end"] = out["date_end"].where(out["date_end"].notna(), out["next_date"])
    return out[_SERIES_COLUMNS].reset_index(drop=True)


def _as_series(series_or_levels: pd.DataFrame) -> pd.DataFrame:
    return series_or_levels if "next_date" in series_or_levels else series(series_or_levels)


def changes(series_or_levels: pd.DataFrame, counted: str = "us", kind: str = "observed") -> pd.DataFrame:
    """Change between consecutive points of one series, and from the peak so far.

    `change`/`pct_change` compare each point with the previous one; `peak` is the highest count
    up to and including the point, `from_peak`/`pct_from_peak` the change from it.  Percentages
    are in percent (-50.0 means halved); NA where the base is missing or zero.
    """
    s = _as_series(series_or_levels)
    s = s[(s["counted"] == counted) & (s["kind"] == kind)].reset_index(drop=True)
    count = s["count"].astype("Float64")
    prev = count.shift(1)
    out = s[["obs_id", "date", "date_end", "date_precision", "area", "count", "approximate", "source_id"]].copy()
    out["previous"] = s["count"].shift(1)
    out["change"] = (count - prev).astype("Int64")
    out["pct_change"] = ((count - prev) / prev.where(prev != 0) * 100).astype("Float64")
    running = count.cummax()
    out["peak"] = running.astype("Int64")
    out["from_peak"] = (count - running).astype("Int64")
    out["pct_from_peak"] = ((count - running) / running.where(running != 0) * 100).astype("Float64")
    return out


def peak(levels: pd.DataFrame, counted: str = "us", kind: str = "observed") -> pd.Series:
    """The observation with the highest count of one series (first one on ties)."""
    s = _as_series(levels)
    s = s[(s["counted"] == counted) & (s["kind"] == kind)]
    if s.empty:
        raise ValueError(f"no {kind} troop levels for {counted!r}")
    return s.loc[s["count"].astype("Float64").idxmax()]


def _point(s: pd.DataFrame, at) -> pd.Series:
    """Resolve `at`: an obs_id, 'peak', 'first', 'last', or a date (the step in force then)."""
    if isinstance(at, str):
        if at == "peak":
            return s.loc[s["count"].astype("Float64").idxmax()]
        if at == "first":
            return s.iloc[0]
        if at == "last":
            return s.iloc[-1]
        hit = s[s["obs_id"] == at]
        if len(hit):
            return hit.iloc[0]
    when = pd.Timestamp(at)
    hit = s[s["date"] <= when]
    if hit.empty:
        raise ValueError(f"no observation on or before {at!r}")
    return hit.iloc[-1]


def reduction(levels: pd.DataFrame, start="peak", end="last", *, counted: str = "us",
              kind: str = "observed") -> pd.Series:
    """Fall in one series between two points.

    `start`/`end`: an obs_id, 'peak', 'first', 'last' or a date (the latest observation on or
    before it; on equal dates the most precise one).  Returns the two observations (id, date,
    precision, area, count, approximate) with `change` (end - start), `reduction`
    (start - end) and `pct_reduction` (share of the start level, in percent).  Areas are
    returned because the last counts may cover federal Iraq only.
    """
    s = _as_series(levels)
    s = s[(s["counted"] == counted) & (s["kind"] == kind)].reset_index(drop=True)
    if s.empty:
        raise ValueError(f"no {kind} troop levels for {counted!r}")
    a, b = _point(s, start), _point(s, end)
    a_count, b_count = int(a["count"]), int(b["count"])
    out = {}
    for prefix, row in (("start", a), ("end", b)):
        for col in ("obs_id", "date", "date_precision", "area", "count", "approximate"):
            out[f"{prefix}_{col}"] = row[col]
    out["change"] = b_count - a_count
    out["reduction"] = a_count - b_count
    out["pct_reduction"] = (a_count - b_count) / a_count * 100 if a_count else float("nan")
    return pd.Series(out)
