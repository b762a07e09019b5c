"""The milestones as a timeline: one row per milestone of the withdrawal period, on the time
axis the other charts use (year ticks, dates written by `arabic.format_date`).

Why this shape: the briefing is about the withdrawal from the 2020 parliament vote on, but the
sources also date background events back to 1980.  Stretching the axis to 1980 squeezed the
years that matter into a sliver, so the axis starts at `START` and the earlier milestones are
listed compactly above the chart («قبل 2020»), each with its date in words.  The chart shows
the events (`EVENT_KINDS`: votes, agreements, withdrawals...) and leaves the statements about
them (kinds in `STATEMENT_KINDS`) to the milestones table, so it fits on a page; a note under
the chart says how many it shows of how many, and `kinds="all"` draws every one.

Precision: a date known to the day is a point; a month or a year (or a stated period) is drawn
as the whole range it stands for, never as a point; an inferred date is hollow; an undated
milestone with only a latest possible date is a dotted bar up to that date (as the attacks
chart draws undated series), one with both bounds a hollow bar between them.

`timeline_geometry()` computes rows, marks and words (no drawing); `plot_timeline()` draws
them in the seaborn-like shape of the other `plot_*` functions.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator

from . import arabic
from . import attacks as _attacks
from . import figures as _f
from . import sourceline as _sourceline
from .briefing import ar as _ar
from .briefing import en as _en
from .memo import per_build

__all__ = ["plot_timeline", "timeline_geometry", "figure_height", "START", "FIGSIZE", "NARROW_WIDTH",
           "STATEMENT_KINDS"]

#: The main axis starts here; earlier milestones are listed above the chart.
START = "2020-01-01"
FIGSIZE = (6.3, 8.0)
#: Width in inches of the phone variant (`narrow=True`): 8 pt text stays >= 9 CSS px at 390 px.
NARROW_WIDTH = 4.0
#: Milestone kinds that are statements about events rather than events: in the table, not the chart.
STATEMENT_KINDS = ("announcement", "cooperation", "confirmation", "security")
KEY = tuple(_f.MILESTONE_SHORT)  # milestones marked on the other charts: bold here
ROW_GAP = 0.2  # lines between rows
LABEL_SHARE = 0.68  # of the figure's width, for the row labels (0.56 on the narrow variant)


def _share(width: float) -> float:
    return LABEL_SHARE if width >= 5.5 else 0.56

TEXT = {
    "ar": {
        "title": "محطات الانسحاب كما تؤرخها المصادر",
        "sub": "{count} من {first} إلى {last}",
        "before": "قبل {year}:",
        "day": "تاريخ باليوم",
        "range": "بالشهر أو السنة: المدى كله",
        "inferred": "تاريخ مستنتج (مفرغ)",
        "undated": "بلا تاريخ: حتى آخر موعد ممكن",
        "shown": "يعرض الرسم {n} من {total} محطة، الوقائع دون التصريحات عنها؛ جدول المحطات يسردها كلها",
    },
    "en": {
        "title": "Milestones of the withdrawal as the sources date them",
        "sub": "{count} from {first} to {last}",
        "before": "Before {year}:",
        "day": "Date known to the day",
        "range": "Month or year: the whole range",
        "inferred": "Inferred date (hollow)",
        "undated": "Undated: up to the latest possible date",
        "shown": "The chart shows {n} of {total} milestones, the events without the statements about them; "
                 "the milestones table lists them all",
    },
}
NBSP = "\u00a0"
COLOR = "#1f5a96"


def _wrap_pt(text: str, width_pt: float, lang: str, fontsize: float = _f.TEXT_PT,
             weight: str = "normal") -> list[str]:
    """Wrap `text` at spaces to lines at most `width_pt` wide, as the font measures them."""
    with arabic.measuring():
        return _wrap_measured(text, width_pt, lang, fontsize, weight)


def _wrap_measured(text, width_pt, lang, fontsize, weight):
    words, lines, cur = text.split(" "), [], ""
    for w in words:
        cand = f"{cur} {w}" if cur else w
        if cur and _f._text_width_pt(_f._t(cand, lang), fontsize, lang, weight=weight) > width_pt:
            lines.append(cur)
            cur = w
        else:
            cur = cand
    return lines + ([cur] if cur else [])


def _when(r, lang: str) -> str:
    """The date in words, no more precise than the data give."""
    prec = str(r["date_precision"])
    if r["_undated"]:
        latest = _f._date_text(r["date_latest"], "day", lang)
        if pd.notna(r["date_earliest"]):
            earliest = _f._date_text(r["date_earliest"], "day", lang)
            return f"بين {earliest} و{latest}" if lang == "ar" else f"between {earliest} and {latest}"
        return f"قبل {latest}" if lang == "ar" else f"before {latest}"
    when = _f._date_text(r["date"], prec, lang)
    if pd.notna(r["date_end"]) and prec == "year" and r["date_end"].year == r["date"].year:
        return _f._date_text(r["date"], "year", lang)
    if pd.notna(r["date_end"]):
        end_prec = "year" if prec == "year" and r["date_end"].month == 12 and r["date_end"].day == 31 else "day"
        return f"{when}–{_f._date_text(r['date_end'], end_prec, lang)}"
    return when


@per_build
def timeline_geometry(tables, lang: str = "ar", *, kinds=None, width: float | None = None) -> dict:
    """Rows of the main axis (top to bottom, by date), each with its label lines, mark (`x0`,
    `x1` as date numbers: equal for a day), `style` ("point", "range" or "until"), whether
    the date is inferred, and its centre `y` in lines; the earlier milestones as `before`
    (lines of words); the axis range; counts shown and in all.

    `kinds`: None (the events: every kind but STATEMENT_KINDS), "all", or kinds to show.
    `width`: the figure's width in inches (the labels are wrapped to their share of it)."""
    width = width or FIGSIZE[0]
    ms = tables["milestones"].copy()
    ms["_id"] = ms["milestone_id"].astype("string")
    # an undated milestone goes where its bounds put it; one with no bound cannot be placed
    ms = ms[ms["date"].notna() | ms["date_end"].notna() | ms["date_latest"].notna()]
    n_all = len(ms)
    if kinds is None:
        ms = ms[~ms["kind"].astype("string").isin(STATEMENT_KINDS)]
    elif kinds != "all":
        ms = ms[ms["kind"].astype("string").isin(list(kinds))]
    undated = ms["date"].isna() & ms["date_end"].isna()
    dated = ms[~undated]
    lo, hi = _attacks.period_bounds(dated["date"], dated["date_precision"], dated["date_end"])
    ms["_lo"] = pd.Series(lo, index=dated.index).reindex(ms.index)
    ms["_hi"] = pd.Series(hi, index=dated.index).reindex(ms.index)
    ms.loc[undated, "_hi"] = ms.loc[undated, "date_latest"]
    ms.loc[undated, "_lo"] = ms.loc[undated, "date_earliest"]
    ms["_undated"] = undated
    ms["_sort"] = ms["_lo"].fillna(ms["_hi"])
    ms = ms.sort_values(["_sort", "_hi", "_id"], kind="stable")
    start = pd.Timestamp(START)
    early = ms[ms["_hi"] < start]
    main = ms[ms["_hi"] >= start]
    label_pt = width * _share(width) * 72 - 10
    rows = []
    for _, r in main.iterrows():
        when = _when(r, lang)
        label = f"{r[f'title_{lang}']} ({when.replace(' ', NBSP)})"  # the date ends the label, unsplit
        lines = _wrap_pt(label, label_pt, lang, weight="bold" if str(r["_id"]) in KEY else "normal")
        prec = str(r["date_precision"])
        if r["_undated"]:
            style = "range" if pd.notna(r["date_earliest"]) else "until"
            x1 = _f._x(r["_hi"]) + (1 if style == "range" else 0)
            x0 = _f._x(r["_lo"]) if style == "range" else None
        else:
            x0 = _f._x(r["_lo"])
            x1 = _f._x(r["_hi"]) + (1 if (prec in ("month", "year") or pd.notna(r["date_end"])) else 0)
            style = "point" if x1 == x0 else "range"
        rows.append({"id": str(r["_id"]), "lines": lines, "label": "\n".join(lines), "x0": x0, "x1": x1,
                     "style": style, "point": style == "point",
                     "inferred": str(r["date_basis"]) == "inferred" or bool(r["_undated"]),
                     "when": when, "key": str(r["_id"]) in KEY, "height": len(lines) + ROW_GAP})
    tops = np.cumsum([0.0] + [r["height"] for r in rows])[:-1]  # one per row (none without rows)
    total = float(sum(r["height"] for r in rows))
    for r, top in zip(rows, tops, strict=True):
        r["y"] = total - top - r["height"] / 2
    # the earlier milestones, compactly: «قبل 2020: الحدث (التاريخ)؛ ...»
    items = [f"{r[f'title_{lang}']} ({_when(r, lang).replace(' ', NBSP)})" for _, r in early.iterrows()]
    before = []
    if items:
        sep = "؛ " if lang == "ar" else "; "
        before = _wrap_pt(TEXT[lang]["before"].format(year=start.year) + " " + sep.join(items),
                          width * 72 - 20, lang)
    first = pd.Timestamp(ms["_sort"].min()) if len(ms) else start
    last = pd.Timestamp(ms["_hi"].max()) if len(ms) else start
    x_end = max(pd.Timestamp(year=last.year + 1, month=1, day=1), start + pd.DateOffset(years=1))
    return {"rows": rows, "total": total, "before": before, "early_ids": early["_id"].astype(str).tolist(),
            "x_start": start - pd.DateOffset(months=3), "x_end": x_end + pd.DateOffset(months=1),
            "first": first, "last": last, "n_shown": len(ms), "n_all": n_all}


