"""analysis.attacks on small inline tables: order, counts, before/after a milestone, speed."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import attacks


def table(rows):
    cols = ["attack_id", "date", "date_end", "date_precision", "date_note", "event_kind", "base_id",
            "target_ar", "target_en", "perpetrator_kind", "weapon", "killed", "injured", "source_id"]
    df = pd.DataFrame(rows, columns=cols)
    for c in ("date", "date_end"):
        df[c] = pd.to_datetime(df[c])
    for c in ("killed", "injured"):
        df[c] = df[c].astype("Int64")
    for c in ("date_precision", "event_kind", "perpetrator_kind", "weapon"):
        df[c] = df[c].astype("category")
    for c in ("attack_id", "date_note", "base_id", "target_ar", "target_en", "source_id"):
        df[c] = df[c].astype("string")
    return df


@pytest.fixture
def at():
    return table([
        ("A3", "2020-01-01", "2020-12-31", "year", None, "series", None, "مقار", "Compounds", "militia", "unknown", None, None, "s1"),
        ("A1", "2019-12-27", None, "day", None, "single", "k1", None, None, "unknown", "rockets", 1, None, "s1"),
        ("A2", "2020-01-01", None, "month", "After the strike; the day is not given.", "single", "asad", None, None, "state", "ballistic_missiles", None, 11, "s1"),
        ("A4", "2020-01-01", None, "month", None, "single", "asad", None, None, "militia", "rockets", 2, 3, "s2"),
        ("A5", None, "2021-12-31", "unknown", None, "series", "harir", None, None, "militia", "rockets", None, None, "s2"),
        ("A6", None, "2019-06-30", "unknown", None, "series", "asad", None, None, "militia", "rockets", None, None, "s2"),
        ("A7", "2024-08-01", None, "month", None, "single", "asad", None, None, "unknown", "unknown", None, 7, "s3"),
        ("A8", "2020-01-02", None, "day", None, "single", "asad", None, None, "unknown", "rockets", None, None, "s3"),
    ])


@pytest.fixture
def ms():
    return pd.DataFrame({
        "milestone_id": pd.array(["M07", "M99"], dtype="string"),
        "date": pd.to_datetime(["2020-01-03", "2020-01-01"]),
        "date_end": pd.to_datetime([None, None]),
        "date_precision": pd.Categorical(["day", "year"]),
    })


def test_period_bounds():
    lo, hi = attacks.period_bounds(pd.Series(pd.to_datetime(["2020-02-01", "2020-01-01", "2021-03-05", None])),
                                   pd.Series(["month", "year", "day", "unknown"]),
                                   pd.Series(pd.to_datetime([None, None, None, "2021-12-31"])))
    assert list(hi[:3]) == [pd.Timestamp("2020-02-29"), pd.Timestamp("2020-12-31"), pd.Timestamp("2021-03-05")]
    assert pd.isna(lo[3]) and hi[3] == pd.Timestamp("2021-12-31")


def test_chronology_order_names_casualties(at):
    bases = pd.DataFrame({"base_id": ["k1", "asad"], "name_ar": ["ك1", "الأسد"], "name_en": ["K-1", "Asad"]})
    c = attacks.chronology(at, bases)
    # dated rows by first possible date (ties: shorter period first), then undated by bound
    assert list(c["attack_id"]) == ["A1", "A2", "A4", "A3", "A8", "A7", "A6", "A5"]
    row = c.set_index("attack_id")
    assert row.loc["A1", "target_en"] == "K-1"
    assert row.loc["A3", "target_en"] == "Compounds"  # not one base: the target text
    assert row.loc["A5", "target_en"] is pd.NA or pd.isna(row.loc["A5", "target_en"])  # unknown base
    assert row.loc["A4", "casualties"] == 5
    assert row.loc["A2", "casualties"] == 11
    assert pd.isna(row.loc["A8", "casualties"])
    assert not row.loc["A5", "dated"] and row.loc["A2", "dated"]


def test_per_year(at):
    p = attacks.per_year(at)
    assert list(p["year"].iloc[:-1]) == [2019, 2020, 2024]
    y2020 = p[p["year"] == 2020].iloc[0]
    assert (y2020["attacks"], y2020["single"], y2020["series"]) == (4, 3, 1)
    assert (y2020["killed"], y2020["injured"]) == (2, 14)
    assert pd.isna(p["year"].iloc[-1]) and p["attacks"].iloc[-1] == 2
    assert p["attacks"].sum() == len(at)
    assert attacks.per_year(at, undated=False)["year"].notna().all()


def test_per_base(at):
    p = attacks.per_base(at).set_index("base_id", drop=False)
    assert p["base_id"].iloc[0] == "asad"  # most attacked first
    asad = p.loc["asad"]
    assert (asad["attacks"], asad["series"], asad["killed"], asad["injured"]) == (5, 1, 2, 21)
    assert asad["last"] == pd.Timestamp("2024-08-01")
    assert p["attacks"].sum() == len(at)


def test_relative_to(at, ms):
    r = attacks.relative_to(at, ms).set_index("attack_id")
    assert r.loc["A1", "relation"] == "before"
    assert r.loc["A1", "days"] == -7
    # month precision in the milestone's month: uncertain unless the note says after
    assert r.loc["A4", "relation"] == "overlaps"
    assert (r.loc["A2", "relation"], r.loc["A2", "basis"]) == ("after", "note")
    assert r.loc["A3", "relation"] == "overlaps"  # a series spanning the milestone
    assert r.loc["A8", "relation"] == "before"  # 2 January, the day before
    assert r.loc["A7", "relation"] == "after"
    # undated: before only when its upper bound precedes the milestone
    assert (r.loc["A6", "relation"], r.loc["A6", "basis"]) == ("before", "bound")
    assert r.loc["A5", "relation"] == "unknown"
    # a year-precision milestone: the whole year is uncertain
    y = attacks.relative_to(at, ms, "M99").set_index("attack_id")
    assert y.loc["A8", "relation"] == "overlaps" and y.loc["A7", "relation"] == "after"
    with pytest.raises(KeyError):
        attacks.relative_to(at, ms, "M00")


def test_package_data_m07():
    from analysis import load

    t = load(validate=False)
    r = attacks.relative_to(t.attacks, t.milestones).set_index("attack_id")
    assert r.loc["A01", "relation"] == "before"  # 27 December 2019
    assert r.loc["A02", "relation"] == "after"  # month precision, note says after


def test_vectorised_100k(at):
    """A synthetic table of 100,000 events goes through without a Python loop losing rows."""
    rng = np.random.default_rng(0)
    big = at.sample(100_000, replace=True, random_state=0).reset_index(drop=True)
    big["attack_id"] = pd.array([f"X{i}" for i in range(len(big))], dtype="string")
    big["date"] = big["date"] + pd.to_timedelta(rng.integers(0, 2000, len(big)), unit="D")
    c = attacks.chronology(big)  # bench/run.py times this (aim: under 2 s)
    p = attacks.per_year(big)
    assert len(c) == 100_000 and p["attacks"].sum() == 100_000
