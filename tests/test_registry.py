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
    assert report.FIGURES == registry.BRIEFING
    assert set(registry.NARROW) <= set(registry.BRIEFING)
    assert set(registry.NARROW.values()) == set(registry.NAMES) - set(registry.BRIEFING)
    with pytest.raises(KeyError):
        figures.FIGURES["no-such-figure"]


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

