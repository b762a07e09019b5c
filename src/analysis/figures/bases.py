"""The bases chart (`plot_bases`): each base's states over time, and its briefing figures."""
from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from .. import arabic
from .. import attacks as _attacks
from .. import bases as _bases
from .common import (
    _break_long_words,
    _chart_share,
    _check_lang,
    _copy,
    _darker,
    _empty,
    _finish,
    _frame_axes,
    _gap_bands,
    _in_list,
    _kw,
    _legend,
    _ls,
    _milestone_ids,
    _milestone_key,
    _milestone_letters,
    _milestones,
    _narrow,
    _new_axes,
    _one_chart,
    _package,
    _source_line,
    _t,
    _tables,
    _title,
    _under,
    _under_edge,
    _wrap_to,
    _x,
    _year_axis,
    milestone_marks,
)
from .theme import FIGSIZE, GRID, INK, LABEL_VA, MUTED, NARROW_SIZE, STATE_COLORS, STATE_MARKERS, TEXT_PT, TICK_PT


def _base_rows(tables, lang: str):
    """Lanes, top to bottom: a header per province, then its bases (Harir's province first is
    not forced: provinces in English-name order, unknown province last)."""
    b = tables["bases"].copy()
    pkg = _package(tables)
    basis = pkg.labels("bases", "province_basis", lang)
    region = pkg.labels("bases", "region", lang)
    b["_prov"] = b["province_en"].astype("string")
    b = b.sort_values(["_prov", "name_en"], na_position="last", kind="stable")
    rows = []
    for prov, g in b.groupby("_prov", dropna=False, sort=False):
        first = g.iloc[0]
        if pd.isna(prov):
            head = _copy("province_na", lang)
        else:
            head = str(first[f"province_{lang}"])
            if str(first["province_basis"]) == "inferred":
                head += f" ({basis['inferred']})"
            if str(first["region"]) != "federal":
                head += f" — {region.get(str(first['region']), '')}"
        rows.append(("province", head, None))
        for _, r in g.iterrows():
            rows.append(("base", str(r[f"name_{lang}"]), str(r["base_id"])))
    return rows


def _year_span(tl, tables, milestones, lang: str) -> tuple[int, int]:
    """The first and last year the time axis shows: those of the dated events; with none (only
    undated events left, as in a filtered table), those of the milestones drawn, else of the
    articles, so the lanes and their notes are still drawn on an axis."""
    years = [pd.Timestamp(v).year for v in tl.loc[tl["dated"], "start"].dropna()]
    if not years:
        years = [mdates.num2date(m["x0"]).year for m in milestone_marks(tables, milestones, lang) if m]
    if not years and "sources" in tables:
        years = [pd.Timestamp(v).year for v in tables["sources"]["published"].dropna()]
    if not years:  # the withdrawal period's start: an axis of nothing dated
        from ..timeline import START  # (the timeline builds on this package: imported here)

        years = [pd.Timestamp(START).year]
    return int(min(years)), int(max(years))


