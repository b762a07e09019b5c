"""Validator variants from a hostile tester: data that passed validation and then broke the build
(an id whose link anchor collides with another's), cells that span lines, short and long rows,
descriptor constraints of the wrong kind, space-like characters, and a build date written with
leading zeros.  Every test here failed when it was written; each says what it did and what
should have happened: one plain message naming file, row and field."""
import csv
import json
import re

import pytest
from test_hostile import set_cell, set_descriptor

from analysis import config
from analysis.data import DATA_DIR
from analysis.errors import ConfigError
from analysis.validate import validate


def where(problems):
    return [(p.file, p.row, p.field) for p in problems]


def no_internals(problems):
    for p in problems:
        assert not re.search(r"Error\b|Traceback|^error:", p.message), str(p)
        assert p.message.strip() and not p.message.rstrip().endswith(":"), str(p)


def sub_all(data, pattern, new):
    for path in data.glob("*.csv"):
        path.write_text(re.sub(pattern, new, path.read_text(encoding="utf-8")), encoding="utf-8")


def field_of(d, table, name):
    for r in d["resources"]:
        if r["name"] == table:
            for f in r["schema"]["fields"]:
                if f["name"] == name:
                    return f
    raise AssertionError((table, name))


# --------------------------------------------------------------------------------------------
# 1. ids are link anchors in the briefing: an id with punctuation validated, then typst failed
#    ("label <conflict-C1> occurs multiple times": C1! lost its "!" and became C1's anchor)


def test_an_id_with_punctuation_is_refused_naming_file_row_and_field(data):
    sub_all(data, r"\bC12\b", "C1!")
    problems = validate(data)
    line = next(i for i, row in enumerate((data / "conflicts.csv").read_text(encoding="utf-8").splitlines(), 1)
                if row.startswith("C1!,"))
    assert ("conflicts.csv", line, "conflict_id") in where(problems), "\n".join(map(str, problems))
    no_internals(problems)


def test_every_record_id_has_a_plain_pattern_in_the_descriptor():
    d = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    for r in d["resources"]:
        key = r["schema"]["primaryKey"]
        key = key[0] if isinstance(key, list) else key
        assert "pattern" in field_of(d, r["name"], key).get("constraints", {}), r["name"]


def test_two_ids_whose_anchors_collide_are_reported_when_the_pattern_allows_both(data):
    set_descriptor(data, lambda d: field_of(d, "conflicts", "conflict_id")["constraints"].update(pattern="[A-Za-z][A-Za-z0-9_!]*"))
    sub_all(data, r"\bC12\b", "C1!")
    problems = validate(data)
    hits = [p for p in problems if p.file == "conflicts.csv" and p.field == "conflict_id" and "anchor" in p.message]
    assert len(hits) == 1, "\n".join(map(str, problems))
    assert "'C1!'" in hits[0].message and "'C1'" in hits[0].message


# --------------------------------------------------------------------------------------------
# 2. a line break inside a quoted cell was accepted, and rows after it were numbered as records


def test_a_line_break_inside_a_cell_is_refused(data):
    set_cell(data, "places.csv", 3, "name_en", "Ain\nal-Asad")
    problems = validate(data)
    assert where(problems) == [("places.csv", 3, "name_en")], "\n".join(map(str, problems))
    assert "line break" in problems[0].message


@pytest.mark.parametrize("brk", ["\r", "\r\n"])
def test_a_carriage_return_inside_a_quoted_cell_is_refused(data, brk):
    path = data / "places.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = next(csv.reader([lines[2]]))
    cells[next(csv.reader([lines[0]])).index("name_en")] = f'"Ain{brk}al-Asad"'
    lines[2] = ",".join(cells)  # the curated row has no commas or quotes to escape
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = validate(data)
    assert where(problems) == [("places.csv", 3, "name_en")], "\n".join(map(str, problems))


def test_rows_after_a_multi_line_cell_are_numbered_by_file_line(data):
    set_cell(data, "troop_levels.csv", 2, "note_en", "a\nb\nc\nd")  # three line breaks: records 2-5 are lines 2-8
    set_cell(data, "troop_levels.csv", 6, "note_en", "trailing ")  # record 6 starts on file line 9
    problems = validate(data)
    assert where(problems) == [("troop_levels.csv", 2, "note_en"), ("troop_levels.csv", 9, "note_en")], \
        "\n".join(map(str, problems))


# --------------------------------------------------------------------------------------------
# 3. short and long rows gave an empty message ("attacks.csv:3: conflict_id: '': ")


def test_a_short_row_says_how_many_cells_it_has(data):
    path = data / "attacks.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].count(",") + 1
    lines[2] = lines[2].rsplit(",", 1)[0]
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = validate(data)
    assert [str(p) for p in problems] == [f"attacks.csv:3: -: row 3 has {header - 1} cells, the header has {header}"]


def test_a_long_row_says_how_many_cells_it_has(data):
    path = data / "milestones.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].count(",") + 1
    lines[3] += ",extra"
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = validate(data)
    assert [str(p) for p in problems] == [f"milestones.csv:4: -: row 4 has {header + 1} cells, the header has {header}"]


# --------------------------------------------------------------------------------------------
# 4. descriptor constraints of the wrong kind leaked internals or were ignored


