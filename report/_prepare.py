"""Quarto pre-render hook: draw the figures if they are missing or stale, then write
_generated/ (values.json, the tables and lists, fonts.css, the figures) from the data.

Quarto runs this (with QUARTO_PYTHON, or the `python3` on PATH) before `quarto render report/`
reads the generated files: the briefing's shortcodes (_extensions/briefing) read them at filter
time, after this hook, so a fresh clone renders.  Run with a Python that lacks the project's
packages, the hook re-runs itself with the clone's .venv when there is one.
`python -m analysis report` builds in a staging copy where the files already exist, and sets
ANALYSIS_REPORT_STAGED so that this hook does nothing there.
"""
import os
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
if os.environ.get("ANALYSIS_REPORT_STAGED"):
    sys.exit(0)
try:
    import frictionless  # noqa: F401  (the project's pinned environment, not just any python3)
    import matplotlib  # noqa: F401
    import pandas  # noqa: F401
except ImportError as err:
    venv = here.parent / ".venv" / "bin" / "python"
    if venv.is_file() and not os.environ.get("ANALYSIS_PREPARE_REEXEC"):
        os.environ["ANALYSIS_PREPARE_REEXEC"] = "1"
        os.execv(str(venv), [str(venv), str(Path(__file__).resolve())])
    sys.exit(f"report/_prepare.py: this Python ({sys.executable}) lacks the project's packages ({err}). "
             "Run `make setup`, then `QUARTO_PYTHON=$PWD/.venv/bin/python quarto render report/` "
             "(or activate .venv first).")
try:
    import analysis  # noqa: F401
except ImportError:  # not installed: use the source tree next to report/
    sys.path.insert(0, str(here.parent / "src"))
from analysis.report import main  # noqa: E402

sys.exit(main(["prepare", "--project", str(here)]))
