"""The notebook user's promise (README, "In a notebook"): figure functions take any table you
pass; an emptied table draws an honest empty chart, a filtered one a reduced chart, and a table
without a column the figure needs raises a ValueError naming it.  Each case here was found by a
hostile tester and failed when it was written: filtered conflicts drew "<NA>" row labels, an
empty or one-row milestones table and a one-row base_events table raised from deep inside the
drawing, and a dropped column of the map's or the timeline's tables gave a KeyError.
"""
import re
import warnings

import pytest

pytestmark = pytest.mark.figures

LANGS = ["ar", "en"]

#: The tables each plot function reads (what it draws, its source line, its gap bands).
READS = {
    "troops": ("troop_levels", "milestones", "conflicts", "claims", "sources", "citations"),
    "bases": ("bases", "base_events", "milestones", "sources", "citations"),
    "attacks": ("attacks", "milestones", "bases", "sources", "citations"),
    "attacks_per_year": ("attacks", "sources", "citations"),
    "sources": ("sources", "conflicts", "claims", "citations", "bases", "base_events", "troop_levels", "attacks",
                "milestones"),
    "timeline": ("milestones", "sources", "citations"),
    "map": ("places", "bases", "references", "areas", "base_events", "sources", "conflicts", "claims"),
}

#: Text a missing value becomes when it is drawn ("None" is left out: a claim's value can be "none").
MISSING = re.compile(r"<NA>|\bNaN\b|\bnan\b|\bNaT\b")


def _plot(name):
    from analysis import figures

    if name == "timeline":
        from analysis.timeline import plot_timeline

        return plot_timeline
    if name == "map":
        from analysis.maps import plot_bases_map

        return plot_bases_map
    return getattr(figures, f"plot_{name}")


def _draw(name, tables, lang):
    """`plot_<name>` into a notebook user's own Axes, drawn; the figure's visible texts."""
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    fig, ax = plt.subplots(figsize=(10, 7), layout="constrained")
    assert _plot(name)(tables, ax=ax, lang=lang) is ax
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a reduced chart may not fit constrained layout's room
        fig.canvas.draw()
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    plt.close(fig)
    return texts


def _missing_text(texts):
    return [t[:40] for t in texts if MISSING.search(t)]


# --------------------------------------------------------------------------------------------
# the cases the tester found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("keep", ["last", "none"])
def test_claims_whose_conflict_was_filtered_out_are_not_drawn(curated, lang, keep):
    """t["conflicts"] = t["conflicts"].iloc[-1:] (or emptied) left the claims of the other
    disputed points in the sources matrix, joined to no conflict: their rows were labelled
    "<NA>".  Only the disputed points still in the table are drawn, each with its topic."""
    from analysis import figures

    kept = curated["conflicts"].iloc[-1:] if keep == "last" else curated["conflicts"].iloc[0:0]
    curated["conflicts"] = kept
    texts = _draw("sources", curated, lang)
    assert not _missing_text(texts), _missing_text(texts)[:3]
    g = figures.sources_geometry(curated, lang)
    assert [cid for cid, _ in g["disputes"]] == kept["conflict_id"].astype(str).tolist()
    assert set(g["dis"]["conflict_id"]) <= set(kept["conflict_id"].astype(str))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("rows", ["none", "first", "last"])
def test_the_timeline_of_no_or_one_milestone_is_drawn(curated, lang, rows):
    """plot_timeline with an empty milestones table, or one row, raised "ValueError: zip()
    argument 2 is longer than argument 1" (a row position more than there are rows)."""
    ms = curated["milestones"]
    curated["milestones"] = {"none": ms.iloc[0:0], "first": ms.iloc[:1], "last": ms.iloc[-1:]}[rows]
    texts = _draw("timeline", curated, lang)
    assert not _missing_text(texts)
    if rows != "first":  # nothing to draw (the last milestone is a statement, left to the table)
        from analysis.figures import TEXT, _t

        assert any(_t(TEXT[lang]["no_data"], lang) in t for t in texts), texts


