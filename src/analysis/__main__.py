"""Command line: `python -m analysis validate|figures|report`."""
from __future__ import annotations

import argparse
import csv
import os
import signal
import sys

from . import config


def _validate(args) -> int:
    from .data import Package
    from .validate import validate

    problems = validate(args.data, require_corpus=True if args.require_corpus else None)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"invalid: {len(problems)} problem(s) in {Package.at(args.data).root}", file=sys.stderr)
        return 1
    package = Package.at(args.data)
    rows = 0
    for n in package.resources:  # records, as the checks counted them (never file lines)
        with open(package.path(n), encoding="utf-8-sig", newline="") as fh:
            rows += sum(1 for row in csv.reader(fh) if row) - 1
    corpus = package.corpus
    where = f"needles and hashes checked against {corpus}" if corpus else "corpus not found: needles and hashes not checked"
    print(f"valid: {len(package.resources)} tables, {rows} rows in {package.root}; {where}")
    return 0


def _tables(args):
    """The data, loaded once for the whole command; validated unless --validated says the caller
    (the Makefile's validate stage) has just checked it."""
    from .data import load

    return load(args.data, validate=not args.validated)


def _figures(args) -> int:
    from .atomic import check_writable
    from .errors import ConfigError
    from .figures import FORMATS, write_all

    check_writable(args.out)  # before the data are read: say a bad output folder first
    config.check()  # and a bad setting
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ConfigError(f"--formats {args.formats!r}: give one or more of {', '.join(FORMATS)}, comma-separated")
    lang = None if args.lang == "all" else args.lang
    for path in write_all(args.data, args.out, formats=formats, tables=_tables(args), lang=lang):
        print(path)
    return 0


def _report(args) -> int:
    from .atomic import check_writable
    from .report import render

    check_writable(args.out)  # before the data are read: say a bad output folder first
    config.check()  # and a bad setting
    langs = tuple(x.strip() for x in args.lang.split(",") if x.strip())
    if not langs or any(x not in config.LANGS for x in langs):  # before the data are read
        print(f"--lang: give some of {', '.join(config.LANGS)}, comma-separated, not {args.lang!r}", file=sys.stderr)
        return 2
    for path in render(args.data, args.out, engine=args.engine, figures_dir=args.figures, tables=_tables(args),
                       langs=langs):
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check a data folder against its schema and sources")
    v.add_argument("--data", default=str(config.DATA_DIR), help="data folder (default: %(default)s)")
    v.add_argument("--require-corpus", action="store_true",
                   help="fail when the source articles are not found (default: check them when present)")
    v.set_defaults(run=_validate)
    f = sub.add_parser("figures", help="draw every figure, Arabic and English, as SVG, PNG and PDF")
    f.add_argument("--data", default=str(config.DATA_DIR), help="data folder (default: %(default)s)")
    f.add_argument("--out", default=str(config.FIGURES_DIR), help="folder for the figures (default: %(default)s)")
    f.add_argument("--formats", default="svg,png,pdf", help="comma-separated, of svg, png, pdf (default: %(default)s)")
    f.add_argument("--lang", choices=("all", *config.LANGS), default="all",
                   help="the edition whose figures to draw: ar (NAME), en (NAME-en) or all (default: %(default)s)")
    f.add_argument("--validated", action="store_true", help="skip the data check: it was just run (make does this)")
    f.set_defaults(run=_figures)
    r = sub.add_parser("report", help="render the briefing to PDF and HTML")
    r.add_argument("--data", default=str(config.DATA_DIR), help="data folder (default: %(default)s)")
    r.add_argument("--out", default=str(config.OUTPUT_DIR), help="folder for the briefing (default: %(default)s)")
    r.add_argument("--engine", choices=["auto", "quarto", "builtin"], default="auto")
    r.add_argument("--lang", default=",".join(config.LANGS), help="the editions, comma-separated (default: %(default)s)")
    r.add_argument("--figures", default=str(config.FIGURES_DIR), help="folder of the drawn figures (default: %(default)s)")
    r.add_argument("--validated", action="store_true", help="skip the data check: it was just run (make does this)")
    r.set_defaults(run=_report)
    args = parser.parse_args(argv)
    # A build stopped by make or CI (SIGTERM), a closed terminal (SIGHUP) or Ctrl-\ (SIGQUIT) unwinds like Ctrl-C,
    # so temporary files are removed and the previous outputs stay in place.
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None), getattr(signal, "SIGQUIT", None)):
        if sig is not None:
            signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))
    from .errors import AnalysisError

    try:
        return args.run(args)
    except AnalysisError as err:
        print(f"error: {err}" if not hasattr(err, "problems") else str(err), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the previous outputs are left in place", file=sys.stderr)
        return 130
    except SystemExit:
        raise
    except Exception as err:  # a bug, not bad input: say so in one line, traceback on request
        if os.environ.get("ANALYSIS_DEBUG", "").strip() not in ("", "0"):
            raise
        print(f"internal error: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''} "
              "(set ANALYSIS_DEBUG=1 for the traceback, and please report it)", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
