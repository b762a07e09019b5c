"""The sources matrix (`plot_sources`): what several sources confirm and each source's
value where they disagree, and its briefing figures."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import arabic
from .. import attacks as _attacks
from .. import sourceline as _sourceline
from .. import sources as _sources
from ..memo import per_build
from .common import (
    _balanced_wrap,
    _check_lang,
    _copy,
    _date_text,
    _empty,
    _finish,
    _keep,
    _kw,
    _layout,
    _legend,
    _ls,
    _milestone_key,
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
    _wrap_to,
    line_pt,
)
from .theme import (
    CLAIM_COLORS,
    FIGSIZE,
    GRID,
    INK,
    LABEL_VA,
    MILESTONE_SHORT,
    NARROW_WIDTH,
    TEXT,
    TEXT_PT,
    TICK_PT,
    UNITS,
)


def _source_labels(tables, lang: str) -> dict[str, str]:
    s = tables["sources"]
    out = {}
    for _, r in s.iterrows():
        outlet = r[f"outlet_{lang}"]
        outlet = _copy("outlet_unknown", lang) if pd.isna(outlet) else str(outlet)
        when = _date_text(r["published"], str(r["date_precision"]), lang)
        if lang == "en":  # abbreviated month names keep the columns narrow
            for name in arabic.MONTHS_ENGLISH:
                when = when.replace(name, name[:3])
        mark = ""
        if str(r["outlet_basis"]) == "inferred" or str(r["date_basis"]) == "inferred":
            mark = TEXT[lang]["inferred_mark"]
        # narrow columns: outlet (wrapped), then day and month, then the year on its own line
        outlet = "\n".join(textwrap.wrap(outlet, 10))
        when = "\n".join(when.rsplit(" ", 1))
        out[str(r["source_id"])] = f"{outlet}\n{when}{mark}"
    return out


def _fact_label(tables, table: str, record_id: str, lang: str) -> str:
    pkg = _package(tables)
    t = tables[table]
    if table == "milestones":
        r = t[t["milestone_id"].astype("string") == record_id].iloc[0]
        short = MILESTONE_SHORT.get(record_id, {}).get(lang) or str(r[f"title_{lang}"])
        short = textwrap.shorten(short, 40, placeholder=" …")  # a row label, not the full title
        if pd.isna(r["date"]):
            return short
        return f"{short} ({_date_text(r['date'], str(r['date_precision']), lang)})"
    if table == "bases":
        r = t[t["base_id"].astype("string") == record_id].iloc[0]
        return str(r[f"name_{lang}"])
    if table == "attacks":
        r = _attacks.chronology(t[t["attack_id"].astype("string") == record_id], tables.get("bases")).iloc[0]
        key = "series_on" if r["event_kind"] == "series" else "attack_on"
        target = r[f"target_{lang}"]
        text = _copy(key, lang, target=str(target) if pd.notna(target) else "?")
        if r["dated"]:
            text += f" ({_date_text(r['date'], str(r['date_precision']), lang)})"
        return text
    if table == "base_events":
        r = t[t["event_id"].astype("string") == record_id].iloc[0]
        b = tables["bases"]
        name = b[b["base_id"].astype("string") == str(r["base_id"])][f"name_{lang}"]
        state = pkg.labels("base_events", "state", lang).get(str(r["state"]), str(r["state"]))
        return f"{name.iloc[0] if len(name) else r['base_id']}: {state}"
    if table == "troop_levels":
        r = t[t["obs_id"].astype("string") == record_id].iloc[0]
        return f"{_num(r['count'])}: {r[f'note_{lang}']}"
    return f"{table} {record_id}"


def _claim_value(tables, row, lang: str) -> str:
    """A claim's value for a matrix cell: number + unit, a month, an enum label, or the claim
    text itself."""
    unit, value = row["unit"], str(row["value"])
    if pd.notna(unit) and str(unit) in UNITS:
        return f"{value} {UNITS[str(unit)][lang]}"
    if pd.notna(unit) and str(unit) == "month":
        return _date_text(value + "-01", "month", lang)
    if pd.notna(unit) and str(unit) == "day":
        return _date_text(value, "day", lang)
    try:
        lbl = _package(tables).labels(str(row["subject_table"]), str(row["attribute"]), lang)
    except KeyError:
        lbl = {}
    if value in lbl:
        return lbl[value]
    near = [k for k in lbl if k.endswith("_" + value)]
    if len(near) == 1:
        return lbl[near[0]]
    claim = str(row[f"claim_{lang}"])
    if lang == "en":
        if len(claim) > 24 and value.isalpha():  # Latin runs wide: the bare value
            return value.capitalize()
        # whole: the first words could say the opposite ("The US owns" of "The US owns no
        # bases"); the matrix cell cuts it short with "…", the phone variant's list shows it all
        return claim
    return " ".join(claim.split()[:3])


def _drawable(tables, src_ids):
    """Support and disagreement rows that a filtered set of tables can still draw: their source
    is among the given sources, the record they support is in its table, and a claim's disputed
    point is in the conflicts table (a claim whose conflict was filtered out has no topic to
    label its row with: it is not drawn, nor cited in the source line)."""
    sup = _sources.support(tables)
    present = {name: set(tables[name][key].astype("string")) for name, key in _sources.record_ids(tables).items()
               if name in tables}
    keep = [sid in src_ids and rid in present.get(t, ()) for t, rid, sid in zip(sup["table"], sup["record_id"], sup["source_id"], strict=True)]
    sup = sup[pd.Series(keep, index=sup.index, dtype=bool)] if len(sup) else sup
    dis = _sources.disagreements(tables)
    if len(dis):
        points = set(tables["conflicts"]["conflict_id"].astype("string"))
        dis = dis[dis["source_id"].astype("string").isin(src_ids) & dis["conflict_id"].astype("string").isin(points)]
    return sup, dis


ROW_GAP = 0.1  # lines of space between matrix rows


def _matrix_ls(lang: str) -> float:
    """Line spacing of the sources matrix, tighter than elsewhere so it fits a page (9.3 in):
    Noto Sans Arabic's line box (1.8 em at `_ls`) is far taller than its letters, so 0.7 of it
    (about 1.5 em) still parts the lines; Latin lines at 1.0 (about 1.2 em)."""
    if lang == "ar":
        return 0.7 if arabic.native_shaping() else _ls(lang)
    return 1.0


def _matrix_pt(lang: str) -> float:
    """One line of the sources matrix, in points (see `_matrix_ls`)."""
    return line_pt(lang, linespacing=_matrix_ls(lang))


@per_build
def sources_geometry(tables, lang: str = "ar", min_sources: int = 2, narrow: bool = False,
                     grid: bool = False) -> dict:
    """The sources matrix without drawing: rows (kind, label, key), their heights in measured
    lines (`line_pt`), centres `y`, the value cells and the columns.  `narrow`: the phone
    variant's, with narrower row labels and the disputed points left to a list; `grid`: a panel
    of a user's grid, whose row labels are narrower (a neighbour needs the width)."""
    src_ids = sorted(tables["sources"]["source_id"].astype("string"))
    sup, dis = _drawable(tables, src_ids)
    col = {s: i for i, s in enumerate(src_ids)}
    if lang == "ar":  # first source on the right
        col = {s: len(src_ids) - 1 - i for i, s in enumerate(src_ids)}
    facts = sup[sup["table"] != "claims"]
    nsrc = facts.groupby(["table", "record_id"], sort=False)["source_id"].nunique()
    multi = nsrc[nsrc >= min_sources].index.tolist()
    conflicts = dis.drop_duplicates("conflict_id")
    rows = [("header", _copy("agree", lang), None)]
    rows += [("fact", _fact_label(tables, t, r, lang), (t, r)) for t, r in multi]
    disputes = [(str(c["conflict_id"]), str(c[f"topic_{lang}"])) for _, c in conflicts.iterrows()]
    if not narrow:  # (narrow: the disputed points are listed under the matrix, full width)
        rows += [("header", _copy("disagree", lang), None)]
        rows += [("conflict", topic, cid) for cid, topic in disputes]
    n = len(rows)
    # row labels of one line where the columns leave room (the page's height: a fact of two
    # lines takes a whole line more); narrow row labels leave the columns room
    width = (48 if grid else 56 if lang == "ar" else 46) if not narrow else (44 if lang == "ar" else 36)
    # one cell per (disputed point, source): several claims of one article on one point share it
    cells = {}
    for _, c in dis.iterrows():
        cells.setdefault((str(c["conflict_id"]), str(c["source_id"])), [])
        v = _claim_value(tables, c, lang)
        if v not in cells[(str(c["conflict_id"]), str(c["source_id"]))]:
            cells[(str(c["conflict_id"]), str(c["source_id"]))].append(v)
    def _cell(values):
        lines = textwrap.wrap(" / ".join(values), 12 if lang == "ar" else 10)
        return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")  # cut short: say so

    values = {k: " / ".join(v) for k, v in cells.items()}  # whole, for the narrow list
    cells = {k: _cell(v) for k, v in cells.items()}
    # row heights: a row whose label or a value takes two lines gets more room
    heights = []
    for kind, text, key in rows:
        nlines = len(textwrap.wrap(_keep(text), width))
        if kind == "conflict" and any("\n" in cells[(str(key), str(c))]
                                      for c in dis[dis["conflict_id"] == key]["source_id"]):
            nlines = max(nlines, 2.3)  # a two-line value box and its padding
        heights.append(max(1.0, nlines) + ROW_GAP)  # in measured lines (line_pt) and a gap
    tops = np.cumsum([0.0] + heights[:-1])
    total = float(sum(heights))
    y = {i: total - tops[i] - heights[i] / 2 for i in range(n)}
    return {"src_ids": src_ids, "sup": sup, "dis": dis, "col": col, "facts": facts, "multi": multi,
            "rows": rows, "n": n, "width": width, "cells": cells, "heights": heights, "total": total, "y": y,
            "disputes": disputes, "values": values}


