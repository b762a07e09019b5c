"""The report's figures, in Arabic (default) or English, drawn from the curated tables.

Each `plot_*` function is shaped like seaborn's: it takes the data (default: `analysis.load()`;
a `Tables` or a plain dict of DataFrames also works, so a modified table can be passed), an
optional `ax` to draw into, and `lang`; it returns the Axes and never saves.  Drawing happens
inside `arabic.style(lang)`, so global rcParams are never changed; every Arabic string goes
through `arabic.label()` so it is drawn joined and right-to-left on any matplotlib.

`write_all()` renders every figure of `FIGURES` to SVG, PNG and PDF, byte-for-byte
reproducibly and atomically.
"""
from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import LineCollection, PatchCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator  # noqa: E402

from . import (  # noqa: E402
    arabic,
    atomic,
    registry,  # noqa: E402
)
from . import attacks as _attacks
from . import bases as _bases
from . import sourceline as _sourceline  # noqa: E402
from . import sources as _sources
from . import troops as _troops
from . import truth as _truth  # noqa: E402

__all__ = [
    "plot_troops", "plot_bases", "plot_attacks", "plot_attacks_per_year", "plot_sources",
    "FIGURES", "FIGSIZE", "write_all", "FORMATS",
]

#: Figure size in inches for the report (16 cm text width).
FIGSIZE: dict[str, tuple[float, float]] = {
    "troops": (6.3, 4.8),
    "bases": (6.3, 6.9),
    "attacks": (6.3, 7.6),
    "sources": (6.3, 11.5),  # the audited data give about 28 rows, some of two lines
    "timeline": (6.3, 9.4),
}
#: Phone variants (`narrow=True`): 4 in wide, so 8 pt text is >= 9 CSS px shown 358 px wide.
NARROW_WIDTH = 4.0
NARROW_SIZE: dict[str, tuple[float, float]] = {
    "troops": (NARROW_WIDTH, 7.4),
    "bases": (NARROW_WIDTH, 8.9),
    "attacks": (NARROW_WIDTH, 8.9),
}
FORMATS: tuple[str, ...] = ("svg", "png", "pdf")
#: Text sizes in points at the printed size (the briefing shows figures at their natural
#: width): nothing smaller than MIN_PT, so every label reads on paper and on a phone.
MIN_PT = 8.0
TICK_PT = 8.5
TEXT_PT = 8.0
TITLE_PT = 11.5
SUB_PT = 9.0
#: Label of milestone reference lines (leading "_": never in a legend, nor written to SVG);
#: tests check that no text is crossed by one.
MILESTONE_GID = "_milestone"
#: Vertical alignment of row labels: the box's centre on the row.  matplotlib's default for y
#: tick labels ("center_baseline") sets Arabic glyphs about 2.7 pt below their row, as Noto
#: Sans Arabic's line box reaches far above its letters (measured: tests/test_figures.py).
LABEL_VA = "center"
PNG_DPI = 200

INK = "#222222"
MUTED = "#6b6b6b"
GRID = "#e4e4e4"
# Palettes are checked for colour-vision deficiencies (tests/test_colours.py): categories told
# apart by colour alone differ in lightness too; the others also differ in marker shape.
COUNTED_COLORS = {"us": "#1f5a96", "coalition": "#d9822b", "foreign": "#3a7d44"}
#: Text in a series' colour on white needs 3:1 at least (WCAG, large text): the coalition's
#: orange marks its points, and a darker orange writes its values.
TEXT_ON_WHITE = {"#d9822b": "#a85d17"}
COUNTED_MARKERS = {"us": "o", "coalition": "s", "foreign": "^"}
STATE_COLORS = {
    "presence": "#7d9cc0",
    "iraqi_command": "#a8ddd0",
    "combat_withdrawing": "#f0a04b",
    "combat_withdrawn": "#8a3b08",
    "advisers_only": "#6a4c93",
    "contractors_evacuated": "#888888",
    "still_present": "#c8312f",
    "handed_over": "#1b7a43",
    # the bar palette's middle lightness range is full: these two sit at its dark and light ends
    "partially_handed_over": "#003c2d",
    "troops_redeployed": "#ffdf9f",
    "fully_withdrawn": "#1b1b1b",
}
STATE_MARKERS = {"handed_over": "v", "fully_withdrawn": "X", "combat_withdrawn": "d"}
WEAPON_MARKERS = {"rockets": "o", "ballistic_missiles": "^", "rockets_and_drones": "D", "unknown": "P"}
PERPETRATOR_COLORS = {"state": "#b2182b", "militia": "#e08214", "unknown": "#7f7f7f"}
EVENT_KIND_COLORS = {"single": "#1f5a96", "series": "#9ec3e6"}
#: One style for every claim box: which claim of a dispute is listed first carries no meaning,
#: so the boxes must not suggest one (a red box read as "the wrong one").
CLAIM_COLORS = ("#3d4f63",)

