"""What every chart shares: the data argument, the writing of Arabic and English text,
titles, legends, the time axis, milestones, the years no source covers, the source line,
and the layout of a briefing figure of one chart."""
from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Mapping

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter

from .. import arabic
from .. import attacks as _attacks
from .. import sourceline as _sourceline
from .. import truth as _truth
from .theme import (
    FIGSIZE,
    GRID,
    INK,
    MILESTONE_GID,
    MILESTONE_SHORT,
    MUTED,
    NARROW_SIZE,
    SUB_PT,
    TEXT,
    TEXT_PT,
    TICK_PT,
    TITLE_PT,
)


def _layout():
    """Constrained layout with a wider side pad: Arabic glyphs can reach a little past the
    extent matplotlib measures for them, and would be clipped at the figure's edge."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    return ConstrainedLayoutEngine(w_pad=0.1, h_pad=0.06)


def _check_lang(lang: str) -> None:
    if lang not in ("ar", "en"):
        raise ValueError(f"lang must be 'ar' or 'en', not {lang!r}")


def _kw(kwargs: dict, **defaults) -> dict:
    """The keyword arguments of a chart's main drawing call: the chart's own, with the caller's
    extra `**kwargs` over them (as seaborn passes them on); a misspelt one raises matplotlib's
    error."""
    return {**defaults, **kwargs}


def _tables(data, fn: str = "", needs: tuple[str, ...] = (), uses: tuple[str, ...] = ()):
    """`data` as a mapping of tables: None loads the package data; a Tables or dict is used as is.

    `needs`: the tables `fn` draws from; each must be there with every column the descriptor
    gives it, or a ValueError says which is missing (not a KeyError deep inside the drawing).
    `uses`: tables `fn` reads when they are given (it draws without them): checked the same way
    when they are there.  Any other table given must have the columns every chart reads of it
    (`_shared_columns`)."""
    if data is None:
        from ..data import load

        data = load()
    if not isinstance(data, Mapping):
        raise TypeError(f"data must be None, Tables or a dict of DataFrames, not {type(data).__name__}")
    package = _package(data)
    for name in needs:
        if name not in data:
            raise ValueError(f"{fn} needs the table {name!r}; it is not in the data given")
        missing = [f["name"] for f in package.fields(name) if f["name"] not in data[name].columns]
        if missing:
            raise ValueError(f"{fn} needs column(s) {', '.join(missing)} in table {name!r} (see datapackage.json)")
    for name, table in data.items():  # the tables every chart's source line and gap bands read
        if name in needs or name not in package.resources or not hasattr(table, "columns"):
            continue
        want = [f["name"] for f in package.fields(name)] if name in uses else _shared_columns(data, package, name)
        missing = [c for c in want if c not in table.columns]
        if missing:
            raise ValueError(f"{fn} needs column(s) {', '.join(missing)} in table {name!r}: the source line and "
                             "the shading of the years no source covers read them from every table given "
                             "(see datapackage.json)")
    for name, table in data.items():  # dates read as text (pandas.read_csv) would fail deep inside
        if name not in package.resources or not hasattr(table, "columns"):
            continue
        for f in package.fields(name):
            col = f["name"]
            if f["type"] == "date" and col in table.columns and not pd.api.types.is_datetime64_any_dtype(table[col]) \
                    and table[col].notna().any():
                raise TypeError(f"{fn}: {name}.{col} holds {table[col].dtype} values, not dates; load the tables "
                                "with analysis.load(), or parse the column with pandas.to_datetime")
    return data


def _shared_columns(data, package, name: str) -> list[str]:
    """The columns of table `name` that every chart reads when the table is given, whichever
    tables the chart draws: all of `sources` (the source line), the citation of a fact table and
    the rows of `citations` (which sources support a drawn row), the date of a dated table (the
    years no source covers)."""
    from ..sources import record_ids

    fields = [f["name"] for f in package.fields(name)]
    if name == "sources":
        return fields
    cols, ids = [], record_ids(data)
    if name == "citations":
        cols += ["record_table", "record_id", "field", "source_id", "paragraph", "needle"]
    elif name in ids:
        cols += [ids[name], "source_id", "paragraph", "needle"]
    if name in _truth.DATED_TABLES:
        cols += ["date", "date_precision"]
    return [c for c in dict.fromkeys(cols) if c in fields]


def _empty(ax, lang: str, title_key: str | None = None, *, title: str | None = None, note: str | None = None):
    """An honest empty chart: the title (`title_key`'s copy, or `title`; none when both are None)
    and a note that there is nothing to draw, with `note` under it, wrapped to the Axes."""
    ax.set_axis_off()
    text = _copy("no_data", lang) + (f"\n{note}" if note else "")
    room = ax.get_position().width * ax.figure.get_figwidth() * 72 * 0.9
    ax.text(0.5, 0.5, _t(_wrap_to(text, room, lang, 9), lang), transform=ax.transAxes, ha="center", va="center",
            multialignment="center", fontsize=9, color=MUTED, linespacing=_ls(lang))
    _title(ax, _copy(title_key, lang) if title_key else title, None, lang)
    return ax


def _package(tables):
    package = getattr(tables, "package", None)
    if package is None:
        from ..data import Package

        package = Package.at()
    return package


def _t(text: str, lang: str) -> str:
    """A string ready to draw: in its digit style (ANALYSIS_DIGITS, Arabic only) and
    shaped/reordered for Arabic as the running matplotlib needs; data text is drawn exactly as
    written (numbers the project writes itself come grouped: `_num`)."""
    text = str(text)
    return arabic.label(text) if lang == "ar" else text


def _copy(key: str, lang: str, **kw) -> str:
    return TEXT[lang][key].format(**kw)


def _num(n) -> str:
    return f"{int(n):,}"


#: How a chart marks a date the source implies rather than states, as the tables do.
INFERRED = {"ar": "(مستنتج)", "en": "(inferred)"}


def _date_text(value, precision: str, lang: str) -> str:
    if precision not in ("day", "month", "year"):
        precision = "year"
    return arabic.format_date(pd.Timestamp(value), precision, lang=lang)


def _x(value) -> float:
    """A date as a matplotlib date number."""
    return float(mdates.date2num(pd.Timestamp(value).to_pydatetime()))


def _col(frame, name, lang):
    return frame[f"{name}_{lang}"]


def _new_axes(ax, name: str, title: bool = False, narrow: bool = False):
    """`ax`, or a new figure of the report's size (`narrow`: the phone variant's), taller by the
    title's room when a title is drawn."""
    if ax is None:
        w, h = NARROW_SIZE[name] if narrow else FIGSIZE[name]
        fig = plt.figure(figsize=(w, h + (0.6 if title else 0)), layout=_layout())
        fig._analysis_owned = True  # drawn by a plot_* function: it may line up the titles
        fig._analysis_edges = True  # one chart: its texts line up with the figure's edges
        ax = fig.add_subplot()
    return ax


