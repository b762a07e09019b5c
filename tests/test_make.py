"""Through make, as users and CI run it: a failed or stopped build keeps the previous outputs.

Each test builds a private copy of the project (its tracked files, with this checkout's .venv
linked in) with real make and real signals, so these are slow; they compare bytes, not times.
"""
import hashlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed (the copy takes the tracked files)"),
    pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists(), reason="needs the project's .venv (run `make test`)"),
]
EPOCH = "1790000000"  # 2026-09-21: after every source
# the copies have no corpus beside them: a caller's ANALYSIS_REQUIRE_CORPUS does not apply to them
ENV = {k: v for k, v in os.environ.items()
       if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "SOURCE_DATE_EPOCH", "ANALYSIS_REQUIRE_CORPUS")}
OUTPUTS = ("figures", "report/_output")


def tracked_files() -> list[str]:
    done = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"not a git checkout: {done.stderr.strip()}")
    return [f for f in done.stdout.split("\0") if f]


def project_copy(where: Path) -> Path:
    """The tracked files in `where`, with .venv linked to this checkout's (spaces in paths are fine)."""
    for name in tracked_files():
        if (ROOT / name).is_file():
            (where / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, where / name)
    (where / ".venv").symlink_to(ROOT / ".venv")
    return where


def make(where: Path, *targets: str, check: bool = True, **kw) -> subprocess.CompletedProcess:
    cmd = ["make", "-o", ".venv/.installed", f"SOURCE_DATE_EPOCH={EPOCH}", *targets]
    done = subprocess.run(cmd, cwd=where, capture_output=True, text=True, env=ENV, **kw)
    if check:
        assert done.returncode == 0, done.stderr[-2000:]
    return done


def snapshot(where: Path) -> dict[str, str]:
    """Every file of the output folders, hidden ones included, with its digest."""
    out = {}
    for sub in OUTPUTS:
        for p in sorted((where / sub).iterdir()):
            if p.is_file():
                out[f"{sub}/{p.name}"] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One project copy, built once by make; tests work on copies of it."""
    where = project_copy(tmp_path_factory.mktemp("with space") / "project")
    make(where, "report")
    return where


@pytest.fixture
def project(built, tmp_path):
    where = tmp_path / "project"
    shutil.copytree(built, where, symlinks=True)
    return where


def change_data(where: Path) -> None:
    """One more soldier in the first exact troop count: every figure and the briefing change."""
    csv = where / "data" / "troop_levels.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    i = header.index("count")
    for n, line in enumerate(lines[1:], 1):
        fields = line.split(",")
        if len(fields) == len(header) and fields[i].isdigit():
            fields[i] = str(int(fields[i]) + 1)
            lines[n] = ",".join(fields)
            break
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _running(cmdline_part: str, session: int) -> bool:
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.getsid(int(proc.name)) != session:
                continue
            if cmdline_part in (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                return True
        except (OSError, ProcessLookupError):
            continue
    return False


def _as_from_a_terminal() -> None:
    """Ctrl-C as a terminal delivers it: a runner started in the background (`cmd &`) hands its
    children SIGINT ignored, and make then finished as if nothing had been sent."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt(where: Path, stage: str, sig: int) -> subprocess.Popen:
    """Start `make report`, wait until `stage` (figures or report) runs, send `sig` to the
    whole process group (as a terminal's Ctrl-C or CI's job control does) and wait for make."""
    proc = subprocess.Popen(["make", "-o", ".venv/.installed", f"SOURCE_DATE_EPOCH={EPOCH}", "report"], cwd=where,
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_as_from_a_terminal)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not _running(f"analysis {stage}", proc.pid):
        time.sleep(0.01)
    time.sleep(0.8 if stage == "figures" else 0.5)  # well inside the stage
    assert proc.poll() is None, f"make finished before the {stage} stage could be interrupted"
    os.killpg(proc.pid, sig)
    proc.wait(timeout=120)
    return proc


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to see the running stage")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
@pytest.mark.parametrize("stage", ["figures", "report"])
def test_a_stopped_make_keeps_every_previous_output(project, stage, sig):
    before = snapshot(project)
    change_data(project)
    if stage == "report":
        make(project, "figures/troops.svg")  # the SVGs: the next make goes straight to the report stage
        before = snapshot(project)
        (project / "report" / "briefing.ar.qmd").touch()
    proc = interrupt(project, stage, sig)
    assert proc.returncode != 0
    after = snapshot(project)
    assert sorted(after) == sorted(before), "an output was deleted, or a temporary file left behind"
    # The stopped stage replaced nothing by halves: a rebuild finishes and cleans up.
    make(project, "report")
    assert not [n for n in snapshot(project) if Path(n).name.startswith(".")]


def test_a_bad_build_date_fails_clearly_and_keeps_the_outputs(project):
    before = snapshot(project)
    (project / "report" / "briefing.ar.qmd").touch()
    for bad in ("soon", "-5", "99999999999999", "946684800"):  # the last: 2000-01-01, before every source
        done = subprocess.run(["make", "-o", ".venv/.installed", f"SOURCE_DATE_EPOCH={bad}", "report"], cwd=project,
                              capture_output=True, text=True, env=ENV)
        assert done.returncode != 0, bad
        assert "SOURCE_DATE_EPOCH" in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert snapshot(project) == before, bad


def test_data_that_fails_validation_keeps_the_outputs(project):
    before = snapshot(project)
    csv = project / "data" / "attacks.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("A01,2019-12-27", "A01,2019-13-27"), encoding="utf-8")
    done = make(project, "report", check=False)
    assert done.returncode != 0 and "attacks.csv:2: date" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(project) == before


def test_temporary_files_of_a_killed_build_are_removed_by_the_next_one(project):
    change_data(project)
    proc = subprocess.Popen([str(project / ".venv/bin/python"), "-m", "analysis", "figures", "--data", "data",
                             "--out", "figures"], cwd=project, env={**ENV, "ANALYSIS_JOBS": "1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.endswith(".tmp") for p in (project / "figures").iterdir()):
            proc.send_signal(signal.SIGSTOP)  # frozen where it is: is a temporary file still there?
            if any(p.name.endswith(".tmp") for p in (project / "figures").iterdir()):
                break
            proc.send_signal(signal.SIGCONT)  # renamed in between: go on until the next one
        time.sleep(0.001)
    proc.kill()  # SIGKILL: no clean-up can run
    proc.wait()
    left = [p.name for p in (project / "figures").iterdir() if p.name.endswith(".tmp")]
    assert left, "the build was killed before it wrote a temporary file"
    make(project, "figures")
    assert not [p.name for p in (project / "figures").iterdir() if p.name.endswith(".tmp")]


def test_the_build_date_never_comes_from_a_repository_around_the_tree(project, tmp_path):
    outer = tmp_path / "outer"
    shutil.copytree(project, outer / "project", symlinks=True)
    env = {**ENV, "GIT_AUTHOR_DATE": "2000-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2000-01-01T00:00:00Z",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    for cmd in (["git", "init", "-q"], ["git", "add", "project/Makefile"], ["git", "commit", "-q", "-m", "outer"]):
        subprocess.run(cmd, cwd=outer, check=True, env=env, capture_output=True)
    shown = subprocess.run(["make", "-s", "--eval", "show-epoch: ; @echo epoch=$$SOURCE_DATE_EPOCH", "show-epoch"],
                           cwd=outer / "project", capture_output=True, text=True, env=ENV)
    assert shown.stdout.strip() == "epoch=", shown.stdout  # not 946684800: the outer repository's date