@pytest.mark.parametrize("table,field,name,value,words", [
    ("troop_levels", "count", "minimum", "abc", 'minimum "abc" is not a number'),
    ("troop_levels", "count", "maximum", True, "maximum true is not a number"),
    ("troop_levels", "count", "minimum", 1.5, "minimum 1.5 is not a whole number"),
    ("troop_levels", "date", "maximum", "soon", 'maximum "soon" is not a date written YYYY-MM-DD'),
    ("troop_levels", "date", "minimum", 19200101, "minimum 19200101 is not a date written YYYY-MM-DD"),
    ("troop_levels", "note_en", "pattern", "((", 'pattern "((" is not a valid regular expression'),
    ("troop_levels", "note_en", "pattern", 5, "pattern 5 is not text"),
    ("troop_levels", "note_en", "maxLength", "ten", 'maxLength "ten" is not a whole number'),
    ("troop_levels", "counted", "enum", "us", 'enum "us" is not a list'),
])
def test_a_constraint_of_the_wrong_kind_is_a_descriptor_problem(data, table, field, name, value, words):
    set_descriptor(data, lambda d: field_of(d, table, field).setdefault("constraints", {}).update({name: value}))
    problems = validate(data)
    assert where(problems) == [("datapackage.json", 0, f"resources[{table}].{field}")], "\n".join(map(str, problems))
    assert words in problems[0].message
    no_internals(problems)


def test_constraints_that_are_not_an_object_are_a_descriptor_problem(data):
    set_descriptor(data, lambda d: field_of(d, "troop_levels", "count").update(constraints=["required"]))
    problems = validate(data)
    assert where(problems) == [("datapackage.json", 0, "resources[troop_levels].count")], "\n".join(map(str, problems))
    no_internals(problems)


def test_a_resource_named_twice_is_a_descriptor_problem(data):
    def dup(d):
        d["resources"][1]["name"] = d["resources"][0]["name"]
    set_descriptor(data, dup)
    problems = validate(data)
    assert where(problems) == [("datapackage.json", 0, "resources[1].name")], "\n".join(map(str, problems))
    assert "more than one resource" in problems[0].message


def test_a_field_described_twice_is_a_descriptor_problem(data):
    def dup(d):
        fields = d["resources"][0]["schema"]["fields"]
        fields.append(dict(fields[-1]))
    set_descriptor(data, dup)
    problems = validate(data)
    assert len(problems) == 1 and problems[0].field.endswith(".name"), "\n".join(map(str, problems))
    assert "more than once" in problems[0].message


def test_a_bound_on_a_text_field_is_a_descriptor_problem(data):
    set_descriptor(data, lambda d: field_of(d, "troop_levels", "note_en").setdefault("constraints", {}).update(minimum=3))
    problems = validate(data)
    assert where(problems) == [("datapackage.json", 0, "resources[troop_levels].note_en")], "\n".join(map(str, problems))


# --------------------------------------------------------------------------------------------
# 5. characters that look like nothing or like a space were accepted


@pytest.mark.parametrize("char", ["\ufffc", "\u2800", "\u3000", "\u1680", "\u2003", "\u205f"])
def test_blank_looking_characters_are_refused_in_cells_and_descriptor(data, char):
    set_cell(data, "troop_levels.csv", 2, "note_en", f"US{char}troops")
    problems = validate(data)
    assert where(problems) == [("troop_levels.csv", 2, "note_en")], "\n".join(map(str, problems))
    assert f"U+{ord(char):04X}" in problems[0].message


@pytest.mark.parametrize("char", ["\ufffc", "\u2800", "\u3000", "\u1680"])
def test_blank_looking_characters_are_refused_in_descriptor_text(data, char):
    set_descriptor(data, lambda d: d.update(title=f"US{char}troops"))
    problems = validate(data)
    assert where(problems) == [("datapackage.json", 0, "title")], "\n".join(map(str, problems))


@pytest.mark.parametrize("char", ["\u00a0", "\u202f", "\u2009"])
def test_the_spaces_the_project_uses_are_accepted(data, char):
    set_cell(data, "troop_levels.csv", 2, "note_en", f"US{char}troops")
    assert validate(data) == []


# --------------------------------------------------------------------------------------------
# 6. SOURCE_DATE_EPOCH with leading zeros was "after the year 9999"


@pytest.mark.parametrize("value,seconds", [("00001790000000", 1790000000), ("0" * 60 + "7", 7), ("0000", 0)])
def test_a_build_date_with_leading_zeros_is_that_number(monkeypatch, value, seconds):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert config.source_date_epoch() == seconds


def test_a_build_date_past_9999_is_still_refused(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0" * 5 + "9" * 5000)
    with pytest.raises(ConfigError, match="after the year 9999"):
        config.source_date_epoch()


@pytest.mark.parametrize("file,field,value", [
    ("troop_levels.csv", "count", "+5000"),
    ("troop_levels.csv", "count", "05000"),
    ("troop_levels.csv", "count", "-0"),
    ("places.csv", "lat", "3.378e1"),
    ("places.csv", "lat", "+33.78"),
    ("places.csv", "lat", "033.78"),
    ("troop_levels.csv", "date", "2014-1-1"),
    ("troop_levels.csv", "date", "2014-01-1"),
])
def test_a_number_or_date_written_loosely_is_refused(data, file, field, value):
    """frictionless reads +5000, 05000, 3.378e1 and 2014-1-1 as numbers and dates, so they passed;
    a contributor who wrote one meant something else, or nothing.  One message, naming the cell."""
    set_cell(data, file, 3, field, value)
    problems = [p for p in validate(data) if p.file == file]
    assert where(problems)[:1] == [(file, 3, field)], [str(p) for p in problems]
    no_internals(problems)
