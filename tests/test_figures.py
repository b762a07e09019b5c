"""analysis.figures: every figure renders cleanly in Arabic and English, carries the expected
texts, leaves rcParams alone, draws into a given Axes, follows the data, and write_all is
reproducible and atomic."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

pytestmark = pytest.mark.figures  # draws whole figures: `make test` runs these, `make test-fast` does not

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg", force=True)
import matplotlib.legend  # noqa: E402,F401
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.text  # noqa: E402,F401
import pandas as pd  # noqa: E402

from analysis import arabic, figures  # noqa: E402
from analysis.arabic import label  # noqa: E402

SRC = Path(arabic.__file__).resolve().parents[1]  # src/
PLOTS = {
    "troops": figures.plot_troops,
    "bases": figures.plot_bases,
    "attacks": figures.plot_attacks,
    "attacks_per_year": figures.plot_attacks_per_year,
    "sources": figures.plot_sources,
}


needs_validator = pytest.mark.skipif(
    __import__("importlib.util").util.find_spec("frictionless") is None,
    reason="write_all validates the data: needs frictionless")


@pytest.fixture(autouse=True)
def _close_and_auto_mode(monkeypatch):
    monkeypatch.delenv(arabic.MODE_ENV, raising=False)
    yield
    plt.close("all")


def texts(ax) -> list[str]:
    """Every string drawn on the Axes: titles, tick labels, axis labels, legends, texts."""
    out = [ax.get_title(loc=loc) for loc in ("left", "center", "right")]
    out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    out += [ax.get_xlabel(), ax.get_ylabel()]
    out += [t.get_text() for t in ax.texts]
    for leg in [c for c in ax.get_children() if isinstance(c, mpl.legend.Legend)]:
        out += [t.get_text() for t in leg.get_texts()] + [leg.get_title().get_text()]
    return [t for t in out if t]


def render(plot, tables, lang):
    """Draw with every warning an error (a missing glyph fails the test)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plot(tables, lang=lang)
        ax.figure.canvas.draw()
    return ax


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("name", list(PLOTS))
def test_renders_without_warnings_and_keeps_rcparams(name, lang, tables):
    before = dict(mpl.rcParams)
    ax = render(PLOTS[name], tables, lang)
    assert isinstance(ax, mpl.axes.Axes)
    assert dict(mpl.rcParams) == before
    loc = "right" if lang == "ar" else "left"
    assert ax.get_title(loc=loc)
    assert not ax.get_title(loc="left" if lang == "ar" else "right")
    drawn = texts(ax)
    if lang == "en":  # nothing Arabic leaks into the English figure
        assert not [t for t in drawn if arabic.has_arabic(t)]


def test_troops_texts(tables):
    ax = render(figures.plot_troops, tables, "ar")
    drawn = texts(ax)
    assert ax.get_title(loc="right") == label(figures.TEXT["ar"]["troops_title"])
    counted = tables.package.labels("troop_levels", "counted", "ar")
    kind = tables.package.labels("troop_levels", "kind", "ar")
    assert label(f"{counted['us']} — {kind['observed']}") in drawn
    assert label(f"{counted['us']} — {kind['target']}") in drawn
    peak = int(tables.troop_levels["count"].max())
    assert any(f"{peak:,}" in t for t in drawn)  # the off-scale peak is written out
    # milestone labels wrap (legible at 8 pt): compare across the line breaks
    assert any(label("إعلان نهاية المهمة القتالية") in t.replace("\n", " ") for t in drawn)  # M19 (an announcement, disputed: C7)
    assert any(label("9 كانون الأول 2021") in t for t in drawn)  # Iraqi month names
    assert label("نحو 5,000") in drawn  # approximate count
    assert ax.yaxis.get_label_position() == "right"  # Arabic: y axis on the reader's side
    en = texts(render(figures.plot_troops, tables, "en"))
    assert "US forces — Observed level" in en and "Approximate count ('about')" in en


