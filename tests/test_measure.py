"""analysis.figures.measure: text shaped once, with exactly matplotlib's numbers, and nothing global changed."""
import io

import matplotlib.pyplot as plt
import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from analysis import arabic
from analysis.figures import measure

LINES = ["القوات الأمريكية في العراق (2021)", "Coalition troops, 9 December 2021", "عين الأسد", ""]


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("size", [6.5, 9, 13.25])
def test_extents_are_matplotlibs_own_at_every_size(lang, size):
    memo = measure.MemoTextToPath()
    prop = FontProperties(family=arabic.font_families(lang), size=size)
    for line in LINES:
        assert memo.get_text_width_height_descent(line, prop, False) == TextToPath().get_text_width_height_descent(
            line, prop, False)


def test_glyph_placements_and_outlines_are_matplotlibs_own():
    memo, plain = measure.MemoTextToPath(), TextToPath()
    prop = FontProperties(family=arabic.font_families("ar"), size=10)
    for line in LINES * 2:  # the second round is answered from the memo
        font = plain._get_font(prop)
        got_info, got_map, _ = memo.get_glyphs_with_font(font, line, return_new_glyphs_only=True)
        want_info, want_map, _ = plain.get_glyphs_with_font(font, line, return_new_glyphs_only=True)
        assert got_info == want_info
        assert got_map.keys() == want_map.keys()
        for glyph in want_map:
            assert (got_map[glyph][0] == want_map[glyph][0]).all() and list(got_map[glyph][1]) == list(
                want_map[glyph][1])


def _figure():
    fig = plt.figure(figsize=(4, 2), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(LINES[0])
    ax.set_xlabel(LINES[1])
    return fig


def _svg(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def test_a_remembered_save_is_byte_for_byte_the_plain_one_and_the_second_shapes_nothing(monkeypatch):
    monkeypatch.setattr(measure, "MEMO", measure.MemoTextToPath())
    with arabic.style("ar"):
        plain, fig = _svg(_figure()), _figure()
        with measure.remembered(fig):
            first = _svg(fig)
            shaped = measure.MEMO.shaped
            second = _svg(fig)
        plt.close("all")
    assert first == plain and second == plain
    assert shaped > 0 and measure.MEMO.shaped == shaped  # the second save shaped no string again


def test_nothing_stays_set_on_the_figure_or_its_canvas_after_a_save():
    with arabic.style("en"):
        fig = _figure()
        canvas = fig.canvas
        with measure.remembered(fig):
            _svg(fig)
        assert "draw" not in vars(fig) and "get_renderer" not in vars(fig.canvas) and fig.canvas is canvas
        assert not isinstance(getattr(canvas.get_renderer(), "_text2path", None), measure.MemoTextToPath)
        plt.close(fig)
