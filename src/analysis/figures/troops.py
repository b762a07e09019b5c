"""The troop levels chart (`plot_troops`) and its briefing figures."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import arabic
from .. import attacks as _attacks
from .. import sourceline as _sourceline
from .. import troops as _troops
from .common import (
    _check_lang,
    _col,
    _copy,
    _date_text,
    _empty,
    _finish,
    _frame_axes,
    _gap_bands,
    _kw,
    _legend,
    _line_between,
    _ls,
    _milestone_ids,
    _milestone_key,
    _milestone_letters,
    _milestones,
    _narrow,
    _new_axes,
    _num,
    _one_chart,
    _package,
    _source_line,
    _t,
    _tables,
    _title,
    _under,
    _under_edge,
    _x,
    _year_axis,
)
from .theme import (
    AREA_IN_TEXT,
    COUNTED_COLORS,
    COUNTED_MARKERS,
    FIGSIZE,
    INK,
    MUTED,
    NARROW_SIZE,
    TEXT_ON_WHITE,
    TEXT_PT,
)


def _peak_inset(ax, s, off, lang: str) -> None:
    """The off-scale period (the 2003-2011 peak) in a compact inset on its own scale, so the
    main chart keeps the post-2014 detail: every country-wide US level as a step, the peak
    written beside it."""
    r = off.iloc[0]
    start = r["date"]
    end = r["date_end"] if pd.notna(r["date_end"]) else _attacks.period_bounds(
        pd.Series([start]), pd.Series([r["date_precision"]]))[1].iloc[0]
    color = COUNTED_COLORS.get(r["counted"], INK)
    # under the first, highest post-2014 steps (where the chart is empty), at the time axis' start;
    # on a phone variant above them (its milestones are letters, leaving the top empty)
    ins = ax.inset_axes([0.03, 0.68, 0.3, 0.11] if _narrow(ax) else [0.03, 0.1, 0.2, 0.11])
    ins.set_facecolor("white")
    us = s[(s["counted"] == r["counted"]) & (s["kind"] == "observed")]
    xs, ys = [], []
    for _, o in us.iterrows():
        stop = o["step_end"] if pd.notna(o["step_end"]) else o["date"]
        xs += [_x(o["date"]), _x(stop)]
        ys += [float(o["count"])] * 2
    ins.fill_between(xs, ys, step=None, color=color, alpha=0.25, lw=0)
    ins.plot(xs, ys, color=color, lw=1.2)
    lo, hi = _x(pd.Timestamp(year=start.year, month=1, day=1)), _x(us["date"].max()) + 200
    ins.set_xlim(lo, hi)
    ins.set_ylim(0, float(r["count"]) * 1.05)
    ins.set_xticks([lo, _x(us["date"].max())])
    ins.set_xticklabels([_t(str(start.year), lang), _t(str(us["date"].max().year), lang)])
    ins.set_yticks([])
    ins.tick_params(labelsize=TEXT_PT, length=2, pad=1, colors=MUTED)
    for side in ("top", "left", "right"):
        ins.spines[side].set_visible(False)
    ins.spines["bottom"].set_color(MUTED)
    # (English on a wide chart: two short lines, as the Arabic; three reached the first level's line)
    key = "peak_wide" if lang == "en" and not _narrow(ax) else "peak"
    text = _copy(key, lang, count=_num(r["count"]),
                 start=_date_text(start, "year", lang), end=_date_text(end, "year", lang))
    # from the inset's reading side; on a user's grid from its left edge, inside the panel
    x, ha = (1.0, "right") if lang == "ar" and _sourceline.one_chart(ax) else (0.0, "left") if lang == "ar" else (0.0, "left")
    ins.annotate(_t(text, lang), xy=(x, 1.0), xycoords="axes fraction", xytext=(0, 3), textcoords="offset points",
                 ha=ha, va="bottom", fontsize=TEXT_PT, color=INK, linespacing=_ls(lang),
                 multialignment=arabic.align(lang), annotation_clip=False)


def plot_troops(data=None, *, ax=None, lang: str = "ar", milestones=(("M07", "M08"), "M19", "M25"),
                milestone_layout=(("left", 0), ("right", 0), ("left", 2.8)), source_line: bool = True,
                title: bool = True, narrow: bool = False, **kwargs):
    """Troop levels through time: US, coalition and all foreign forces.

    Observed levels are solid steps with filled markers, announced targets dashed with hollow
    markers, approximate counts half-filled and labelled "about".  A period far above the rest
    (the 2003-2011 peak) goes into a compact inset on its own scale, so post-2014 detail stays
    readable.  Milestones are vertical lines (bands for a month or a year).  Extra kwargs go
    to the step lines.  `source_line`: the articles behind the drawn rows, under the chart.
    `narrow`: a figure of the phone variant's size (NARROW_SIZE).  On any figure under 5 in wide
    milestones are lettered, with their key under the one-column legend.
    """
    _check_lang(lang)
    tables = _tables(data, "plot_troops", ("troop_levels", "milestones"), uses=("conflicts", "claims"))
    pkg = _package(tables)
    with arabic.style(lang):
        ax = _new_axes(ax, "troops", title, narrow)
        if tables["troop_levels"].empty:
            return _empty(ax, lang, "troops_title")
        _frame_axes(ax, lang)
        s = _troops.series(tables["troop_levels"])
        counted_lbl = pkg.labels("troop_levels", "counted", lang)
        kind_lbl = pkg.labels("troop_levels", "kind", lang)
        area_lbl = pkg.labels("troop_levels", "area", lang)
        counts = s["count"].astype(float)
        # Off-scale: points far above everything else (more than 5x the next level).
        ordered = np.sort(counts.unique())[::-1]
        cap = None
        for hi, lo in zip(ordered[:-1], ordered[1:], strict=True):
            if lo > 0 and hi > 5 * lo:
                cap = lo
                break
            if lo <= 0:
                break
        on_scale = counts if cap is None else counts[counts <= cap]
        ymax = float(on_scale.max()) * 2.3 if len(on_scale) and on_scale.max() > 0 else 1.0  # room for 4-line milestone labels
        off = s[counts > cap] if cap is not None else s.iloc[0:0]
        rest = s[~s.index.isin(off.index)]

        dates = pd.concat([rest["date"], rest["date_end"].dropna()]) if len(rest) else s["date"]
        ms_all = tables["milestones"]
        shown = ms_all[ms_all["milestone_id"].astype("string").isin(_milestone_ids(milestones))]["date"].dropna()
        dates = pd.concat([dates, shown])  # the axis reaches the last milestone drawn: gaps stay visible
        x0 = pd.Timestamp(year=int(dates.min().year) - 1, month=4, day=1)
        x1 = pd.Timestamp(year=int(dates.max().year) + 1, month=3, day=1)
        _year_axis(ax, x0, x1, lang, step=2)
        ax.set_ylim(0, ymax)
        ax.yaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: _t(_num(v), lang)))
        ax.set_ylabel(_t(_copy("troops_y", lang), lang), fontsize=TEXT_PT, color=MUTED)
        if len(off):
            _peak_inset(ax, s, off, lang)

        # steps and markers, per (counted, kind)
        handles, hlabels = [], []
        shown_conflicts: dict[str, str] = {}
        rank = {c: i for i, c in enumerate(COUNTED_COLORS)}
        groups = sorted(rest.groupby(["counted", "kind"], sort=False),
                        key=lambda kv: (rank.get(kv[0][0], 99), kv[0][1] != "observed", kv[0]))
        for (counted, kind), g in groups:
            color = COUNTED_COLORS.get(counted, INK)
            marker = COUNTED_MARKERS.get(counted, "o")
            target = kind == "target"
            ls = (0, (4, 2)) if target else "-"
            xs, ys = [], []
            g = g.reset_index(drop=True)
            for i, r in g.iterrows():
                if pd.notna(r["step_end"]):
                    xs += [_x(r["date"]), _x(r["step_end"])]
                    ys += [float(r["count"])] * 2
                    nxt = g.iloc[i + 1] if i + 1 < len(g) else None
                    if nxt is not None and r["step_end"] == r["next_date"]:
                        xs.append(_x(nxt["date"]))
                        ys.append(float(nxt["count"]))
                    xs.append(np.nan)
                    ys.append(np.nan)
            if xs:  # between two observations nothing is observed: thin and dotted, never solid
                ax.plot(xs, ys, **_kw(kwargs, color=color, linewidth=0.9,
                                      linestyle=(0, (4, 2)) if target else (0, (1, 1.6)), alpha=0.75,
                                      zorder=2, solid_capstyle="butt"))
            for _, r in g.iterrows():
                approx = bool(r["approximate"])
                ax.plot([_x(r["date"])], [float(r["count"])], marker=marker, linestyle="none",
                        markersize=6.5 if counted == "us" else 8.5, markeredgewidth=1.2,
                        color=color, markeredgecolor=color,
                        markerfacecolor="white" if (target or counted != "us") else color,
                        fillstyle="left" if (approx and not target and counted == "us") else "full",
                        markerfacecoloralt="white", zorder=5 if counted == "us" else 4)
            # value labels where the level changes
            prev = None
            for _, r in g.iterrows():
                n = int(r["count"])
                if prev is not None and n == prev and r["area"] == "iraq":
                    continue
                drop = prev is not None and n < prev
                prev = n
                txt = _copy("about", lang, n=_num(n)) if bool(r["approximate"]) else _num(n)
                if target:
                    txt = _copy("target_suffix", lang, n=txt)
                if r["area"] != "iraq":
                    txt += f" ({area_lbl.get(r['area'], r['area'])})"
                if target:  # beside the marker, clear of the steps (and of a milestone line)
                    pos = dict(xytext=(-7, 0), ha="right", va="center")
                    line = _line_between(ax, tables, milestones, _x(r["date"]), _t(txt, lang), lang)
                    if line is not None:
                        pos = dict(xytext=(-4, 0), ha="right", va="center")
                        ax.annotate(_t(txt, lang), xy=(line, float(r["count"])), textcoords="offset points",
                                    fontsize=TEXT_PT, color=TEXT_ON_WHITE.get(color, color), fontweight="bold", zorder=6, **pos)
                        continue
                elif counted == "foreign":  # right of the marker: a milestone line runs through it
                    pos = dict(xytext=(8, 0), ha="left", va="center")
                elif r["area"] != "iraq":
                    pos = dict(xytext=(-5, 5), ha="right", va="bottom")
                elif counted == "coalition":  # under the line, right of the marker
                    pos = dict(xytext=(7, -4), ha="left", va="top")
                elif drop and _narrow(ax):  # a narrow axis: left of it a milestone line is near
                    pos = dict(xytext=(0, -7), ha="center", va="top")
                elif drop:  # below the new, lower step, left of the drop
                    pos = dict(xytext=(-5, -5), ha="right", va="top")
                elif _x(r["date"]) - _x(x0) < 240 and lang == "en":  # by the y tick labels: start at the point
                    pos = dict(xytext=(-4, 7), ha="left", va="bottom")
                else:
                    pos = dict(xytext=(0, 7), ha="center", va="bottom")
                ax.annotate(_t(txt, lang), xy=(_x(r["date"]), float(r["count"])), textcoords="offset points",
                            fontsize=TEXT_PT, color=TEXT_ON_WHITE.get(color, color), fontweight="bold", linespacing=_ls(lang),
                            multialignment="center", zorder=6, **pos)
            # conflicts: a mark on the disputed number; the dispute itself goes into the note
            for _, r in g[g["conflict_id"].notna()].iterrows():
                cid = str(r["conflict_id"])
                if cid in shown_conflicts or "conflicts" not in tables:
                    continue
                conf = tables["conflicts"]
                hit = conf[conf["conflict_id"].astype("string") == cid]
                if hit.empty:
                    continue
                shown_conflicts[cid] = str(_col(hit, "topic", lang).iloc[0])
                mark = CONFLICT_MARKS[(len(shown_conflicts) - 1) % len(CONFLICT_MARKS)]
                ax.annotate(mark, xy=(_x(r["date"]), float(r["count"])), xytext=(-6, 3 if _narrow(ax) else -3),
                            textcoords="offset points", ha="right", va="bottom" if _narrow(ax) else "top", fontsize=10,
                            fontweight="bold", color=INK, zorder=6)
            handles.append(Line2D([], [], color=color, linestyle=ls if len(g) > 1 or target else "none",
                                  marker=marker, markersize=5.5,
                                  markerfacecolor="white" if (target or counted != "us") else color))
            hlabels.append(f"{counted_lbl.get(counted, counted)} — {kind_lbl.get(kind, kind)}")
        if bool(rest["approximate"].any()):
            handles.append(Line2D([], [], color=COUNTED_COLORS["us"], linestyle="none", marker="o",
                                  markersize=5.5, fillstyle="left", markerfacecoloralt="white"))
            hlabels.append(_copy("approx", lang))
        handles.append(Line2D([], [], color=MUTED, linewidth=0.9, linestyle=(0, (1, 1.6))))
        hlabels.append(_copy("unobserved", lang))
        gap = _gap_bands(ax, tables, lang)
        if gap is not None:
            handles.append(gap)
            hlabels.append(_copy("gap", lang))
        if _narrow(ax):
            leg = _legend(ax, handles, hlabels, lang, **_under_edge(ax, lang), ncol=1,
                          handlelength=2.2, labelspacing=0.35)
            _milestone_key(ax, _milestone_letters(ax, tables, milestones, lang), lang, leg)
        else:
            _legend(ax, handles, hlabels, lang, loc="upper center", **_under(ax, 0.5), ncol=2,
                    columnspacing=1.2, handlelength=2.2, labelspacing=0.35)
            _milestones(ax, tables, milestones, lang, layout=milestone_layout, top=0.99, wrap=24)
        try:  # the subtitle states the US fall from the peak; a table without US counts has none
            last = _troops.reduction(tables["troop_levels"], "peak", "last")
        except ValueError:
            last = None
        subtitle = None
        if last is not None:
            end_txt = _copy("about", lang, n=_num(last["end_count"])) if bool(last["end_approximate"]) else _num(last["end_count"])
            subtitle = _copy("troops_sub", lang, peak=_num(last["start_count"]), last=end_txt,
                             area=AREA_IN_TEXT.get(lang, {}).get(last["end_area"])
                             or area_lbl.get(last["end_area"], last["end_area"]),
                             year=_date_text(last["end_date"], last["end_date_precision"], lang))
        _title(ax, _copy("troops_title", lang) if title else None, subtitle, lang,
               above=22 if _narrow(ax) else 0)  # the milestone letters
        if source_line:
            _source_line(ax, tables, {"troop_levels": s["obs_id"],
                                      "milestones": _milestone_ids(milestones),
                                      "claims": _claims_of(tables, shown_conflicts)}, lang,
                         note=_conflict_note(shown_conflicts, lang))
        _finish(ax, lang)
    return ax


CONFLICT_MARKS = ("*", "**", "†")


def _conflict_note(shown: dict[str, str], lang: str) -> str | None:
    """The note under a chart for the disputes marked on it («* خلاف بين المصادر: ...»)."""
    if not shown:
        return None
    sep = "؛ " if lang == "ar" else "; "
    return sep.join(f"{CONFLICT_MARKS[i % len(CONFLICT_MARKS)]} " + _copy("conflict", lang, topic=topic).replace("\n", " ")
                    for i, topic in enumerate(shown.values()))


def _claims_of(tables, conflict_ids) -> list[str]:
    """Claim ids of the given conflicts (their sources back what a conflict note says)."""
    if "claims" not in tables or not conflict_ids:
        return []
    c = tables["claims"]
    return c[c["conflict_id"].astype("string").isin(list(conflict_ids))]["claim_id"].astype(str).tolist()


def _fig_troops(tables, lang: str = "ar") -> Figure:
    return _one_chart(plot_troops, FIGSIZE["troops"], tables, lang)


def _fig_troops_narrow(tables, lang: str = "ar") -> Figure:
    return _one_chart(plot_troops, NARROW_SIZE["troops"], tables, lang, narrow=True)