def _frame_axes(ax, lang: str, *, ygrid: bool = True) -> None:
    """Newsroom look: no box, light grid, y axis on the reader's starting side."""
    for side in ("top", "left", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(MUTED)
    ax.tick_params(colors=INK, labelsize=TICK_PT, length=3, color=MUTED)
    if lang == "ar":
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
    if ygrid:
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)


def _ls(lang: str) -> float:
    """Line spacing for multi-line text: with native shaping (matplotlib >= 3.11) lines take
    Noto Sans Arabic's tall line height, so Arabic needs less spacing; not so when reshaped."""
    return 0.85 if lang == "ar" and arabic.native_shaping() else 1.15


def _pin(ax, title, lang: str, edge: float = 0.1) -> None:
    """Put a title `edge` inches from the figure's side on the reader's starting side (where
    the source line is), level with the outer tick labels.  Its x is fixed to the figure, not
    to the Axes, so a title wider than the Axes does not make a layout engine shrink them."""
    from matplotlib.transforms import blended_transform_factory

    fig = ax.figure
    title._analysis_pinned = True
    ax._analysis_title = title
    if not _sourceline.one_chart(ax):  # a user's grid: the Axes' own edge, clear of its neighbours
        return
    title.set_transform(blended_transform_factory(fig.transSubfigure, ax.transAxes) + ax.titleOffsetTrans)
    x = edge / fig.get_figwidth()
    title.set_x(1 - x if lang == "ar" else x)
    ax._analysis_title = title