def test_bases_texts(tables):
    ax = render(figures.plot_bases, tables, "ar")
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    for name in tables.bases["name_ar"]:
        assert label(name) in ticks
    assert label("الأنبار") in ticks  # province headers
    harir = next(t for t in ax.get_yticklabels() if t.get_text() == label("قاعدة حرير الجوية"))
    assert harir.get_fontweight() == "bold"  # the base still holding forces stands out
    drawn = texts(ax)
    states = tables.package.labels("base_events", "state", "ar")
    assert label(states["handed_over"]) in drawn and label(states["still_present"]) in drawn
    balad = "، ".join(states[s] for s in ("presence", "troops_redeployed", "contractors_evacuated"))
    # undated events, one note per base (wrapped to stay clear of the first milestone)
    assert label(f"{balad} (التاريخ غير مذكور)") in [t.replace("\n", " ") for t in drawn]
    en = texts(render(figures.plot_bases, tables, "en"))
    assert "Harir Air Base" in en and "Handed over" in en


def test_attacks_texts(tables):
    ax = render(figures.plot_attacks, tables, "ar")
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert label("قاعدة عين الأسد الجوية") in ticks and label("مقار القوات الأجنبية") in ticks
    drawn = texts(ax)
    weapons = tables.package.labels("attacks", "weapon", "ar")
    assert label(weapons["ballistic_missiles"]) in drawn
    assert label("قتلى: 1") in drawn  # casualties visible
    assert any(label("مقتل سليماني") in t for t in drawn)  # M07
    # undated series: a dotted bar up to the latest possible date, explained once in the legend
    legend_texts = [t.get_text() for leg in ax.figure.findobj(mpl.legend.Legend) for t in leg.get_texts()]
    assert label(figures.TEXT["ar"]["undated_legend"]) in legend_texts
    ends = {round(max(line.get_xdata())) for line in ax.get_lines()
            if line.get_linestyle() not in ("-", "None", "") and len(line.get_xdata()) == 2}
    assert round(figures._x("2021-12-31")) in ends
    py = render(figures.plot_attacks_per_year, tables, "ar")
    ticks = [t.get_text() for t in py.get_xticklabels()]
    assert ticks[0] == "2019" and ticks[-1] == label("غير مؤرّخة")
    assert "2022" in ticks  # a year without attacks is shown as zero, not skipped


def test_sources_texts(tables):
    ax = render(figures.plot_sources, tables, "ar")
    xt = [t.get_text() for t in ax.get_xticklabels()]
    # narrow columns: outlet, then day and month, then the year (legible at 8 pt)
    assert label("إيلاف\nكانون الأول\n2021*") in xt
    # s000's day is not in its text (only "Thursday"): it is dated to the month.
    assert label("ناشر مجهول\nكانون الأول\n2021*") in xt
    # long labels wrap; dates in them are held together by no-break spaces
    yt = [t.get_text().replace("\n", " ").replace("\u00a0", " ") for t in ax.get_yticklabels()]
    for topic in tables.conflicts["topic_ar"]:  # as written (the data write «2,500» themselves)
        assert label(topic) in yt
    drawn = texts(ax)
    assert label("180 كم") in drawn and label("100 كم") in drawn  # both sides of C1
    # C2, as months (s000's two claims, June and "the fourth round", share its cell)
    assert any(label("حزيران 2021") in t for t in drawn) and label("تموز 2021") in drawn
    en = render(figures.plot_sources, tables, "en")
    assert "Elaph\nDec\n2021*" in [t.get_text() for t in en.get_xticklabels()]


def test_reshape_mode_labels(tables, monkeypatch):
    """On matplotlib without shaping, strings are passed through label()'s reshape path."""
    monkeypatch.setenv(arabic.MODE_ENV, "reshape")
    ax = figures.plot_troops(tables, lang="ar")
    title = figures.TEXT["ar"]["troops_title"]
    assert ax.get_title(loc="right") == label(title) == label(title, mode="reshape") != title


def test_draws_into_given_axes(tables):
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    for plot in (figures.plot_troops, figures.plot_attacks_per_year):
        n = len(fig.axes)
        assert plot(tables, ax=b, lang="en") is b
        assert len(fig.axes) == n
    assert not a.lines and not a.texts  # the other Axes is untouched


