"""The briefing's figures by name (`FIGURES`, from analysis.registry) and their writing to
SVG, PNG and PDF (`write_all`): each in its own language, reproducibly and atomically."""
from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from .. import arabic, atomic, memo, registry
from . import measure
from .common import _layout
from .theme import FORMATS, PNG_DPI


def _fig_timeline(tables, lang: str = "ar", narrow: bool = False) -> Figure:
    from ..timeline import FIGSIZE as TL_SIZE  # builds on this module
    from ..timeline import NARROW_WIDTH, figure_height, plot_timeline

    width = NARROW_WIDTH if narrow else TL_SIZE[0]
    fig = plt.figure(figsize=(width, figure_height(tables, lang, narrow=narrow)), layout=_layout())
    fig._analysis_edges = True
    plot_timeline(tables, ax=fig.add_subplot(), lang=lang, narrow=narrow, title=False)
    return fig


def _fig_timeline_narrow(tables, lang: str = "ar") -> Figure:
    return _fig_timeline(tables, lang, narrow=True)


def _fig_map(tables, lang: str = "ar") -> Figure:
    from ..maps import map_figure  # fixed layout: labels are placed for the map's size in inches

    return map_figure(tables, lang=lang)


def _fig_map_narrow(tables, lang: str = "ar") -> Figure:
    from ..maps import map_figure

    return map_figure(tables, lang=lang, narrow=True)


def _in_its_language(name: str, draw: Callable[..., Figure], own: str) -> Callable[..., Figure]:
    """`draw` with language `own` as its default: FIGURES["troops-en"](tables) is the English
    figure.  Another language is refused: the file NAME would hold the other edition's figure."""
    def drawer(tables, lang: str = own) -> Figure:
        if lang != own:
            raise ValueError(f"figure {name!r} is drawn in {own!r}, not {lang!r}")
        return draw(tables, lang=lang)

    drawer.__name__ = drawer.__qualname__ = getattr(draw, "__name__", "drawer")
    drawer.__doc__ = f"Figure {name!r} ({own}), drawn by {draw.__module__}.{draw.__name__}."
    return drawer


class _Drawers(Mapping):
    """Figure name -> function(tables, lang=its language) -> Figure, as written by `write_all`: the
    names, their order, their languages and where each function lives come from
    `analysis.registry`, the one list of figures; a function is imported when it is first asked
    for."""

    def __iter__(self):
        return iter(registry.NAMES)

    def __len__(self):
        return len(registry.NAMES)

    def __getitem__(self, name: str) -> Callable[..., Figure]:
        if name not in registry.NAMES:
            raise KeyError(name)
        return _in_its_language(name, registry.drawer(name), registry.lang_of(name))


FIGURES: Mapping[str, Callable[..., Figure]] = _Drawers()


def _save(fig: Figure, path: Path, fmt: str, data: str | None = None, lang: str | None = None) -> None:
    """Write one format of a figure atomically (see analysis.atomic).  An SVG names the digest of
    the data it was drawn from (`data`, analysis.package.data_digest) and its language
    (dc:language), so the briefing can refuse figures drawn from other data or for the other
    edition."""
    meta = arabic.savefig_metadata(fmt)
    if fmt == "svg" and data:
        meta["Description"] = f"{registry.DATA_NOTE}{data}"
    if fmt == "svg" and lang:
        meta["Language"] = lang
    # An SVG save lays out and draws with one renderer measuring through the process's memo (as an
    # Agg save already does with the canvas's renderer): the same text is not shaped three times.
    remember = measure.remembered(fig) if fmt == "svg" else contextlib.nullcontext()
    with remember:
        atomic.write_with(path, lambda fh: fig.savefig(fh, format=fmt, dpi=PNG_DPI if fmt == "png" else None,
                                                       metadata=meta, facecolor="white"))



def _draw_and_save(tables, name: str, out: Path, formats=FORMATS, data=None) -> list[Path]:
    """Draw figure `name` in its own language and write it in each of `formats`."""
    written = []
    lang = registry.lang_of(name)
    with arabic.style(lang):
        fig = FIGURES[name](tables, lang=lang)
        try:
            for fmt in formats:
                path = out / f"{name}.{fmt}"
                _save(fig, path, fmt, data, lang)
                written.append(path)
        finally:
            plt.close(fig)
    return written


#: Bytes of one name in the work pipe: a read of this size takes exactly one name.
_RECORD = 128
#: Drawn first, as they take longest: the last figures to finish are then short ones.
_SLOW_FIRST = ("map", "timeline", "sources")