#: Short display titles for milestones marked on the figures (presentation copy; other
#: milestones fall back to their kind's label from the descriptor).
MILESTONE_SHORT: dict[str, dict[str, str]] = {
    "M07": {"ar": "مقتل سليماني", "en": "Soleimani killed"},
    "M08": {"ar": "البرلمان يصوّت على إخراج القوات", "en": "Parliament votes forces out"},
    "M19": {"ar": "إعلان نهاية المهمة القتالية", "en": "End of combat mission announced"},
    "M25": {"ar": "الحكومة: الانسحاب من المنشآت الاتحادية", "en": "Govt: US left federal installations"},
}

#: Interface copy, per language.
TEXT: dict[str, dict[str, str]] = {
    "ar": {
        "no_data": "لا بيانات لعرضها في الجداول المعطاة",
        "troops_title": "أعداد القوات الأميركية والأجنبية في العراق",
        "troops_sub": "من ذروة {peak} جندي إلى {last} في {area} ({year})؛\nالنقاط أرصاد والخطوط المنقطة فترات غير مرصودة",
        "troops_y": "عدد الجنود",
        "peak": "الذروة: {count} جندي في سنة\nما بين {start} و{end} (مقياس آخر)",
        "approx": "عدد تقريبي («نحو»)",
        "about": "نحو {n}",
        "target_suffix": "{n} (هدف)",
        "conflict": "خلاف بين المصادر:\n{topic}",
        "bases_title": "تسليم القواعد وانسحاب القوات منها",
        "bases_sub": "قواعد سُلّمت أو انسحبت منها القوات: {n} — ما زالت القوات في: {names}",
        "undated": "{state} (التاريخ غير مذكور)",
        "no_events": "لا أحداث مؤرّخة في المصادر",
        "province_na": "المحافظة غير مذكورة",
        "uncertain_start": "رُصدت خلال الشهر أو السنة التي يذكرها المصدر",
        "open": "لا معلومات لاحقة",
        "unobserved": "بين رصدين: لا تذكر المصادر ما جرى",
        "gap": "سنوات لا تغطيها المصادر",
        "attacks_title": "الهجمات التي تذكرها المقالات على قواعد تستضيف قوات أميركية وقوات التحالف",
        "attacks_sub": "حجم العلامة بحسب عدد الإصابات؛ الخطوط المظللة سلاسل هجمات",
        "undated_series": "مرات عدة حتى {date}\n(التواريخ غير مذكورة)",
        "undated_legend": "هجمات متكررة بلا تواريخ،\nحتى آخر موعد ممكن",
        "killed": "قتلى: {n}",
        "injured": "جرحى: {n}",
        "approx_suffix": " تقريباً",
        "weapon": "السلاح",
        "perpetrator": "المنفّذ",
        "per_year_title": "الوقائع التي تذكرها المقالات الخمس في كل سنة (ليست إحصاءً للهجمات)",
        "per_year_y": "وقائع مذكورة",
        "undated_bar": "غير مؤرّخة",
        "casualties_k": "قتلى {n}",
        "casualties_i": "جرحى {n}",
        "sources_title": "ما تؤكده المصادر وما تختلف فيه",
        "sources_sub": "وقائع وثّقها أكثر من مصدر، ونقاط الخلاف بين المصادر بقيمة كل مصدر",
        "agree": "وقائع يؤكدها أكثر من مصدر",
        "disagree": "نقاط خلاف بين المصادر",
        "primary": "المصدر الأساسي للواقعة",
        "further": "مصدر إضافي يؤكدها",
        "claim": "قيمة يذكرها المصدر في نقطة خلاف",
        "outlet_unknown": _sourceline.UNKNOWN_OUTLET["ar"],
        "inferred_mark": "*",
        "inferred_note": "* الناشر أو تاريخ النشر مستنتج من نص المقال",
        "attack_on": "هجوم على {target}",
        "series_on": "هجمات على {target}",
    },
    "en": {
        "no_data": "No data to show in the tables given",
        "troops_title": "US and foreign troops in Iraq",
        "troops_sub": "From a peak of {peak} troops to {last} in {area} ({year});\ndots are observations, dotted lines unobserved",
        "troops_y": "Troops",
        "peak": "Peak: {count} troops\nin a year between\n{start} and {end} (own scale)",
        "peak_wide": "Peak: {count} troops in a year\nof {start}\u2013{end} (own scale)",
        "approx": "Approximate count ('about')",
        "about": "about {n}",
        "target_suffix": "{n} (target)",
        "conflict": "Sources disagree:\n{topic}",
        "bases_title": "Bases handed over and withdrawn from",
        "bases_sub": "Bases handed over or fully withdrawn from: {n} — forces still at: {names}",
        "undated": "{state} (date not stated)",
        "no_events": "No dated events in the sources",
        "province_na": "Province not stated",
        "uncertain_start": "Observed within the month or year the source gives",
        "open": "No later information",
        "unobserved": "Between observations: the sources do not say",
        "gap": "Years the sources do not cover",
        "attacks_title": "Attacks the articles mention on bases hosting US and coalition forces",
        "attacks_sub": "Marker size by casualties; shaded bars are series of attacks",
        "undated_series": "Several times up to {date}\n(dates not given)",
        "undated_legend": "Repeated attacks, no dates:\nup to the latest possible date",
        "killed": "killed: {n}",
        "injured": "injured: {n}",
        "approx_suffix": " (approx.)",
        "weapon": "Weapon",
        "perpetrator": "Perpetrator",
        "per_year_title": "Incidents the five articles mention, per year (not a count of attacks)",
        "per_year_y": "Incidents mentioned",
        "undated_bar": "Undated",
        "casualties_k": "killed {n}",
        "casualties_i": "injured {n}",
        "sources_title": "What the sources confirm and where they disagree",
        "sources_sub": "Facts documented by more than one source, and each source's value where they disagree",
        "agree": "Facts confirmed by several sources",
        "disagree": "Where sources disagree",
        "primary": "Primary source of the fact",
        "further": "Further source confirming it",
        "claim": "Value a source gives on a disputed point",
        "outlet_unknown": _sourceline.UNKNOWN_OUTLET["en"],
        "inferred_mark": "*",
        "inferred_note": "* outlet or publication date inferred from the article's text",
        "attack_on": "Attack on {target}",
        "series_on": "Attacks on {target}",
    },
}
UNITS = {"km": {"ar": "كم", "en": "km"}, "bases": {"ar": "قاعدة", "en": "bases"}}
#: A troop level's area inside a sentence ("to 2,500 in Iraq as a whole"), where the descriptor's
#: label is a heading ("All Iraq"); areas not listed use their label.
AREA_IN_TEXT: dict[str, dict[str, str]] = {
    "en": {"iraq": "Iraq as a whole", "federal_iraq": "federal Iraq", "kurdistan": "the Kurdistan region"},
}


