"""Fixtures every test module shares: the curated tables (read once per session), figures closed
after every test, the command line run in this process (a second Python start costs about a
second, most of a validation test), and one build of both briefing editions per session
(`briefing_figures`, `briefing`) for every module that reads the outputs."""
from __future__ import annotations

import os
import signal
from dataclasses import dataclass

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def tables():
    """The curated tables, read once for the whole session: read them, never change them (copy a
    table first).  Not validated here: validation has its own tests, and the matplotlib 3.10
    environment has no frictionless."""
    from analysis.data import load

    return load(validate=False)


@pytest.fixture
def curated(tables):
    """A fresh copy of the curated tables, for a test that changes them."""
    from analysis.package import Tables

    copy = Tables({name: table.copy() for name, table in tables.items()})
    copy.package = tables.package
    return copy


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A copy of data/ to change, with the source articles still found (ANALYSIS_CORPUS)."""
    import shutil

    from analysis.data import DATA_DIR, Package

    shutil.copytree(DATA_DIR, tmp_path / "data")
    corpus = Package.at(DATA_DIR).corpus
    if corpus:
        monkeypatch.setenv("ANALYSIS_CORPUS", str(corpus))
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@dataclass
class Ran:
    """What a command line run gave, shaped like subprocess.CompletedProcess."""
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `python -m analysis ARGS` in this process: exit code, stdout and stderr as a user sees
    them.  The signal handlers and environment variables the command line sets are put back.
    Builds that fork (figures) or tests of the process itself (signals, tracebacks) start a real
    process instead."""
    from analysis.__main__ import main

    def run(*args: str, env: dict[str, str] | None = None) -> Ran:
        if env is not None:
            for name in set(os.environ) - set(env):
                monkeypatch.delenv(name)
            for name, value in env.items():
                monkeypatch.setenv(name, value)
        before = dict(os.environ)
        handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)}
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse and the signal handlers exit
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        finally:
            for s, handler in handlers.items():
                signal.signal(s, handler)
            os.environ.clear()
            os.environ.update(before)
        out = capsys.readouterr()
        return Ran(code, out.out, out.err)

    return run


# --------------------------------------------------------------------------------------------
# one briefing build per session (per xdist worker)

_BUILDS: dict = {}


def placeholder_figures(folder) -> None:
    """Stand-in SVGs for every registry figure (tests of the briefing with data the curated
    figures do not match: the briefing refuses figures drawn from other data)."""
    import matplotlib.pyplot as plt

    from analysis import registry

    for name in registry.NAMES:  # phone variants too: the page serves them below 48rem
        fig, ax = plt.subplots(figsize=(8, 4))
        ax.plot([0, 1, 2], [2, 1, 3])
        ax.set_title(f"placeholder {name}")
        fig.savefig(folder / f"{name}.svg", metadata={"Date": None, "Language": registry.lang_of(name)})
        plt.close(fig)


def session_figures(tmp_path_factory):
    """(folder, None): every registry figure's SVG drawn from the curated data, once; or
    (placeholders, why) when drawing fails, so that the briefing is still tested (and
    test_report.test_real_figures_were_used says why)."""
    if "figures" not in _BUILDS:
        from analysis import report

        folder = tmp_path_factory.mktemp("figures")
        why = None
        try:
            from analysis.figures import write_all

            write_all(None, folder, formats=("svg",))  # the briefing reads only the SVGs
            report._figure_files(folder)
        except Exception as err:
            why = f"analysis.figures.write_all failed ({type(err).__name__}: {err})"
            placeholder_figures(folder)
        _BUILDS["figures"] = (folder, why)
    return _BUILDS["figures"]


def session_briefing(tmp_path_factory) -> dict:
    """Both editions built once with the built-in engine: {"ar"/"en": {"pdf", "html"}, "pdf" and
    "html" (the Arabic edition's), "out", "figures", "paths"}."""
    if "main" not in _BUILDS:
        from analysis import report
        from analysis.config import LANGS

        figs, _ = session_figures(tmp_path_factory)
        out = tmp_path_factory.mktemp("briefing")
        paths = report.render(None, out, engine="builtin", figures_dir=figs)
        editions = {lang: {"pdf": out / f"briefing.{lang}.pdf", "html": out / f"briefing.{lang}.html"} for lang in LANGS}
        _BUILDS["main"] = {**editions["ar"], **editions, "out": out, "figures": figs, "paths": paths}
    return _BUILDS["main"]


@pytest.fixture(scope="session")
def briefing_figures(tmp_path_factory):
    return session_figures(tmp_path_factory)


@pytest.fixture(scope="session")
def briefing(tmp_path_factory):
    return session_briefing(tmp_path_factory)
