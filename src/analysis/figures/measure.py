"""Text shaped once per process: a string's extent and glyph placement, remembered.

matplotlib remembers a string's size only for the renderer that measured it, and an SVG save
makes several renderers (one to lay the figure out, one to draw it, and one more each time the
layout asks the figure for "its" renderer).  Shaping an Arabic line with libraqm costs about a
millisecond, and the 24 figures set the same few thousand strings three or four times over.
`MEMO` answers every repeat from the first shaping, with exactly the numbers matplotlib computes;
`remembered(fig)` makes one SVG save measure through it.  Nothing global changes: the memo is set
on that save's renderers only.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

import matplotlib as mpl
from matplotlib import cbook
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager
from matplotlib.textpath import TextToPath


class MemoTextToPath(TextToPath):
    """A TextToPath that shapes each (string, fonts) once.  Extents are kept at FONT_SCALE and
    scaled as TextToPath scales them, so every size is answered from one measurement; glyph
    placements and outlines are kept per font object (matplotlib's font cache hands out one
    per font list) and per shaping options."""

    def __init__(self):
        super().__init__()
        self._extents: dict = {}
        self._placements: dict = {}
        self._outlines: dict = {}
        self.shaped = 0  # strings actually shaped: what the memo saves is visible

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:  # data text is never math (analysis.arabic escapes `$`); kept exact anyway
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, tuple(fontManager._find_fonts_by_props(prop)), mpl.rcParams["text.hinting_factor"])
        if key not in self._extents:
            self.shaped += 1
            prop100 = prop.copy()
            prop100.set_size(self.FONT_SCALE)
            self._extents[key] = super().get_text_width_height_descent(s, prop100, ismath)
        scale = prop.get_size_in_points() / self.FONT_SCALE
        w, h, d = self._extents[key]
        return w * scale, h * scale, d * scale

    def get_glyphs_with_font(self, font, s, glyph_map=None, return_new_glyphs_only=False, *,
                             features=None, language=None):
        key = (font, s, tuple(features) if features is not None else None,
               tuple(language) if isinstance(language, list) else language)
        if key not in self._placements:
            self.shaped += 1
            from matplotlib import _text_helpers

            placed = []
            options = {k: v for k, v in (("features", features), ("language", language)) if v is not None}
            for item in _text_helpers.layout(s, font, **options):  # 3.10 takes neither
                glyph = self._get_glyph_repr(item.ft_object, item.glyph_index)
                if glyph not in self._outlines:  # the outline of the glyph just loaded
                    self._outlines[glyph] = item.ft_object.get_path()
                placed.append((glyph, item.x, item.y, 1.))
            self._placements[key] = placed
        placed = self._placements[key]
        glyph_map = {} if glyph_map is None else glyph_map
        new = {} if return_new_glyphs_only else glyph_map
        for glyph, *_ in placed:
            if glyph not in glyph_map:
                new[glyph] = self._outlines[glyph]
        return list(placed), new, []


#: The process's memo; forked workers inherit what the parent measured.
MEMO = MemoTextToPath()


@contextlib.contextmanager
def remembered(fig: Figure) -> Iterator[None]:
    """While active, every draw of `fig` measures and places text through MEMO, and the layout's
    requests for the figure's renderer get the renderer drawing it (not a fresh dry-run save).
    Set on this figure only; taken off afterwards."""
    own_draw = fig.draw

    def draw(renderer):
        inner = getattr(renderer, "_renderer", renderer)  # a MixedModeRenderer wraps the SVG one
        if hasattr(inner, "_text2path"):
            inner._text2path = MEMO
        with cbook._setattr_cm(fig.canvas, get_renderer=lambda: renderer):
            return own_draw(renderer)

    with cbook._setattr_cm(fig, draw=draw):  # as matplotlib's own _get_renderer sets and restores it
        yield
