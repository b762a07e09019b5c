"""Trustworthy builds: byte-identical rebuilds, interrupted builds, missing tools, make -j2.

These drive the real pipeline (`python -m analysis figures|report`, and make itself) in temporary
folders, so they take a while; they compare bytes, never timings.
"""
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import registry

pytestmark = pytest.mark.slow  # builds the briefing / draws and reads back every figure

ROOT = Path(__file__).resolve().parents[1]
FIGS = [f"{name}.{fmt}" for name in registry.NAMES for fmt in ("svg", "png", "pdf")]
LANGS = registry.LANGS
# the copies have no corpus beside them: a caller's ANALYSIS_REQUIRE_CORPUS does not apply to them
ENV = {**{k: v for k, v in os.environ.items() if k != "ANALYSIS_REQUIRE_CORPUS"}, "SOURCE_DATE_EPOCH": "1767225600"}


def run(*args, cwd=ROOT, env=ENV, check=True):
    done = subprocess.run([sys.executable, "-m", "analysis", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def build(where: Path) -> dict[str, str]:
    """A clean build of figures and briefing from a private copy of data/ into `where`."""
    shutil.copytree(ROOT / "data", where / "data")
    run("figures", "--data", str(where / "data"), "--out", str(where / "figures"))
    run("report", "--data", str(where / "data"), "--out", str(where / "out"), "--figures", str(where / "figures"))
    return {**digests(where / "figures"), **digests(where / "out")}


@pytest.fixture(scope="module")
def first_where(tmp_path_factory):
    where = tmp_path_factory.mktemp("build1")
    return where, build(where)


@pytest.fixture(scope="module")
def first_build(first_where):
    return first_where[1]


def test_two_clean_builds_are_byte_identical(first_build, tmp_path):
    briefings = [f"briefing.{lang}.{fmt}" for lang in LANGS for fmt in ("pdf", "html")]
    assert sorted(first_build) == sorted(FIGS + briefings)
    assert build(tmp_path) == first_build


def test_interrupted_build_leaves_previous_outputs_and_no_partial_file(first_build, tmp_path_factory):
    where = tmp_path_factory.mktemp("interrupt")
    build(where)
    before = digests(where / "figures")
    # Change the data so a finished figure would differ, then stop the build halfway.
    csv = where / "data" / "troop_levels.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",5200,false,", ",5300,false,"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "figures", "--data", str(where / "data"),
                             "--out", str(where / "figures")], cwd=ROOT, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.name.startswith(".") for p in (where / "figures").iterdir()):
        time.sleep(0.005)  # wait until it is writing its first temporary file
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    assert proc.returncode != 0, "the build finished before it could be interrupted"
    after = digests(where / "figures")
    assert sorted(after) == sorted(before), "a partial or temporary file was left behind"
    unchanged = [name for name in after if after[name] == before[name]]
    assert unchanged, "every figure changed: the build was not interrupted"
    # Whatever was replaced is a whole new file: drawing it again from the changed data gives the same bytes.
    redo = tmp_path_factory.mktemp("redo")
    run("figures", "--data", str(where / "data"), "--out", str(redo))
    for name, digest in after.items():
        assert digest in (before[name], digests(redo)[name]), name


def fake_module(tmp_path: Path, name: str) -> dict:
    """An environment in which importing `name` fails, as on a machine without it."""
    (tmp_path / f"{name}.py").write_text(f"raise ImportError(\"No module named '{name}'\")\n")
    return {**ENV, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "src")])}


@pytest.mark.parametrize("module,words", [("pypandoc", "pandoc"), ("typst", "typst")])
def test_missing_tool_is_one_clear_sentence(first_where, tmp_path, module, words):
    built, _ = first_where
    done = run("report", "--data", str(built / "data"), "--out", str(tmp_path / "out"), "--figures", str(built / "figures"),
               env=fake_module(tmp_path, module), check=False)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and words in last and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_quarto_asked_for_but_absent(tmp_path):
    env = {**ENV, "PATH": "/usr/bin:/bin"}
    done = run("report", "--out", str(tmp_path / "out"), "--engine", "quarto", env=env, check=False)
    assert done.returncode == 1 and "quarto" in done.stderr.lower() and "Traceback" not in done.stderr


def make_copy(where: Path) -> Path:
    """The tracked project files in a new folder, with this checkout's installed venv linked in
    as its .venv (so paths with spaces need no quoting and no venv is made outside the copy)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed (the copy takes the tracked files)")
    done = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"not a git checkout: {done.stderr.strip()}")
    for name in filter(None, done.stdout.split("\0")):
        if (ROOT / name).is_file():
            (where / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, where / name)
    (where / ".venv").symlink_to(ROOT / ".venv")
    return where


@pytest.mark.skipif(shutil.which("make") is None or not (ROOT / ".venv" / ".installed").exists(),
                    reason="needs make and the project's .venv (run `make test`)")
def test_make_j2_matches_serial_make_and_noop_does_nothing(first_build, tmp_path):
    common = ["make", "-o", ".venv/.installed", "SOURCE_DATE_EPOCH=1767225600"]
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "ANALYSIS_REQUIRE_CORPUS")}
    serial, parallel = make_copy(tmp_path / "with space" / "serial"), make_copy(tmp_path / "with space" / "parallel")
    subprocess.run([*common, "report"], cwd=serial, check=True, capture_output=True, env=env)
    subprocess.run([*common, "-j2", "report"], cwd=parallel, check=True, capture_output=True, env=env)
    for sub in ("figures", "report/_output"):
        assert digests(serial / sub) == digests(parallel / sub), sub
    noop = subprocess.run([*common, "-j2", "report"], cwd=parallel, check=True, capture_output=True, text=True, env=env)
    assert "Nothing to be done" in noop.stdout or "is up to date" in noop.stdout, noop.stdout
    # One changed CSV rebuilds what depends on it.
    time.sleep(1)
    (parallel / "data" / "attacks.csv").touch()
    again = subprocess.run([*common, "-j2", "report"], cwd=parallel, check=True, capture_output=True, text=True, env=env)
    assert "analysis validate" in again.stdout and "analysis figures" in again.stdout and "analysis report" in again.stdout