def _title(ax, title: str | None, subtitle: str | None, lang: str, *, above: float = 0) -> None:
    """Title on the reader's starting side; the subtitle hangs just below it.  `above`: height
    in points of what sits on top of the Axes (tick labels on top), which matplotlib's own
    title placement clears without leaving room for the subtitle.  `title=None` (the
    briefing, whose caption is the title): the subtitle alone heads the chart."""
    loc = "right" if lang == "ar" else "left"
    if _narrow(ax):  # a phone variant: wrapped to its width
        room = ax.figure.get_figwidth() * 72 - 20
        title = _wrap_to(title, room, lang, TITLE_PT, "bold") if title else title
        subtitle = _wrap_to(subtitle.replace("\n", " "), room, lang, SUB_PT, "normal") if subtitle else subtitle
    elif not _sourceline.one_chart(ax):  # a user's grid: layout engines let titles overflow
        room = _panel_room_pt(ax)  # sideways; wrap to the panel
        title = _wrap_to(title, room, lang, TITLE_PT, "bold") if title else title
        subtitle = _wrap_to(subtitle, room, lang, SUB_PT, "normal") if subtitle else subtitle
    if title is None:
        if subtitle is None:
            return
        title, subtitle = subtitle, None
        t = ax.set_title(_t(title, lang), loc=loc, fontsize=SUB_PT, color=MUTED, pad=8 + above)
        _pin(ax, t, lang)
        return
    t = ax.set_title(_t(title, lang), loc=loc, fontsize=TITLE_PT, fontweight="bold", color=INK,
                     pad=(34 + 15 * subtitle.count("\n") if subtitle else 6) + above)
    _pin(ax, t, lang)
    if subtitle:
        x = 1.0 if lang == "ar" else 0.0
        ax.annotate(_t(subtitle, lang), xy=(x, 0.0), xycoords=_sourceline.under(ax, t), xytext=(0, -3),
                    textcoords="offset points", ha=arabic.align(lang), va="top", fontsize=SUB_PT,
                    color=MUTED, annotation_clip=False)


def _panel_room_pt(ax) -> float:
    """On a user's grid: points a title or source line may take from the Axes' edge, the
    panel's width less the row labels the layout will put beside the Axes."""
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    lang = "ar" if any(arabic.has_arabic(t) for t in labels) else "en"
    widest = max([_text_width_pt(t, TEXT_PT, lang, weight="normal") for t in labels] + [0]) if labels else 0
    spec = ax.get_subplotspec()
    if spec is not None:  # the panel's slot in the user's grid
        slot = ax.figure.get_figwidth() * 72 * len(spec.colspan) / spec.get_gridspec().ncols
    else:
        slot = ax.get_position().width * ax.figure.get_figwidth() * 72 / 0.8
    return max(120.0, (slot - widest) * 0.75)  # less the pads, an axis label, the layout's margins


def _break_long_words(text: str, longest: int = 30) -> str:
    """`text` as it is, or, where a word is longer than `longest` characters (a name written
    without spaces, a transliteration), wrapped to `longest` with that word broken: it cannot
    take the chart's room for its labels."""
    if max(map(len, text.split() or [""])) <= longest:
        return text
    return "\n".join(textwrap.wrap(text, longest))


def _wrap_to(text: str, width_pt: float, lang: str, fontsize: float = TEXT_PT, weight: str = "normal") -> str:
    """`text` with each of its lines wrapped at spaces to at most `width_pt`, as the font measures."""
    out = []
    with arabic.measuring():
        for para in text.split("\n"):
            cur = ""
            for w in para.split(" "):
                cand = f"{cur} {w}" if cur else w
                if cur and _text_width_pt(_t(cand, lang), fontsize, lang, weight=weight) > width_pt:
                    out.append(cur)
                    cur = w
                else:
                    cur = cand
            out.append(cur)
    return "\n".join(out)


