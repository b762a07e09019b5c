"""analysis.atomic: a dead writer's leftovers are recognised as such, a zombie included."""
import os
import time
from pathlib import Path

import pytest

from analysis import atomic


@pytest.mark.skipif(not Path("/proc/self/stat").exists() or not hasattr(os, "fork"), reason="needs fork and /proc")
def test_a_zombie_writer_counts_as_gone():
    """A killed build whose parent died too can stay a zombie where no init reaps it: it answers
    kill(pid, 0) but will never remove its temporary files, so the next build must."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        for _ in range(500):  # until the child has exited (and, unreaped, is a zombie)
            if Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] == "Z":
                break
            time.sleep(0.01)
        assert not atomic._alive(pid)
        assert atomic._alive(os.getpid())
    finally:
        os.waitpid(pid, 0)
    assert not atomic._alive(pid)


def test_a_figure_failing_in_a_forked_worker_raises_its_error_in_the_parent(tmp_path, monkeypatch, tables):
    """The figure workers are plain forks reading names from one pipe (no pool whose queue lock a
    stopped worker could keep): a worker's exception reaches the caller as itself, the failing
    worker stops at its failure, and the other worker draws every name left."""
    from analysis.figures import output

    def draw(tables, name, out, formats, data):
        if name == "bases":
            raise ValueError("bases: the table has no column 'x'")
        with open(out / f"{name}.svg", "x", encoding="utf-8") as fh:  # "x": each name drawn once
            fh.write(str(os.getpid()))
        return [out / f"{name}.svg"]

    monkeypatch.setattr(output, "_draw_and_save", draw)
    with pytest.raises(ValueError, match="no column 'x'"):
        output._draw_forked(tables, ["troops", "bases", "attacks", "sources"], tmp_path, ("svg",), None, 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["attacks.svg", "sources.svg", "troops.svg"]


def test_forked_workers_take_the_next_figure_as_they_are_free(tmp_path, monkeypatch, tables):
    """Each worker takes the next name when it is free, the slow figures first: a worker held up
    by one long figure does not leave the other idle with a fixed share."""
    import time

    from analysis.figures import output

    def draw(tables, name, out, formats, data):
        time.sleep(1.0 if name == "map" else 0.05)
        (out / f"{name}.svg").write_text(f"{os.getpid()} {time.monotonic()}", encoding="utf-8")
        return [out / f"{name}.svg"]

    monkeypatch.setattr(output, "_draw_and_save", draw)
    names = ["troops", "bases", "attacks", "troops-en", "bases-en", "map"]
    output._draw_forked(tables, names, tmp_path, ("svg",), None, 2)
    drawn = {p.stem: p.read_text(encoding="utf-8").split() for p in tmp_path.iterdir()}
    assert sorted(drawn) == sorted(names)
    by_map = [n for n, (pid, _) in drawn.items() if pid == drawn["map"][0]]
    assert by_map == ["map"]  # the long one went first; the other worker drew all the rest
