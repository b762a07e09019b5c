"""analysis.truth: rows no stronger or more precise than their source, findings hedged.

Each check is shown to pass on the package data and to fail on a deliberately wrong row
planted in a copy of data/ (and, for the findings, of report/briefing.ar.qmd beside it).
"""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from analysis import load, report, truth, validate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CORPUS = load(validate=False).package.corpus
needs_corpus = pytest.mark.skipif(CORPUS is None, reason="source corpus ../shared/seeds not present beside the clone")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of data/ and report/briefing.ar.qmd; the corpus stays where it is."""
    shutil.copytree(DATA, tmp_path / "data")
    (tmp_path / "report").mkdir()
    shutil.copy2(ROOT / "report" / "briefing.ar.qmd", tmp_path / "report" / "briefing.ar.qmd")
    if CORPUS is not None:
        monkeypatch.setenv("ANALYSIS_CORPUS", str(CORPUS))
    return tmp_path


def plant(folder: Path, table: str, row_id: str, **values) -> None:
    """Set fields of one row of a copied table (the planted bad row)."""
    path = folder / "data" / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    hit = [r for r in rows if r[fields[0]] == row_id]
    assert len(hit) == 1, row_id
    hit[0].update(values)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def found(folder: Path) -> list[str]:
    return [str(p) for p in truth.problems(load(folder / "data", validate=False))]


def test_package_data_passes():
    assert truth.problems(load(validate=False)) == []
    assert validate.validate() == []


def test_paragraph_states():
    d = pd.Timestamp("2021-12-09")
    assert truth.paragraph_states("في التاسع من كانون الأول 2021", d, "day") == []
    assert truth.paragraph_states("في التاسع من الشهر الحالي", d, "day") == ["year 2021", "month 12"]
    assert truth.paragraph_states("يوم 19 ديسمبر 2021", d, "day") == ["day 9"]  # 19 is not 9
    assert truth.paragraph_states("عام2020", pd.Timestamp("2020-01-01"), "year") == []  # glued, as in s002 p19


@needs_corpus
def test_stated_date_finer_than_its_paragraph_fails(project):
    assert found(project) == []
    # s002 p15 gives only "the ninth of the current month": month and year are inferred
    plant(project, "milestones", "M19", date_basis="stated")
    assert any("milestones.csv" in p and "does not state the year 2021, month 12" in p for p in found(project))


@needs_corpus
def test_stated_year_absent_from_paragraph_fails(project):
    plant(project, "milestones", "M22", date_basis="stated")  # s003 p9: "31 December next", no year
    assert any("does not state the year 2021" in p for p in found(project))


def test_background_row_with_day_precision_fails(project):
    plant(project, "troop_levels", "T06", date="2021-12-09", date_precision="day")
    assert any("troop_levels.csv" in p and "background row cannot carry day precision" in p for p in found(project))


@needs_corpus
def test_expected_row_with_a_day_its_paragraph_does_not_write_fails(project):
    assert found(project) == []  # M31: "on 31 December" is written in s002 p5, so day precision stands
    plant(project, "milestones", "M35", date="2021-12-14", date_precision="day")
    assert any("expected row carries day precision" in p for p in found(project))


def test_expected_count_drawn_as_observed_fails(project):
    plant(project, "troop_levels", "T04", kind="observed")  # the announced 3,000 target
    assert any("expected count is a target" in p for p in found(project))


def test_expected_milestone_of_a_fact_kind_fails(project):
    plant(project, "milestones", "M31", kind="combat_end")  # the 31 December announcement is only planned
    assert any("would be read as done" in p for p in found(project))


def test_expected_attack_fails(project):
    plant(project, "attacks", "A01", modality="expected")
    assert any("attacks.csv" in p and "not an expected one" in p for p in found(project))


def test_expected_base_event_is_never_counted(project):
    plant(project, "base_events", "E04", modality="expected")  # K-1's handover, made a plan
    t = load(project / "data", validate=False)
    from analysis import bases

    assert "k1" not in set(bases.handed_over(t.base_events)["base_id"])


def test_finding_on_a_disputed_row_without_hedge_fails(project):
    qmd = project / "report" / "briefing.ar.qmd"
    assert found(project) == []
    # the attacks finding has no dispute today, so dropping its hedge is harmless ...
    text = qmd.read_text(encoding="utf-8")
    assert " {{< value findings.attacks.hedge >}}" in text
    qmd.write_text(text.replace(" {{< value findings.attacks.hedge >}}", ""), encoding="utf-8")
    assert found(project) == []
    # ... until one of its rows takes a side in an open conflict (the planted bad row)
    plant(project, "attacks", "A02", conflict_id="C1")
    bad = found(project)
    assert any("key finding 'attacks'" in p and "attacks:A02" in p and "C1" in p for p in bad), bad


def test_hedge_names_every_open_conflict_of_a_finding():
    t = load(validate=False)
    rows = truth.finding_rows(t)
    cr = truth.conflict_rows(t)
    for key, used in rows.items():
        text = re.sub("[\u2066-\u2069]", "", truth.hedge(t, used))  # data strings come isolated
        for cid in {c for r in used for c in cr.get(r, set())}:
            assert f"({cid})" in text, (key, cid)
    assert "C7" in truth.hedge(t, rows["combat_end"])  # 9 December vs 31 December


def test_derived_numbers_keep_the_precision_of_their_inputs():
    t = load(validate=False)
    values = report.variables(t)
    assert truth.printed_problems(values, t) == []
    assert "." not in values["troops"]["cut_peak_pct"] and values["troops"]["cut_peak_pct"].startswith("نحو")
    # the old formatting, a decimal from "about 2,500" and an undated peak, fails
    planted = {**values, "troops": {**values["troops"], "cut_peak_pct": report.pct(98.53)}}
    assert any("troops.cut_peak_pct" in p for p in truth.printed_problems(planted, t))
    planted = {**values, "troops": {**values["troops"], "cut_since": "2,700"}}
    assert any("troops.cut_since" in p for p in truth.printed_problems(planted, t))


def test_day_count_from_a_date_not_known_to_the_day_fails(project):
    plant(project, "milestones", "M19", date="2021-12-01", date_precision="month")
    t = load(project / "data", validate=False)
    values = {"milestones": {"days_before_deadline": "30 يوماً"}}
    assert any("not dated to the day" in p for p in truth.printed_problems(values, t))


def test_uncovered_years_come_from_the_data(project):
    t = load(validate=False)
    assert (2022, 2022) in truth.uncovered_spans(t, 2021, 2026) and (2025, 2025) in truth.uncovered_spans(t, 2021, 2026)
    plant(project, "attacks", "A09", date="2022-08-01")  # a row dated 2022: the year is covered
    assert (2022, 2022) not in truth.uncovered_spans(load(project / "data", validate=False), 2021, 2026)


@needs_corpus
def test_the_audited_rows_fail_on_the_data_before_issue_8(tmp_path, monkeypatch):
    """The checks would have caught the rows issue 8 found (the data as it was, from git)."""
    old = tmp_path / "data"
    old.mkdir()
    try:
        names = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", "821a060", "data/"],
                               capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git history not available")
    for name in names:
        blob = subprocess.run(["git", "-C", str(ROOT), "show", f"821a060:{name}"], capture_output=True, check=True).stdout
        (tmp_path / name).write_bytes(blob)
    monkeypatch.setenv("ANALYSIS_CORPUS", str(CORPUS))
    bad = [str(p) for p in truth.problems(load(old, validate=False))]
    lines = {p.split(":")[1] for p in bad if p.startswith("milestones.csv")}
    ms = pd.read_csv(old / "milestones.csv", dtype=str)
    line_of = {m: str(i + 2) for i, m in enumerate(ms["milestone_id"])}
    assert line_of["M19"] in lines and line_of["M22"] in lines, bad
