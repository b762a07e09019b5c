"""Fixtures every test module shares: the curated tables (read once per session), figures closed
after every test, and the command line run in this process (a second Python start costs about a
second, most of a validation test)."""
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
