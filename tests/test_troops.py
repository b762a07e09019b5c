"""analysis.troops on small inline tables: steps, changes, peak, reductions."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis import troops


def levels(rows):
    cols = ["obs_id", "date", "date_end", "date_precision", "count", "count_approximate",
            "counted", "area", "kind", "source_id", "conflict_id"]
    df = pd.DataFrame(rows, columns=cols)
    df["date"] = pd.to_datetime(df["date"])
    df["date_end"] = pd.to_datetime(df["date_end"])
    df["count"] = df["count"].astype("Int64")
    df["count_approximate"] = df["count_approximate"].astype("boolean")
    for c in ("date_precision", "counted", "area", "kind"):
        df[c] = df[c].astype("category")
    return df


@pytest.fixture
def tl():
    return levels([
        ("T1", "2003-01-01", "2011-12-31", "year", 170000, False, "us", "iraq", "observed", "s1", None),
        ("T3", "2017-12-01", None, "month", 5200, False, "us", "iraq", "observed", "s1", None),
        ("T2", "2014-01-01", None, "year", 5000, True, "us", "iraq", "observed", "s2", None),
        ("T4", "2020-09-01", None, "month", 3000, False, "us", "iraq", "target", "s1", None),
        ("T5", "2021-12-09", None, "day", 2500, True, "us", "iraq", "observed", "s1", "C3"),
        ("T6", "2021-12-01", None, "month", 2600, False, "us", "iraq", "observed", "s2", None),
        ("T7", "2021-12-01", None, "month", 1500, False, "us", "base", "observed", "s2", None),
        ("T8", "2026-01-01", None, "year", 0, False, "us", "federal_iraq", "observed", "s3", None),
        ("T9", "2021-12-01", None, "month", 2500, False, "coalition", "iraq", "observed", "s2", "C3"),
    ])


def test_series_sorted_steps_and_ends(tl):
    s = troops.series(tl)
    us = s[(s["counted"] == "us") & (s["kind"] == "observed")]
    # the single-base count is not a country-wide level
    assert "T7" not in set(s["obs_id"])
    # on the same month, the coarser (month) point comes before the day-precise one
    assert list(us["obs_id"]) == ["T1", "T2", "T3", "T6", "T5", "T8"]
    nxt = dict(zip(us["obs_id"], us["next_date"], strict=True))
    assert nxt["T2"] == pd.Timestamp("2017-12-01")
    assert nxt["T6"] == pd.Timestamp("2021-12-09")
    assert pd.isna(nxt["T8"])  # last step is open
    end = dict(zip(us["obs_id"], us["step_end"], strict=True))
    assert end["T1"] == pd.Timestamp("2011-12-31")  # a bounded period ends at its own date_end
    assert end["T3"] == pd.Timestamp("2021-12-01")
    # groups are separate series
    tgt = s[s["kind"] == "target"]
    assert list(tgt["obs_id"]) == ["T4"] and pd.isna(tgt["next_date"].iloc[0])
    assert bool(s.loc[s["obs_id"] == "T5", "approximate"].item())
    assert s.loc[s["obs_id"] == "T5", "conflict_id"].item() == "C3"


def test_series_all_areas(tl):
    assert "T7" in set(troops.series(tl, areas=None)["obs_id"])


def test_changes_absolute_percent_and_from_peak(tl):
    c = troops.changes(tl)
    row = c.set_index("obs_id")
    assert pd.isna(row.loc["T1", "change"])
    assert row.loc["T2", "change"] == -165000
    assert row.loc["T3", "change"] == 200
    assert row.loc["T3", "pct_change"] == pytest.approx(4.0)
    assert row.loc["T6", "pct_change"] == pytest.approx((2600 - 5200) / 5200 * 100)
    assert row.loc["T5", "from_peak"] == 2500 - 170000
    assert row.loc["T5", "pct_from_peak"] == pytest.approx((2500 - 170000) / 170000 * 100)
    assert row.loc["T8", "pct_change"] == pytest.approx(-100.0)
    # accepts a series as well as raw levels
    pd.testing.assert_frame_equal(c, troops.changes(troops.series(tl)))


def test_changes_running_peak():
    tl = levels([
        ("a", "2000-01-01", None, "year", 100, False, "us", "iraq", "observed", "s", None),
        ("b", "2001-01-01", None, "year", 300, False, "us", "iraq", "observed", "s", None),
        ("c", "2002-01-01", None, "year", 150, False, "us", "iraq", "observed", "s", None),
    ])
    c = troops.changes(tl).set_index("obs_id")
    assert list(c["peak"]) == [100, 300, 300]
    assert c.loc["c", "pct_from_peak"] == pytest.approx(-50.0)


def test_peak(tl):
    p = troops.peak(tl)
    assert p["obs_id"] == "T1" and p["count"] == 170000
    assert troops.peak(tl, counted="coalition")["obs_id"] == "T9"
    with pytest.raises(ValueError):
        troops.peak(tl, counted="foreign")


def test_reduction_peak_to_last_and_since_date(tl):
    r = troops.reduction(tl)
    assert (r["start_obs_id"], r["end_obs_id"]) == ("T1", "T8")
    assert r["reduction"] == 170000 and r["pct_reduction"] == pytest.approx(100.0)
    assert r["end_area"] == "federal_iraq"
    # a date picks the step in force then; on equal dates the most precise point
    r = troops.reduction(tl, "2017-12-31", "2021-12-31")
    assert (r["start_obs_id"], r["end_obs_id"]) == ("T3", "T5")
    assert r["change"] == -2700
    assert r["pct_reduction"] == pytest.approx(2700 / 5200 * 100)
    r = troops.reduction(tl, "T2", "T3")
    assert r["reduction"] == -200  # a rise is a negative reduction
    with pytest.raises(ValueError):
        troops.reduction(tl, "1990-01-01", "last")


def test_on_package_data():
    from analysis import load

    t = load(validate=False)
    r = troops.reduction(t.troop_levels, "peak", "last")
    assert r["start_count"] == t.troop_levels["count"].max()
    # No source gives a head count after s004 p7's "about 2,500" (the 2026 withdrawal is from
    # installations, with no count), so the last country-wide observation is that figure.
    assert r["end_obs_id"] == "T10" and r["end_count"] == 2500 and r["end_approximate"]
    assert "federal_iraq" not in set(t.troop_levels["area"].astype("string"))
