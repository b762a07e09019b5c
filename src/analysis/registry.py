"""The one list of the figures, in the briefing's order: each name, the function that draws it and,
for a phone variant, the figure it stands in for on a narrow screen.

Nothing heavy is imported here, so make (`python3 -m analysis.registry` prints the names), the
briefing and the tests read the list without loading matplotlib.  Adding a figure is one function
`name(tables, lang="ar") -> Figure` in its plot module and one line below.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Entry:
    name: str  #: the file stem: figures/NAME.svg|png|pdf
    drawer: str  #: "module:function"; the function takes (tables, lang="ar") and returns a Figure
    narrow_of: str | None = None  #: a phone variant of that figure, served by the HTML below 48rem


FIGURES: tuple[Entry, ...] = (
    Entry("troops", "analysis.figures:_fig_troops"),
    Entry("bases", "analysis.figures:_fig_bases"),
    Entry("attacks", "analysis.figures:_fig_attacks"),
    Entry("sources", "analysis.figures:_fig_sources"),
    Entry("map", "analysis.figures:_fig_map"),
    Entry("timeline", "analysis.figures:_fig_timeline"),
    # phone variants (4 in wide: 8 pt text >= 9 CSS px at 390 px)
    Entry("map-narrow", "analysis.figures:_fig_map_narrow", narrow_of="map"),
    Entry("timeline-narrow", "analysis.figures:_fig_timeline_narrow", narrow_of="timeline"),
    Entry("troops-narrow", "analysis.figures:_fig_troops_narrow", narrow_of="troops"),
    Entry("attacks-narrow", "analysis.figures:_fig_attacks_narrow", narrow_of="attacks"),
    Entry("bases-narrow", "analysis.figures:_fig_bases_narrow", narrow_of="bases"),
    Entry("sources-narrow", "analysis.figures:_fig_sources_narrow", narrow_of="sources"),
)

#: How a figure's SVG names the data it was drawn from: DATA_NOTE + the data's digest
#: (analysis.package.Package.digest); the briefing refuses figures drawn from other data.
DATA_NOTE = "drawn from analysis data sha256:"

#: Every figure file stem `python -m analysis figures` writes.
NAMES: tuple[str, ...] = tuple(e.name for e in FIGURES)
#: The briefing's numbered figures (phone variants stand in for one of these, they are not extra).
BRIEFING: tuple[str, ...] = tuple(e.name for e in FIGURES if e.narrow_of is None)
#: Figure name -> the name of its phone variant.
NARROW: dict[str, str] = {e.narrow_of: e.name for e in FIGURES if e.narrow_of}


def drawer(name: str):
    """The drawing function of figure `name` (imported now)."""
    entry = {e.name: e for e in FIGURES}[name]
    module, _, attr = entry.drawer.partition(":")
    return getattr(import_module(module), attr)


if __name__ == "__main__":
    print(" ".join(NAMES))