def plot_bases(data=None, *, ax=None, lang: str = "ar", milestones=("M08", "M19"), source_line: bool = True,
               title: bool = True, narrow: bool = False, **kwargs):
    """Base handover timeline: one lane per base, grouped by province.

    Coloured bars are the states the sources describe (lighter where the start is known to the
    year or month only; hatched where nothing later is known); markers are handovers and full
    withdrawals; bases still holding foreign forces are highlighted; undated events are listed
    in their lane, clear of the milestone lines.  `narrow`: a figure of the phone variant's
    size; on any figure under 5 in wide, year labels every fifth year, milestones lettered with
    a key, notes and legend wrapped to the width.
    """
    _check_lang(lang)
    tables = _tables(data, "plot_bases", ("bases", "base_events", "milestones"))
    pkg = _package(tables)
    with arabic.style(lang):
        ax = _new_axes(ax, "bases", title, narrow)
        narrow = _narrow(ax)
        if tables["base_events"].empty:
            return _empty(ax, lang, "bases_title")
        _frame_axes(ax, lang, ygrid=False)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        state_lbl = pkg.labels("base_events", "state", lang)
        tl = _bases.timelines(tables["base_events"], tables["bases"])
        still = set(_bases.remaining(tables["base_events"])["base_id"])
        rows = _base_rows(tables, lang)
        n = len(rows)
        ypos = {base: n - 1 - i for i, (_, _, base) in enumerate(rows) if base}
        lo, hi = _year_span(tl, tables, milestones, lang)
        x0 = pd.Timestamp(year=lo - 1, month=7, day=1)
        x1 = pd.Timestamp(year=hi + 1, month=6, day=1)
        # Latin lane names are wider, leaving a narrower time axis: fewer year labels there
        _year_axis(ax, x0, x1, lang, step=5 if (narrow or lang == "en") and x1.year - x0.year > 14 else None)
        ax.set_ylim(-0.7, n + (0.1 if narrow else 1.3))  # headroom for milestone labels (narrow: letters above)
        # undated events and empty lanes are written just before the first milestone line
        # (Arabic: ending just before the first milestone line; English: from the axis' start)
        firsts = [m["x0"] for m in milestone_marks(tables, milestones, lang) if m]
        x_note = (min(firsts) - 110) if firsts and lang == "ar" else _x(x0) + 60
        note_ha = "right" if lang == "ar" else "left"
        xmax = _x(x1)
        # (narrow: notes wrapped to the room before the first milestone line, as the font measures)
        room = abs(x_note - (_x(x0) if lang == "ar" else min(firsts or [xmax]))) / (xmax - _x(x0))
        note_pt = room * ax.figure.get_figwidth() * 72 * _chart_share(ax) - 6
        h = 0.56
        used_states = []
        for base_id, g in tl.groupby("base_id", sort=False):
            if base_id not in ypos:
                continue
            y = ypos[base_id]
            if base_id in still:
                ax.axhspan(y - 0.48, y + 0.48, color="#fbe3e1", zorder=0, lw=0)
            undated = g[~g["dated"]]
            if len(undated):  # one line per base, in the events' order, so several never overprint
                sep = "، " if lang == "ar" else ", "
                states = [state_lbl.get(st, st) for st in undated["state"]]
                text = _copy("undated", lang, state=sep.join(_in_list(states, lang)))
                if narrow:
                    text = _wrap_to(text, note_pt, lang)
                else:
                    text = "\n".join(textwrap.wrap(text, 50 if lang == "ar" else 28))  # stays clear of the first milestone
                ax.text(x_note, y, _t(text, lang), ha=note_ha, va="center", fontsize=TEXT_PT, linespacing=_ls(lang),
                        multialignment=note_ha, color=_darker(STATE_COLORS.get(undated["state"].iloc[-1], MUTED)),
                        zorder=4)
                # written out in the lane: no legend symbol
            for _, r in g[g["dated"]].iterrows():
                state = r["state"]
                color = STATE_COLORS.get(state, MUTED)
                xs = _x(r["start"])
                if r["terminal"] or (pd.notna(r["end"]) and r["end"] == r["start"]):
                    ax.plot([xs], [y], marker=STATE_MARKERS.get(state, "d"), color=color,
                            markersize=7.5, markeredgecolor="white", markeredgewidth=0.6,
                            linestyle="none", zorder=5)
                    used_states.append(state)
                    continue
                xe = _x(r["end"]) if pd.notna(r["end"]) else xmax
                sure = _x(_attacks.period_bounds(pd.Series([r["start"]]), pd.Series([r["precision"]]))[1].iloc[0])
                sure = min(max(sure, xs), xe)
                if sure > xs:  # the month or year in which the source observes the state
                    ax.add_patch(Rectangle((xs, y - h / 2), sure - xs, h, facecolor=color, alpha=0.9,
                                           edgecolor="none", zorder=2))
                ax.plot([xs], [y], marker="s", color=color, markersize=3.2, linestyle="none", zorder=3)
                open_tail = pd.isna(r["end"]) and state != "still_present"
                if state == "still_present":
                    ax.add_patch(Rectangle((sure, y - h / 2), xe - sure, h,
                                           **_kw(kwargs, facecolor=color, edgecolor="none", zorder=2)))
                else:  # up to the next event (or the axis end) nothing is observed
                    ax.add_patch(Rectangle((sure, y - h / 2 * (1 if open_tail else 0.6)), xe - sure,
                                           h * (1 if open_tail else 0.6), facecolor="white" if open_tail else color,
                                           alpha=1 if open_tail else 0.22, edgecolor=color,
                                           hatch="////" if open_tail else None, linewidth=0.4, zorder=2))
                if state == "still_present":  # continues past the axis
                    ax.plot([xe], [y], marker=">", color=color, markersize=6, clip_on=False, zorder=6)
                used_states.append(state)
        for _kind, _text, base in rows:
            if base is not None and not (tl["base_id"] == base).any():
                note = _wrap_to(_copy("no_events", lang), note_pt, lang) if narrow else _copy("no_events", lang)
                ax.text(x_note, ypos[base], _t(note, lang), ha=note_ha, va="center", fontsize=TEXT_PT,
                        color=MUTED, linespacing=_ls(lang), multialignment=note_ha)
        ax.set_yticks(range(n))
        wrap = (200 if lang == "ar" else 40) if not narrow else (40 if lang == "ar" else 22)  # Latin runs wider
        ax.set_yticklabels([_t(_break_long_words("\n".join(textwrap.wrap(text, wrap))), lang) for kind, text, _ in reversed(rows)],
                           linespacing=_ls(lang), va=LABEL_VA)
        ax.tick_params(axis="y", length=0, pad=11)  # clear of the arrow of bases still held
        for tick, (kind, _, base) in zip(ax.get_yticklabels(), list(reversed(rows)), strict=True):
            if kind == "province":
                tick.set_fontweight("bold")
                tick.set_fontsize(TICK_PT)
                tick.set_color(INK)
            else:
                tick.set_fontsize(TEXT_PT)
                tick.set_color("#a0201e" if base in still else "#444444")
                if base in still:
                    tick.set_fontweight("bold")
        for i, (kind, _, _) in enumerate(rows):
            if kind == "province" and i:
                ax.axhline(n - 1 - i + 0.5, color=GRID, linewidth=0.8, zorder=0)
        if narrow:
            keys = _milestone_letters(ax, tables, milestones, lang)
        else:
            _milestones(ax, tables, milestones, lang, top=1.0, wrap=34 if lang == "ar" else 22)  # Latin runs wider
        # legend: states in their enum order, then the conventions
        order = [s for s in pkg.field("base_events", "state")["constraints"]["enum"] if s in used_states]
        handles, labels = [], []
        for state in order:
            color = STATE_COLORS.get(state, MUTED)
            if state in STATE_MARKERS:
                handles.append(Line2D([], [], marker=STATE_MARKERS[state], color=color, linestyle="none",
                                      markersize=6))
            else:
                handles.append(Patch(facecolor=color, edgecolor="none"))
            labels.append(state_lbl.get(state, state))
        handles.append(Patch(facecolor=STATE_COLORS["presence"], alpha=0.9, edgecolor="none"))
        labels.append(_copy("uncertain_start", lang))
        handles.append(Patch(facecolor=STATE_COLORS["presence"], alpha=0.22, edgecolor=STATE_COLORS["presence"], linewidth=0.4))
        labels.append(_copy("unobserved", lang))
        handles.append(Patch(facecolor="white", edgecolor=STATE_COLORS["presence"], hatch="////", linewidth=0.6))
        labels.append(_copy("open", lang))
        gap = _gap_bands(ax, tables, lang)
        if gap is not None:
            handles.append(gap)
            labels.append(_copy("gap", lang))
        # under the chart, extending under the lane names (a legend wider than the lanes would
        # squeeze them)
        # (English: from the figure's left edge, as the lane names are wider than the lanes' room)
        where = dict(loc="upper left", **_under(ax, 0.0)) if lang == "ar" and not narrow else _under_edge(ax, lang)
        if narrow:  # two columns of the figure's width
            labels = [_wrap_to(s, ax.figure.get_figwidth() * 72 / 2 - 40, lang) for s in labels]
        leg = _legend(ax, handles, labels, lang, **where, ncol=2 if narrow or lang == "en" else 3,
                      columnspacing=1.0, handlelength=1.6, labelspacing=0.35)
        if narrow:
            _milestone_key(ax, keys, lang, leg)
        ho = _bases.handed_over(tables["base_events"])
        names = tables["bases"].set_index(tables["bases"]["base_id"].astype("string"))[f"name_{lang}"]
        sep = "، " if lang == "ar" else ", "
        still_names = sep.join(str(names.get(b, b)) for b in sorted(still)) or "—"
        _title(ax, _copy("bases_title", lang) if title else None,
               _copy("bases_sub", lang, n=len(ho), names=still_names), lang,
               above=22 if narrow else 0)  # the milestone letters
        if source_line:
            _source_line(ax, tables, {"base_events": tl["event_id"], "bases": list(ypos),
                                      "milestones": _milestone_ids(milestones)}, lang)
        _finish(ax, lang)
    return ax


def _fig_bases(tables, lang: str = "ar") -> Figure:
    return _one_chart(plot_bases, FIGSIZE["bases"], tables, lang)


def _fig_bases_narrow(tables, lang: str = "ar") -> Figure:
    return _one_chart(plot_bases, NARROW_SIZE["bases"], tables, lang, narrow=True)
