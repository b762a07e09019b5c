"""Malformed CSV and descriptors never crash the validator or the loader: they accept the data or
say what is wrong, naming a file.

Hypothesis keeps no example database here (a failure is printed with its reproduction blob
instead of being replayed forever in one checkout)."""
import csv
import io
import json
import os
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis
from analysis.data import DATA_DIR
from analysis.validate import DataValidationError, Problem, validate

pytestmark = pytest.mark.slow

TABLES = ["troop_levels", "attacks", "base_events", "bases", "sources", "claims", "milestones", "citations"]
CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "-1", "1e9", "2021-02-30", "2021-12", "0001-01-01", "9999-12-31", "true", "yes", "NaN",
                     "inf", "s000", "k1", "A01", "day", "unknown", '"', '""', ",", "\n", "\r\n", "\x00", "\ufeff",
                     "\u202e", "\u2066", "<script>", "{{< include /etc/passwd >}}", "$x$", "٣", "٥٠٠٠"]),
    st.integers(-10**12, 10**12).map(str),
)
SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 40)), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@st.composite
def broken_csv(draw):
    """Start from a real table and damage it: cells, row lengths, header, bytes."""
    name = draw(st.sampled_from(TABLES))
    rows = list(csv.reader(io.StringIO((DATA_DIR / f"{name}.csv").read_text(encoding="utf-8"), newline="")))
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["cell", "cell", "cell", "drop", "extra", "short", "dup", "header", "blank"]))
        if not rows:
            rows.append([draw(CELL)])
        first = 0 if action == "header" or len(rows) == 1 else 1
        r = draw(st.integers(first, len(rows) - 1))
        if action in ("cell", "header"):
            if not rows[r]:
                rows[r].append("")
            rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(CELL)
        elif action == "drop" and len(rows) > 1:
            rows.pop(r)
        elif action == "extra":
            rows[r] = rows[r] + [draw(CELL)]
        elif action == "short":
            rows[r] = rows[r][: draw(st.integers(0, len(rows[r])))]
        elif action == "dup":
            rows.insert(r, list(rows[r]))
        elif action == "blank":
            rows.insert(r, [])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    data = buf.getvalue().encode("utf-8")
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=8)) + data[cut:]
    return name, data


JSON_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), CELL, st.just([]), st.just({}),
                       st.just("../../../etc/passwd"), st.just("/etc/passwd"))


def _places(node, out):
    """Every (container, key) of a JSON tree, depth first."""
    keys = list(node) if isinstance(node, dict) else range(len(node)) if isinstance(node, list) else []
    for k in keys:
        out.append((node, k))
        _places(node[k], out)
    return out


@st.composite
def broken_descriptor(draw):
    """The real descriptor with a few of its nodes replaced, deleted or re-typed."""
    d = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        places = _places(d, [])
        node, key = places[draw(st.integers(0, len(places) - 1))]
        if isinstance(node, dict) and draw(st.booleans()):
            del node[key]
        else:
            node[key] = draw(JSON_VALUE)
    return json.dumps(d, ensure_ascii=False)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _check(data):
    problems = validate(data, corpus=False)
    assert all(isinstance(p, Problem) and p.file and isinstance(p.row, int) for p in problems)
    try:
        analysis.load(data, corpus=False)
    except DataValidationError as err:
        assert err.problems == problems and problems
    else:
        assert problems == []


@SETTINGS
@given(case=broken_csv())
def test_validator_and_loader_never_crash(workdir, case):
    name, content = case
    data = workdir / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(DATA_DIR, data)
    (data / f"{name}.csv").write_bytes(content)
    _check(data)


@SETTINGS
@given(text=broken_descriptor())
def test_a_damaged_descriptor_never_crashes_the_validator(workdir, text):
    data = workdir / "desc"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(DATA_DIR, data)
    (data / "datapackage.json").write_text(text, encoding="utf-8")
    _check(data)


def test_bad_descriptor_is_a_problem_not_a_crash(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data")
    (tmp_path / "data" / "datapackage.json").write_text("{not json", encoding="utf-8")
    (problem,) = validate(tmp_path / "data")
    assert problem.file == "datapackage.json" and "not valid JSON" in problem.message
    (tmp_path / "data" / "datapackage.json").unlink()
    (problem,) = validate(tmp_path / "data")
    assert "not found" in problem.message
