"""The source line under every chart (FT style): «المصدر: ...» and, where needed, «ملاحظة: ...».

Why: a chart copied out of the briefing (or drawn in a notebook) must still say where its
numbers come from.  The line names the articles behind the rows the chart actually draws (their
primary citation and any further citation), as outlet and year from the sources table, so a
chart that draws fewer rows names fewer articles.

`records()` -> `source_ids()` -> `text()` compute the words; `draw()` only places them, below
everything else the Axes draws (tick labels, legends), aligned with the chart's title.
"""
from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping

import pandas as pd

from . import arabic
from . import text_ar as _text_ar
from .briefing import en as _en

__all__ = ["UNKNOWN_OUTLET", "GID", "FONTSIZE", "source_ids", "text", "draw", "join"]

#: The one name for an article whose outlet the text does not give.
UNKNOWN_OUTLET = {"ar": _text_ar.UNKNOWN_PUBLISHER, "en": _en.UNKNOWN_PUBLISHER.capitalize()}
#: Artist id of drawn source lines (tests and callers find them by it).
GID = "analysis-source-line"
#: Smallest text of the briefing's charts, in points (the source line sits at it).
FONTSIZE = 8.0
WRAP = {"ar": 125, "en": 105}  # characters per line at 8 pt across a 6.3 in chart

_PREFIX = {"ar": ("المصدر: ", "المصادر: ", "ملاحظة: "), "en": ("Source: ", "Sources: ", "Note: ")}
_ANALYSIS = {"ar": "تحليل جداول المشروع", "en": "project analysis"}


