"""One list of figures (analysis.registry): make, the figure writer, the briefing and the tests read
the same names, and reading them loads nothing heavy."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import figures, registry, report

ROOT = Path(__file__).resolve().parents[1]


def test_every_entry_draws_and_variants_name_a_briefing_figure():
    assert len(set(registry.NAMES)) == len(registry.NAMES)
    assert list(figures.FIGURES) == list(registry.NAMES)
    assert all(callable(figures.FIGURES[name]) for name in registry.NAMES)
    assert report.FIGURES == registry.BRIEFING == registry.briefing("ar")
    numbered = set(registry.briefing("ar")) | set(registry.briefing("en"))
    assert set(registry.NARROW) == numbered
    assert set(registry.NARROW.values()) == set(registry.NAMES) - numbered
    with pytest.raises(KeyError):
        figures.FIGURES["no-such-figure"]


def test_every_arabic_figure_has_an_english_twin_under_its_own_name():
    """troops -> troops-en, troops-narrow -> troops-en-narrow (the HTML finds a phone variant by
    X.svg -> X-narrow.svg), drawn by the same function in English."""
    arabic = [e for e in registry.FIGURES if e.lang == "ar"]
    english = [e for e in registry.FIGURES if e.lang == "en"]
    assert len(arabic) == len(english) == len(registry.NAMES) / 2
    assert registry.briefing("en") == tuple(f"{n}-en" for n in registry.BRIEFING)
    for ar, en in zip(arabic, english, strict=True):
        assert en.drawer == ar.drawer
        assert registry.lang_of(ar.name) == "ar" and registry.lang_of(en.name) == "en"
        if ar.narrow_of:
            assert en.narrow_of == f"{ar.narrow_of}-en"
            assert en.name == en.narrow_of + "-narrow" == f"{ar.narrow_of}-en-narrow"
        else:
            assert en.name == f"{ar.name}-en" and en.narrow_of is None
    assert registry.NARROW["troops-en"] == "troops-en-narrow"
    assert registry.narrow("ar") | registry.narrow("en") == registry.NARROW
    assert set(registry.narrow("en")) == set(registry.briefing("en"))
    with pytest.raises(ValueError):
        registry.briefing("fr")


def test_a_figure_is_drawn_in_its_own_language_only():
    """FIGURES[NAME-en] defaults to English and refuses Arabic: a file named troops-en never holds
    the Arabic figure (nor troops the English one)."""
    from unittest import mock

    seen = []
    with mock.patch.object(registry, "drawer", return_value=lambda tables, lang: seen.append(lang)):
        figures.FIGURES["troops-en"](None)
        figures.FIGURES["troops"](None)
        with pytest.raises(ValueError, match="drawn in 'en'"):
            figures.FIGURES["troops-en"](None, lang="ar")
        with pytest.raises(ValueError, match="drawn in 'ar'"):
            figures.FIGURES["troops-narrow"](None, lang="en")
    assert seen == ["en", "ar"]


def test_write_all_picks_the_figures_of_one_edition(tmp_path, monkeypatch):
    """write_all(lang=...) writes that edition's figures, each in its language; lang=None both."""
    drawn = []
    monkeypatch.setattr(figures.output, "_draw_and_save", lambda tables, name, out, formats, data:
                        drawn.append((name, registry.lang_of(name))) or [])
    monkeypatch.setattr(figures.output, "_jobs", lambda: 1)
    figures.write_all(out_dir=tmp_path, tables={}, lang="en")
    assert [n for n, _ in drawn] == [n for n in registry.NAMES if n.endswith(("-en", "-en-narrow"))]
    drawn.clear()
    figures.write_all(out_dir=tmp_path, tables={})
    assert [n for n, _ in drawn] == list(registry.NAMES)
    with pytest.raises(ValueError, match="own language"):
        figures.write_all(out_dir=tmp_path, tables={}, lang="en", names=["troops"])


def test_make_reads_the_figure_names_from_the_registry():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(["make", "-s", "--no-print-directory", "--eval", "print-figs: ; @echo $(FIGS)", "print-figs"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == list(registry.NAMES)


def test_reading_the_registry_loads_nothing_heavy():
    code = ("import sys; import analysis.registry as r; "
            "heavy = [m for m in ('matplotlib', 'pandas', 'numpy', 'frictionless') if m in sys.modules]; "
            "assert not heavy, heavy; print(' '.join(r.NAMES))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "src", capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == list(registry.NAMES)