# --------------------------------------------------------------------------- helpers


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


def _tables(data, fn: str = "", needs: tuple[str, ...] = ()):
    """`data` as a mapping of tables: None loads the package data; a Tables or dict is used as is.

    `needs`: the tables `fn` draws from; each must be there with every column the descriptor
    gives it, or a ValueError says which is missing (not a KeyError deep inside the drawing)."""
    if data is None:
        from .data import load

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


def _empty(ax, lang: str, title_key: str):
    """An honest empty chart: the title and a note that there is nothing to draw."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, _t(_copy("no_data", lang), lang), transform=ax.transAxes, ha="center", va="center",
            fontsize=9, color=MUTED)
    _title(ax, _copy(title_key, lang), None, lang)
    return ax


def _package(tables):
    package = getattr(tables, "package", None)
    if package is None:
        from .data import Package

        package = Package.at()
    return package


def _t(text: str, lang: str) -> str:
    """A string ready to draw: bare numbers in the briefing's thousands style (2,500, as the prose
    and tables write them), its digit style (ANALYSIS_DIGITS, Arabic only), and shaped/reordered
    for Arabic as the running matplotlib needs."""
    from .text_ar import group_thousands

    text = group_thousands(str(text))
    return arabic.label(text) if lang == "ar" else text


def _copy(key: str, lang: str, **kw) -> str:
    return TEXT[lang][key].format(**kw)


def _num(n) -> str:
    return f"{int(n):,}"


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
        ax.annotate(_t(subtitle, lang), xy=(x, 0.0), xycoords=t, xytext=(0, -3),
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


def _wrap_to(text: str, width_pt: float, lang: str, fontsize: float = TEXT_PT, weight: str = "normal") -> str:
    """`text` with each of its lines wrapped at spaces to at most `width_pt`, as the font measures."""
    out = []
    with arabic.style(lang):  # the bundled fonts, registered for the measurement
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
    return ax.annotate(_t(text, lang), xy=(1 - x if lang == "ar" else x, 0.0), xycoords=("figure fraction", under),
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
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family=arabic.font_families(lang), size=fontsize, weight=weight)
    return max(TextToPath().get_text_width_height_descent(line, prop, ismath=False)[0]
               for line in text.split("\n"))


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
    from .text_ar import NBSP, keep_together

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


# --------------------------------------------------------------------------- troops


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
    tables = _tables(data, "plot_troops", ("troop_levels", "milestones"))
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
        last = _troops.reduction(tables["troop_levels"], "peak", "last")
        end_txt = _copy("about", lang, n=_num(last["end_count"])) if bool(last["end_approximate"]) else _num(last["end_count"])
        _title(ax, _copy("troops_title", lang) if title else None,
               _copy("troops_sub", lang, peak=_num(last["start_count"]), last=end_txt,
                     area=AREA_IN_TEXT.get(lang, {}).get(last["end_area"])
                     or area_lbl.get(last["end_area"], last["end_area"]),
                     year=_date_text(last["end_date"], last["end_date_precision"], lang)), lang,
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


# --------------------------------------------------------------------------- bases


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
        dated = tl[tl["dated"]]
        x0 = pd.Timestamp(year=int(dated["start"].min().year) - 1, month=7, day=1)
        x1 = pd.Timestamp(year=int(dated["start"].max().year) + 1, month=6, day=1)
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
        ax.set_yticklabels([_t("\n".join(textwrap.wrap(text, wrap)), lang) for kind, text, _ in reversed(rows)],
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


# --------------------------------------------------------------------------- attacks


# Beyond this many, only the deadliest attacks get their casualties written beside them.
MAX_CASUALTY_NOTES = 12


def _mid(lo, hi) -> float:
    return (_x(lo) + _x(hi)) / 2


def plot_attacks(data=None, *, ax=None, lang: str = "ar", milestones=("M07", "M19", "M25"),
                 milestone_layout=(("right", 0), ("right", 1.7), ("left", 0)), source_line: bool = True,
                 title: bool = True, narrow: bool = False, **kwargs):
    """Attack chronology: one lane per target, markers by weapon and coloured by perpetrator,
    sized by casualties (killed/injured written beside them); series drawn as spans; undated
    series as dotted bars up to their latest possible date; milestones as vertical lines.
    `narrow`: a figure of the phone variant's size; on any figure under 5 in wide, year labels
    every other year, milestones lettered with a key under one legend of two columns."""
    _check_lang(lang)
    tables = _tables(data, "plot_attacks", ("attacks", "milestones"))
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
        lane_names = ["\n".join(textwrap.wrap(n, 30)) if max(map(len, n.split() or [""])) > 30 else n
                      for n in lane_names]
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
            _milestones(ax, tables, milestones, lang, layout=milestone_layout, top=1.0, wrap=21)
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


# --------------------------------------------------------------------------- sources


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
    is among the given sources and the record they support is in its table."""
    sup = _sources.support(tables)
    present = {name: set(tables[name][key].astype("string")) for name, key in _sources.record_ids(tables).items()
               if name in tables}
    keep = [sid in src_ids and rid in present.get(t, ()) for t, rid, sid in zip(sup["table"], sup["record_id"], sup["source_id"], strict=True)]
    sup = sup[pd.Series(keep, index=sup.index, dtype=bool)] if len(sup) else sup
    dis = _sources.disagreements(tables)
    dis = dis[dis["source_id"].astype("string").isin(src_ids)] if len(dis) else dis
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