def test_plain_dict_and_modified_table(tables):
    plain = {name: frame for name, frame in tables.items()}
    base = texts(figures.plot_troops(plain, lang="en"))
    assert not any("4,321" in t for t in base)
    tl = tables.troop_levels
    extra = tl.iloc[[-1]].copy()
    extra["obs_id"] = pd.array(["T99"], dtype="string")
    extra["date"] = pd.to_datetime(["2023-06-01"])
    extra["date_precision"] = pd.Categorical(["month"], categories=tl["date_precision"].cat.categories)
    extra["area"] = pd.Categorical(["iraq"], categories=tl["area"].cat.categories)
    extra["count"] = pd.array([4321], dtype="Int64")
    modified = dict(plain, troop_levels=pd.concat([tl, extra], ignore_index=True))
    ax = figures.plot_troops(modified, lang="en")
    assert any("4,321" in t for t in texts(ax))


def test_the_package_keeps_the_one_modules_names():
    """analysis.figures is a package of one module per plot family; what was importable from the
    one module still is, from the same place."""
    from analysis.figures import (  # noqa: F401
        FIGSIZE,
        FIGURES,
        FORMATS,
        MIN_PT,
        TEXT,
        plot_attacks,
        plot_attacks_per_year,
        plot_bases,
        plot_bases_map,
        plot_sources,
        plot_timeline,
        plot_troops,
        sources_geometry,
        write_all,
    )
    from analysis.maps import plot_bases_map as from_maps
    from analysis.timeline import plot_timeline as from_timeline

    assert plot_timeline is from_timeline and plot_bases_map is from_maps
    assert {f.__module__ for f in (plot_troops, plot_bases, plot_attacks, plot_sources)} == {
        "analysis.figures.troops", "analysis.figures.bases", "analysis.figures.attacks", "analysis.figures.sources"}
    with pytest.raises(AttributeError):
        figures.no_such_name  # noqa: B018


def test_import_analysis_does_not_import_matplotlib():
    code = "import sys, analysis; assert 'matplotlib' not in sys.modules and 'pandas' not in sys.modules"
    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@needs_validator