def join(items: list[str], lang: str) -> str:
    """A list as prose: Arabic puts و before every item after the first («أ، وب، وج»)."""
    items = [str(i) for i in items]
    if lang == "ar":
        from .text_ar import join as join_ar

        return join_ar(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def source_ids(tables, records: Mapping[str, Iterable]) -> list[str]:
    """Source ids backing `records` (table name -> record ids drawn), in publication order.

    Counts each record's own citation and the citations table's further sources."""
    from .sources import support

    sup = support(tables)
    keep = pd.Series(False, index=sup.index)
    for table, ids in records.items():
        ids = {str(i) for i in ids}
        if ids:
            keep |= (sup["table"] == table) & sup["record_id"].isin(ids)
    used = set(sup.loc[keep, "source_id"].dropna().astype(str))
    src = tables["sources"].copy()
    src["_id"] = src["source_id"].astype("string")
    src = src[src["_id"].isin(used)].sort_values(["published", "_id"], kind="stable", na_position="last")
    return src["_id"].tolist()


def _outlet(row, lang: str) -> str:
    outlet = row[f"outlet_{lang}"]
    name = UNKNOWN_OUTLET[lang] if pd.isna(outlet) else str(outlet)
    year = "" if pd.isna(row["published"]) else f" ({pd.Timestamp(row['published']).year})"
    return name + year


def text(tables, records: Mapping[str, Iterable], lang: str = "ar", *, note: str | None = None,
         wrap: int | None = None) -> str:
    """The source line for a chart drawing `records`: outlets and years, and an optional note.

    Logical text (not shaped for matplotlib); lines wrapped at `wrap` characters."""
    if lang not in ("ar", "en"):
        raise ValueError(f"lang must be 'ar' or 'en', not {lang!r}")
    ids = source_ids(tables, records)
    src = tables["sources"].set_index(tables["sources"]["source_id"].astype("string"))
    names = [_outlet(src.loc[i], lang) for i in ids]
    one, many, note_prefix = _PREFIX[lang]
    sep = "؛ " if lang == "ar" else "; "
    line = (one if len(names) == 1 else many) + join(names, lang) + sep + _ANALYSIS[lang] if names else (
        one + _ANALYSIS[lang])
    lines = [line] + ([note_prefix + note] if note else [])
    width = wrap or WRAP[lang]
    return "\n".join(w for part in lines for w in textwrap.wrap(part, width, break_on_hyphens=False))


def per_draw(ax, measure):
    """`measure(renderer) -> Bbox` as an annotation coordinate, measured once per layout.

    matplotlib asks for an annotation's coordinate each time anything measures it (the layout
    engine, the draw, every note hanging under this one), and a note hung from an artist
    measures that artist again each time: a chain of n notes cost n^2 text layouts.  The answer
    is kept while the renderer, the figure's dpi and the Axes' place and view limits stay, and
    forgotten when a draw of the figure ends, so an edit made between draws is seen."""
    fig = ax.figure
    memos = fig.__dict__.get("_analysis_memos")
    if memos is None:
        memos = fig._analysis_memos = []
        fig.canvas.mpl_connect("draw_event", lambda _event: [m.clear() for m in memos])
    memo: dict = {}
    memos.append(memo)

    def coordinate(renderer):
        key = (id(renderer), tuple(ax.bbox.bounds), tuple(ax.viewLim.bounds), fig.dpi)
        if key not in memo:
            memo.clear()
            memo[key] = measure(renderer)
        return memo[key]

    return coordinate


def under(ax, artist):
    """A coordinate for a note hung under `artist` (a legend or another note): its box, measured
    once per layout (`per_draw`)."""
    return per_draw(ax, artist.get_window_extent)


def _below(ax, me):
    """A callable for annotation coordinates: the bottom of everything `ax` draws but `me`."""
    from matplotlib.legend import Legend
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    def measure(renderer):
        boxes = [ax.bbox]
        for axis in (ax.xaxis,):
            b = axis.get_tightbbox(renderer)
            if b is not None:
                boxes.append(b)
        for a in ax.get_default_bbox_extra_artists():
            if a is me or not isinstance(a, (Legend, Text)) or not a.get_visible():
                continue
            if isinstance(a, Text) and not a.get_text():
                continue
            b = a.get_window_extent(renderer)
            if b.height > 0 and b.y0 < ax.bbox.y0:  # only what hangs below the data area
                boxes.append(b)
        y0 = min(b.y0 for b in boxes)
        return Bbox.from_extents(ax.bbox.x0, y0, ax.bbox.x1, y0 + 1)

    return per_draw(ax, measure)


def one_chart(ax) -> bool:
    """Is `ax` the one chart of its figure (a figure a plot_* function or the briefing made,
    marked `_analysis_edges`, or a user's figure of one Axes)?  Then titles, legends and the
    source line line up with the figure's edge; on a user's grid, with the Axes' own edge, so
    they never reach into a neighbouring panel."""
    fig = ax.figure
    flag = getattr(fig, "_analysis_edges", None)
    if flag is not None:
        return bool(flag)
    return len(fig.axes) == 1


def draw(ax, line: str, lang: str = "ar", *, fontsize: float = FONTSIZE, pad: float = 6,
         edge: float = 0.1, **kwargs):
    """Write `line` under everything else `ax` draws, `edge` inches from the figure's side on
    the reader's starting side (where the titles line up); returns the Annotation (gid `GID`).

    Its x is fixed to the figure, not to the Axes: a line wider than the Axes then needs no
    wider margin, so a layout engine does not shrink the Axes to make room for it."""
    fig = ax.figure
    if one_chart(ax):
        x = edge / fig.get_figwidth()
        x, xcoords = (1 - x if lang == "ar" else x), "figure fraction"
    else:
        x, xcoords = (1.0 if lang == "ar" else 0.0), "axes fraction"
    ann = ax.annotate(arabic.label(line) if lang == "ar" else line, xy=(x, 0.0),
                      xycoords=(xcoords, "axes fraction"),
                      xytext=(0, -pad), textcoords="offset points", ha=arabic.align(lang), va="top",
                      fontsize=fontsize, color=kwargs.pop("color", "#595959"), annotation_clip=False,
                      multialignment=arabic.align(lang),
                      linespacing=kwargs.pop("linespacing", 0.9 if lang == "ar" and arabic.native_shaping() else 1.25),
                      **kwargs)
    ann.xycoords = (ann.xycoords[0], _below(ax, ann))
    ann.set_gid(GID)
    return ann