def _legend(ax, handles, labels, lang: str, **kw):
    kw.setdefault("fontsize", TEXT_PT)
    kw.setdefault("frameon", False)
    if not _sourceline.one_chart(ax) and kw.get("ncol", 1) > 2:  # a user's grid: a narrower panel
        kw["ncol"] = 2
    if lang == "ar":
        ncol = kw.get("ncol", 1)
        if ncol > 1:  # read right to left: first column on the right (blank-padded grid)
            rows = -(-len(handles) // ncol)
            pad = rows * ncol - len(handles)
            handles = list(handles) + [Line2D([], [], alpha=0)] * pad
            labels = list(labels) + [""] * pad
            cols = [list(range(c * rows, (c + 1) * rows)) for c in range(ncol)]
            order = [i for col in reversed(cols) for i in col]
            handles = [handles[i] for i in order]
            labels = [labels[i] for i in order]
        kw.setdefault("markerfirst", False)
        kw.setdefault("handletextpad", 1.1)  # Arabic glyphs overhang their box: keep clear of markers
        kw.setdefault("alignment", "right")
    return ax.legend(handles, [_t(_capital(s, lang), lang) for s in labels], **kw)


def _capital(text: str, lang: str) -> str:
    """English: `text` with a capital first letter (a legend entry; "part handed over" is a
    descriptor label written for use inside a sentence)."""
    return text[:1].upper() + text[1:] if lang == "en" else text


def _in_list(items: list[str], lang: str) -> list[str]:
    """English: the items of a run-on list, the first with a capital and the others with a small
    first letter ("Foreign presence, contractors evacuated"), an acronym ("US ...") kept.  For
    category labels, not names."""
    if lang != "en":
        return list(items)
    return [_capital(s, lang) if i == 0 else s[:1].lower() + s[1:] if s[1:2].islower() else s
            for i, s in enumerate(items)]


def _under(ax, x: float, pts: float = 24) -> dict:
    """Legend anchor `pts` points under the Axes (below the year tick labels), at axes
    fraction `x`: in points, so it stays clear of the ticks whatever the Axes' height."""
    from matplotlib.transforms import ScaledTranslation

    return {"bbox_to_anchor": (x, 0.0),
            "bbox_transform": ax.transAxes + ScaledTranslation(0, -pts / 72, ax.figure.dpi_scale_trans)}


def _under_edge(ax, lang: str, pts: float = 24, edge: float = 0.1) -> dict:
    """Legend anchor `pts` points under the Axes, `edge` inches from the figure's side on the
    reader's starting side (where titles and the source line are): fixed to the figure in x,
    so a legend wider than the Axes does not make the layout shrink them."""
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory

    fig = ax.figure
    if not _sourceline.one_chart(ax):  # a user's grid: under the Axes' own edge
        return {"loc": "upper right" if lang == "ar" else "upper left",
                **_under(ax, 1.0 if lang == "ar" else 0.0, pts)}
    x = edge / fig.get_figwidth()
    return {"loc": "upper right" if lang == "ar" else "upper left",
            "bbox_to_anchor": (1 - x if lang == "ar" else x, 0.0),
            "bbox_transform": blended_transform_factory(fig.transSubfigure, ax.transAxes)
            + ScaledTranslation(0, -pts / 72, fig.dpi_scale_trans)}


def _year_axis(ax, start, end, lang: str, step: int | None = None) -> None:
    ax.set_xlim(_x(start), _x(end))
    y0, y1 = pd.Timestamp(start).year, pd.Timestamp(end).year
    if step is None:
        span = y1 - y0
        step = 1 if span <= 8 else 2 if span <= 14 else 3
    first = y0 + (-y0 % step) if pd.Timestamp(start) > pd.Timestamp(year=y0, month=1, day=1) else y0
    years = [y for y in range(first, y1 + 1, step) if _x(f"{y}-01-01") >= _x(start)]
    ax.xaxis.set_major_locator(FixedLocator([_x(f"{y}-01-01") for y in years]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: _t(str(mdates.num2date(v).year), lang)))
    ax.xaxis.set_minor_locator(mdates.YearLocator())
    ax.tick_params(axis="x", which="minor", length=1.5, color=MUTED)


MILESTONE_BAND = "#ededed"


def _balanced_wrap(text: str, width: int) -> list[str]:
    """Wrap to as few lines as `width` allows, of even length (no one-word last line)."""
    lines = textwrap.wrap(text, width) or [text]
    n = len(lines)
    for w in range(-(-len(text) // n), width + 1):
        even = textwrap.wrap(text, w)
        if len(even) == n:
            return even
    return lines


def milestone_marks(tables, ids, lang: str, wrap: int | None = None) -> list[dict]:
    """Where and how each milestone group is marked (geometry and words, nothing drawn):
    `x0`, `x1` (date numbers: equal for a day-precise date, the whole month or year it stands
    for otherwise) and `text` (date, then the short titles)."""
    ms = tables["milestones"]
    labels = _package(tables).labels("milestones", "kind", lang)
    out = []
    for group in ids:
        group = (group,) if isinstance(group, str) else tuple(group)
        rows = ms[ms["milestone_id"].astype("string").isin(group)]
        if rows.empty:
            out.append(None)
            continue
        rows = rows.sort_values("date")
        first = rows.iloc[0]
        texts = []
        for _, r in rows.iterrows():
            mid = str(r["milestone_id"])
            short = MILESTONE_SHORT.get(mid, {}).get(lang) or labels.get(str(r["kind"]), mid)
            texts += _balanced_wrap(short, wrap) if wrap else [short]
        span = rows["date"].min(), rows["date"].max()
        prec = str(first["date_precision"])
        if len(rows) > 1 and span[0].month == span[1].month and span[0].year == span[1].year:
            when = _date_text(span[0], "month", lang)
        else:
            when = _date_text(span[0], prec, lang)
        if "date_basis" in rows and (rows["date_basis"].astype("string") == "inferred").any():
            # the date is no surer on the chart than in the tables; the English date is the longer
            when += (" " if lang == "ar" else "\n") + INFERRED[lang]
        x0 = _x(first["date"])
        x1 = x0
        if len(rows) == 1 and prec in ("month", "year"):
            end = _attacks.period_bounds(pd.Series([first["date"]]), pd.Series([prec]))[1].iloc[0]
            x1 = _x(end) + 1
        out.append({"x0": x0, "x1": x1, "text": when + "\n" + "\n".join(texts)})
    return out


def _milestones(ax, tables, ids, lang: str, *, layout=None, fontsize: float = TEXT_PT,
                top: float = 0.995, step: float = 0.12, wrap: int | None = None) -> list:
    """Milestones as vertical lines (a day) or light bands (a month or a year: the period the
    date stands for), with short labels; ids given in one group share a line.

    `layout`: one (side, level) per group: the label sits "left" or "right" of its line, at
    `top - level * step` (axes fraction).  Default: alternate sides on one level.
    """
    out = []
    for i, mark in enumerate(milestone_marks(tables, ids, lang, wrap)):
        if mark is None:
            continue
        if mark["x1"] > mark["x0"]:
            ax.axvspan(mark["x0"], mark["x1"], color=MILESTONE_BAND, lw=0, zorder=0.5)
        else:
            ax.axvline(mark["x0"], color=MUTED, linewidth=0.7, linestyle=(0, (2, 2)), zorder=1,
                       label=MILESTONE_GID)
        side, level = layout[i] if layout is not None and i < len(layout) else (
            "left" if i % 2 == 0 else "right", 0)
        y = top - level * step
        ha = "right" if side == "left" else "left"
        dx = -3 if side == "left" else 3
        x = mark["x0"] if side == "left" else mark["x1"]
        out.append(ax.annotate(_t(mark["text"], lang), xy=(x, y), xycoords=("data", "axes fraction"),
                               xytext=(dx, 0), textcoords="offset points", ha=ha, va="top",
                               fontsize=fontsize, color="#4a4a4a", linespacing=_ls(lang),
                               multialignment=ha, zorder=4,
                               bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.9)))
    return out


def _narrow(ax) -> bool:
    """Is `ax` the one chart of a phone variant (a figure narrower than 5 in)?"""
    return _sourceline.one_chart(ax) and ax.figure.get_figwidth() < 5.0


#: Letters marking milestones on the phone variants (not digits: the key's dates have digits).
KEY_LETTERS = {"ar": "أبجدهوزحطي", "en": "abcdefghij"}


def _milestone_letters(ax, tables, ids, lang: str) -> list[str]:
    """Phone variant of `_milestones`: the same lines and bands, each marked by a letter just
    above the chart (no words inside it, where they would crowd the data); returns the key's
    lines («(أ) 5 كانون الثاني 2020: ...»), drawn under the legend by `_milestone_key`."""
    keys = []
    for mark in milestone_marks(tables, ids, lang):
        if mark is None:
            continue
        band = mark["x1"] > mark["x0"]
        if band:
            ax.axvspan(mark["x0"], mark["x1"], color=MILESTONE_BAND, lw=0, zorder=0.5)
        else:
            ax.axvline(mark["x0"], color=MUTED, linewidth=0.7, linestyle=(0, (2, 2)), zorder=1,
                       label=MILESTONE_GID)
        letter = KEY_LETTERS[lang][len(keys)]
        x = (mark["x0"] + mark["x1"]) / 2
        ax.annotate(_t(letter, lang), xy=(x, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", fontsize=TEXT_PT,
                    fontweight="bold", color=INK, annotation_clip=False)
        when, *titles = mark["text"].split("\n")
        sep = "؛ " if lang == "ar" else "; "
        keys.append(f"({letter}) {when}: {sep.join(titles)}")
    return keys


def _milestone_key(ax, keys: list[str], lang: str, under, pad: float = 6, *, fontsize: float = TEXT_PT,
                   weight: str = "normal", color: str = "#4a4a4a"):
    """The milestones' key of a phone variant (or another list of lines), under `under` (the
    legend, or the text before it), wrapped to the figure's width, from its edge on the
    reader's starting side; returns the text, for the next to hang under."""
    if not keys:
        return None
    fig = ax.figure
    room = fig.get_figwidth() * 72 - 20
    text = "\n".join(_wrap_to(k, room, lang, fontsize, weight) for k in keys)
    x = 0.1 / fig.get_figwidth()
    return ax.annotate(_t(text, lang), xy=(1 - x if lang == "ar" else x, 0.0), xycoords=("figure fraction", _sourceline.under(ax, under)),
                       xytext=(0, -pad), textcoords="offset points", ha=arabic.align(lang), va="top",
                       multialignment=arabic.align(lang), fontsize=fontsize, fontweight=weight, color=color,
                       linespacing=_ls(lang), annotation_clip=False)


def _gap_bands(ax, tables, lang: str, *, categorical: list | None = None):
    """Shade the years no source row is dated in (computed from the data), behind everything;
    returns a legend handle, or None when the axis shows no such year.  `categorical`: the
    year of each bar position, for a bar chart."""
    if categorical is not None:
        years = [y for y in categorical if y is not None]
        if not years:
            return None
        spans = _truth.uncovered_spans(tables, min(years), max(years))
        gaps = {y for a, b in spans for y in range(a, b + 1)}
        hit = [i for i, y in enumerate(categorical) if y in gaps]
        for i in hit:
            ax.axvspan(i - 0.5, i + 0.5, color="#ececec", zorder=0, lw=0)
    else:
        if tables["sources"]["published"].dropna().empty:
            return None  # no article, no coverage to speak of
        lo, hi = (mdates.num2date(v) for v in ax.get_xlim())
        last = int(tables["sources"]["published"].max().year)  # after the last article nothing is "not covered"
        spans = _truth.uncovered_spans(tables, lo.year, min(hi.year, last))
        hit = spans
        for a, b in spans:
            ax.axvspan(max(_x(f"{a}-01-01"), ax.get_xlim()[0]), min(_x(f"{b + 1}-01-01"), ax.get_xlim()[1]),
                       color="#ececec", zorder=0, lw=0)
    return Patch(facecolor="#ececec", edgecolor="none") if hit else None


def _text_width_pt(text: str, fontsize: float, lang: str, weight: str = "bold") -> float:
    """Width in points of a one-line label, measured from the font (no figure needed)."""
    return max(_line_width_pt(line, float(fontsize), lang, weight) for line in text.split("\n"))


@functools.lru_cache(maxsize=8192)
def _line_width_pt(line: str, fontsize: float, lang: str, weight: str) -> float:
    """One line's width, remembered: the layouts measure the same candidate lines again and again
    (a figure's height is found by laying it out), and shaping Arabic costs milliseconds a line.
    The bundled fonts are what every measurement uses (arabic.style), so the width of a string
    does not change within a process."""
    from matplotlib.font_manager import FontProperties

    from .measure import MEMO  # a line measured here is not shaped again when an SVG draws it

    prop = FontProperties(family=arabic.font_families(lang), size=fontsize, weight=weight)
    return MEMO.get_text_width_height_descent(line, prop, ismath=False)[0]


def _line_between(ax, tables, ids, x: float, text: str, lang: str, pad_pt: float = 7) -> float | None:
    """The milestone line a label written leftwards from `x` would cross, if any (estimated
    from the figure's width: the chart spans about 82% of it)."""
    lo, hi = ax.get_xlim()
    pt_per_x = ax.figure.get_figwidth() * 72 * _chart_share(ax) / (hi - lo)
    reach = x - (_text_width_pt(text, TEXT_PT, lang) + pad_pt) / pt_per_x
    xs = [m["x0"] for m in milestone_marks(tables, ids, lang) if m and m["x1"] == m["x0"]]
    inside = [v for v in xs if reach < v < x]
    return max(inside) if inside else None


def _chart_share(ax) -> float:
    """About how much of the figure's width the chart spans, before layout: 82% of the report's
    figures; on a phone variant the row labels take a larger share of its 4 in."""
    return 0.55 if _narrow(ax) else 0.82


def _darker(color: str, f: float = 0.72) -> str:
    """A darker shade of `color`, for text in a category's colour: darkened by `f`, and further
    until it reaches WCAG AA contrast (4.5:1) on white, so a light state colour still reads."""
    from matplotlib.colors import to_hex, to_rgb

    def contrast(rgb):
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 1.05 / (0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] + 0.05)

    rgb = tuple(c * f for c in to_rgb(color))
    while contrast(rgb) < 4.5:
        rgb = tuple(c * 0.9 for c in rgb)
    return to_hex(rgb)


def _clear_side(ax, line_xs, x: float, text: str, lang: str, gap_pt: float) -> str:
    """Where a label of a point at `x` goes so no milestone line runs through it: "center"
    (above), "above_right" / "above_left" (above, starting or ending at the point), else
    "right" or "left" of it (estimated from the figure's width: the chart spans about 82%)."""
    lo, hi = ax.get_xlim()
    pt_per_x = ax.figure.get_figwidth() * 72 * _chart_share(ax) / (hi - lo)
    w = _text_width_pt(text, TEXT_PT, lang, weight="normal") / pt_per_x
    eps = 2 / pt_per_x

    def clear(a, b):
        return lo <= a and b <= hi and not any(a - eps < v < b + eps for v in line_xs)

    if clear(x - w / 2, x + w / 2):
        return "center"
    if clear(x + eps, x + w):
        return "above_right"
    if clear(x - w, x - eps):
        return "above_left"
    reach = w + gap_pt / pt_per_x
    return "right" if clear(x, x + reach) else "left"


_EN_MONTHS = "|".join(arabic.MONTHS_ENGLISH)
_EN_DATE_RE = re.compile(rf"\b(?:[0-9]{{1,2}} )?(?:{_EN_MONTHS})(?: [0-9]{{4}})?\b")


def _keep(text: str) -> str:
    """`text` with its dates and Latin parentheticals unbreakable (analysis.text_ar), English
    dates too ("9 December 2021")."""
    from ..text_ar import NBSP, keep_together

    return _EN_DATE_RE.sub(lambda m: m.group(0).replace(" ", NBSP), keep_together(text))


def _milestone_ids(ids) -> list[str]:
    return [m for group in ids for m in ((group,) if isinstance(group, str) else group)]


def line_pt(lang: str, fontsize: float = TEXT_PT, linespacing: float | None = None) -> float:
    """Height in points of one line of text at `fontsize` with `linespacing` (default
    `_ls(lang)`), as matplotlib measures it (Noto Sans Arabic's line box is about 1.8 em): row
    layouts are computed in these units, so a row of two lines gets the room two measured
    lines take."""
    linespacing = _ls(lang) if linespacing is None else linespacing
    key = (lang, float(fontsize), arabic.native_shaping(), float(linespacing))
    if key not in _LINE_PT:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        with arabic.style(lang):
            fig = Figure(dpi=72)
            FigureCanvasAgg(fig)
            t = fig.text(0, 0, _t("قاعدة (2021)\nقاعدة" if lang == "ar" else "Base (2021)\nBase", lang),
                         fontsize=fontsize, linespacing=linespacing)
            _LINE_PT[key] = t.get_window_extent(fig.canvas.get_renderer()).height / 2
    return _LINE_PT[key]


_LINE_PT: dict = {}


def _finish(ax, lang: str) -> None:
    """On a figure a plot_* function made itself, line the titles up with the outer tick
    labels (as the report's figures are); a caller's own figure is left alone."""
    if getattr(ax.figure, "_analysis_owned", False):
        _flush_titles(ax.figure, lang)


def _source_line(ax, tables, records, lang: str, note: str | None = None):
    """The chart's source line (analysis.sourceline): the articles behind `records`."""
    wrap = None
    if _narrow(ax):  # a phone variant: wrapped to its width
        wrap = int(_sourceline.WRAP[lang] * (ax.figure.get_figwidth() - 0.3) / FIGSIZE["troops"][0])
    elif not _sourceline.one_chart(ax):  # a user's grid: no wider than this panel
        wrap = max(30, int(_sourceline.WRAP[lang] * _panel_room_pt(ax) / 72 / FIGSIZE["troops"][0]))
    return _sourceline.draw(ax, _sourceline.text(tables, records, lang, note=note, wrap=wrap), lang)


def _flush_titles(fig: Figure, lang: str) -> None:
    """Move each Axes' title (and the subtitle hanging from it) to the outer edge of its tick
    labels, so titles line up with the figure edge on the reader's starting side.  Layout
    passes without rasterising; a second pass lets the layout see the subtitle where it now is.
    Titles already pinned to the figure's edge (`_pin`) need nothing."""
    if all(getattr(getattr(ax, "_analysis_title", None), "_analysis_pinned", True) for ax in fig.axes):
        return
    for _ in range(4):  # the title's place changes the layout: let it settle
        fig.draw_without_rendering()
        renderer = fig._get_renderer()
        for ax in fig.axes:
            title = getattr(ax, "_analysis_title", None)
            if title is None:
                continue
            box, ybox = ax.bbox, ax.yaxis.get_tightbbox(renderer)
            if lang == "ar":
                edge = max(box.x1, ybox.x1 if ybox is not None else box.x1)
            else:
                edge = min(box.x0, ybox.x0 if ybox is not None else box.x0)
            title.set_x((edge - box.x0) / box.width)


def _one_chart(plot, size, tables, lang: str, **kw) -> Figure:
    """A briefing figure of one chart: `plot` on a figure of `size`, no in-chart title (the caption
    is the title), edges aligned with the figure's."""
    fig = plt.figure(figsize=size, layout=_layout())
    fig._analysis_edges = True
    plot(tables, ax=fig.add_subplot(), lang=lang, title=False, **kw)
    _flush_titles(fig, lang)
    return fig
