"""Colour-blind safety of the figures' palettes.

Each palette is simulated for full deuteranopia, protanopia and tritanopia (colorspacious'
Machado et al. 2009 model at severity 100) and compared in CAM02-UCS, where a distance of
about 1 is a just-noticeable difference between large patches.  Thresholds:

* COLOUR_ONLY = 12 for categories told apart by colour alone (bars, legend patches): marks
  in a chart are small, and small marks need differences several times larger than large
  patches do (Szafir 2017, "Modeling Color Difference for Visualization Design", where
  ~5-10 units were needed for small marks); 12 leaves a margin over that range.  Such pairs
  must also differ in lightness (J' >= MIN_LIGHTNESS_STEP), so they never rely on hue alone.
* WITH_SHAPE = 8 for categories that also differ in marker shape (the test checks the
  shapes differ), where colour is the second cue.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

pytestmark = pytest.mark.figures  # draws whole figures: `make test` runs these, `make test-fast` does not

colorspacious = pytest.importorskip("colorspacious")
from matplotlib.colors import to_rgb  # noqa: E402

from analysis import figures  # noqa: E402

COLOUR_ONLY = 12.0
WITH_SHAPE = 8.0
MIN_LIGHTNESS_STEP = 5.0
VISIONS = ["normal", "deuteranomaly", "protanomaly", "tritanomaly"]


def simulate(color, vision):
    rgb = np.array(to_rgb(color))
    if vision == "normal":
        return rgb
    cvd = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
    return np.clip(colorspacious.cspace_convert(rgb, cvd, "sRGB1"), 0, 1)


def distance(a, b, vision) -> float:
    return float(colorspacious.deltaE(simulate(a, vision), simulate(b, vision),
                                      input_space="sRGB1", uniform_space="CAM02-UCS"))


def lightness(color) -> float:
    return float(colorspacious.cspace_convert(to_rgb(color), "sRGB1", "CAM02-UCS")[0])


def worst(palette: dict[str, str]):
    """(distance, a, b, vision) of the closest pair under any vision."""
    return min((distance(palette[a], palette[b], v), a, b, v)
               for a, b in itertools.combinations(palette, 2) for v in VISIONS)


STATE_BARS = [s for s in figures.STATE_COLORS if s not in figures.STATE_MARKERS]
COLOUR_ONLY_PALETTES = {
    "base states drawn as bars": {s: figures.STATE_COLORS[s] for s in STATE_BARS},
    "perpetrators": figures.PERPETRATOR_COLORS,
    "single attacks and series": figures.EVENT_KIND_COLORS,
}


def test_every_base_state_has_a_checked_colour():
    """A state missing from STATE_COLORS would be drawn in the fallback grey, unchecked above
    (partially_handed_over and troops_redeployed came with the audited data)."""
    from analysis.data import Package

    states = Package.at().field("base_events", "state")["constraints"]["enum"]
    assert {"partially_handed_over", "troops_redeployed"} <= set(states)
    assert set(states) <= set(figures.STATE_COLORS), set(states) - set(figures.STATE_COLORS)


@pytest.mark.parametrize("name", list(COLOUR_ONLY_PALETTES))
def test_colour_only_categories_stay_apart_under_colour_blindness(name):
    palette = COLOUR_ONLY_PALETTES[name]
    d, a, b, v = worst(palette)
    assert d >= COLOUR_ONLY, f"{name}: {a} and {b} are {d:.1f} apart under {v}"
    for a, b in itertools.combinations(palette, 2):
        step = abs(lightness(palette[a]) - lightness(palette[b]))
        assert step >= MIN_LIGHTNESS_STEP, f"{name}: {a} and {b} differ by hue only (J' step {step:.1f})"


def test_troop_series_differ_by_shape_and_colour():
    markers = figures.COUNTED_MARKERS
    assert len(set(markers.values())) == len(markers)
    d, a, b, v = worst(figures.COUNTED_COLORS)
    assert d >= WITH_SHAPE, f"{a} and {b} are {d:.1f} apart under {v}"


def test_base_state_markers_differ_by_shape_and_from_the_bars_they_sit_on():
    marks = figures.STATE_MARKERS
    assert len(set(marks.values())) == len(marks)
    colours = figures.STATE_COLORS
    for m in marks:
        for other in colours:
            if other == m:
                continue
            d = min(distance(colours[m], colours[other], v) for v in VISIONS)
            assert d >= WITH_SHAPE, f"{m} and {other} are {d:.1f} apart"


def test_claim_boxes_use_one_colour_with_legible_white_text():
    """Which claim of a dispute comes first means nothing: one style for all, white text on it
    at WCAG AA contrast (4.5:1)."""
    assert len(figures.CLAIM_COLORS) == 1

    def rel(c):
        c = np.array(to_rgb(c))
        c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return float(0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])

    assert (1.05) / (rel(figures.CLAIM_COLORS[0]) + 0.05) >= 4.5


def test_the_check_catches_a_confusable_pair():
    """Red and green of equal lightness, the classic deuteranopia confusion, fail the test."""
    d, *_ = worst({"red": "#c0392b", "green": "#6a8f2a"})
    assert d < COLOUR_ONLY
    assert distance("#c0392b", "#6a8f2a", "normal") >= COLOUR_ONLY  # fine for normal vision