def _dispute_lines(tables, g, lang: str) -> list[str]:
    """The phone variant's list of disputed points: per point its topic, then each source's
    value after the source's column number («(1) 180 كم؛ (3) 100 كم»), whole (not cut short)."""
    sep = "؛ " if lang == "ar" else "; "
    num = {s: i + 1 for i, s in enumerate(g["src_ids"])}
    out = []
    for cid, topic in g["disputes"]:
        vals = [f"({num[s]}) {g['values'][(cid, s)]}" for s in g["src_ids"] if (cid, s) in g["values"]]
        out += [_keep(topic), _keep(sep.join(vals))]  # dates never split across lines
    return out


def sources_height(tables, lang: str = "ar", narrow: bool = False) -> float:
    """Inches the briefing's sources figure needs: its rows at their measured height, plus the
    column heads, the subtitle, the legend and the source line (`narrow`: the phone variant's,
    whose legend is one column and whose key of the articles' dates follows it)."""
    if tables["sources"].empty:
        return FIGSIZE["sources"][1]
    g = sources_geometry(tables, lang, narrow=narrow)
    extra = 0.0
    if narrow:  # the key of the columns, the list of disputed points (measured lines)
        lines = len(g["src_ids"]) + 2 + sum(_wrap_to(t, NARROW_WIDTH * 72 - 20, lang).count("\n") + 1.3
                                            for t in _dispute_lines(tables, g, lang))
        extra = lines * line_pt(lang) / 72 + 0.3
    return g["total"] * _matrix_pt(lang) / 72 + 2.0 + extra


