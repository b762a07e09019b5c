"""The one list of the figures, in the briefing's order: each name, the function that draws it,
its language and, for a phone variant, the figure it stands in for on a narrow screen.

Each Arabic figure has an English twin drawn by the same function with lang="en": NAME-en (and
NAME-en-narrow for a phone variant, as the HTML finds a variant by X.svg -> X-narrow.svg).  The
twins are derived from the Arabic list, so adding a figure is still one function
`name(tables, lang="ar") -> Figure` in its plot module and one line in `_ARABIC` below.

Nothing heavy is imported here, so make (`python3 -m analysis.registry` prints the names), the
briefing and the tests read the list without loading matplotlib.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from .config import LANGS  # the editions: one twin of each figure per language after Arabic


@dataclass(frozen=True)
class Entry:
    name: str  #: the file stem: figures/NAME.svg|png|pdf
    drawer: str  #: "module:function"; the function takes (tables, lang="ar") and returns a Figure
    narrow_of: str | None = None  #: a phone variant of that figure, served by the HTML below 48rem
    lang: str = "ar"  #: the edition it is drawn for, passed to the drawer: "ar" or "en"


NARROW_SUFFIX = "-narrow"

_ARABIC: tuple[Entry, ...] = (
    Entry("troops", "analysis.figures.troops:_fig_troops"),
    Entry("bases", "analysis.figures.bases:_fig_bases"),
    Entry("attacks", "analysis.figures.attacks:_fig_attacks"),
    Entry("sources", "analysis.figures.sources:_fig_sources"),
    Entry("map", "analysis.figures.output:_fig_map"),
    Entry("timeline", "analysis.figures.output:_fig_timeline"),
    # phone variants (4 in wide: 8 pt text >= 9 CSS px at 390 px)
    Entry("map-narrow", "analysis.figures.output:_fig_map_narrow", narrow_of="map"),
    Entry("timeline-narrow", "analysis.figures.output:_fig_timeline_narrow", narrow_of="timeline"),
    Entry("troops-narrow", "analysis.figures.troops:_fig_troops_narrow", narrow_of="troops"),
    Entry("attacks-narrow", "analysis.figures.attacks:_fig_attacks_narrow", narrow_of="attacks"),
    Entry("bases-narrow", "analysis.figures.bases:_fig_bases_narrow", narrow_of="bases"),
    Entry("sources-narrow", "analysis.figures.sources:_fig_sources_narrow", narrow_of="sources"),
)


def stem(name: str, lang: str) -> str:
    """The file stem of Arabic figure `name` in edition `lang`: troops -> troops-en, and
    troops-narrow -> troops-en-narrow (the phone variant keeps the -narrow ending)."""
    if lang == "ar":
        return name
    base = name.removesuffix(NARROW_SUFFIX)
    return f"{base}-{lang}" + (NARROW_SUFFIX if base != name else "")


def _twin(entry: Entry, lang: str) -> Entry:
    return Entry(stem(entry.name, lang), entry.drawer,
                 narrow_of=stem(entry.narrow_of, lang) if entry.narrow_of else None, lang=lang)


#: Every figure: the Arabic ones, then their English twins in the same order.
FIGURES: tuple[Entry, ...] = _ARABIC + tuple(_twin(e, lang) for lang in LANGS if lang != "ar" for e in _ARABIC)
_BY_NAME: dict[str, Entry] = {e.name: e for e in FIGURES}

#: How a figure's SVG names the data it was drawn from: DATA_NOTE + the data's digest
#: (analysis.package.Package.digest); the briefing refuses figures drawn from other data.
DATA_NOTE = "drawn from analysis data sha256:"

#: Every figure file stem `python -m analysis figures` writes.
NAMES: tuple[str, ...] = tuple(e.name for e in FIGURES)
#: Figure name -> the name of its phone variant (both languages).
NARROW: dict[str, str] = {e.narrow_of: e.name for e in FIGURES if e.narrow_of}


def briefing(lang: str = "ar") -> tuple[str, ...]:
    """The numbered figures of the `lang` edition, in order (phone variants stand in for one of
    these, they are not extra)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return tuple(e.name for e in FIGURES if e.lang == lang and e.narrow_of is None)


#: The Arabic briefing's numbered figures.
BRIEFING: tuple[str, ...] = briefing("ar")


def narrow(lang: str = "ar") -> dict[str, str]:
    """Figure name -> the name of its phone variant, for the `lang` edition only."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return {wide: phone for wide, phone in NARROW.items() if _BY_NAME[wide].lang == lang}


def entry(name: str) -> Entry:
    """The entry of figure `name` (KeyError for an unknown name)."""
    return _BY_NAME[name]


def lang_of(name: str) -> str:
    """The language figure `name` is drawn in: "ar" or "en"."""
    return _BY_NAME[name].lang


def drawer(name: str):
    """The drawing function of figure `name` (imported now); it takes (tables, lang=...), and
    draws this figure when given `lang_of(name)`."""
    module, _, attr = _BY_NAME[name].drawer.partition(":")
    return getattr(import_module(module), attr)


if __name__ == "__main__":
    print(" ".join(NAMES))
