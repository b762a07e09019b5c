"""Benchmark the build on this machine and print the figures (not a test: nothing here asserts).

    make bench          # or: .venv/bin/python bench/run.py [--skip-make]

Prints: a cold `make report` split by stage, the irreducible steps inside it (one savefig per
figure file, one pandoc run per output, one typst compile), a no-op `make report`,
`import analysis`, each figure function on the curated data, and the attack chronology and
figure on a synthetic table of 100,000 events, a fresh clone to both outputs, `make test-fast`,
and the two briefing engines side by side (the built-in one and Quarto, both formats, same
staging; Quarto is `quarto` on PATH or ../shared/tools/quarto).
Aims: cold `make report` (venv present) < 10 s and <= 1.5x the irreducible sum; no-op < 0.5 s;
import < 0.3 s; 100,000-event chronology < 2 s; fresh clone to both outputs (registries and uv's
cache warm) < 30 s; `make test-fast` < 30 s; the built-in engine keeps its lead over Quarto
(ratio reported).
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def clock(fn, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def make(*targets):
    done = subprocess.run(["make", *targets], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"make {' '.join(targets)} failed:\n{done.stderr}")
    return done


def row(name, seconds, aim=None):
    verdict = "" if aim is None else ("  ok" if seconds <= aim else f"  over the {aim:g} s aim")
    print(f"{name:<52} {seconds:8.3f} s{verdict}")


def synthetic_attacks(n: int):
    import numpy as np
    import pandas as pd

    from analysis import load

    t = load()
    rng = np.random.default_rng(0)
    base = t.attacks
    picks = base.iloc[rng.integers(0, len(base), n)].reset_index(drop=True)
    days = rng.integers(0, 365 * 20, n)
    picks["date"] = pd.Timestamp("2004-01-01") + pd.to_timedelta(days, unit="D")
    picks["date_end"] = pd.NaT
    picks["date_precision"] = pd.Categorical(["day"] * n, categories=base.date_precision.cat.categories)
    picks["event_kind"] = pd.Categorical(["single"] * n, categories=base.event_kind.cat.categories)
    picks["attack_id"] = pd.array([f"S{i:06d}" for i in range(n)], dtype="string")
    picks["killed"] = pd.array(rng.integers(0, 3, n), dtype="Int64")
    picks["injured"] = pd.array(rng.integers(0, 10, n), dtype="Int64")
    t["attacks"] = picks
    return t


def quarto_cli() -> str | None:
    """`quarto` on PATH, else the offline Quarto beside the repository (set up once)."""
    import shutil

    found = shutil.which("quarto")
    if found:
        return found
    offline = ROOT.parent / "shared" / "tools" / "quarto"
    if (offline / "bin" / "quarto").is_file():
        if subprocess.run([str(offline / "setup")], capture_output=True).returncode == 0:
            return str(offline / "bin" / "quarto")
    return None


def engines() -> None:
    """Both formats with each engine (best of 3), from the same figures; the ratio Quarto/built-in."""
    from analysis import figures, report

    quarto = quarto_cli()
    with tempfile.TemporaryDirectory() as tmp:
        figs = Path(tmp) / "figures"
        figures.write_all(None, figs)
        builtin, _ = clock(lambda: report.render(out_dir=Path(tmp) / "b", figures_dir=figs, engine="builtin"), 3)
        row("briefing, built-in engine (PDF + HTML)", builtin)
        if quarto is None:
            print("briefing, Quarto engine: skipped (no quarto on PATH nor ../shared/tools/quarto)")
            return
        path = os.environ.get("PATH", "")
        os.environ["PATH"] = str(Path(quarto).parent) + os.pathsep + path
        try:
            seconds, _ = clock(lambda: report.render(out_dir=Path(tmp) / "q", figures_dir=figs, engine="quarto"), 3)
        finally:
            os.environ["PATH"] = path
        row("briefing, Quarto engine (PDF + HTML, one quarto render)", seconds)
        print(f"{'Quarto / built-in':<52} {seconds / builtin:8.2f} x  (aim > 1: the built-in engine stays faster)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-make", action="store_true", help="skip the make timings")
    args = parser.parse_args()
    print(f"# {time.strftime('%Y-%m-%d')} {platform.machine()} {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.platform()}")

    if not args.skip_make:
        make("setup")
        make("clean")
        stages = {}
        for stage, target in (("validate", "validate"), ("figures (SVG) + briefing (HTML + PDF)", "report")):
            stages[stage], _ = clock(lambda target=target: make(target))
            row(f"cold make: {stage}", stages[stage])
        cold = sum(stages.values())
        row("cold make report, total", cold, 10)
        noop = min(clock(lambda: make("report"))[0] for _ in range(3))
        row("no-op make report", noop, 0.5)
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "fresh"
            seconds, _ = clock(lambda: (subprocess.run(["git", "clone", "-q", str(ROOT), str(fresh)], check=True),
                                        subprocess.run(["make", "report"], cwd=fresh, check=True, capture_output=True)))
            row("fresh clone to both outputs (venv made with uv)", seconds, 30)
        seconds, _ = clock(lambda: make("test-fast"))
        row("make test-fast", seconds, 30)

    py = [sys.executable, "-c"]
    base = min(clock(lambda: subprocess.run(py + ["pass"], check=True))[0] for _ in range(5))
    imp = min(clock(lambda: subprocess.run(py + ["import analysis"], cwd=ROOT, check=True))[0] for _ in range(5))
    row("import analysis (above bare interpreter start)", imp - base, 0.3)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis import attacks as attacks_mod
    from analysis import figures, load, report

    tables = load()
    # Irreducible steps: savefig per file, pandoc per output, one typst compile.
    savefig = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, make_fig in figures.FIGURES.items():
            fig = make_fig(tables)
            seconds, _ = clock(lambda fig=fig, name=name: figures._save(fig, Path(tmp) / f"{name}.svg", "svg"))
            savefig += seconds
            plt.close(fig)
        row(f"irreducible: savefig, {len(figures.FIGURES)} SVG files", savefig)
        spent = {"pandoc": 0.0, "typst": 0.0}
        real_start, real_finish, typst = report._start, report._finish, report._typst()
        real_compile = typst.compile
        started: dict = {}

        def timed_start(cmd, cwd):  # each pandoc run, from its start to its end (runs overlap)
            proc = real_start(cmd, cwd)
            started[id(proc)] = time.perf_counter()
            return proc

        def timed_finish(proc):
            try:
                real_finish(proc)
            finally:
                spent["pandoc"] += time.perf_counter() - started.pop(id(proc), time.perf_counter())

        def timed_compile(*a, **k):
            seconds, result = clock(lambda: real_compile(*a, **k))
            spent["typst"] += seconds
            return result

        report._start, report._finish, typst.compile = timed_start, timed_finish, timed_compile
        try:
            for fmt in ("html", "pdf"):
                seconds, _ = clock(lambda fmt=fmt: report.render(out_dir=Path(tmp) / fmt, figures_dir=Path(tmp), formats=(fmt,)))
                row(f"render {fmt.upper()} alone", seconds)
        finally:
            report._start, report._finish, typst.compile = real_start, real_finish, real_compile
        row("irreducible: pandoc, one run per output (summed)", spent["pandoc"])
        row("irreducible: typst, one compile per edition", spent["typst"])
        floor = savefig + spent["pandoc"] + spent["typst"]
        row("irreducible sum", floor)
        if not args.skip_make:
            print(f"{'cold build / irreducible sum':<52} {cold / floor:8.2f} x  (aim <= 1.5)")

    engines()

    for name in ("plot_troops", "plot_bases", "plot_attacks", "plot_attacks_per_year", "plot_sources"):
        fn = getattr(figures, name)

        def draw(fn=fn):
            ax = fn(tables)
            ax.figure.canvas.draw()
            plt.close(ax.figure)

        draw()
        row(f"{name} (curated data, drawn)", clock(draw, 3)[0])

    from analysis import maps

    def draw_map():
        ax = maps.plot_bases_map(tables)
        ax.figure.canvas.draw()
        plt.close(ax.figure)

    draw_map()
    row("plot_bases_map (curated data, drawn)", clock(draw_map, 3)[0], 1)  # aim (issue 10): under a second

    big = synthetic_attacks(100_000)
    row("attacks.chronology, 100,000 events", clock(lambda: attacks_mod.chronology(big.attacks, big.bases), 3)[0], 2)
    row("attacks.per_year, 100,000 events", clock(lambda: attacks_mod.per_year(big.attacks), 3)[0])

    def draw_big():
        ax = figures.plot_attacks(big)
        ax.figure.canvas.draw()
        plt.close(ax.figure)

    row("plot_attacks, 100,000 events (drawn)", clock(draw_big)[0])

    def draw_big_per_year():
        ax = figures.plot_attacks_per_year(big)
        ax.figure.canvas.draw()
        plt.close(ax.figure)

    row("plot_attacks_per_year, 100,000 events (drawn)", clock(draw_big_per_year)[0])
    print(f"peak memory (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