# --------------------------------------------------------------------------- output


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


def _fig_troops(tables, lang: str = "ar") -> Figure:
    return _one_chart(plot_troops, FIGSIZE["troops"], tables, lang)


def _fig_troops_narrow(tables, lang: str = "ar") -> Figure:
    return _one_chart(plot_troops, NARROW_SIZE["troops"], tables, lang, narrow=True)


def _fig_bases(tables, lang: str = "ar") -> Figure:
    return _one_chart(plot_bases, FIGSIZE["bases"], tables, lang)


def _fig_bases_narrow(tables, lang: str = "ar") -> Figure:
    return _one_chart(plot_bases, NARROW_SIZE["bases"], tables, lang, narrow=True)


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


def _fig_timeline(tables, lang: str = "ar", narrow: bool = False) -> Figure:
    from .timeline import FIGSIZE as TL_SIZE  # builds on this module
    from .timeline import NARROW_WIDTH, figure_height, plot_timeline

    width = NARROW_WIDTH if narrow else TL_SIZE[0]
    fig = plt.figure(figsize=(width, figure_height(tables, lang, narrow=narrow)), layout=_layout())
    fig._analysis_edges = True
    plot_timeline(tables, ax=fig.add_subplot(), lang=lang, narrow=narrow, title=False)
    return fig


