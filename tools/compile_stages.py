"""Compile to bytecode what the build's stages import (`make setup` runs it once).

Why: where Python may not write bytecode (PYTHONDONTWRITEBYTECODE, a read-only venv), a stage
whose libraries have none compiles them again on every run, a second or more a stage.  Compiling
the whole environment at install (uv's --compile-bytecode) cost 8-10 s of a fresh clone's 30:
six thousand files, a quarter of them test suites, many in tools no stage loads.  This compiles
the modules the stages load, by loading them.

    .venv/bin/python tools/compile_stages.py
"""
from __future__ import annotations

import compileall
import importlib
import importlib.util
import pkgutil
import sys
from pathlib import Path

#: What `python -m analysis validate|figures|report` load, beyond the project's own modules.
LIBRARIES = ("matplotlib.pyplot", "matplotlib.backends.backend_agg", "matplotlib.backends.backend_svg",
             "matplotlib.backends.backend_pdf", "frictionless", "pandas", "numpy", "shapely", "shapely.validation", "yaml", "pandas.core.reshape.reshape",
             "typst", "pypandoc")


def main() -> int:
    """Import what the stages import, writing each module's bytecode as it is compiled (whatever
    PYTHONDONTWRITEBYTECODE says: this is the one run that may), then compile any loaded module
    that still has none."""
    sys.dont_write_bytecode = False
    import analysis

    for info in pkgutil.walk_packages(analysis.__path__, "analysis."):
        importlib.import_module(info.name)
    for name in LIBRARIES:
        importlib.import_module(name)
    from analysis.config import DATA_DIR
    from analysis.validate import validate

    try:  # frictionless loads its readers when it first reads a file: validate the data once
        validate(DATA_DIR)
    except Exception:  # noqa: BLE001 (whatever the data say, `make validate` reports it, not setup)
        pass
    ok = True
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and file.endswith(".py") and not Path(importlib.util.cache_from_source(file)).exists():
            ok &= bool(compileall.compile_file(file, quiet=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
