"""analysis.bases on small inline tables: intervals, cumulative handovers, provinces, remaining."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis import bases

STATES = ["presence", "iraqi_command", "handed_over", "partially_handed_over", "combat_withdrawing", "combat_withdrawn",
          "advisers_only", "troops_redeployed", "contractors_evacuated", "fully_withdrawn", "still_present"]


def events(rows):
    df = pd.DataFrame(rows, columns=["event_id", "base_id", "date", "date_precision", "state", "actor", "source_id"])
    df["date"] = pd.to_datetime(df["date"])
    df["state"] = pd.Categorical(df["state"], categories=STATES)
    df["date_precision"] = df["date_precision"].astype("category")
    df["actor"] = df["actor"].astype("category")
    return df


@pytest.fixture
def ev():
    return events([
        ("E1", "a", "2003-01-01", "year", "presence", "us", "s1"),
        ("E2", "a", "2021-12-01", "month", "advisers_only", "us", "s1"),
        ("E3", "a", "2021-12-01", "month", "combat_withdrawn", "us", "s1"),
        ("E4", "a", "2026-01-01", "year", "fully_withdrawn", "us", "s2"),
        ("E5", "b", "2020-03-01", "month", "handed_over", "coalition", "s1"),
        ("E6", "c", "2017-01-01", "year", "presence", "coalition", "s1"),
        ("E7", "c", "2020-08-01", "month", "handed_over", "coalition", "s1"),
        ("E8", "c", "2021-01-01", "year", "handed_over", "coalition", "s1"),
        ("E9", "h", "2021-01-01", "year", "presence", "us", "s1"),
        ("E10", "h", "2026-01-01", "year", "still_present", "us", "s2"),
        ("E11", "d", None, "unknown", "contractors_evacuated", "us", "s1"),
    ])


@pytest.fixture
def bs():
    return pd.DataFrame({
        "base_id": ["a", "b", "c", "h", "d", "e"],
        "name_ar": ["أ", "ب", "ج", "ح", "د", "هـ"],
        "name_en": ["A", "B", "C", "H", "D", "E"],
        "province_ar": ["الأنبار", "نينوى", "الأنبار", "أربيل", None, None],
        "province_en": ["Anbar", "Nineveh", "Anbar", "Erbil", None, None],
        "region": pd.Categorical(["federal", "federal", "federal", "kurdistan", "federal", "federal"]),
    }).astype({"base_id": "string", "province_en": "string", "province_ar": "string"})


def test_timelines_intervals(ev):
    t = bases.timelines(ev).set_index("event_id")
    assert t.loc["E1", "end"] == pd.Timestamp("2021-12-01")
    # same date: enum order puts combat_withdrawn before advisers_only; a zero-length interval
    assert t.loc["E3", "end"] == pd.Timestamp("2021-12-01")
    assert t.loc["E2", "end"] == pd.Timestamp("2026-01-01")
    assert t.loc["E2", "end_precision"] == "year"
    assert pd.isna(t.loc["E4", "end"]) and t.loc["E4", "open"] and t.loc["E4", "terminal"]
    assert not t.loc["E11", "dated"] and not t.loc["E11", "open"] and pd.isna(t.loc["E11", "end"])
    order = list(bases.timelines(ev).query("base_id == 'a'")["event_id"])
    assert order == ["E1", "E3", "E2", "E4"]


def test_timelines_with_bases_carries_names(ev, bs):
    t = bases.timelines(ev, bs)
    assert {"name_ar", "province_en", "region"} <= set(t.columns)
    assert t.loc[t["base_id"] == "h", "region"].iloc[0] == "kurdistan"
    assert list(t["province_en"].dropna().unique()) == ["Anbar", "Erbil", "Nineveh"]


def test_handed_over_cumulative_counts_each_base_once(ev):
    h = bases.handed_over(ev)
    assert list(h["base_id"]) == ["b", "c", "a"]
    assert list(h["handed_over"]) == [1, 2, 3]
    assert h.loc[h["base_id"] == "c", "event_id"].item() == "E7"  # first handover only
    assert list(bases.handed_over(ev, states=("handed_over",))["handed_over"]) == [1, 2]


def test_by_province(ev, bs):
    p = bases.by_province(bs, ev)
    anbar = p[p["province_en"] == "Anbar"].iloc[0]
    assert anbar["bases"] == 2 and anbar["handed_over"] == 2
    assert anbar["first_handover"] == pd.Timestamp("2020-08-01")
    assert anbar["last_handover"] == pd.Timestamp("2026-01-01")
    erbil = p[p["province_en"] == "Erbil"].iloc[0]
    assert erbil["handed_over"] == 0 and pd.isna(erbil["first_handover"])
    assert pd.isna(p["province_en"].iloc[-1]) and p["bases"].iloc[-1] == 2  # unknown province last
    assert p["bases"].sum() == len(bs)


def test_remaining(ev, bs):
    r = bases.remaining(ev)
    assert list(r["base_id"]) == ["h"]
    assert bases.remaining(ev, bs)["name_en"].item() == "H"
    later = pd.concat([ev, events([("E12", "h", "2027-01-01", "year", "fully_withdrawn", "us", "s3")])])
    assert bases.remaining(later).empty


def test_on_package_data():
    from analysis import load

    t = load(validate=False)
    assert list(bases.remaining(t.base_events)["base_id"]) == ["harir"]
    h = bases.handed_over(t.base_events)
    assert h["handed_over"].is_monotonic_increasing and h["base_id"].is_unique


def test_partial_handover_is_its_own_state(ev, bs):
    """A base where only the foreign forces' wing was handed over is not a handed-over base."""
    part = pd.concat([ev, events([("E12", "e", "2020-04-01", "month", "partially_handed_over", "coalition", "s1")])], ignore_index=True)
    assert "e" not in set(bases.handed_over(part)["base_id"])
    assert list(bases.handed_over(part, bases.PARTIAL_STATES)["base_id"]) == ["e"]
    p = bases.by_province(bs, part)
    unknown = p[p["province_en"].isna()].iloc[0]
    assert unknown["handed_over"] == 0 and unknown["partly_handed_over"] == 1
    assert p["handed_over"].sum() == bases.by_province(bs, ev)["handed_over"].sum()
    assert "e" not in set(bases.remaining(part)["base_id"])
    assert not bases.timelines(part).set_index("event_id").loc["E12", "terminal"]


def test_expected_rows_are_not_counted(ev):
    planned = events([("E13", "h", "2027-01-01", "year", "fully_withdrawn", "us", "s3")])
    planned["modality"] = "expected"
    both = pd.concat([ev.assign(modality="stated"), planned], ignore_index=True)
    assert "h" not in set(bases.handed_over(both)["base_id"])
    assert list(bases.remaining(both)["base_id"]) == ["h"]


def test_habbaniyah_is_a_partial_handover_in_the_package():
    from analysis import load

    t = load(validate=False)
    assert "habbaniyah" not in set(bases.handed_over(t.base_events)["base_id"])
    anbar = bases.by_province(t.bases, t.base_events).set_index("province_en").loc["Anbar"]
    assert anbar["partly_handed_over"] == 1
