"""The attacks charts (`plot_attacks`, `plot_attacks_per_year`) and their briefing figure
of both panels."""
from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import arabic
from .. import attacks as _attacks
from .. import sourceline as _sourceline
from .common import (
    _balanced_wrap,
    _break_long_words,
    _check_lang,
    _clear_side,
    _copy,
    _empty,
    _finish,
    _flush_titles,
    _frame_axes,
    _gap_bands,
    _kw,
    _layout,
    _legend,
    _ls,
    _milestone_ids,
    _milestone_key,
    _milestone_letters,
    _milestones,
    _narrow,
    _new_axes,
    _num,
    _package,
    _pin,
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
from .theme import (
    EVENT_KIND_COLORS,
    FIGSIZE,
    GRID,
    INK,
    LABEL_VA,
    MUTED,
    NARROW_SIZE,
    PERPETRATOR_COLORS,
    SUB_PT,
    TEXT_PT,
    WEAPON_MARKERS,
)

# Beyond this many, only the deadliest attacks get their casualties written beside them.
MAX_CASUALTY_NOTES = 12


def _mid(lo, hi) -> float:
    return (_x(lo) + _x(hi)) / 2


#: Where the default milestones' labels sit (side, level), per language: the Arabic labels run
#: the other way and are longer, so the combat-end one goes a little lower.
MILESTONE_LAYOUT = {"ar": (("right", 0), ("right", 1.9), ("left", 0)),
                    "en": (("right", 0), ("right", 1.7), ("left", 0))}


def plot_attacks(data=None, *, ax=None, lang: str = "ar", milestones=("M07", "M19", "M25"),
                 milestone_layout=None, source_line: bool = True,
                 title: bool = True, narrow: bool = False, **kwargs):
    """Attack chronology: one lane per target, markers by weapon and coloured by perpetrator,
    sized by casualties (killed/injured written beside them); series drawn as spans; undated
    series as dotted bars up to their latest possible date; milestones as vertical lines.
    `narrow`: a figure of the phone variant's size; on any figure under 5 in wide, year labels
    every other year, milestones lettered with a key under one legend of two columns."""
    _check_lang(lang)
    tables = _tables(data, "plot_attacks", ("attacks", "milestones"), uses=("bases",))
    pkg = _package(tables)
    with arabic.style(lang):
        ax = _new_axes(ax, "attacks", title, narrow)
        narrow = _narrow(ax)
        if tables["attacks"].empty:
            return _empty(ax, lang, "attacks_title")
        _frame_axes(ax, lang, ygrid=False)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        weapon_lbl = pkg.labels("attacks", "weapon", lang)
        perp_lbl = pkg.labels("attacks", "perpetrator_kind", lang)
        chron = _attacks.chronology(tables["attacks"], tables.get("bases"))
        chron["lane"] = chron["base_id"].fillna("~" + chron[f"target_{lang}"].fillna("?"))
        lanes = (chron.assign(_first=chron["lo"].fillna(chron["hi"]))
                 .groupby("lane", sort=False)["_first"].min().sort_values(kind="stable").index.tolist())
        names = chron.drop_duplicates("lane").set_index("lane")[f"target_{lang}"]
        ypos = {lane: len(lanes) - 1 - i for i, lane in enumerate(lanes)}
        dated = chron[chron["dated"]]
        lo_all = dated["lo"].min() if len(dated) else chron["hi"].min()
        hi_all = max(dated["hi"].max() if len(dated) else chron["hi"].max(), chron["hi"].max())
        ms = tables["milestones"]
        ms_dates = ms[ms["milestone_id"].astype("string").isin(list(milestones))]["date"]
        if len(ms_dates):
            hi_all = max(hi_all, ms_dates.max())
        # (narrow: room before the first attack for its casualties, written left of it)
        x0 = pd.Timestamp(lo_all) - pd.DateOffset(months=40 if narrow and lang == "en" else 12)
        x1 = pd.Timestamp(hi_all) + pd.DateOffset(months=6)
        _year_axis(ax, x0, x1, lang, step=2 if narrow else 1)
        ax.set_ylim(-1.1, len(lanes) + (0.3 if narrow else 1.0))  # headroom for milestone labels (two levels), room for undated notes
        ax.set_yticks([ypos[lane] for lane in lanes])
        lane_names = [str(names[lane]) if pd.notna(names[lane]) else lane.lstrip("~") for lane in lanes]
        if narrow:  # lane names of two lines leave the time axis its room
            lane_names = ["\n".join(_balanced_wrap(n, 20)) if len(n) > 24 else n for n in lane_names]
        # a name with a word longer than a lane label can be (a transliteration) is broken there
        lane_names = [_break_long_words(n) for n in lane_names]
        ax.set_yticklabels([_t(n, lang) for n in lane_names], fontsize=TEXT_PT, va=LABEL_VA,
                           linespacing=_ls(lang))
        ax.tick_params(axis="y", length=0)
        for lane in lanes:
            ax.axhline(ypos[lane], color=GRID, linewidth=0.6, zorder=0)
        # Drawn per group, not per event, so 100,000 events take a handful of artists.
        chron["y"] = chron["lane"].map(ypos).astype(float)
        chron["color"] = chron["perpetrator_kind"].astype(object).map(PERPETRATOR_COLORS).fillna(MUTED)
        used_weapons = chron.loc[chron["dated"], "weapon"].astype(object).tolist()  # undated: bars, no marker
        used_perps = chron["perpetrator_kind"].astype(object).tolist()
        x_left = _x(x0)
        undated = chron[~chron["dated"]].drop_duplicates(["lane", "color", "hi"])
        marks = [m for m in milestone_marks(tables, milestones, lang) if m]
        stacked: dict = {}
        for _, r in undated.iterrows():  # below the lane's dated events; the legend says what they are
            # (no words beside them: a date per bar ran into the next bar's words and the
            # milestone lines; the bar's end on the time axis is the latest possible date)
            k = stacked[r["lane"]] = stacked.get(r["lane"], -1) + 1  # several in a lane: one under another
            xe, yu, color = _x(r["hi"]), r["y"] - 0.3 - 0.2 * k, r["color"]
            ax.plot([x_left, xe], [yu, yu], color=color, linewidth=3, alpha=0.45,
                    linestyle=(0, (1, 1.2)), solid_capstyle="butt", zorder=2)
            ax.plot([xe], [yu], marker="|", color=color, markersize=8, markeredgewidth=1.5, zorder=3)
        dated = chron[chron["dated"]].copy()
        dated["xl"] = mdates.date2num(dated["lo"].to_numpy())
        dated["xr"] = mdates.date2num(dated["hi"].to_numpy()) + 1
        series = dated["event_kind"] == "series"
        spans = dated[series].drop_duplicates(["y", "xl", "xr", "color"])
        for color, group in spans.groupby("color", sort=True):
            ax.add_collection(PatchCollection(
                [Rectangle((xl, y - 0.17), max(xr - xl, 12), 0.34) for xl, xr, y in zip(group.xl, group.xr, group.y, strict=True)],
                facecolor=color, alpha=0.35, edgecolor=color, linewidth=0.6, zorder=2))
        dated["xm"] = np.where(series, dated["xl"], (dated["xl"] + dated["xr"] - 1) / 2)
        periods = dated[~series & (dated["xr"] - dated["xl"] > 2)].drop_duplicates(["y", "xl", "xr", "color"])
        for color, group in periods.groupby("color", sort=True):  # month or year precision: the period it stands for
            ax.add_collection(LineCollection([[(a, y), (b, y)] for a, b, y in zip(group.xl, group.xr, group.y, strict=True)],
                                             colors=color, linewidths=1.0, alpha=0.8, zorder=3, capstyle="butt"))
        cas = pd.to_numeric(dated["casualties"], errors="coerce").fillna(0).astype(float).to_numpy()
        dated["size"] = 5.5 + 1.6 * np.sqrt(cas)
        for (weapon, color), group in dated.groupby([dated["weapon"].astype(object), "color"], sort=True):
            ax.scatter(group["xm"], group["y"], s=group["size"] ** 2,
                       **_kw(kwargs, marker=WEAPON_MARKERS.get(weapon, "o"), color=color, edgecolors="white",
                             linewidths=0.6, zorder=5))
        killed = pd.to_numeric(dated["killed"], errors="coerce").fillna(0).astype(int)
        injured = pd.to_numeric(dated["injured"], errors="coerce").fillna(0).astype(int)
        worst = dated[(killed + injured) > 0].assign(_k=killed, _i=injured)
        worst = worst.sort_values(["_k", "_i"], ascending=False, kind="stable").head(MAX_CASUALTY_NOTES)
        line_xs = [m["x0"] for m in marks if m["x1"] == m["x0"]]
        for _, r in worst.iterrows():
            bits = []
            if r["_k"]:
                bits.append(_copy("killed", lang, n=int(r["_k"])))
            if r["_i"]:
                bits.append(_copy("injured", lang, n=int(r["_i"])))
            txt = "\n".join(bits)
            if bool(pd.notna(r["casualties_approximate"]) and r["casualties_approximate"]):
                txt += _copy("approx_suffix", lang)
            side = _clear_side(ax, line_xs, float(r["xm"]), _t(txt, lang), lang, r["size"] / 2 + 3)
            up = r["size"] / 2 + 2
            off = {"center": (0, up), "above_right": (0, up), "above_left": (0, up),
                   "left": (-(r["size"] / 2 + 3), 0), "right": (r["size"] / 2 + 3, 0)}[side]
            ax.annotate(_t(txt, lang), xy=(r["xm"], r["y"]), xytext=off, textcoords="offset points",
                        ha={"center": "center", "left": "right", "right": "left",
                            "above_right": "left", "above_left": "right"}[side],
                        va="center" if side in ("left", "right") else "bottom", fontsize=TEXT_PT, color=INK,
                        linespacing=_ls(lang), multialignment=arabic.align(lang), zorder=6)
        if narrow:
            keys = _milestone_letters(ax, tables, milestones, lang)
        else:
            layout = milestone_layout or MILESTONE_LAYOUT[lang]
            _milestones(ax, tables, milestones, lang, layout=layout, top=1.0, wrap=21)
        _gap_bands(ax, tables, lang)
        wh = [Line2D([], [], marker=WEAPON_MARKERS.get(w, "o"), color=INK, linestyle="none", markersize=5.5)
              for w in dict.fromkeys(used_weapons)]
        wl = [weapon_lbl.get(w, w) for w in dict.fromkeys(used_weapons)]
        if len(undated):
            wh.append(Line2D([], [], color=MUTED, linewidth=3, alpha=0.6, linestyle=(0, (1, 1.2))))
            wl.append(_copy("undated_legend", lang))
        order = [p for p in pkg.field("attacks", "perpetrator_kind")["constraints"]["enum"] if p in used_perps]
        ph = [Patch(facecolor=PERPETRATOR_COLORS.get(p, MUTED)) for p in order]
        pl = [perp_lbl.get(p, p) for p in order]
        # (the band's legend entry is in the per-year panel below, which shares the figure)
        # legends under the chart, outside the data: weapon (shape) and perpetrator (colour)
        start = 1.0 if lang == "ar" else 0.0
        corner = "upper right" if lang == "ar" else "upper left"
        if narrow:  # one legend: a column of weapons (shape), one of perpetrators (colour)
            rows = max(len(wh), len(ph)) + 1
            blank = Line2D([], [], alpha=0)
            hs = [blank] + wh + [blank] * (rows - 1 - len(wh)) + [blank] + ph + [blank] * (rows - 1 - len(ph))
            ls_ = ([_copy("weapon", lang)] + wl + [""] * (rows - 1 - len(wh))
                   + [_copy("perpetrator", lang)] + pl + [""] * (rows - 1 - len(ph)))
            ls_ = [_wrap_to(s, 105, lang) for s in ls_]
            leg = _legend(ax, hs, ls_, lang, **_under_edge(ax, lang), ncol=2, handlelength=1.2,
                          labelspacing=0.3, columnspacing=1.0)
            heads = {_t(_copy("weapon", lang), lang), _t(_copy("perpetrator", lang), lang)}
            for text in leg.get_texts():
                if text.get_text() in heads:
                    text.set_fontweight("bold")
            _milestone_key(ax, keys, lang, leg)
            leg1 = None
        else:
            leg1 = _legend(ax, wh, wl, lang, loc=corner, **_under(ax, start), ncol=2,
                           title=_t(_copy("weapon", lang), lang), title_fontsize=TEXT_PT, handlelength=1.2,
                           labelspacing=0.3, columnspacing=1.0)
            ax.add_artist(leg1)
            _legend(ax, ph, pl, lang, loc="upper left" if lang == "ar" else "upper right",
                    **_under(ax, 1.0 - start), ncol=1,
                    title=_t(_copy("perpetrator", lang), lang), title_fontsize=TEXT_PT, handlelength=1.2,
                    labelspacing=0.3)
        _title(ax, _copy("attacks_title", lang) if title else None, _copy("attacks_sub", lang), lang,
               above=22 if narrow else 0)  # the milestone letters
        if source_line:
            _source_line(ax, tables, {"attacks": chron["attack_id"], "bases": chron["base_id"].dropna(),
                                      "milestones": _milestone_ids(milestones)}, lang)
        _finish(ax, lang)
    return ax


def plot_attacks_per_year(data=None, *, ax=None, lang: str = "ar", source_line: bool = True,
                          title: bool = True, **kwargs):
    """Attacks per year (single attacks and series stacked), with killed and injured written
    above each bar; undated series as a last bar of their own."""
    _check_lang(lang)
    tables = _tables(data, "plot_attacks_per_year", ("attacks",))
    with arabic.style(lang):
        if ax is None:
            fig = plt.figure(figsize=(FIGSIZE["attacks"][0], 2.9), layout=_layout())
            ax = fig.add_subplot()
        if tables["attacks"].empty:
            return _empty(ax, lang, "per_year_title")
        _frame_axes(ax, lang)
        py = _attacks.per_year(tables["attacks"])
        dated = py[py["year"].notna()]
        years = list(range(int(dated["year"].min()), int(dated["year"].max()) + 1)) if len(dated) else []
        full = dated.set_index("year").reindex(years, fill_value=0)
        cats = [str(y) for y in years]
        single = full["single"].astype(int).tolist()
        series = full["series"].astype(int).tolist()
        killed = full["killed"].astype(int).tolist()
        injured = full["injured"].astype(int).tolist()
        und = py[py["year"].isna()]
        if len(und):  # a narrow bar: its words on two lines
            cats.append(_copy("undated_bar", lang).replace(" ", "\n") if _narrow(ax) else _copy("undated_bar", lang))
            single.append(int(und["single"].iloc[0]))
            series.append(int(und["series"].iloc[0]))
            killed.append(int(und["killed"].iloc[0]))
            injured.append(int(und["injured"].iloc[0]))
        xs = np.arange(len(cats), dtype=float)  # time runs left to right, as in the chronology above
        if len(und) and _narrow(ax):  # apart from the years (it is none of them): room for its word
            xs[-1] += 0.5
        gap = _gap_bands(ax, tables, lang, categorical=years + [None] * (len(cats) - len(years)))
        labels = _package(tables).labels("attacks", "event_kind", lang)
        b1 = ax.bar(xs, single, **_kw(kwargs, width=0.6, color=EVENT_KIND_COLORS["single"],
                                      label=labels.get("single", "single")))
        b2 = ax.bar(xs, series, bottom=single, **_kw(kwargs, width=0.6, color=EVENT_KIND_COLORS["series"],
                                                     label=labels.get("series", "series")))
        top = np.array(single) + np.array(series)
        for x, t, k, i in zip(xs, top, killed, injured, strict=True):
            bits = ([_copy("casualties_k", lang, n=k)] if k else []) + ([_copy("casualties_i", lang, n=i)] if i else [])
            if bits and _narrow(ax):  # a narrow bar: word and number one above the other
                bits = [b.replace(" ", "\n") for b in bits]
            if bits:
                ax.annotate(_t(("\n" if _narrow(ax) else " · ").join(bits), lang), xy=(x, t), xytext=(0, 2),
                            textcoords="offset points", ha="center", va="bottom", fontsize=TEXT_PT, color=INK,
                            linespacing=_ls(lang))
        ax.set_xticks(xs)
        ax.set_xticklabels([_t(c, lang) for c in cats], linespacing=_ls(lang))
        m = 0.45 if _narrow(ax) else 0.6  # narrow: every point of width to the bars' words
        ax.set_xlim(-m, xs[-1] + m if len(xs) else m)
        ax.set_ylim(0, max(top.max() * 1.6, 1) if len(top) else 1)
        # (English narrow: the y axis is on the left, where a tick met the first bar's words)
        ax.yaxis.set_major_locator(MaxNLocator((2 if lang == "en" else 3) if _narrow(ax) else 4, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: _t(_num(v), lang)))
        ax.set_ylabel(_t(_copy("per_year_y", lang), lang), fontsize=TEXT_PT, color=MUTED)
        hs, ls_ = [b1, b2], [labels.get("single", "single"), labels.get("series", "series")]
        if gap is not None:
            hs.append(gap)
            ls_.append(_copy("gap", lang))
        where = _under_edge(ax, lang) if _narrow(ax) else dict(  # narrow: from the figure's edge, not squeezing
            loc="upper right" if lang == "ar" else "upper left", **_under(ax, 1.0 if lang == "ar" else 0.0))
        _legend(ax, hs, ls_, lang, **where, ncol=2 if _sourceline.one_chart(ax) else 1)
        # a panel heading, not the figure's title: it stays when the caption is the title
        heading = _copy("per_year_title", lang)
        if _narrow(ax):
            heading = _wrap_to(heading, ax.figure.get_figwidth() * 72 - 20, lang, SUB_PT + 0.5, "bold")
        _pin(ax, ax.set_title(_t(heading, lang), loc="right" if lang == "ar" else "left",
                              fontsize=SUB_PT + 0.5, fontweight="bold", color=INK, pad=16), lang)  # clear of the top tick
        if source_line:
            _source_line(ax, tables, {"attacks": tables["attacks"]["attack_id"]}, lang)
        _finish(ax, lang)
    return ax


def _fig_attacks(tables, lang: str = "ar") -> Figure:
    fig = plt.figure(figsize=FIGSIZE["attacks"], layout=_layout())
    fig._analysis_edges = True  # two panels of one chart, both the figure's full width
    top, bottom = fig.subplots(2, 1, height_ratios=[2.3, 1])
    plot_attacks(tables, ax=top, lang=lang, title=False, source_line=False)
    plot_attacks_per_year(tables, ax=bottom, lang=lang)  # its source line covers both panels
    _flush_titles(fig, lang)
    return fig


def _fig_attacks_narrow(tables, lang: str = "ar") -> Figure:
    fig = plt.figure(figsize=NARROW_SIZE["attacks"], layout=_layout())
    fig._analysis_edges = True
    top, bottom = fig.subplots(2, 1, height_ratios=[2.6, 1])
    plot_attacks(tables, ax=top, lang=lang, title=False, source_line=False, narrow=True)
    plot_attacks_per_year(tables, ax=bottom, lang=lang)
    _flush_titles(fig, lang)
    return fig
