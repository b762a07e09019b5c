"""Bases: state timelines, handovers through time, provinces, and the bases still held.

Why: the sources describe each base by dated events (a state the base enters on a date, at
day, month or year precision, or with no date at all).  Turning them into intervals, counts
and per-province summaries is what the handover figure and the briefing need; undated events
are kept and flagged rather than dropped.
"""
from __future__ import annotations

import pandas as pd

from .memo import per_build

__all__ = ["HANDOVER_STATES", "PARTIAL_STATES", "TERMINAL_STATES", "timelines", "handed_over", "by_province",
           "remaining"]

#: States that mean the foreign forces gave the base (or their part of it) up.
HANDOVER_STATES: tuple[str, ...] = ("handed_over", "fully_withdrawn")
#: States where the foreign forces gave up only their part of a base (Habbaniyah: the coalition's
#: wing).  Never counted as a handover of the base, and not terminal.
PARTIAL_STATES: tuple[str, ...] = ("partially_handed_over",)
#: States after which the sources describe no further foreign presence at the base.
TERMINAL_STATES: tuple[str, ...] = HANDOVER_STATES

_PRECISION_ORDER = {"year": 0, "month": 1, "day": 2, "unknown": 3}


def _facts(base_events: pd.DataFrame) -> pd.DataFrame:
    """Rows that report something that happened: expected or planned rows are never counted."""
    if "modality" not in base_events:
        return base_events
    return base_events[base_events["modality"].astype("string").fillna("") != "expected"]


def _ordered(base_events: pd.DataFrame) -> pd.DataFrame:
    """Events per base in time order: by date (undated last), then the state's enum order."""
    ev = base_events.copy()
    state = ev["state"]
    rank = state.cat.codes if isinstance(state.dtype, pd.CategoricalDtype) else pd.Series(0, index=ev.index)
    ev["_rank"] = rank
    ev["_undated"] = ev["date"].isna()
    ev = ev.sort_values(["base_id", "_undated", "date", "_rank", "event_id"], kind="stable")
    return ev.drop(columns=["_rank", "_undated"])


