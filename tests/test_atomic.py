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