def _fig_timeline_narrow(tables, lang: str = "ar") -> Figure:
    return _fig_timeline(tables, lang, narrow=True)


def _fig_sources(tables, lang: str = "ar") -> Figure:
    return _one_chart(plot_sources, (FIGSIZE["sources"][0], sources_height(tables, lang)), tables, lang)


def _fig_sources_narrow(tables, lang: str = "ar") -> Figure:
    return _one_chart(plot_sources, (NARROW_WIDTH, sources_height(tables, lang, narrow=True)), tables, lang,
                      narrow=True)


def _fig_map(tables, lang: str = "ar") -> Figure:
    from .maps import map_figure  # fixed layout: labels are placed for the map's size in inches

    return map_figure(tables, lang=lang)


def _fig_map_narrow(tables, lang: str = "ar") -> Figure:
    from .maps import map_figure

    return map_figure(tables, lang=lang, narrow=True)


def _in_its_language(name: str, draw: Callable[..., Figure], own: str) -> Callable[..., Figure]:
    """`draw` with language `own` as its default: FIGURES["troops-en"](tables) is the English
    figure.  Another language is refused: the file NAME would hold the other edition's figure."""
    def drawer(tables, lang: str = own) -> Figure:
        if lang != own:
            raise ValueError(f"figure {name!r} is drawn in {own!r}, not {lang!r}")
        return draw(tables, lang=lang)

    drawer.__name__ = drawer.__qualname__ = getattr(draw, "__name__", "drawer")
    drawer.__doc__ = f"Figure {name!r} ({own}), drawn by {draw.__module__}.{draw.__name__}."
    return drawer


class _Drawers(Mapping):
    """Figure name -> function(tables, lang=its language) -> Figure, as written by `write_all`: the
    names, their order, their languages and where each function lives come from
    `analysis.registry`, the one list of figures; a function is imported when it is first asked
    for."""

    def __iter__(self):
        return iter(registry.NAMES)

    def __len__(self):
        return len(registry.NAMES)

    def __getitem__(self, name: str) -> Callable[..., Figure]:
        if name not in registry.NAMES:
            raise KeyError(name)
        return _in_its_language(name, registry.drawer(name), registry.lang_of(name))


