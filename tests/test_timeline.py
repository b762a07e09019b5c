"""analysis.timeline: one row per milestone, dates drawn no more precisely than the sources give."""
from __future__ import annotations

import warnings

import pytest

pytestmark = pytest.mark.figures  # draws whole figures: `make test` runs these, `make test-fast` does not

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg", force=True)
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from analysis import arabic, figures, sourceline, timeline  # noqa: E402
from analysis.arabic import label  # noqa: E402


def _num(s):
    return float(mdates.date2num(pd.Timestamp(s).to_pydatetime()))


def _placeable(ms):
    return ms[ms["date"].notna() | ms["date_end"].notna() | ms["date_latest"].notna()]


def test_geometry_rows_follow_the_data(tables):
    geo = timeline.timeline_geometry(tables, "ar", kinds="all")
    ms = _placeable(tables.milestones)
    start = pd.Timestamp(timeline.START)
    # every milestone is drawn once: on the axis from START on, or in the list of earlier ones
    assert len(geo["rows"]) + len(geo["early_ids"]) == len(ms)
    before = " ".join(geo["before"])
    for _, m in ms.iterrows():
        end = m["date_end"] if pd.notna(m["date_end"]) else m["date"] if pd.notna(m["date"]) else m["date_latest"]
        if pd.notna(m["date"]) and str(m["date_precision"]) == "year" and pd.isna(m["date_end"]):
            end = pd.Timestamp(f"{m['date'].year}-12-31")
        early = str(m["milestone_id"]) in geo["early_ids"]
        assert early == (end < start), m["milestone_id"]
        if early:
            assert str(m["title_ar"]) in before
    ms = ms[~ms["milestone_id"].astype(str).isin(geo["early_ids"])]
    ys = [r["y"] for r in geo["rows"]]
    assert ys == sorted(ys, reverse=True)  # earliest on top
    keys = [r["x0"] if r["x0"] is not None else r["x1"] for r in geo["rows"]]  # undated: by its latest
    assert keys == sorted(keys)
    by_id = {r["id"]: r for r in geo["rows"]}
    for _, m in ms.iterrows():
        r = by_id[str(m["milestone_id"])]
        prec = str(m["date_precision"])
        if prec == "day" and pd.isna(m["date_end"]):
            assert r["point"] and r["x0"] == _num(m["date"])
        elif pd.notna(m["date_end"]):  # a stated period: the whole of it
            assert not r["point"] and r["x1"] == _num(m["date_end"]) + 1
        elif prec == "month":  # the whole month, not a point on its first day
            end = pd.Timestamp(m["date"]) + pd.offsets.MonthEnd(0)
            assert not r["point"] and r["x1"] == _num(end) + 1
        elif prec == "year":
            assert not r["point"] and r["x1"] == _num(f"{m['date'].year}-12-31") + 1
        elif pd.isna(m["date"]):  # undated: placed by its bounds, up to the latest it can be
            assert r["x1"] >= _num(m["date_latest"]) and not r["point"]
            if pd.notna(m["date_earliest"]):
                assert r["x0"] == _num(m["date_earliest"]) and r["style"] == "range"
            else:  # only a latest date: a dotted bar up to it, no start claimed
                assert r["style"] == "until" and r["x0"] is None
        undated = pd.isna(m["date"]) and pd.isna(m["date_end"])
        assert r["inferred"] == (str(m["date_basis"]) == "inferred" or undated)
        assert str(m["title_ar"]) in r["label"].replace("\n", " ")


def test_statements_are_left_to_the_table_and_the_note_says_so(tables):
    all_ = timeline.timeline_geometry(tables, "en", kinds="all")
    events = timeline.timeline_geometry(tables, "en")
    kinds = tables.milestones.set_index(tables.milestones["milestone_id"].astype(str))["kind"].astype(str)
    shown = [r["id"] for r in events["rows"]] + events["early_ids"]
    assert shown and not [i for i in shown if kinds[i] in timeline.STATEMENT_KINDS]
    assert events["n_shown"] == len(shown) < all_["n_shown"] == events["n_all"]
    ax = timeline.plot_timeline(tables, lang="en")
    line = next(t.get_text() for t in ax.texts if t.get_gid() == sourceline.GID).replace("\n", " ")
    assert f"shows {len(shown)} of {events['n_all']} milestones" in line


def test_the_main_axis_is_the_withdrawal_period(tables):
    """Background years do not stretch the axis: it starts shortly before START."""
    ax = timeline.plot_timeline(tables, lang="ar")
    lo, hi = ax.get_xlim()
    assert _num(timeline.START) - 120 < lo < _num(timeline.START)
    assert ax.figure.get_figheight() < 11  # a page or less at column width


def test_a_changed_date_moves_its_mark(tables):
    ms = tables.milestones.copy()
    i = ms.index[ms["milestone_id"] == "M19"][0]
    ms.loc[i, "date"] = pd.Timestamp("2022-03-15")
    geo = timeline.timeline_geometry(dict(tables, milestones=ms), "en")
    r = next(r for r in geo["rows"] if r["id"] == "M19")
    assert r["x0"] == _num("2022-03-15")
    assert "15\u00a0March\u00a02022" in r["label"]  # the date, never split across lines


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_plot_draws_every_row_and_keeps_rcparams(tables, lang):
    before = dict(mpl.rcParams)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = timeline.plot_timeline(tables, lang=lang)
        ax.figure.canvas.draw()
    assert dict(mpl.rcParams) == before
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert len(ticks) == len(timeline.timeline_geometry(tables, lang)["rows"]) > 10
    title = ax.get_title(loc="right" if lang == "ar" else "left")
    assert title == (label(timeline.TEXT["ar"]["title"]) if lang == "ar" else timeline.TEXT["en"]["title"])
    if lang == "en":
        assert not [t for t in ticks if arabic.has_arabic(t)]
    # same axis conventions as the other charts: years as tick labels, time left to right
    years = [t.get_text() for t in ax.get_xticklabels()]
    assert "2020" in years and years == sorted(years)
    assert ax.get_xlim()[0] < ax.get_xlim()[1]


def test_draws_into_a_given_axes_and_passes_kwargs(tables):
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 9))
    ax = timeline.plot_timeline(tables, ax=b, lang="en", linewidth=7, source_line=False)
    assert ax is b and not a.lines
    widths = {line.get_linewidth() for line in b.get_lines()}
    assert 7 in widths


def test_registered_as_a_briefing_figure():
    from analysis import report

    assert "timeline" in figures.FIGURES and "timeline" in report.FIGURES
    from analysis import registry

    assert "timeline-en" in figures.FIGURES and "timeline-en" in registry.briefing("en")
    assert registry.NARROW["timeline-en"] == "timeline-en-narrow"
