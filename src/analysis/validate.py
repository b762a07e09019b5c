"""Check a data folder: the Frictionless schema first, then what a schema cannot say.

Every problem names file, row (the file's line number, header = 1) and field, so that
`python -m analysis validate` prints lines like `attacks.csv:4: injured: ...`.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import unicodedata
from pathlib import Path

from . import geo, truth
from .anchors import ANCHORS
from .errors import DataValidationError, Problem
from .package import DESCRIPTOR, Package, Tables, not_a_plain_name, typed

__all__ = ["Problem", "DataValidationError", "validate", "REQUIRE_CORPUS_ENV"]

#: Set to 1 to make a missing source corpus a validation error (as `validate --require-corpus`, which CI runs).
REQUIRE_CORPUS_ENV = "ANALYSIS_REQUIRE_CORPUS"
#: The longest text a cell may hold: a note, not a document.
MAX_CELL = 4000

def id_field(package: Package, table: str) -> str:
    """A table's id column: its primary key in the descriptor (the one place it is written)."""
    key = package.resources[table]["schema"].get("primaryKey")
    return key[0] if isinstance(key, list) else key



def _read_text(path: Path, problems: list[Problem]) -> str | None:
    name = path.name
    if not path.is_file():
        problems.append(Problem(name, 0, "", "file is missing"))
        return None
    raw = path.read_bytes()
    if not raw.strip():
        problems.append(Problem(name, 0, "", "file is empty"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(Problem(name, line, "", f"not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start})"))
        return None


#: Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt): characters a
#: renderer draws as nothing whatever their category (combining grapheme joiner, Hangul fillers,
#: variation selectors, Mongolian and Khmer invisibles, tags...).  Python's unicodedata lacks the
#: property, so the ranges are written here.
_IGNORABLE = ((0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
              (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
              (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
              (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF))
#: Zero-width non-joiner and joiner: invisible, but Arabic and Persian spelling uses them.
_ALLOWED_INVISIBLE = frozenset("\u200c\u200d")
#: Spaces a cell may hold: the plain space and those the briefing's typography uses on purpose
#: (md_escape keeps them): the no-break space U+00A0 ("2,500 جندي" on one line), the narrow
#: no-break space U+202F and the thin space U+2009.  Every other space separator (ideographic,
#: Ogham, em, hair...) looks like a space on the page but is another value.
_SPACES = frozenset(" \u00a0\u2009\u202f")
#: Symbols drawn as nothing or as an empty box: the braille blank and the object replacement
#: character (what is left where an embedded object was lost in a copy).
_BLANK_SYMBOLS = frozenset("\u2800\ufffc")
_INVISIBLE = re.compile("[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _IGNORABLE) + "]")


def _bad_char(text: str) -> str | None:
    """The first character no data text may hold, as U+XXXX and its name: controls (NUL, escape,
    tab...), bidi overrides/embeddings/isolates and marks, other format characters, and every
    other default-ignorable (invisible) code point, blank-looking symbols (_BLANK_SYMBOLS) and
    spaces other than _SPACES; zero-width joiner and non-joiner, which Arabic and Persian
    spelling use, are allowed."""
    for ch in text:
        if ch == "\n" or ch in _ALLOWED_INVISIBLE:
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"
        if _INVISIBLE.match(ch) or ch in _BLANK_SYMBOLS:
            return f"U+{ord(ch):04X} {unicodedata.name(ch, 'invisible character')}"
        if unicodedata.category(ch) == "Zs" and ch not in _SPACES:
            return f"U+{ord(ch):04X} {unicodedata.name(ch, 'space')}, a space that is not a plain one"
    return None


#: How a number cell is written: plain Latin digits, a minus where negative, no plus sign, no
#: leading zero and no exponent (05000, +5000 and 3.378e1 are read as numbers by frictionless,
#: but a contributor who wrote one meant something else, or nothing).
_NUMBER = {"integer": re.compile(r"0|-?[1-9][0-9]*"), "number": re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # frictionless reads 2014-1-1 as a date too


def _shown(cell: str) -> str:
    return repr(cell if len(cell) <= 40 else cell[:37] + "...")


def _decomposed(cell: str) -> str:
    """The first stretch of a cell that NFC would change, as code points and what NFC makes of it."""
    end = next((j for j in range(1, len(cell) + 1) if not unicodedata.is_normalized("NFC", cell[:j])), len(cell))
    start = next((k for k in range(end - 1, -1, -1) if unicodedata.combining(cell[k]) == 0), 0)
    if start == end - 1 and start and unicodedata.decomposition(cell[start]) == "":
        start -= 1  # a starter that composes with the one before it (Hangul jamo)
    part = cell[start:end]
    return " ".join(f"U+{ord(c):04X}" for c in part) + " should be " + \
        " ".join(f"U+{ord(c):04X}" for c in unicodedata.normalize("NFC", part))


def _check_cells(file: str, fields: list[dict], rows: list[list[str]], lines: list[int], problems: list[Problem]) -> None:
    """What frictionless lets through or words obscurely: line breaks, invisible and control
    characters, runaway cells, numbers that are not plain Latin-digit numbers (NaN, infinity,
    ٥٠٠٠).  `lines` holds the file line each row starts on."""
    kinds = [f["type"] for f in fields]
    names = [f["name"] for f in fields]
    for line, row in zip(lines[1:], rows[1:], strict=True):
        for i, cell in enumerate(row):
            field = names[i] if i < len(names) else f"column {i + 1}"
            bad = _bad_char(cell)
            if "\n" in cell or "\r" in cell:
                problems.append(Problem(file, line, field, f"{_shown(cell)} holds a line break; a cell is one line "
                                        "(the briefing and the row numbers of every message count file lines)"))
            elif bad:
                problems.append(Problem(file, line, field, f"contains an invisible or control character ({bad}); remove it"))
            elif len(cell) > MAX_CELL:
                problems.append(Problem(file, line, field, f"{len(cell):,} characters long; a cell holds at most {MAX_CELL:,}"))
            elif cell != cell.strip():
                problems.append(Problem(file, line, field, f"{_shown(cell)} has a space at its start or end; remove it "
                                        "(it looks the same on the page but is another value)"))
            elif not unicodedata.is_normalized("NFC", cell):
                problems.append(Problem(file, line, field, f"{_shown(cell)} is not in Unicode's composed form (NFC): "
                                        f"{_decomposed(cell)}; it looks the same on the page but is another value"))
            elif i < len(kinds) and kinds[i] in _NUMBER and cell and not _NUMBER[kinds[i]].fullmatch(cell):
                what = "a whole number" if kinds[i] == "integer" else "a number"
                problems.append(Problem(file, line, field, f"{cell[:40]!r} is not {what} written in Latin digits (0-9), "
                                        "plainly: no plus sign, no leading zero, no exponent"))
            elif i < len(kinds) and kinds[i] == "date" and cell and not _DATE.fullmatch(cell):
                problems.append(Problem(file, line, field, f"{cell[:40]!r} is not a date written YYYY-MM-DD"))


_JSON_KIND = {list: "a list", dict: "an object", int: "a number", float: "a number", bool: "true or false",
              type(None): "null"}
#: The languages every display label is written in (the briefing is Arabic, its twin English).
LABEL_LANGS = ("ar", "en")


def _label_problems(field: dict, where: str, table: str) -> list[Problem]:
    """A field's display labels: an object giving, for each value of its enum, a non-empty text
    in every language of LABEL_LANGS (figures and the briefing print them as they are)."""
    if "labels" not in field:
        return []
    labels, where = field["labels"], f"{where}.labels"
    name = f"{table}.{field['name']}"
    if not isinstance(labels, dict):
        return [Problem(DESCRIPTOR, 0, where, f"{name}: display labels must be an object of value -> {{ar, en}} texts")]
    out = []
    enum = field.get("constraints", {}).get("enum") if isinstance(field.get("constraints"), dict) else None
    if isinstance(enum, list):
        for value in enum:
            if str(value) not in labels:
                out.append(Problem(DESCRIPTOR, 0, f"{where}.{value}", f"{name}: value {str(value)!r} has no display label"))
    for value, texts in labels.items():
        if isinstance(enum, list) and value not in map(str, enum):
            out.append(Problem(DESCRIPTOR, 0, f"{where}.{value}", f"{name}: {value!r} is not one of its values"))
        if not isinstance(texts, dict):
            out.append(Problem(DESCRIPTOR, 0, f"{where}.{value}",
                               f"{name}: the label of {value!r} must be an object with a text for each of {', '.join(LABEL_LANGS)}"))
            continue
        for lang in LABEL_LANGS:
            text = texts.get(lang)
            if lang not in texts:
                out.append(Problem(DESCRIPTOR, 0, f"{where}.{value}.{lang}", f"{name}: the label of {value!r} has no {lang} text"))
            elif not isinstance(text, str):
                out.append(Problem(DESCRIPTOR, 0, f"{where}.{value}.{lang}", f"{name}: the {lang} label of {value!r} must be "
                                   f"text, not {_JSON_KIND.get(type(text), 'a value')} ({json.dumps(text)[:40]})"))
            elif not text.strip():
                out.append(Problem(DESCRIPTOR, 0, f"{where}.{value}.{lang}", f"{name}: the {lang} label of {value!r} is empty"))
    return out


def _json(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _constraint_problem(name: str, value, kind: str) -> str | None:
    """What is wrong with one constraint of a field of type `kind` (None when nothing is): the
    kind of value it takes, and a pattern Python can compile (frictionless would raise)."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if name in _BOUNDS:
        if kind in ("integer", "number"):
            if not number:
                return f"{name} {_json(value)} is not a number"
            if kind == "integer" and value != int(value):
                return f"{name} {_json(value)} is not a whole number, as the field's values are"
        elif kind == "date":
            import datetime as dt

            try:
                if not (isinstance(value, str) and _DATE.fullmatch(value)):
                    raise ValueError
                dt.date.fromisoformat(value)
            except ValueError:
                return f"{name} {_json(value)} is not a date written YYYY-MM-DD"
        else:
            return f"{name} applies to numbers and dates, not to a field of type {kind}"
    elif name in ("minLength", "maxLength"):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return f"{name} {_json(value)} is not a whole number of characters (0 or more)"
    elif name == "pattern":
        if not isinstance(value, str):
            return f"pattern {_json(value)} is not text"
        try:
            re.compile(value)
        except re.error as err:
            return f"pattern {_json(value)} is not a valid regular expression ({err.msg})"
    elif name == "enum":
        if not isinstance(value, list) or not value:
            return f"enum {_json(value)} is not a list of the field's values"
    elif name in ("required", "unique"):
        if not isinstance(value, bool):
            return f"{name} {_json(value)} is not true or false"
    return None


def _constraints_problems(field: dict, where: str) -> list[Problem]:
    """A field's constraints as the validator and frictionless read them: an object whose values
    are of the kind each constraint takes (a minimum of "abc" made frictionless raise)."""
    if "constraints" not in field:
        return []
    constraints = field["constraints"]
    if not isinstance(constraints, dict):
        return [Problem(DESCRIPTOR, 0, where, f"constraints must be an object (required, minimum, pattern...), "
                        f"not {_JSON_KIND.get(type(constraints), 'a value')} ({_json(constraints)})")]
    out = []
    for name, value in constraints.items():
        why = _constraint_problem(name, value, field["type"])
        if why:
            out.append(Problem(DESCRIPTOR, 0, where, why))
    return out


def _descriptor_problems(package: Package) -> list[Problem]:
    """The descriptor is data too: its shape, the safety of every resource path, and its text."""
    d = package.descriptor
    if not isinstance(d, dict) or not isinstance(d.get("resources"), list) or not d["resources"]:
        return [Problem(DESCRIPTOR, 0, "resources", "the descriptor must be an object with a non-empty list of resources")]
    out = []
    root = os.path.abspath(package.root)
    named: dict[str, int] = {}
    for i, r in enumerate(d["resources"]):
        where = f"resources[{i}]"
        if not isinstance(r, dict) or not isinstance(r.get("name"), str) or not isinstance(r.get("path"), str):
            out.append(Problem(DESCRIPTOR, 0, where, "each resource needs a name and a path"))
            continue
        if r["name"] in named:  # the tables are looked up by name: the second would hide the first
            out.append(Problem(DESCRIPTOR, 0, f"{where}.name", f"{r['name'][:40]!r} names more than one resource "
                               f"(also resources[{named[r['name']]}]); each table needs a name of its own"))
        named.setdefault(r["name"], i)
        path = r["path"]
        target = os.path.abspath(os.path.join(root, path))
        if (os.path.isabs(path) or ".." in Path(path).parts or os.path.commonpath([root, target]) != root
                or (os.path.exists(target) and os.path.commonpath([os.path.realpath(root), os.path.realpath(target)]) != os.path.realpath(root))):
            out.append(Problem(DESCRIPTOR, 0, f"{where}.path", f"{path[:80]!r} points outside the data folder; it is not read"))
        schema = r.get("schema")
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) or not all(
                isinstance(f, dict) and isinstance(f.get("name"), str) and isinstance(f.get("type"), str) for f in schema["fields"]):
            out.append(Problem(DESCRIPTOR, 0, f"{where}.schema", "needs a list of fields, each with a name and a type"))
            continue
        seen_fields = set()
        for j, f in enumerate(schema["fields"]):
            if f["name"] in seen_fields:
                out.append(Problem(DESCRIPTOR, 0, f"{where}.schema.fields[{j}].name",
                                   f"{r['name']}.{f['name']} is described more than once"))
            seen_fields.add(f["name"])
            out += _constraints_problems(f, f"resources[{r['name']}].{f['name']}")
            out += _label_problems(f, f"{where}.schema.fields[{j}]", r["name"])

    # Every string in it, walked without recursion (however deep the JSON nests).
    stack = [(d, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            bad = _bad_char(node)
            if bad:
                out.append(Problem(DESCRIPTOR, 0, where, f"contains an invisible or control character ({bad}); remove it"))
        elif isinstance(node, dict):
            for k, v in reversed(node.items()):
                stack.append((v, f"{where}.{k}" if where else str(k)))
                stack.append((k, where))
        elif isinstance(node, list):
            stack.extend((v, f"{where}[{j}]") for j, v in reversed(list(enumerate(node))))
    return out


def _check_file(package: Package, name: str, problems: list[Problem]) -> list[list[str]] | None:
    """Encoding, emptiness, header and cells of one table; its rows when those are sound."""
    path = package.path(name)
    text = _read_text(path, problems)
    if text is None:
        return None
    csv.field_size_limit(2**31 - 1)  # a runaway cell is reported with its row and field below
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    # Each row with the file line it starts on: a quoted cell may span lines, and every message
    # names the line an editor shows, not the record's number.
    rows, lines, end = [], [], 0
    try:
        for row in reader:
            lines.append(end + 1)
            end = reader.line_num
            rows.append(row)
    except csv.Error as err:
        problems.append(Problem(path.name, reader.line_num, "", f"not readable as CSV: {err}"))
        return None
    while len(rows) > 1 and rows[-1] == []:  # blank lines at the end of a file are no rows
        rows.pop()
        lines.pop()
    if not rows or not any(cell.strip() for cell in rows[0]):
        problems.append(Problem(path.name, 1, "", "no header row"))
        return None
    header, expected = rows[0], [f["name"] for f in package.fields(name)]
    before = len(problems)
    for col in expected:
        if col not in header:
            problems.append(Problem(path.name, 1, col, "missing column"))
    for col in header:
        if col not in expected:
            problems.append(Problem(path.name, 1, col or "(blank)", "unknown column"))
        elif header.count(col) > 1:
            problems.append(Problem(path.name, 1, col, "duplicate column"))
    if len(problems) == before and header != expected:
        problems.append(Problem(path.name, 1, "", f"columns out of order; expected {', '.join(expected)}"))
    if len(rows) < 2:
        problems.append(Problem(path.name, 1, "", "file has a header but no rows"))
    header_ok = len(problems) == before
    for line, row in zip(lines[1:], rows[1:], strict=True):
        if not row:
            problems.append(Problem(path.name, line, "", "blank line"))
        elif header_ok and len(row) != len(header):  # once per row, before frictionless words it per cell
            problems.append(Problem(path.name, line, "", f"row {line} has {len(row)} cells, the header has {len(header)}"))
    if len(problems) == before:
        _check_cells(path.name, package.fields(name), rows, lines, problems)
    # The rows of a sound file are its lines (no cell holds a line break), as frictionless and
    # the later checks number them.
    return rows if len(problems) == before else None


#: How many groups of repeated rows a file reports one by one; one more line counts the rest.
MAX_REPEATS_SHOWN = 5


def _rows_list(lines: list[int]) -> str:
    return ", ".join(map(str, lines[:5])) + (", ..." if len(lines) > 5 else "")


def _repeated_rows(package: Package, name: str, rows: list[list[str]]) -> list[Problem]:
    """Rows identical to an earlier row in every field but the table's key (its primaryKey in the
    descriptor): one fact recorded twice under new ids is counted twice.  Said once per original
    row, at its first repeat with both ids (10,000 copies are one line); past MAX_REPEATS_SHOWN
    originals, one line counts the rest."""
    file = package.path(name).name
    header = rows[0]
    key = package.resources[name]["schema"].get("primaryKey") or []
    key = [key] if isinstance(key, str) else list(key)
    keyed = [i for i, col in enumerate(header) if col in key]
    rest = [i for i in range(len(header)) if i not in keyed]
    field = id_field(package, name) or ""
    first: dict[tuple, tuple[int, str]] = {}
    groups: dict[int, list[tuple[int, str]]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            continue  # a short or long row is reported by frictionless
        body = tuple(row[i] for i in rest)
        ids = "/".join(row[i] for i in keyed)
        if body not in first:
            first[body] = (line, ids)
        elif first[body][1] != ids:  # the same id as well is a primary-key problem
            groups.setdefault(first[body][0], []).append((line, ids))
    ids_at = {line: ids for line, ids in first.values()}
    out = []
    for orig, copies in sorted(groups.items())[:MAX_REPEATS_SHOWN]:
        line, ids = copies[0]
        more = [c[0] for c in copies[1:]]
        out.append(Problem(file, line, field, f"{ids!r} repeats row {orig} ({ids_at[orig]!r}) in every field but its id"
                           + (f", and so do {len(more):,} more rows ({_rows_list(more)})" if more else "")
                           + ": one fact recorded twice is counted twice; remove the copy or make the rows differ"))
    rest_groups = sorted(groups.items())[MAX_REPEATS_SHOWN:]
    if rest_groups:
        lines = sorted(line for _, copies in rest_groups for line, _ in copies)
        out.append(Problem(file, lines[0], field, f"{len(lines):,} more rows repeat {len(rest_groups):,} other "
                           f"rows in every field but their id (rows {_rows_list(lines)})"))
    return out


def _as_list(fields) -> list[str]:
    return [fields] if isinstance(fields, str) else list(fields or [])


def _foreign_keys(package: Package, rows: dict[str, list[list[str]]]) -> list[Problem]:
    """Each foreign key of the descriptor: a value (not empty) the referenced table's key does
    not hold, named by file line and field.  Checked from the rows already read: frictionless
    read every referenced table again for each table pointing at it (0.6 s of a 1 s check)."""
    out = []

    def values(name, fields):
        table = rows.get(name) or [[]]
        header = table[0]
        if any(f not in header for f in fields):
            return None
        at = [header.index(f) for f in fields]
        return [(line, tuple(row[i] if i < len(row) else "" for i in at))
                for line, row in enumerate(table, start=1) if line > 1 and row]

    for name in package.resources:
        for fk in package.resources[name].get("schema", {}).get("foreignKeys", []) or []:
            fields = _as_list(fk.get("fields"))
            ref = fk.get("reference") or {}
            target = ref.get("resource") or name
            ref_fields = _as_list(ref.get("fields"))
            mine, theirs = values(name, fields), values(target, ref_fields)
            if mine is None or theirs is None or target not in package.resources:
                continue
            known = {v for _, v in theirs}
            for line, value in mine:
                if all(v == "" for v in value) or value in known:
                    continue
                shown = value[0] if len(value) == 1 else value
                out.append(Problem(package.path(name).name, line, fields[0],
                                   f"unknown {fields[0].replace('_id', '')} id: {shown!r} is not a "
                                   f"{'/'.join(ref_fields)} in {package.path(target).name}"))
    return out


def _frictionless(package: Package, names: list[str], last_row: dict[str, int]) -> list[Problem]:
    from frictionless import Dialect, Resource
    from frictionless import Package as FPackage
    from frictionless.formats import CsvControl

    problems = []
    descriptors = []
    for name in names:
        desc = dict(package.resources[name])  # foreign keys: _foreign_keys, from the rows read once
        desc["schema"] = {k: v for k, v in desc["schema"].items() if k != "foreignKeys"}
        descriptors.append(desc)
    dialect = Dialect(header_rows=[1], controls=[CsvControl(delimiter=",", quote_char='"')])
    resources = [Resource(d, basepath=str(package.root), dialect=dialect.to_copy()) for d in descriptors]
    report = FPackage(resources=resources, basepath=str(package.root)).validate()
    for task in report.tasks:
        file = Path(task.place).name if task.place else task.name
        fields = {f["name"]: f for f in package.fields(task.name)} if task.name in package.resources else {}
        for err in task.errors:
            row = getattr(err, "row_number", None) or 0
            if err.type == "blank-row" or row > last_row.get(file, row):
                continue  # blank lines are reported (or, at the end of a file, accepted) by _check_file
            field = getattr(err, "field_name", None) or ""
            cell = getattr(err, "cell", None)
            if err.type == "foreign-key":
                field = err.note.split('"')[1] if '"' in err.note else field
                problems.append(Problem(file, row, field, f"unknown {field.replace('_id', '')} id: {err.note}"))
            elif err.type == "primary-key":
                key = id_field(package, task.name)
                m = re.search(r"position (\d+)", err.note or "")
                if m:
                    problems.append(Problem(file, row, key if isinstance(key, str) else "", f"repeats the id in row {m.group(1)}"))
                # an empty key is reported as a required field below
            elif cell is not None:
                problems.append(Problem(file, row, field, _plain(err, cell, fields.get(field, {}))))
            else:
                problems.append(Problem(file, row, field, err.note or err.message))
    return problems


_HINT = {"date": "a date written YYYY-MM-DD", "integer": "a whole number", "number": "a number",
         "boolean": "true or false", "string": "text"}


def _plain(err, cell, field: dict) -> str:
    """A frictionless cell error in plain words ('type is "date/default"' -> 'is not a date ...')."""
    shown = repr(cell if len(str(cell)) <= 60 else str(cell)[:57] + "...")
    if err.type == "type-error":
        return f"{shown} is not {_HINT.get(field.get('type'), 'of type ' + str(field.get('type')))}"
    if err.type == "constraint-error":
        c = field.get("constraints", {})
        m = re.match(r'constraint "(\w+)"', err.note or "")
        name = m.group(1) if m else ""
        if name == "required":
            return "is required but empty"
        if name == "minimum":
            return f"{shown} is below the smallest believable value, {c.get('minimum')}"
        if name == "maximum":
            return f"{shown} is above the largest believable value, {c.get('maximum')}"
        if name == "enum":
            return f"{shown} is not one of: {', '.join(map(str, c.get('enum', [])))}"
        if name == "unique":
            return f"{shown} appears more than once; it must be unique"
        if name in ("maxLength", "minLength", "pattern"):
            return f"{shown} breaks the {name} rule ({c.get(name)})"
    if err.type == "unique-error":
        return f"{shown} appears more than once; it must be unique"
    return f"{shown}: {err.note}"


def _window(date, precision):
    import pandas as pd

    if precision == "year":
        return date, date + pd.offsets.YearEnd(0)
    if precision == "month":
        return date, date + pd.offsets.MonthEnd(0)
    return date, date


def _semantic(t: Tables, corpus: bool) -> list[Problem]:
    """Checks across rows and tables that a Table Schema cannot express."""
    import pandas as pd

    p: list[Problem] = []
    pkg = t.package
    file = {name: pkg.path(name).name for name in t}

    def rows(name):
        return ((i + 2, r) for i, r in enumerate(t[name].itertuples(index=False)))

    # Dates agree with their stated precision and order.
    for name, frame in t.items():
        if "date" not in frame:
            continue
        for line, r in rows(name):
            d, prec = r.date, r.date_precision
            if prec == "unknown":
                if not pd.isna(d):
                    p.append(Problem(file[name], line, "date", "a date is given but date_precision is 'unknown'"))
                continue
            if pd.isna(d):
                p.append(Problem(file[name], line, "date", f"missing date for precision {prec!r}"))
                continue
            if prec in ("month", "year") and d.day != 1 or prec == "year" and d.month != 1:
                p.append(Problem(file[name], line, "date", f"{d.date()} is not the first day of its {prec}"))
            end = getattr(r, "date_end", pd.NaT)
            if not pd.isna(end) and end < d:
                p.append(Problem(file[name], line, "date_end", f"{end.date()} is before date {d.date()}"))
            if r.date_basis == "inferred" and pd.isna(r.date_note):
                p.append(Problem(file[name], line, "date_note", "an inferred date needs its reason"))

    src = t["sources"].set_index("source_id")
    # No fact is dated after the article that states it could have been written, unless the
    # article gives it as expected or planned (a deadline, a target, a future withdrawal).
    for name, frame in t.items():
        if "date" not in frame or "source_id" not in frame:
            continue
        for line, r in rows(name):
            if pd.isna(r.date) or r.source_id not in src.index:
                continue
            expected = (getattr(r, "modality", None) == "expected" or getattr(r, "kind", None) in ("target", "deadline"))
            latest = src.at[r.source_id, "date_latest"]
            if not expected and not pd.isna(latest) and r.date > latest:
                p.append(Problem(file[name], line, "date", f"{r.date.date()} is after {r.source_id} was written "
                                 f"(by {latest.date()}); a later date needs modality 'expected'"))
    for line, r in rows("sources"):
        if r.date_earliest > r.date_latest:
            p.append(Problem(file["sources"], line, "date_latest", "before date_earliest"))
        lo, hi = _window(r.published, r.date_precision)
        if hi < r.date_earliest or lo > r.date_latest:
            p.append(Problem(file["sources"], line, "published", "outside date_earliest..date_latest"))

    # Citations: paragraph within the article, needle inside that paragraph, file hashes.
    # A source `file` is a plain name inside the corpus folder, refused before anything is read:
    # a path elsewhere would make the validator read (and count lines of) any file on the machine.
    unsafe = set()
    for line, r in rows("sources"):
        why = not_a_plain_name(str(r.file))
        if why:
            unsafe.add(line)
            p.append(Problem(file["sources"], line, "file", f"{_shown(str(r.file))} {why}; give the article's file "
                             "name inside the corpus folder (it is not read)"))
    texts = {}
    if corpus and pkg.corpus is not None:
        for line, r in rows("sources"):
            if line in unsafe:
                continue
            path = pkg.corpus_file(str(r.file))
            if path is None:
                p.append(Problem(file["sources"], line, "file", f"{_shown(str(r.file))} is a link out of the corpus "
                                 "folder; it is not read"))
                continue
            if not path.is_file():
                p.append(Problem(file["sources"], line, "file", f"not found in corpus {pkg.corpus}"))
                continue
            raw = path.read_bytes()
            if hashlib.sha256(raw).hexdigest() != r.sha256:
                p.append(Problem(file["sources"], line, "sha256", f"does not match {r.file}"))
            paras = [s.strip() for s in raw.decode("utf-8").splitlines() if s.strip()]
            if len(paras) != r.paragraphs:
                p.append(Problem(file["sources"], line, "paragraphs", f"{r.paragraphs} given, {r.file} has {len(paras)}"))
            texts[r.source_id] = paras
    for name, frame in t.items():
        if "needle" not in frame:
            continue
        for line, r in rows(name):
            if r.source_id not in src.index:
                continue  # reported as a foreign-key problem
            if r.paragraph > src.at[r.source_id, "paragraphs"]:
                p.append(Problem(file[name], line, "paragraph", f"{r.source_id} has only {src.at[r.source_id, 'paragraphs']} paragraphs"))
            elif r.source_id in texts and r.needle not in texts[r.source_id][r.paragraph - 1]:
                p.append(Problem(file[name], line, "needle", f"{r.needle!r} not found in {r.source_id} paragraph {r.paragraph}"))

    # A base cannot be handed over before foreign forces first used it.
    ev = t["base_events"]
    for line, r in rows("base_events"):
        if r.state != "handed_over" or pd.isna(r.date):
            continue
        first = ev[(ev.base_id == r.base_id) & (ev.state == "presence")].date.min()
        if not pd.isna(first) and _window(r.date, r.date_precision)[1] < first:
            p.append(Problem(file["base_events"], line, "date", f"{r.base_id} handed over before it was first used ({first.date()})"))

    for line, r in rows("attacks"):
        parts = [x for x in (r.injured_military, r.injured_contractors) if not pd.isna(x)]
        if parts and not pd.isna(r.injured) and sum(parts) > r.injured:
            p.append(Problem(file["attacks"], line, "injured", f"total {r.injured} is less than its parts ({' + '.join(map(str, parts))})"))
        if pd.isna(r.base_id) and pd.isna(r.target_en):
            p.append(Problem(file["attacks"], line, "base_id", "neither a base nor a target is given"))

    for line, r in rows("troop_levels"):
        if (r.area == "base") != (not pd.isna(r.base_id)):
            p.append(Problem(file["troop_levels"], line, "base_id", "base_id is required exactly when area is 'base'"))

    claims = t["claims"]
    for line, r in rows("conflicts"):
        mine = claims[claims.conflict_id == r.conflict_id]
        if mine.source_id.nunique() < 2 or mine.value.nunique() < 2:
            p.append(Problem(file["conflicts"], line, "conflict_id", "a conflict needs claims with different values from at least two sources"))
        if not pd.isna(r.subject_id) and r.subject_id not in set(t[r.subject_table][id_field(pkg, r.subject_table)]):
            p.append(Problem(file["conflicts"], line, "subject_id", f"{r.subject_id!r} not found in {r.subject_table}"))
    for line, r in rows("citations"):
        if r.record_id not in set(t[r.record_table][id_field(pkg, r.record_table)]):
            p.append(Problem(file["citations"], line, "record_id", f"{r.record_id!r} not found in {r.record_table}"))
        if not pd.isna(r.field) and r.field not in t[r.record_table]:
            p.append(Problem(file["citations"], line, "field", f"{r.record_table} has no field {r.field!r}"))
    # Ids that are link anchors in the briefing: the anchor keeps letters, digits, - and _ only,
    # so two ids differing in anything else (C1, C1!) would make one label twice, which typst
    # refuses after the data had validated.  The descriptor's patterns keep ids plain; this
    # holds whatever a pattern allows.
    for name, (col, anchor) in ANCHORS.items():
        seen: dict[str, tuple[int, str]] = {}
        for line, r in rows(name):
            rid = str(getattr(r, col))
            if anchor(rid) in seen:
                first_line, first = seen[anchor(rid)]
                p.append(Problem(file[name], line, col, f"{rid!r} makes the same link anchor in the briefing as "
                                 f"{first!r} (row {first_line}); ids must differ in their letters, digits, - or _, "
                                 "the only characters an anchor keeps"))
            else:
                seen[anchor(rid)] = (line, rid)
    p += geo.problems(t)  # places, areas and boundaries (analysis.geo)
    p += truth.problems(t)  # rows stronger or more precise than their source (analysis.truth)
    return p


def validate(data_dir=None, *, corpus: bool = True, require_corpus: bool | None = None) -> list[Problem]:
    """All problems in a data folder, sorted; an empty list means valid.

    `require_corpus` (default: env ANALYSIS_REQUIRE_CORPUS) makes a missing source corpus a problem
    instead of a skipped check.  Nothing is remembered between calls: load the data once and pass
    the tables on (the command line does)."""
    from .memo import build

    with build():  # the semantic checks ask the same questions of the tables (the findings twice)
        return _validate(data_dir, corpus=corpus, require_corpus=require_corpus)


def _first_per_place(problems: list[Problem]) -> list[Problem]:
    """One problem per file, row and field (the first found), so a fault is said once."""
    seen, out = set(), []
    for p in problems:
        if (p.file, p.row, p.field) not in seen:
            seen.add((p.file, p.row, p.field))
            out.append(p)
    return sorted(out)


def corpus_required(require_corpus: bool | None = None) -> bool:
    if require_corpus is not None:
        return require_corpus
    return os.environ.get(REQUIRE_CORPUS_ENV, "").strip() not in ("", "0")


def _validate(data_dir=None, *, corpus: bool = True, require_corpus: bool | None = None) -> list[Problem]:
    problems: list[Problem] = []
    package = Package.at(data_dir)
    try:
        package.descriptor  # noqa: B018 -- reading it is the check
    except FileNotFoundError:
        return [Problem(DESCRIPTOR, 0, "", f"not found in {package.root}")]
    except OSError as err:
        return [Problem(DESCRIPTOR, 0, "", f"cannot be read: {err.strerror or err}")]
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        return [Problem(DESCRIPTOR, 0, "", f"is not valid JSON: {err}")]
    except ValueError as err:  # read but unusable (nested too deeply)
        return [Problem(DESCRIPTOR, 0, "", str(err))]
    problems = _descriptor_problems(package)
    if problems:
        return _first_per_place(problems)
    if corpus and package.corpus is None and corpus_required(require_corpus):
        return [Problem(DESCRIPTOR, 0, "corpus", f"the source corpus is required ({REQUIRE_CORPUS_ENV}=1) but "
                        f"{package.corpus_path} holds no articles; set ANALYSIS_CORPUS to its folder")]
    rows = {name: _check_file(package, name, problems) for name in package.resources}
    good = [name for name, r in rows.items() if r is not None]
    last_row = {package.path(name).name: len(r) for name, r in rows.items() if r is not None}
    if good:
        try:
            problems += _frictionless(package, good, last_row=last_row)
        except Exception as err:  # frictionless failing on odd input is still bad input, not a crash
            problems.append(Problem(DESCRIPTOR, 0, "", f"schema check failed: {type(err).__name__}: {err}"))
        if len(good) == len(package.resources):
            problems += _foreign_keys(package, rows)
    for name in good:
        problems += _repeated_rows(package, name, rows[name])
    if problems:
        return _first_per_place(problems)
    tables = Tables({name: typed(_read(package, name), package.fields(name)) for name in package.resources})
    tables.package = package
    return _first_per_place(_semantic(tables, corpus))


def _read(package, name):
    import pandas as pd

    return pd.read_csv(package.path(name), dtype=str, keep_default_na=False, encoding="utf-8-sig")
