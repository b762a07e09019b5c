"""The validator accepts the curated data and names file, row and field for each kind of bad input."""
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis.data import DATA_DIR
from analysis.validate import DataValidationError, validate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data(tmp_path):
    """A private copy of data/ (the corpus is reached through ANALYSIS_CORPUS when present)."""
    shutil.copytree(DATA_DIR, tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def corpus_env(monkeypatch):
    corpus = analysis.data.Package.at(DATA_DIR).corpus
    if corpus:
        monkeypatch.setenv("ANALYSIS_CORPUS", str(corpus))


def edit(path: Path, old: str, new: str, count: int = 1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, startswith: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(startswith):
            return number
    raise AssertionError(startswith)


def only(problems, file, field):
    hits = [p for p in problems if p.file == file and p.field == field]
    assert hits, f"no problem for {file} {field}: {problems}"
    return hits


def test_curated_data_is_valid():
    assert validate(DATA_DIR) == []


def test_loader_types_columns_from_the_descriptor():
    t = analysis.load()
    assert set(t) == {"sources", "bases", "base_events", "troop_levels", "attacks", "milestones", "conflicts", "claims", "citations",
                      "references", "places", "areas"}
    assert str(t.troop_levels["count"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(t.attacks["date"])
    assert isinstance(t.troop_levels["counted"].dtype, pd.CategoricalDtype)
    assert list(t.troop_levels["counted"].cat.categories) == t.package.field("troop_levels", "counted")["constraints"]["enum"]
    assert str(t.bases["distance_approximate"].dtype) == "boolean"
    assert t.package.labels("base_events", "state", "ar")["handed_over"]


def test_bad_date(data):
    edit(data / "attacks.csv", "A01,2019-12-27", "A01,2019-13-27")
    (p,) = only(validate(data), "attacks.csv", "date")
    assert p.row == line_of(data / "attacks.csv", "A01,") and "2019-13-27" in p.message


def test_negative_count(data):
    edit(data / "troop_levels.csv", ",5200,false,", ",-5200,false,")
    (p,) = only(validate(data), "troop_levels.csv", "count")
    assert p.row == line_of(data / "troop_levels.csv", "T03,") and "-5200" in p.message


def test_unknown_base_id(data):
    edit(data / "base_events.csv", "E04,k1,", "E04,k9,")
    problems = only(validate(data), "base_events.csv", "base_id")
    assert problems[0].row == line_of(data / "base_events.csv", "E04,") and "k9" in problems[0].message


def test_unknown_source_id(data):
    edit(data / "milestones.csv", ",s004,6,2003,", ",s099,6,2003,")
    (p,) = only(validate(data), "milestones.csv", "source_id")
    assert p.row == line_of(data / "milestones.csv", "M01,") and "s099" in p.message


def test_duplicate_id(data):
    edit(data / "attacks.csv", "A02,2020-01-01", "A01,2020-01-01")
    problems = only(validate(data), "attacks.csv", "attack_id")
    assert problems[0].row == line_of(data / "attacks.csv", "A01,2020-01-01")


def test_missing_column(data):
    frame = pd.read_csv(data / "bases.csv", dtype=str, keep_default_na=False)
    frame.drop(columns="province_en").to_csv(data / "bases.csv", index=False)
    (p,) = only(validate(data), "bases.csv", "province_en")
    assert p.row == 1 and p.message == "missing column"


def test_file_not_utf8(data):
    path = data / "milestones.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1256"))
    (p,) = [p for p in validate(data) if p.file == "milestones.csv"]
    assert "not UTF-8" in p.message and p.row == 2


def test_empty_file(data):
    (data / "claims.csv").write_text("", encoding="utf-8")
    (p,) = [p for p in validate(data) if p.file == "claims.csv"]
    assert p.message == "file is empty"


def test_handover_before_first_use(data):
    edit(data / "base_events.csv", "E04,k1,2020-03-01", "E04,k1,2016-03-01")
    (p,) = only(validate(data), "base_events.csv", "date")
    assert p.row == line_of(data / "base_events.csv", "E04,") and "before it was first used" in p.message


def test_injured_larger_than_total(data):
    edit(data / "attacks.csv", ",7,5,2,", ",7,6,2,")
    (p,) = only(validate(data), "attacks.csv", "injured")
    assert p.row == line_of(data / "attacks.csv", "A09,") and "less than its parts" in p.message


def test_needle_missing_from_its_paragraph(data):
    if analysis.data.Package.at(data).corpus is None:
        pytest.skip("source corpus ../shared/seeds not present: needles cannot be checked")
    edit(data / "troop_levels.csv", ",s000,9,5200,", ",s000,9,5300,")
    (p,) = only(validate(data), "troop_levels.csv", "needle")
    assert p.row == line_of(data / "troop_levels.csv", "T03,") and "paragraph 9" in p.message


def test_paragraph_beyond_the_article(data):
    edit(data / "troop_levels.csv", ",s000,9,5200,", ",s000,99,5200,")
    (p,) = only(validate(data), "troop_levels.csv", "paragraph")
    assert "only 25 paragraphs" in p.message


def test_conflict_needs_two_sides(data):
    edit(data / "claims.csv", "C1b,C1,100,km", "C1b,C1,180,km")
    (p,) = only(validate(data), "conflicts.csv", "conflict_id")
    assert p.row == line_of(data / "conflicts.csv", "C1,")


def test_load_raises_one_clear_error(data):
    edit(data / "troop_levels.csv", ",5200,false,", ",-5200,false,")
    with pytest.raises(DataValidationError) as err:
        analysis.load(data)
    assert "troop_levels.csv:" in str(err.value) and "count" in str(err.value)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_valid():
    done = run_cli("validate")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("valid: 12 tables") and len(done.stdout.strip().splitlines()) == 1


def test_cli_invalid_lists_file_row_field(data, cli):
    edit(data / "attacks.csv", "A01,2019-12-27", "A01,2019-13-27")
    edit(data / "troop_levels.csv", ",5200,false,", ",-5200,false,")
    done = cli("validate", "--data", str(data))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert any(line.startswith(f"attacks.csv:{line_of(data / 'attacks.csv', 'A01,')}: date: ") for line in lines)
    assert any(line.startswith(f"troop_levels.csv:{line_of(data / 'troop_levels.csv', 'T03,')}: count: ") for line in lines)
    assert lines[-1].startswith("invalid: 2 problem(s)")


def test_a_row_repeated_under_other_ids_is_said_once_per_original(data):
    """Many copies of one row (new ids) are one line naming both ids, not one line per copy;
    every table is checked, its key read from the descriptor."""
    path = data / "citations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header, first = lines[0].split(","), lines[1]
    key = header.index("citation_id")
    copies = []
    for n in range(50):
        cells = first.split(",")
        cells[key] = f"CX{n:03d}"
        copies.append(",".join(cells))
    path.write_text("\n".join(lines + copies) + "\n", encoding="utf-8")
    (p,) = only(validate(data), "citations.csv", "citation_id")
    assert p.row == len(lines) + 1 and "CX000" in p.message and first.split(",")[key] in p.message
    assert "49 more rows" in p.message


def test_a_source_file_with_a_folder_in_it_is_refused_without_a_corpus(data, monkeypatch):
    """The file name is checked as data, corpus or not: a path is refused, never followed."""
    monkeypatch.setenv("ANALYSIS_CORPUS", str(data / "no-corpus-here"))
    name = line_of(data / "sources.csv", "s001,")
    edit(data / "sources.csv", ",001_", ",sub/001_")
    (p,) = only(validate(data), "sources.csv", "file")
    assert p.row == name and "not a file name" in p.message


def test_a_corpus_file_that_links_out_of_the_corpus_is_not_read(data, tmp_path, monkeypatch):
    """A plain name is not enough: a symlink in the corpus to a file elsewhere is refused too."""
    corpus = analysis.data.Package.at(DATA_DIR).corpus
    if corpus is None:
        pytest.skip("source corpus not present")
    mine = tmp_path / "corpus"
    shutil.copytree(corpus, mine)
    name = sorted(mine.glob("*.txt"))[0]
    outside = tmp_path / "outside.txt"
    name.rename(outside)
    name.symlink_to(outside)
    monkeypatch.setenv("ANALYSIS_CORPUS", str(mine))
    problems = [p for p in validate(data) if p.file == "sources.csv"]
    assert [p.field for p in problems] == ["file"] and "link out of the corpus" in problems[0].message, problems


def test_a_descriptor_string_with_a_variation_selector_is_refused(data):
    """The descriptor's text is data too: a default-ignorable character in a label is named."""
    edit(data / "datapackage.json", '"صواريخ"', '"صواريخ\ufe0f"')
    problems = [p for p in validate(data) if p.file == "datapackage.json"]
    assert problems and "U+FE0F" in problems[0].message and "labels" in problems[0].field, problems
