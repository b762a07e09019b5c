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
