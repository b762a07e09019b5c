"""The report's figures, in Arabic (default) or English, drawn from the curated tables.

Each `plot_*` function is shaped like seaborn's: it takes the data (default: `analysis.load()`;
a `Tables` or a plain dict of DataFrames also works, so a modified table can be passed), an
optional `ax` to draw into, and `lang`; it returns the Axes and never saves.  Drawing happens
inside `arabic.style(lang)`, so global rcParams are never changed; every Arabic string goes
through `arabic.label()` so it is drawn joined and right-to-left on any matplotlib.

`write_all()` renders every figure of `FIGURES` to SVG, PNG and PDF, byte-for-byte
reproducibly and atomically, each in its own language.

One module per plot family (troops, bases, attacks, sources), the look and words they share
(theme), the helpers they share (common) and the writing of the files (output); everything is
importable from here as before the split.
"""
from __future__ import annotations

# ruff: noqa: F401  (the imports below are this package's names, as the one module had them)
from .attacks import MAX_CASUALTY_NOTES, plot_attacks, plot_attacks_per_year
from .bases import plot_bases
from .common import (
    KEY_LETTERS,
    MILESTONE_BAND,
    _check_lang,
    _date_text,
    _finish,
    _frame_axes,
    _kw,
    _layout,
    _legend,
    _ls,
    _package,
    _t,
    _tables,
    _text_width_pt,
    _title,
    _under_edge,
    _wrap_to,
    _x,
    _year_axis,
    line_pt,
    milestone_marks,
)
from .output import FIGURES, _save, write_all
from .sources import ROW_GAP, plot_sources, sources_geometry, sources_height
from .theme import (
    AREA_IN_TEXT,
    CLAIM_COLORS,
    COUNTED_COLORS,
    COUNTED_MARKERS,
    EVENT_KIND_COLORS,
    FIGSIZE,
    FORMATS,
    GRID,
    INK,
    LABEL_VA,
    MILESTONE_GID,
    MILESTONE_SHORT,
    MIN_PT,
    MUTED,
    NARROW_SIZE,
    NARROW_WIDTH,
    PERPETRATOR_COLORS,
    PNG_DPI,
    STATE_COLORS,
    STATE_MARKERS,
    SUB_PT,
    TEXT,
    TEXT_ON_WHITE,
    TEXT_PT,
    TICK_PT,
    TITLE_PT,
    UNITS,
    WEAPON_MARKERS,
)
from .troops import CONFLICT_MARKS, plot_troops

__all__ = [
    "plot_troops", "plot_bases", "plot_attacks", "plot_attacks_per_year", "plot_sources",
    "FIGURES", "FIGSIZE", "write_all", "FORMATS",
]


def __getattr__(name: str):
    """`plot_timeline` (analysis.timeline) and `plot_bases_map` (analysis.maps) from here too,
    imported when first asked for (both modules build on this package); and any other name the
    one module had (a helper of one plot family), from the module it now lives in."""
    if name == "plot_timeline":
        from ..timeline import plot_timeline

        return plot_timeline
    if name == "plot_bases_map":
        from ..maps import plot_bases_map

        return plot_bases_map
    if not name.startswith("__"):
        from . import attacks, bases, common, output, sources, theme, troops

        for module in (theme, common, troops, bases, attacks, sources, output):
            if name in vars(module) and getattr(vars(module)[name], "__module__", module.__name__) == module.__name__:
                return vars(module)[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