@pytest.mark.slow
def test_write_all_reproducible(tmp_path):
    before = dict(mpl.rcParams)
    first = figures.write_all(out_dir=tmp_path / "a")
    second = figures.write_all(out_dir=tmp_path / "b")
    expected = {f"{n}.{fmt}" for n in figures.FIGURES for fmt in ("svg", "png", "pdf")}
    assert {p.name for p in first} == expected == {p.name for p in second}
    assert set(os.listdir(tmp_path / "a")) == expected  # no temporary files left
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert dict(mpl.rcParams) == before
    assert not plt.get_fignums()  # figures are closed
    png = (tmp_path / "a" / "troops.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(tmp_path / "a" / "troops.png") as im:
        w, h = im.size
    assert (w, h) == tuple(round(v * figures.PNG_DPI) for v in figures.FIGSIZE["troops"])


@needs_validator
@pytest.mark.slow
def test_write_all_is_atomic(tmp_path, monkeypatch):
    out = tmp_path / "figs"
    figures.write_all(out_dir=out, names=["troops"])
    good = (out / "troops.svg").read_bytes()
    real = mpl.figure.Figure.savefig

    def broken(self, fname, *args, **kwargs):
        real(self, fname, *args, **kwargs)
        raise KeyboardInterrupt  # interrupted after writing the temporary file

    monkeypatch.setattr(mpl.figure.Figure, "savefig", broken)
    with pytest.raises(KeyboardInterrupt):
        figures.write_all(out_dir=out, names=["troops"])
    assert (out / "troops.svg").read_bytes() == good  # old file intact
    assert sorted(os.listdir(out)) == ["troops.pdf", "troops.png", "troops.svg"]


def _gap_spans(ax):
    """x-extents of the grey 'not covered by the sources' bands drawn on an axis."""
    import matplotlib.colors as mcolors
    from matplotlib.patches import Polygon, Rectangle

    out = []
    for p in ax.patches:
        if isinstance(p, (Rectangle, Polygon)) and mcolors.to_hex(p.get_facecolor()) == "#ececec":
            xs = p.get_path().transformed(p.get_patch_transform()).vertices[:, 0] if isinstance(p, Rectangle) else p.get_xy()[:, 0]
            out.append((xs.min(), xs.max()))
    return out


@pytest.mark.parametrize("plot", ["plot_troops", "plot_bases", "plot_attacks"])
def test_time_figures_shade_the_years_no_source_covers(tables, plot):
    """2022 has no dated row in the data: every time axis shows it as not covered."""
    import matplotlib.dates as mdates

    from analysis import truth

    assert 2022 not in truth.covered_years(tables)
    ax = render(getattr(figures, plot), tables, "ar")
    x = mdates.date2num(pd.Timestamp("2022-07-01"))
    assert any(a <= x <= b for a, b in _gap_spans(ax)), plot
    covered = mdates.date2num(pd.Timestamp("2020-07-01"))
    assert not any(a <= covered <= b for a, b in _gap_spans(ax)), plot
    assert label(figures.TEXT["ar"]["gap"]) in texts(ax) or plot == "plot_attacks"


def test_per_year_panel_counts_mentions_not_attacks(tables):
    py = render(figures.plot_attacks_per_year, tables, "ar")
    assert py.get_ylabel() == label(figures.TEXT["ar"]["per_year_y"]) != label("عدد الهجمات")
    assert "عدد الهجمات" not in figures.TEXT["ar"]["per_year_y"]


def test_troop_levels_between_observations_are_not_drawn_solid(tables):
    """No observed level is drawn as a solid plateau: only markers are solid, the stretches
    between observations are dotted (a stretch no source observes)."""
    ax = render(figures.plot_troops, tables, "ar")
    multi = [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 1 and ln.get_linestyle() == "-"
             and ln.get_marker() in ("None", "", None)]
    assert not [ln for ln in multi if ln.get_color() in figures.COUNTED_COLORS.values()]


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("plot", ["plot_bases", "plot_attacks"])
def test_row_labels_sit_on_their_rows(tables, plot, lang):
    """A lane's name is level with its lane: the ink of each one-line row label is centred
    within 1.5 pt of the row (matplotlib's default tick alignment set Arabic 2.7 pt low)."""
    import numpy as np

    ax = getattr(figures, plot)(tables, lang=lang)
    fig = ax.figure
    fig.set_dpi(144)
    fig.canvas.draw()
    img = np.asarray(fig.canvas.buffer_rgba())[:, :, :3].astype(int)
    height = img.shape[0]
    renderer = fig.canvas.get_renderer()
    checked = 0
    for tick, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True):
        if not tick.get_text() or "\n" in tick.get_text() or not tick.get_visible():
            continue
        box = tick.get_window_extent(renderer)
        row = ax.transData.transform((0, y))[1]
        x0, x1 = int(box.x0) + 1, int(box.x1) - 1
        top, bottom = int(height - box.y1) - 2, int(height - box.y0) + 2
        crop = img[max(top, 0):bottom, x0:x1]
        ink = np.where((crop.sum(axis=2) < 450).any(axis=1))[0]  # dark text pixels
        assert len(ink), tick.get_text()
        centre = height - (max(top, 0) + (ink.min() + ink.max()) / 2)
        assert abs(centre - row) <= 1.5 * fig.dpi / 72, (tick.get_text(), (centre - row) * 72 / fig.dpi)
        checked += 1
    assert checked >= 4


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("counted", ["coalition", "foreign"])
def test_troops_without_us_counts_draw_a_reduced_chart(curated, counted, lang):
    """A table with no US count (a notebook user's filter) draws what it has, without the
    subtitle on the US fall from the peak, instead of raising."""
    t = curated
    t["troop_levels"] = t["troop_levels"][t["troop_levels"]["counted"] == counted]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    figures.plot_troops(t, ax=ax, lang=lang)
    fig.canvas.draw()
    texts = [x.get_text() for x in fig.findobj(matplotlib.text.Text)]
    assert any(x.strip() for x in texts)
    assert not any(("170,000" in x) and ("2,500" in x) for x in texts), "a US subtitle on a table without US counts"
    assert [line for line in ax.get_lines() if len(line.get_xdata())], "nothing drawn"