def timelines(base_events: pd.DataFrame, bases: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-base state intervals.

    One row per event: the base is in `state` from `start` (the event date, at `precision`)
    until `end`, the date of the base's next dated event, or NaT while `open`.  Undated events
    (`dated` False) have neither start nor end.  With `bases`, each row carries the base's names,
    province and region, and rows are ordered by province, then base, then time.
    """
    ev = _ordered(base_events)
    out = pd.DataFrame({
        "base_id": ev["base_id"].astype("string"),
        "event_id": ev["event_id"].astype("string"),
        "state": ev["state"].astype("string"),
        "actor": ev["actor"].astype("string"),
        "start": ev["date"],
        "precision": ev["date_precision"].astype("string"),
        "source_id": ev["source_id"].astype("string"),
    })
    out["dated"] = out["start"].notna()
    dated = out[out["dated"]]
    nxt = dated.groupby("base_id", sort=False)["start"].shift(-1)
    nxt_prec = dated.groupby("base_id", sort=False)["precision"].shift(-1)
    out["end"] = nxt.reindex(out.index)
    out["end_precision"] = nxt_prec.reindex(out.index).astype("string")
    out["open"] = out["dated"] & out["end"].isna()
    out["terminal"] = out["state"].isin(list(TERMINAL_STATES))
    if bases is not None:
        cols = ["base_id", "name_ar", "name_en", "province_ar", "province_en", "region"]
        info = bases[cols].copy()
        info["base_id"] = info["base_id"].astype("string")
        info["region"] = info["region"].astype("string")
        out = out.merge(info, on="base_id", how="left")
        out = out.sort_values(["province_en", "base_id"], kind="stable", na_position="last")
    cols = ["base_id", "event_id", "state", "actor", "start", "end", "precision", "end_precision",
            "open", "dated", "terminal", "source_id"]
    extra = [c for c in out.columns if c not in cols]
    return out[cols + extra].reset_index(drop=True)


@per_build
def handed_over(base_events: pd.DataFrame, states: tuple[str, ...] = HANDOVER_STATES) -> pd.DataFrame:
    """Cumulative count of bases handed over through time.

    A base counts once, at its first dated event in `states`.  One row per base in date order,
    with `handed_over` the running total up to and including that base.  A partial handover
    (PARTIAL_STATES) is not a handover; expected rows are never counted.
    """
    ev = _ordered(_facts(base_events))
    ev = ev[ev["state"].astype("string").isin(list(states)) & ev["date"].notna()]
    ev = ev.sort_values(["date", "base_id"], kind="stable").drop_duplicates("base_id")
    out = pd.DataFrame({
        "date": ev["date"],
        "precision": ev["date_precision"].astype("string"),
        "base_id": ev["base_id"].astype("string"),
        "event_id": ev["event_id"].astype("string"),
        "state": ev["state"].astype("string"),
        "actor": ev["actor"].astype("string"),
    }).reset_index(drop=True)
    out["handed_over"] = pd.Series(range(1, len(out) + 1), dtype="Int64")
    return out


def by_province(bases: pd.DataFrame, base_events: pd.DataFrame,
                states: tuple[str, ...] = HANDOVER_STATES) -> pd.DataFrame:
    """Bases per province, how many were handed over, and the first and last handover dates.

    `partly_handed_over` counts bases where only the foreign forces' part was handed over (and
    no full handover is reported); they are not in `handed_over` nor in the dates.  Bases whose
    province the sources do not give are grouped under a missing province (NA), listed last.
    """
    ho = handed_over(base_events, states)
    part = handed_over(base_events, PARTIAL_STATES)
    part = part[~part["base_id"].isin(ho["base_id"])]
    b = pd.DataFrame({
        "base_id": bases["base_id"].astype("string"),
        "province_ar": bases["province_ar"].astype("string"),
        "province_en": bases["province_en"].astype("string"),
        "region": bases["region"].astype("string"),
    }).merge(ho[["base_id", "date"]], on="base_id", how="left")
    b["partial"] = b["base_id"].isin(part["base_id"])
    g = b.groupby(["province_en", "province_ar"], dropna=False, sort=False)
    out = g.agg(
        region=("region", "first"),
        bases=("base_id", "nunique"),
        handed_over=("date", "count"),
        partly_handed_over=("partial", "sum"),
        first_handover=("date", "min"),
        last_handover=("date", "max"),
    ).reset_index()
    out["bases"] = out["bases"].astype("Int64")
    out["handed_over"] = out["handed_over"].astype("Int64")
    out["partly_handed_over"] = out["partly_handed_over"].astype("Int64")
    out = out.sort_values(["province_en"], kind="stable", na_position="last")
    return out[["province_ar", "province_en", "region", "bases", "handed_over", "partly_handed_over",
                "first_handover", "last_handover"]].reset_index(drop=True)


def latest(base_events: pd.DataFrame) -> pd.DataFrame:
    """Each base's latest dated event (its current state as far as the sources go); expected
    rows are not states the base is in."""
    ev = _ordered(_facts(base_events))
    ev = ev[ev["date"].notna()]
    return ev.groupby("base_id", sort=True).tail(1).reset_index(drop=True)


def remaining(base_events: pd.DataFrame, bases: pd.DataFrame | None = None,
              state: str = "still_present") -> pd.DataFrame:
    """Bases whose latest dated state is `state` (foreign forces still there).

    A base whose latest state is a partial handover is not listed: the sources say only that
    the foreign forces' part was handed over, not that forces remain."""
    last = latest(base_events)
    last = last[last["state"].astype("string") == state]
    out = pd.DataFrame({
        "base_id": last["base_id"].astype("string"),
        "event_id": last["event_id"].astype("string"),
        "date": last["date"],
        "precision": last["date_precision"].astype("string"),
        "state": last["state"].astype("string"),
        "actor": last["actor"].astype("string"),
    })
    if bases is not None:
        info = bases[["base_id", "name_ar", "name_en", "province_ar", "province_en"]].copy()
        info["base_id"] = info["base_id"].astype("string")
        out = out.merge(info, on="base_id", how="left")
    return out.reset_index(drop=True)