FIGURES: Mapping[str, Callable[..., Figure]] = _Drawers()


def _save(fig: Figure, path: Path, fmt: str, data: str | None = None, lang: str | None = None) -> None:
    """Write one format of a figure atomically (see analysis.atomic).  An SVG names the digest of
    the data it was drawn from (`data`, analysis.package.data_digest) and its language
    (dc:language), so the briefing can refuse figures drawn from other data or for the other
    edition."""
    meta = arabic.savefig_metadata(fmt)
    if fmt == "svg" and data:
        meta["Description"] = f"{registry.DATA_NOTE}{data}"
    if fmt == "svg" and lang:
        meta["Language"] = lang
    atomic.write_with(path, lambda fh: fig.savefig(fh, format=fmt, dpi=PNG_DPI if fmt == "png" else None,
                                                   metadata=meta, facecolor="white"))



def _draw_and_save(tables, name: str, out: Path, formats=FORMATS, data=None) -> list[Path]:
    """Draw figure `name` in its own language and write it in each of `formats`."""
    written = []
    lang = registry.lang_of(name)
    with arabic.style(lang):
        fig = FIGURES[name](tables, lang=lang)
        try:
            for fmt in formats:
                path = out / f"{name}.{fmt}"
                _save(fig, path, fmt, data, lang)
                written.append(path)
        finally:
            plt.close(fig)
    return written


_FORKED: dict = {}  # what forked workers inherit: the loaded tables and the options


def _forked_job(name: str) -> list[Path]:
    return _draw_and_save(_FORKED["tables"], name, _FORKED["out"], _FORKED["formats"], _FORKED["data"])


def _jobs() -> int:
    """Worker processes for write_all: ANALYSIS_JOBS, else one per core (at most 4); forking only
    where it is the platform's safe default (Linux)."""
    import multiprocessing
    import sys

    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    from .config import jobs

    return jobs(default=min(4, os.cpu_count() or 1))


def write_all(data_dir=None, out_dir="figures", *, tables=None, lang: str | None = None, names=None,
              formats=FORMATS) -> list[Path]:
    """Draw every figure of FIGURES (or `names`; or, given `lang`, the figures of that edition
    only) and write it in `formats` (default: SVG, PNG at 200 dpi, and PDF) into `out_dir`; return
    the paths written.  Each figure is drawn in its own language (troops in Arabic, troops-en in
    English).  Data are loaded and validated once (or `tables`, already loaded, are used); figures
    are drawn in parallel processes where the machine has cores to spare.  The same data give
    byte-identical files, whatever the number of processes."""
    import multiprocessing

    from .data import load

    out = atomic.check_writable(out_dir)
    atomic.sweep(out)  # temporary files of a build that was killed
    tables = tables if tables is not None else load(data_dir)
    if lang is not None and lang not in registry.LANGS:
        raise ValueError(f"lang must be one of {', '.join(registry.LANGS)} or None, not {lang!r}")
    names = list(names or (n for n in FIGURES if lang is None or registry.lang_of(n) == lang))
    unknown = [n for n in names if n not in registry.NAMES]
    if unknown:
        raise KeyError(f"no such figure: {', '.join(unknown)}")
    other = [n for n in names if lang is not None and registry.lang_of(n) != lang]
    if other:
        raise ValueError(f"not {lang!r} figures: {', '.join(other)} (each figure is drawn in its own language)")
    formats = tuple(formats)
    if not formats or any(f not in FORMATS for f in formats):
        raise ValueError(f"formats must be some of {FORMATS}, not {formats!r}")
    package = getattr(tables, "package", None)
    data = package.digest() if package is not None else None
    jobs = min(_jobs(), len(names))
    if jobs <= 1:
        return [path for name in names for path in _draw_and_save(tables, name, out, formats, data)]
    _FORKED.update(tables=tables, out=out, formats=formats, data=data)
    pool = multiprocessing.get_context("fork").Pool(jobs)
    try:
        done = pool.map(_forked_job, names, chunksize=1)
        pool.close()
    except BaseException:
        pool.terminate()  # workers unwind, removing their temporary files
        raise
    finally:
        pool.join()
        _FORKED.clear()
    return [path for paths in done for path in paths]
