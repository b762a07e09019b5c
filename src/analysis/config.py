"""Every path and environment variable the package reads, in one place; the CLI's defaults.

Paths default to the project checkout this package sits in (src/analysis -> the project root),
so the stages find each other whatever the current directory is.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: The curated data folder (env ANALYSIS_DATA).
DATA_DIR = Path(os.environ.get("ANALYSIS_DATA", ROOT / "data"))
#: Where `figures` writes and `report` reads the drawn figures (env ANALYSIS_FIGURES).
FIGURES_DIR = Path(os.environ.get("ANALYSIS_FIGURES", ROOT / "figures"))
#: The Quarto project of the briefing (env ANALYSIS_REPORT_DIR).
REPORT_DIR = Path(os.environ.get("ANALYSIS_REPORT_DIR", ROOT / "report"))
#: Where the rendered briefing goes.
OUTPUT_DIR = REPORT_DIR / "_output"
#: The briefing's editions (report/briefing.<lang>.qmd -> briefing.<lang>.pdf|html), in build order;
#: `python3 -m analysis.config langs` prints them for make.
LANGS: tuple[str, ...] = ("ar", "en")

#: Other variables, read where they are used: ANALYSIS_CORPUS (the articles' folder),
#: ANALYSIS_REQUIRE_CORPUS (1: a missing corpus is an error), ANALYSIS_ARABIC_MODE
#: (native|reshape), ANALYSIS_JOBS (figure worker processes), SOURCE_DATE_EPOCH (the build date),
#: ANALYSIS_DEBUG (1: show the traceback of an unexpected error), ANALYSIS_DIGITS (see digits()).
ENVIRONMENT = ("ANALYSIS_DATA", "ANALYSIS_FIGURES", "ANALYSIS_REPORT_DIR", "ANALYSIS_CORPUS",
               "ANALYSIS_REQUIRE_CORPUS", "ANALYSIS_ARABIC_MODE", "ANALYSIS_JOBS", "SOURCE_DATE_EPOCH",
               "ANALYSIS_DEBUG", "ANALYSIS_DIGITS")

#: The digit styles of the whole briefing, prose, tables and figures alike (env ANALYSIS_DIGITS).
DIGIT_MODES = ("latin", "arabic-indic")


def digits(value: str | None = None) -> str:
    """The briefing's digits: `value`, else env ANALYSIS_DIGITS, else latin (2,500 or ٢٬٥٠٠)."""
    from .errors import ConfigError

    mode = (value or os.environ.get("ANALYSIS_DIGITS", "") or "latin").strip().lower()
    if mode not in DIGIT_MODES:
        raise ConfigError(f"ANALYSIS_DIGITS={mode!r} is not a digit style: use one of {', '.join(DIGIT_MODES)}")
    return mode


def jobs(default: int) -> int:
    """Figure worker processes: env ANALYSIS_JOBS (a whole number, 1 or more), else `default`."""
    from .errors import ConfigError

    value = os.environ.get("ANALYSIS_JOBS", "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise ConfigError(f"ANALYSIS_JOBS={value[:40]!r} is not a number of processes: use a whole number, 1 or more")
    return int(value)


#: The last second of the year 9999, the latest build date SOURCE_DATE_EPOCH may give.
MAX_EPOCH = 253402300799


def source_date_epoch() -> int | None:
    """The build date SOURCE_DATE_EPOCH gives (whole seconds since 1970, before the year 10000),
    or None when it is not set.  Read by every stage that stamps a date: the briefing, and the
    figures' PDF and SVG metadata (matplotlib reads it too)."""
    from .errors import ConfigError

    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise ConfigError(f"SOURCE_DATE_EPOCH={value[:40]!r} is not a whole number of seconds since 1970.")
    # Leading zeros are the same number (00001790000000 is 1790000000): the length test, which
    # keeps int() off a thousand-digit value, counts the digits after them.
    if len(value.lstrip("0")) > len(str(MAX_EPOCH)) or int(value.lstrip("0") or "0") > MAX_EPOCH:
        raise ConfigError(f"SOURCE_DATE_EPOCH={value[:40]}{'...' if len(value) > 40 else ''} is after the year 9999.")
    return int(value.lstrip("0") or "0")


def check() -> None:
    """Every setting read from the environment, checked before a stage does any work, so a typo
    is one plain message naming the variable (never a crash halfway)."""
    from .arabic import _env_mode

    digits()
    jobs(1)
    source_date_epoch()
    _env_mode()


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["langs"]:
        print(" ".join(LANGS))