def _child(tables, work: int, out: Path, formats, data, w: int) -> None:
    """A forked worker: draw the names it reads from the pipe `work` until it is empty, report a
    failure through the pipe `w`, never return.

    It keeps the parent's signal handling (SIGTERM and Ctrl-C unwind), so a stopped build's
    worker removes its temporary file on the way out."""
    import pickle

    code, payload = 0, b""
    try:
        while record := os.read(work, _RECORD):
            _draw_and_save(tables, record.rstrip(b"\0").decode("utf-8"), out, formats, data)
    except BaseException as err:  # the parent re-raises it
        code = 1
        try:
            payload = pickle.dumps(err)
        except Exception:  # an exception that does not pickle: its words
            payload = pickle.dumps(RuntimeError(f"{type(err).__name__}: {err}"))
    finally:
        try:
            if payload:
                os.write(w, payload)
        finally:
            os._exit(code)


def _draw_forked(tables, names: list[str], out: Path, formats, data, jobs: int) -> None:
    """Draw `names` in `jobs` forked processes, each taking the next name as it is free, and wait
    for them.

    Plain fork and a pipe per child, not a multiprocessing pool: a pool's workers share queue
    locks, and a worker stopped by a signal while holding one left the parent waiting forever (a
    SIGTERM to `make` hung the figures stage).  Here the parent only waits; stopped, it stops the
    children, waits for them, and sweeps what they left."""
    import pickle
    import signal

    order = sorted(names, key=lambda n: not n.startswith(_SLOW_FIRST))
    records = b"".join(n.encode("utf-8").ljust(_RECORD, b"\0") for n in order)
    if len(records) > 65536 or any(len(n.encode("utf-8")) > _RECORD for n in names):
        raise ValueError("too many or too long figure names for the work pipe")
    children: list[tuple[int, int]] = []
    work, queue = os.pipe()  # every name, written before the workers start: each takes the next
    os.write(queue, records)
    os.close(queue)
    try:
        for _ in range(jobs):
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(r)
                _child(tables, work, out, formats, data, w)
            os.close(w)
            children.append((pid, r))
        os.close(work)
        work = -1
        failure = None
        while children:
            pid, r = children[0]
            with os.fdopen(r, "rb") as fh:
                payload = fh.read()  # until the child exits
            os.waitpid(pid, 0)
            children.pop(0)
            if payload and failure is None:
                failure = pickle.loads(payload)
        if failure is not None:
            raise failure
    except BaseException:
        for pid, _r in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid, r in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
            try:
                os.close(r)
            except OSError:
                pass
        atomic.sweep(out)  # a child stopped mid-write: no temporary file stays
        raise
    finally:
        if work >= 0:
            os.close(work)


def _jobs() -> int:
    """Worker processes for write_all: ANALYSIS_JOBS, else one per core (at most 4); forking only
    where it is the platform's safe default (Linux)."""
    import multiprocessing
    import sys

    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    from ..config import jobs

    return jobs(default=min(4, os.cpu_count() or 1))


def write_all(data_dir=None, out_dir="figures", *, tables=None, lang: str | None = None, names=None,
              formats=FORMATS) -> list[Path]:
    """Draw every figure of FIGURES (or `names`; or, given `lang`, the figures of that edition
    only) and write it in `formats` (default: SVG, PNG at 200 dpi, and PDF) into `out_dir`; return
    the paths written.  Each figure is drawn in its own language (troops in Arabic, troops-en in
    English).  Data are loaded and validated once (or `tables`, already loaded, are used); figures
    are drawn in parallel processes where the machine has cores to spare.  The same data give
    byte-identical files, whatever the number of processes."""
    from ..data import load

    out = atomic.check_writable(out_dir)
    atomic.sweep(out)  # temporary files of a build that was killed
    tables = tables if tables is not None else load(data_dir)
    if lang is not None and lang not in registry.LANGS:
        raise ValueError(f"lang must be one of {', '.join(registry.LANGS)} or None, not {lang!r}")
    names = list(names or (n for n in FIGURES if lang is None or registry.lang_of(n) == lang))
    unknown = [n for n in names if n not in registry.NAMES]
    if unknown:
        raise KeyError(f"no such figure: {', '.join(unknown)}")
    other = [n for n in names if lang is not None and registry.lang_of(n) != lang]
    if other:
        raise ValueError(f"not {lang!r} figures: {', '.join(other)} (each figure is drawn in its own language)")
    formats = tuple(formats)
    if not formats or any(f not in FORMATS for f in formats):
        raise ValueError(f"formats must be some of {FORMATS}, not {formats!r}")
    package = getattr(tables, "package", None)
    data = package.digest() if package is not None else None
    jobs = min(_jobs(), len(names))
    with memo.build():  # the figures ask the same questions of the tables: answered once
        if jobs <= 1:
            return [path for name in names for path in _draw_and_save(tables, name, out, formats, data)]
        _draw_forked(tables, names, out, formats, data, jobs)
    return [out / f"{name}.{fmt}" for name in names for fmt in formats]
