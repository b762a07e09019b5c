"""The milestones as a timeline: one row per milestone, on the time axis the other charts use.

Why: thirty milestones from 2003 to 2026 read better as a picture than as a table, but most of
them fall in 2020-2021.  The axis is therefore linear in two stretches: the years before the
break (`BREAK`, 1 January 2020) are compressed `SQUEEZE` times, shaded and labelled as such,
so the dense years keep room.  A date known to the day is a point; a date known only to the
month or the year (or given as a period) is drawn as the range it stands for, never as a point
that would claim more precision than the source gives.  Inferred dates are hollow.

`timeline_geometry()` computes rows, marks and labels (no drawing); `plot_timeline()` draws
them in the seaborn-like shape of the other `plot_*` functions.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from . import arabic
from . import attacks as _attacks
from . import figures as _f

__all__ = ["plot_timeline", "timeline_geometry", "BREAK", "SQUEEZE", "FIGSIZE"]

BREAK = "2020-01-01"
SQUEEZE = 5.0
FIGSIZE = (6.3, 9.4)
KEY = tuple(_f.MILESTONE_SHORT)  # milestones marked on the other charts: bold here

TEXT = {
    "ar": {
        "title": "محطات الانسحاب كما تؤرخها المصادر",
        "sub": "{n} محطة من {first} إلى {last}؛ ما قبل 2020 بمقياس مضغوط",
        "day": "تاريخ باليوم",
        "range": "بالشهر أو السنة فقط: المدى كله",
        "inferred": "مستنتج من سياق المقال (علامة مفرغة)",
        "squeezed": "مقياس مضغوط",
    },
    "en": {
        "title": "Milestones of the withdrawal as the sources date them",
        "sub": "{n} milestones from {first} to {last}; before 2020 on a compressed scale",
        "day": "Date known to the day",
        "range": "Month or year only: the whole range",
        "inferred": "Inferred from the article's context (hollow)",
        "squeezed": "compressed scale",
    },
}
WRAP = {"ar": 72, "en": 72}
NBSP = "\u00a0"
COLOR = "#1f5a96"


def _forward(x):
    b = _f._x(BREAK)
    x = np.asarray(x, dtype=float)
    return np.where(x < b, b - (b - x) / SQUEEZE, x)


def _inverse(x):
    b = _f._x(BREAK)
    x = np.asarray(x, dtype=float)
    return np.where(x < b, b - (b - x) * SQUEEZE, x)


def timeline_geometry(tables, lang: str = "ar") -> dict:
    """Rows (top to bottom, by date), each with its label, mark (x0, x1 as date numbers; equal
    for a day), whether the date is inferred, its date text and its row height; plus the axis
    range and the years to tick."""
    ms = tables["milestones"].copy()
    ms["_id"] = ms["milestone_id"].astype("string")
    # undated milestones go where their bounds put them (on or after / no later than), drawn
    # as inferred; one with no bound at all cannot be placed on a time axis
    ms = ms[ms["date"].notna() | ms["date_end"].notna() | ms["date_latest"].notna()]
    undated = ms["date"].isna() & ms["date_end"].isna()
    dated = ms[~undated]
    lo, hi = _attacks.period_bounds(dated["date"], dated["date_precision"], dated["date_end"])
    ms["_lo"] = pd.Series(lo, index=dated.index).reindex(ms.index)
    ms["_hi"] = pd.Series(hi, index=dated.index).reindex(ms.index)
    ms.loc[undated, "_hi"] = ms.loc[undated, "date_latest"]
    ms.loc[undated, "_lo"] = ms.loc[undated, "date_earliest"].fillna(ms.loc[undated, "date_latest"])
    ms["_undated"] = undated
    ms = ms.sort_values(["_lo", "_hi", "_id"], kind="stable")
    rows = []
    for _, r in ms.iterrows():
        prec = str(r["date_precision"])
        title = str(r[f"title_{lang}"])
        x0 = _f._x(r["_lo"])
        x1 = _f._x(r["_hi"]) + (1 if (prec in ("month", "year") or pd.notna(r["date_end"])) else 0)
        if r["_undated"]:
            x1 = _f._x(r["_hi"]) + (1 if pd.notna(r["date_earliest"]) else 0)
            latest = _f._date_text(r["date_latest"], "day", lang)
            if pd.notna(r["date_earliest"]):
                earliest = _f._date_text(r["date_earliest"], "day", lang)
                when = f"بين {earliest} و{latest}" if lang == "ar" else f"between {earliest} and {latest}"
            else:
                when = f"قبل {latest}" if lang == "ar" else f"before {latest}"
        else:
            when = _f._date_text(r["date"], prec, lang)
        if r["_undated"]:
            pass
        elif pd.notna(r["date_end"]) and prec == "year" and r["date_end"].year == r["date"].year:
            when = _f._date_text(r["date"], "year", lang)
        elif pd.notna(r["date_end"]):
            when = f"{when} – {_f._date_text(r['date_end'], 'day', lang)}"
        # the date ends the label, its words held together (no-break spaces)
        label = f"{title} ({when.replace(' ', NBSP)})"
        lines = textwrap.wrap(label, WRAP[lang]) or [label]
        rows.append({"id": str(r["_id"]), "label": "\n".join(lines), "x0": x0, "x1": x1,
                     "point": x1 == x0, "inferred": str(r["date_basis"]) == "inferred" or bool(r["_undated"]),
                     "when": when, "key": str(r["_id"]) in KEY,
                     "height": 2.15 if len(lines) > 1 else 1.0})
    tops = np.cumsum([0.0] + [r["height"] for r in rows[:-1]])
    total = float(sum(r["height"] for r in rows))
    for r, top in zip(rows, tops):
        r["y"] = total - top - r["height"] / 2
    first = pd.Timestamp(ms["_lo"].min()) if len(ms) else pd.Timestamp(BREAK)
    last = pd.Timestamp(ms["_hi"].max()) if len(ms) else pd.Timestamp(BREAK)
    x_start = pd.Timestamp(year=first.year, month=1, day=1) - pd.DateOffset(months=6)
    x_end = pd.Timestamp(year=last.year + 1, month=1, day=1) + pd.DateOffset(months=2)
    # years before the break that milestones fall in, kept where their labels have room
    early, last_kept = [], None
    b = pd.Timestamp(BREAK).year
    for year in sorted({pd.Timestamp(r["x0"], unit="D").year for r in rows} & set(range(first.year, b))):
        if (b - year) / SQUEEZE >= 1.1 and (last_kept is None or (year - last_kept) / SQUEEZE >= 1.1):
            early.append(year)
            last_kept = year
    ticks = early + list(range(b, x_end.year + 1, 2))
    return {"rows": rows, "total": total, "x_start": x_start, "x_end": x_end, "ticks": ticks,
            "first": first, "last": last}


def figure_height(tables, lang: str = "ar") -> float:
    """Inches the timeline needs: at least FIGSIZE's, and room for every row at 8 pt (one line
    is about 0.17 inch), so more milestones make a taller chart, never a denser one."""
    return max(FIGSIZE[1], 2.4 + 0.19 * timeline_geometry(tables, lang)["total"])


def plot_timeline(data=None, *, ax=None, lang: str = "ar", source_line: bool = True, title: bool = True,
                  **kwargs):
    """Milestone timeline (see the module docstring).  Extra kwargs go to the range bars."""
    _f._check_lang(lang)
    tables = _f._tables(data)
    geo = timeline_geometry(tables, lang)
    t = TEXT[lang]
    with arabic.style(lang):
        if ax is None:
            import matplotlib.pyplot as plt

            fig = plt.figure(figsize=(FIGSIZE[0], figure_height(tables, lang) + (0.6 if title else 0)),
                             layout=_f._layout())
            fig._analysis_owned = True
            ax = fig.add_subplot()
        _f._frame_axes(ax, lang, ygrid=False)
        ax.set_xscale("function", functions=(_forward, _inverse))
        ax.set_xlim(_f._x(geo["x_start"]), _f._x(geo["x_end"]))
        ax.set_xticks([_f._x(f"{y}-01-01") for y in geo["ticks"]])
        ax.set_xticklabels([_f._t(str(y), lang) for y in geo["ticks"]])
        ax.xaxis.set_minor_locator(_f.FixedLocator(
            [_f._x(f"{y}-01-01") for y in range(2020, geo["x_end"].year + 1)]))
        ax.tick_params(axis="x", which="minor", length=1.5, color=_f.MUTED)
        ax.grid(axis="x", color=_f.GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_ylim(0, geo["total"] + 0.2)
        # the compressed stretch: shaded, named, and a break mark on the axis
        b = _f._x(BREAK)
        ax.axvspan(_f._x(geo["x_start"]), b, color="#f4f4f4", lw=0, zorder=0)
        ax.annotate(_f._t(t["squeezed"], lang), xy=(b, 0.0), xycoords=("data", "axes fraction"),
                    xytext=(-4, 4), textcoords="offset points", ha="right", va="bottom", rotation=90,
                    fontsize=_f.TEXT_PT, color=_f.MUTED, annotation_clip=False)
        ax.plot([b, b], [0, 0], marker=(2, 0, 70), markersize=9, color=_f.MUTED, clip_on=False, zorder=6)
        for r in geo["rows"]:
            y = r["y"]
            ax.axhline(y, color=_f.GRID, linewidth=0.4, zorder=0)
            face = "white" if r["inferred"] else COLOR
            if r["point"]:
                ax.plot([r["x0"]], [y], marker="o", markersize=5.5, linestyle="none", color=COLOR,
                        markerfacecolor=face, markeredgewidth=1.2, zorder=4)
            else:
                ax.plot([r["x0"], r["x1"]], [y, y], color=COLOR, linewidth=kwargs.get("linewidth", 5),
                        alpha=0.35 if r["inferred"] else 0.8, solid_capstyle="butt", zorder=3)
                if r["inferred"]:  # hollow: an outline around the range
                    ax.plot([r["x0"], r["x1"]], [y, y], color=COLOR, linewidth=0.8, zorder=3.5)
        ax.set_yticks([r["y"] for r in geo["rows"]])
        ax.set_yticklabels([_f._t(r["label"], lang) for r in geo["rows"]], linespacing=1.2)  # a date line sits low
        ax.tick_params(axis="y", length=0, pad=4)
        for tick, r in zip(ax.get_yticklabels(), geo["rows"]):
            tick.set_fontsize(_f.TEXT_PT)
            tick.set_color(_f.INK if r["key"] else "#333333")
            if r["key"]:
                tick.set_fontweight("bold")
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], marker="o", color=COLOR, linestyle="none", markersize=5.5),
                   Line2D([], [], color=COLOR, linewidth=5, alpha=0.8),
                   Line2D([], [], marker="o", color=COLOR, markerfacecolor="white", linestyle="none",
                          markersize=5.5)]
        labels = [t["day"], t["range"], t["inferred"]]
        _f._legend(ax, handles, labels, lang, **_f._under_edge(ax, lang), ncol=3 if lang == "ar" else 2, handlelength=2.0, columnspacing=1.2,
                   labelspacing=0.35)
        sub = t["sub"].format(n=len(geo["rows"]), first=_f._date_text(geo["first"], "year", lang),
                              last=_f._date_text(geo["last"], "year", lang))
        _f._title(ax, t["title"] if title else None, sub, lang)
        if source_line:
            _f._source_line(ax, tables, {"milestones": [r["id"] for r in geo["rows"]]}, lang)
        _f._finish(ax, lang)
    return ax