@pytest.mark.parametrize("lang", LANGS)
def test_the_bases_chart_of_one_undated_event_is_drawn(curated, lang):
    """plot_bases with base_events cut to its last row (an undated event) raised "ValueError:
    cannot convert float NaN to integer": the time axis was the dated events' years only."""
    curated["base_events"] = curated["base_events"].iloc[-1:]
    texts = _draw("bases", curated, lang)
    assert not _missing_text(texts)


def _columns(table):
    from analysis.data import Package

    return [f["name"] for f in Package.at().fields(table)]


@pytest.mark.parametrize(("name", "table", "column"),
                         [("map", "places", c) for c in _columns("places")]
                         + [("map", "bases", c) for c in _columns("bases")]
                         + [("timeline", "milestones", c) for c in _columns("milestones")])
def test_a_missing_column_of_the_map_or_the_timeline_is_named(curated, name, table, column):
    """A dropped column of places or bases (the map) or of milestones (the timeline) gave a
    KeyError or AttributeError from inside the drawing instead of a ValueError naming it."""
    curated[table] = curated[table].drop(columns=[column])
    with pytest.raises(ValueError, match=rf"\b{column}\b.*'{table}'"):
        _plot(name)(curated, lang="en")


@pytest.mark.parametrize(("name", "table", "column"), [
    ("troops", "sources", "published"),          # the source line
    ("troops", "conflicts", "topic_en"),         # the disputed counts' marks
    ("troops", "citations", "needle"),           # which sources support a drawn row
    ("bases", "attacks", "date"),                # the years no source covers
    ("attacks", "bases", "name_en"),             # the targets' names
    ("attacks_per_year", "milestones", "date_precision"),
    ("timeline", "troop_levels", "source_id"),
])
def test_a_missing_column_a_chart_reads_beside_its_own_tables_is_named(curated, name, table, column):
    """The source line, the gap bands and the attack targets read tables a chart does not
    draw: a column dropped there was a KeyError from pandas, not a ValueError naming it."""
    curated[table] = curated[table].drop(columns=[column])
    with pytest.raises(ValueError, match=rf"\b{column}\b.*'{table}'"):
        _plot(name)(curated, lang="en")


# --------------------------------------------------------------------------------------------
# every plot function, every table it reads, emptied or cut to one row, in both languages


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("rows", ["none", "first", "last"])
@pytest.mark.parametrize(("name", "table"), [(n, t) for n, tables in READS.items() for t in tables])
def test_an_emptied_or_one_row_table_draws_a_chart(curated, name, table, rows, lang):
    """An honest empty chart or a reduced one: no exception, no missing value drawn as text."""
    t = curated[table]
    curated[table] = {"none": t.iloc[0:0], "first": t.iloc[:1], "last": t.iloc[-1:]}[rows].copy()
    texts = _draw(name, curated, lang)
    assert not _missing_text(texts), _missing_text(texts)[:3]


@pytest.mark.figures
@pytest.mark.parametrize("lang,one", [("en", "one milestone from"), ("ar", "محطة واحدة من")])
def test_the_timeline_subtitle_counts_one_milestone_in_the_singular(curated, lang, one):
    """A timeline of one milestone said "1 milestones": the count agrees with its noun."""
    import matplotlib.pyplot as plt

    from analysis import arabic
    from analysis.timeline import plot_timeline

    if lang == "ar" and not arabic.native_shaping():
        pytest.skip("matplotlib < 3.11 stores Arabic reshaped; the words are checked under 3.11")
    t = dict(curated)
    t["milestones"] = curated["milestones"][curated["milestones"]["date"].dt.year >= 2021].iloc[:1]
    ax = plot_timeline(t, lang=lang)
    try:
        texts = [x.get_text() for x in ax.figure.findobj(lambda a: hasattr(a, "get_text"))]
        assert any(one in s for s in texts), texts
    finally:
        plt.close(ax.figure)

