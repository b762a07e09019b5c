"""Malformed CSV never crashes the validator or the loader: they accept it or say what is wrong."""
import csv
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import analysis
from analysis.data import DATA_DIR
from analysis.validate import DataValidationError, Problem, validate

TABLES = ["troop_levels", "attacks", "base_events", "bases", "sources", "claims"]
CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "-1", "1e9", "2021-02-30", "2021-12", "true", "yes", "NaN", "s000", "k1", "A01", "day",
                     "unknown", '"', '""', ",", "\n", "\r\n", "\x00", "\ufeff", "<script>", "٣"]),
    st.integers(-10**12, 10**12).map(str),
)


@st.composite
def broken_csv(draw):
    """Start from a real table and damage it: cells, row lengths, header, bytes."""
    name = draw(st.sampled_from(TABLES))
    rows = list(csv.reader(io.StringIO((DATA_DIR / f"{name}.csv").read_text(encoding="utf-8"), newline="")))
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["cell", "cell", "cell", "drop", "extra", "short", "dup", "header"]))
        r = draw(st.integers(0 if action == "header" else 1, len(rows) - 1))
        if action == "cell" and rows[r]:  # a row emptied by "short" has no cell to change
            rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(CELL)
        elif action == "drop" and len(rows) > 1:
            rows.pop(r)
        elif action == "extra":
            rows[r] = rows[r] + [draw(CELL)]
        elif action == "short":
            rows[r] = rows[r][: draw(st.integers(0, len(rows[r])))]
        elif action == "dup":
            rows.insert(r, list(rows[r]))
        elif action == "header":
            rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(CELL)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    data = buf.getvalue().encode("utf-8")
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=8)) + data[cut:]
    return name, data


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", 40)), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=broken_csv())
def test_validator_and_loader_never_crash(workdir, case):
    name, content = case
    data = workdir / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(DATA_DIR, data)
    (data / f"{name}.csv").write_bytes(content)
    problems = validate(data, corpus=False)
    assert all(isinstance(p, Problem) and p.file and isinstance(p.row, int) for p in problems)
    try:
        analysis.load(data, corpus=False)
    except DataValidationError as err:
        assert err.problems == problems and problems
    else:
        assert problems == []


def test_bad_descriptor_is_a_problem_not_a_crash(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data")
    (tmp_path / "data" / "datapackage.json").write_text("{not json", encoding="utf-8")
    (problem,) = validate(tmp_path / "data")
    assert problem.file == "datapackage.json" and "unreadable" in problem.message
    (tmp_path / "data" / "datapackage.json").unlink()
    (problem,) = validate(tmp_path / "data")
    assert "not found" in problem.message