def plot_sources(data=None, *, ax=None, lang: str = "ar", min_sources: int = 2, source_line: bool = True,
                 title: bool = True, narrow: bool = False, **kwargs):
    """Source agreement matrix: facts documented by at least `min_sources` sources, and every
    disputed point, against the sources (outlet and date).  Dots mark support (filled: the
    fact's primary source; ring: a further source); on disputed points each source's value is
    written in a box (one style: which claim is listed first means nothing).  `narrow`: the
    phone variant (NARROW_WIDTH wide): columns headed by outlet and year, the full dates in a
    key under the legend."""
    _check_lang(lang)
    tables = _tables(data, "plot_sources", ("sources", "conflicts", "claims", "citations", "bases", "base_events",
                                            "troop_levels", "attacks", "milestones"))
    with arabic.style(lang):
        if ax is None and not tables["sources"].empty:  # own figure: as tall as its rows need
            fig = plt.figure(figsize=(NARROW_WIDTH if narrow else FIGSIZE["sources"][0],
                                      sources_height(tables, lang, narrow) + (0.6 if title else 0)), layout=_layout())
            fig._analysis_owned = fig._analysis_edges = True
            ax = fig.add_subplot()
        ax = _new_axes(ax, "sources", title)
        if tables["sources"].empty:
            return _empty(ax, lang, "sources_title")
        narrow = _narrow(ax)
        g = geo = sources_geometry(tables, lang, min_sources, narrow=narrow, grid=not _sourceline.one_chart(ax))
        src_ids, sup, dis, col, facts, multi = (g[k] for k in ("src_ids", "sup", "dis", "col", "facts", "multi"))
        rows, n, width, cells, heights, total, y = (g[k] for k in ("rows", "n", "width", "cells", "heights",
                                                                   "total", "y"))
        ax.set_xlim(-0.5, len(src_ids) - 0.5)
        ax.set_ylim(-0.1, total + 0.1)
        for i, (kind, _, key) in enumerate(rows):
            if kind == "header":
                ax.axhspan(y[i] - heights[i] / 2, y[i] + heights[i] / 2, color="#f0f0f0", lw=0, zorder=0)
                continue
            ax.axhline(y[i], color=GRID, linewidth=0.5, zorder=0)
            if kind == "fact":
                t, r = key
                g = facts[(facts["table"] == t) & (facts["record_id"] == r)]
                for sid, gs in g.groupby("source_id", sort=True):
                    primary = (gs["role"] == "primary").any()
                    ax.plot([col[sid]], [y[i]], **_kw(kwargs, marker="o", markersize=6.5, linestyle="none",
                                                      color="#444444",
                                                      markerfacecolor="#444444" if primary else "white",
                                                      markeredgewidth=1.2, zorder=3))
            else:
                g = dis[dis["conflict_id"] == key].reset_index(drop=True)
                g = g.drop_duplicates("source_id").reset_index(drop=True)  # one cell per source
                for _, c in g.iterrows():
                    color = CLAIM_COLORS[0]
                    txt = cells[(str(key), str(c["source_id"]))]
                    ax.annotate(_t(txt, lang), xy=(col[str(c["source_id"])], y[i]),
                                xytext=(0, 0), textcoords="offset points",
                                ha="center", va="center", fontsize=TEXT_PT,
                                color="white", fontweight="bold", linespacing=_matrix_ls(lang),
                                zorder=4, bbox=dict(boxstyle="round,pad=0.25", fc=color, ec="none"))
        for x in range(len(src_ids)):
            ax.axvline(x, color=GRID, linewidth=0.5, zorder=0)
        if lang == "ar":
            ax.yaxis.tick_right()
        ax.set_yticks([y[i] for i in range(n)])
        # dates and Latin parentheticals are held together (no-break spaces): never split
        wrap = _balanced_wrap if lang == "en" else textwrap.wrap  # (English: no one-word last line)
        ax.set_yticklabels([_t("\n".join(wrap(_keep(text), width)), lang) for _, text, _ in rows],
                           linespacing=_matrix_ls(lang), va=LABEL_VA)  # the unit row heights are measured in
        for tick, (kind, _, _) in zip(ax.get_yticklabels(), rows, strict=True):
            tick.set_fontsize(TICK_PT if kind == "header" else TEXT_PT)
            if kind == "header":
                tick.set_fontweight("bold")
            tick.set_color(INK if kind != "fact" else "#333333")
        labels = _source_labels(tables, lang)
        keys = []
        if narrow:  # outlet and year over the column; outlet and full date in the key
            src = tables["sources"].set_index(tables["sources"]["source_id"].astype("string"))
            sep = "، " if lang == "ar" else ", "
            for i, s in enumerate(src_ids):  # numbered in source order (Arabic: from the right)
                r = src.loc[s]
                outlet = _copy("outlet_unknown", lang) if pd.isna(r[f"outlet_{lang}"]) else str(r[f"outlet_{lang}"])
                when = _date_text(r["published"], str(r["date_precision"]), lang) if pd.notna(r["published"]) else ""
                mark = TEXT[lang]["inferred_mark"] if TEXT[lang]["inferred_mark"] in labels[s] else ""
                keys.append(_keep(f"({i + 1}) {outlet}{sep}{when}{mark}"))
                labels[s] = f"({i + 1})"
        ax.set_xticks([col[s] for s in src_ids])
        ax.set_xticklabels([_t(labels[s], lang) for s in src_ids], fontsize=TEXT_PT, linespacing=_matrix_ls(lang))
        ax.xaxis.tick_top()
        ax.tick_params(length=0, pad=3)
        for side in ax.spines:
            ax.spines[side].set_visible(False)
        handles = [
            Line2D([], [], marker="o", color="#444444", linestyle="none", markersize=5.5),
            Line2D([], [], marker="o", color="#444444", markerfacecolor="white", linestyle="none", markersize=5.5),
            Patch(facecolor=CLAIM_COLORS[0]),
        ]
        labs = [_copy("primary", lang), _copy("further", lang), _copy("claim", lang)]
        # anchored at the matrix's outer edge, extending under the row labels
        if narrow:  # no value boxes: the disputed points are listed under the key
            leg = _legend(ax, handles[:2], labs[:2], lang, **_under_edge(ax, lang, 4), ncol=1, handlelength=1.4)
            last = _milestone_key(ax, keys, lang, leg)
            lines = _dispute_lines(tables, geo, lang)
            if lines:
                last = _milestone_key(ax, [_copy("disagree", lang)], lang, last, pad=10, fontsize=TICK_PT,
                                      weight="bold", color=INK)
            for i, text in enumerate(lines):
                last = _milestone_key(ax, [text], lang, last, pad=5 if i % 2 == 0 else 1,
                                      weight="bold" if i % 2 == 0 else "normal", color=INK if i % 2 == 0 else "#333333")
        else:
            leg = _legend(ax, handles, labs, lang, loc="upper left" if lang == "ar" else "upper right",
                          **_under(ax, 0.0 if lang == "ar" else 1.0, 4), ncol=3,
                          columnspacing=1.2, handlelength=1.4)
        leg.set_zorder(5)
        lines = max(labels[s].count("\n") + 1 for s in src_ids)  # column labels on top
        _title(ax, _copy("sources_title", lang) if title else None, _copy("sources_sub", lang), lang,
               above=lines * _matrix_pt(lang) + 4)
        if source_line:
            inferred = tables["sources"][(tables["sources"]["outlet_basis"].astype("string") == "inferred")
                                         | (tables["sources"]["date_basis"].astype("string") == "inferred")]
            records = {"sources": [], "claims": dis["claim_id"].tolist()}
            for t, r in multi:
                records.setdefault(t, []).append(r)
            _source_line(ax, tables, records, lang, note=_copy("inferred_note", lang) if len(inferred) else None)
        _finish(ax, lang)
    return ax


def _fig_sources(tables, lang: str = "ar") -> Figure:
    return _one_chart(plot_sources, (FIGSIZE["sources"][0], sources_height(tables, lang)), tables, lang)


def _fig_sources_narrow(tables, lang: str = "ar") -> Figure:
    return _one_chart(plot_sources, (NARROW_WIDTH, sources_height(tables, lang, narrow=True)), tables, lang,
                      narrow=True)
