"""make setup: the modules the stages load are compiled once, so a stage never compiles them."""
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists(), reason="needs the venv `make setup` made")
def test_the_validate_stage_loads_no_library_module_from_source(tmp_path):
    """Where Python may not write bytecode, a library module without it is compiled on every run.
    `make setup` compiles what the stages load (tools/compile_stages.py) instead of the whole
    environment; the validator loads frictionless' readers lazily, so they are checked here."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-v", "-m", "analysis", "validate", "--data", str(ROOT / "data")],
                          cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-500:]
    site = sysconfig.get_paths()["purelib"]
    from_source = [line.split("from ", 1)[1] for line in done.stderr.splitlines()
                   if line.startswith("# code object from ") and site in line and not line.rstrip("'").endswith(".pyc")]
    assert not from_source, from_source[:5]