def figure_height(tables, lang: str = "ar", *, narrow: bool = False, kinds=None) -> float:
    """Inches the timeline needs at its width: its rows and the earlier list at their measured
    line height, plus the axis, legend and source line; more milestones make a taller chart,
    never a denser one."""
    width = NARROW_WIDTH if narrow else FIGSIZE[0]
    geo = timeline_geometry(tables, lang, kinds=kinds, width=width)
    lines = geo["total"] + len(geo["before"]) * 1.0
    # under the axis: year labels, the legend (one entry a row when narrow), the source line
    legend_rows = 4 if narrow else 2
    note_lines = 4 if narrow else 2
    below = 26 + legend_rows * _f.line_pt(lang) + 8 + note_lines * _f.line_pt(lang) + 30
    return (lines * _f.line_pt(lang) + below) / 72 + 0.2


def plot_timeline(data=None, *, ax=None, lang: str = "ar", kinds=None, narrow: bool = False,
                  source_line: bool = True, title: bool = True, **kwargs):
    """Milestone timeline (see the module docstring).  `narrow`: the phone variant's width
    (NARROW_WIDTH) for the labels and legend.  Extra kwargs go to the range bars."""
    _f._check_lang(lang)
    tables = _f._tables(data, "plot_timeline", ("milestones",))
    width = NARROW_WIDTH if narrow else FIGSIZE[0]
    if ax is not None:
        width = ax.figure.get_figwidth()
    geo = timeline_geometry(tables, lang, kinds=kinds, width=width)
    t = TEXT[lang]
    with arabic.style(lang):
        if ax is None:
            import matplotlib.pyplot as plt

            fig = plt.figure(figsize=(width, figure_height(tables, lang, narrow=narrow, kinds=kinds)
                                      + (0.6 if title else 0)), layout=_f._layout())
            fig._analysis_owned = fig._analysis_edges = True
            ax = fig.add_subplot()
        if not geo["rows"] and not geo["before"]:
            shown = t["shown"].format(n=geo["n_shown"], total=geo["n_all"]) if geo["n_all"] else None
            _f._empty(ax, lang, title=t["title"] if title else None, note=shown)
            _f._finish(ax, lang)
            return ax
        _f._frame_axes(ax, lang, ygrid=False)
        _f._year_axis(ax, geo["x_start"], geo["x_end"], lang, step=2 if width >= 5.5 else 3)  # a narrow axis: every
        # other (or third) year labelled, every year ticked
        step = 2 if width >= 5.5 else 3
        first = pd.Timestamp(START).year  # labelled from the axis' first year on
        ax.xaxis.set_major_locator(FixedLocator(
            [_f._x(f"{y}-01-01") for y in range(first, geo["x_end"].year + 1, step)]))
        ax.grid(axis="x", color=_f.GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_ylim(0, max(geo["total"], 1.0))
        x_left = _f._x(geo["x_start"])
        lw = kwargs.pop("linewidth", 5)
        for r in geo["rows"]:
            y = r["y"]
            ax.axhline(y, color=_f.GRID, linewidth=0.4, zorder=0)
            if r["style"] == "point":
                ax.plot([r["x0"]], [y], marker="o", markersize=5.5, linestyle="none", color=COLOR,
                        markerfacecolor="white" if r["inferred"] else COLOR, markeredgewidth=1.2, zorder=4)
            elif r["style"] == "until":  # no date, only the latest it can be: dotted up to it
                ax.plot([x_left, r["x1"]], [y, y], color=COLOR, linewidth=3, alpha=0.45,
                        linestyle=(0, (1, 1.2)), solid_capstyle="butt", zorder=2)
                ax.plot([r["x1"]], [y], marker="|", color=COLOR, markersize=8, markeredgewidth=1.5, zorder=3)
            else:
                ax.plot([r["x0"], r["x1"]], [y, y], **_f._kw(kwargs, color=COLOR, linewidth=lw,
                                                           alpha=0.3 if r["inferred"] else 0.85,
                                                           solid_capstyle="butt", zorder=3))
                if r["inferred"]:  # hollow: an outline around the range
                    ax.plot([r["x0"], r["x1"]], [y, y], color=COLOR, linewidth=0.8, zorder=3.5)
        ax.set_yticks([r["y"] for r in geo["rows"]])
        ax.set_yticklabels([_f._t(r["label"], lang) for r in geo["rows"]], linespacing=_f._ls(lang),
                           multialignment=arabic.align(lang), va=_f.LABEL_VA)
        # labels flush with the figure's outer edge (the reading start), not ragged there: each
        # is anchored on its outer side, the widest one's width away from the axis
        widest = max([_f._text_width_pt(_f._t(r["label"], lang), _f.TEXT_PT, lang,
                                        weight="bold" if r["key"] else "normal") for r in geo["rows"]] + [0])
        ax.tick_params(axis="y", length=0, pad=widest + 6)
        for tick, r in zip(ax.get_yticklabels(), geo["rows"], strict=True):
            tick.set_horizontalalignment("right" if lang == "ar" else "left")
            tick.set_fontsize(_f.TEXT_PT)
            tick.set_color(_f.INK if r["key"] else "#333333")
            if r["key"]:
                tick.set_fontweight("bold")
        from matplotlib.lines import Line2D

        styles = {r["style"] for r in geo["rows"]}
        handles, labels = [], []
        if "point" in styles:
            handles.append(Line2D([], [], marker="o", color=COLOR, linestyle="none", markersize=5.5))
            labels.append(t["day"])
        if "range" in styles:
            handles.append(Line2D([], [], color=COLOR, linewidth=5, alpha=0.85))
            labels.append(t["range"])
        if any(r["inferred"] for r in geo["rows"] if r["style"] != "until"):
            handles.append(Line2D([], [], marker="o", color=COLOR, markerfacecolor="white", linestyle="none",
                                  markersize=5.5))
            labels.append(t["inferred"])
        if "until" in styles:
            handles.append(Line2D([], [], color=COLOR, linewidth=3, alpha=0.45, linestyle=(0, (1, 1.2))))
            labels.append(t["undated"])
        if handles:
            _f._legend(ax, handles, labels, lang, **_f._under_edge(ax, lang), ncol=1 if width < 5.5 else 2,
                       handlelength=2.0, columnspacing=1.2, labelspacing=0.35)
        # the earlier milestones, above the chart, under the (sub)title
        above = 0.0
        if geo["before"]:
            from matplotlib.transforms import ScaledTranslation, blended_transform_factory

            fig = ax.figure
            if _sourceline.one_chart(ax):  # from the figure's edge, as the title
                x = 0.1 / fig.get_figwidth()
                x, base = (1 - x if lang == "ar" else x), fig.transSubfigure
            else:
                x, base = (1.0 if lang == "ar" else 0.0), ax.transAxes
            tr = blended_transform_factory(base, ax.transAxes) + ScaledTranslation(0, 6 / 72, fig.dpi_scale_trans)
            ax.text(x, 1.0, _f._t("\n".join(geo["before"]), lang), transform=tr,
                    ha=arabic.align(lang), va="bottom", multialignment=arabic.align(lang), fontsize=_f.TEXT_PT,
                    color="#333333", linespacing=_f._ls(lang), clip_on=False)
            above = len(geo["before"]) * _f.line_pt(lang) + 6
        words = _en if lang == "en" else _ar  # the count agrees with its noun: "one milestone", «محطةً»
        sub = t["sub"].format(count=words.phrase(geo["n_shown"], "milestone"), first=_f._date_text(geo["first"], "year", lang),
                              last=_f._date_text(geo["last"], "year", lang))
        _f._title(ax, t["title"] if title else None, sub, lang, above=above)
        if source_line:
            note = t["shown"].format(n=geo["n_shown"], total=geo["n_all"]) if geo["n_shown"] < geo["n_all"] else None
            ids = [r["id"] for r in geo["rows"]] + geo["early_ids"]
            room = width if _sourceline.one_chart(ax) else ax.get_position().width * width * 0.85
            wrap = max(30, int(_sourceline.WRAP[lang] * room / FIGSIZE[0]))
            _sourceline.draw(ax, _sourceline.text(tables, {"milestones": ids}, lang, note=note, wrap=wrap),
                                lang)
        _f._finish(ax, lang)
    return ax
