"""Quarto pre-render hook: write _variables.yml and _generated/ from the data.

Quarto runs this before `quarto render report/`.  `python -m analysis report` builds in a
staging copy where these files already exist, and sets ANALYSIS_REPORT_STAGED so that this
hook does nothing there.
"""
import os
import sys
from pathlib import Path

if not os.environ.get("ANALYSIS_REPORT_STAGED"):
    here = Path(__file__).resolve().parent
    try:
        import analysis  # noqa: F401
    except ImportError:  # not installed: use the source tree next to report/
        sys.path.insert(0, str(here.parent / "src"))
    from analysis.report import main

    sys.exit(main(["generate", "--project", str(here)]))
