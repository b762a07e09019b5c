"""Check a data folder: the Frictionless schema first, then what a schema cannot say.

Every problem names file, row (the file's line number, header = 1) and field, so that
`python -m analysis validate` prints lines like `attacks.csv:4: injured: ...`.
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from . import truth
from .data import DESCRIPTOR, Package, Tables, _typed

ID_FIELD = {"sources": "source_id", "bases": "base_id", "base_events": "event_id", "troop_levels": "obs_id",
            "attacks": "attack_id", "milestones": "milestone_id", "conflicts": "conflict_id", "claims": "claim_id",
            "citations": "citation_id"}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.field or '-'}: {self.message}"


class DataValidationError(ValueError):
    """Raised by `load` on invalid data; `problems` holds one Problem per fault."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} data problem(s):\n" + "\n".join(map(str, self.problems)))


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


def _check_file(package: Package, name: str, problems: list[Problem]) -> list[list[str]] | None:
    """Encoding, emptiness and header of one table; its rows when those are sound."""
    path = package.path(name)
    text = _read_text(path, problems)
    if text is None:
        return None
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as err:
        problems.append(Problem(path.name, 0, "", f"not readable as CSV: {err}"))
        return None
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
    return rows if len(problems) == before else None


def _frictionless(package: Package, names: list[str], with_keys: bool) -> list[Problem]:
    from frictionless import Dialect, Package as FPackage, Resource
    from frictionless.formats import CsvControl

    problems = []
    descriptors = []
    for name in names:
        desc = dict(package.resources[name])
        if not with_keys:
            desc["schema"] = {k: v for k, v in desc["schema"].items() if k != "foreignKeys"}
        descriptors.append(desc)
    dialect = Dialect(header_rows=[1], controls=[CsvControl(delimiter=",", quote_char='"')])
    resources = [Resource(d, basepath=str(package.root), dialect=dialect.to_copy()) for d in descriptors]
    report = FPackage(resources=resources, basepath=str(package.root)).validate()
    for task in report.tasks:
        file = Path(task.place).name if task.place else task.name
        for err in task.errors:
            row = getattr(err, "row_number", None) or 0
            field = getattr(err, "field_name", None) or ""
            cell = getattr(err, "cell", None)
            if err.type == "foreign-key":
                field = err.note.split('"')[1] if '"' in err.note else field
                problems.append(Problem(file, row, field, f"unknown {field.replace('_id', '')} id: {err.note}"))
            elif cell is not None:
                problems.append(Problem(file, row, field, f"{cell!r}: {err.note}"))
            else:
                problems.append(Problem(file, row, field, err.note or err.message))
    return problems


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
    for line, r in rows("sources"):
        if r.date_earliest > r.date_latest:
            p.append(Problem(file["sources"], line, "date_latest", "before date_earliest"))
        lo, hi = _window(r.published, r.date_precision)
        if hi < r.date_earliest or lo > r.date_latest:
            p.append(Problem(file["sources"], line, "published", "outside date_earliest..date_latest"))

    # Citations: paragraph within the article, needle inside that paragraph, file hashes.
    texts = {}
    if corpus and pkg.corpus is not None:
        for line, r in rows("sources"):
            path = pkg.corpus / r.file
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
        if not pd.isna(r.subject_id) and r.subject_id not in set(t[r.subject_table][ID_FIELD[r.subject_table]]):
            p.append(Problem(file["conflicts"], line, "subject_id", f"{r.subject_id!r} not found in {r.subject_table}"))
    for line, r in rows("citations"):
        if r.record_id not in set(t[r.record_table][ID_FIELD[r.record_table]]):
            p.append(Problem(file["citations"], line, "record_id", f"{r.record_id!r} not found in {r.record_table}"))
        if not pd.isna(r.field) and r.field not in t[r.record_table]:
            p.append(Problem(file["citations"], line, "field", f"{r.record_table} has no field {r.field!r}"))
    p += truth.problems(t)  # rows stronger or more precise than their source (analysis.truth)
    return p


_VALID: set[tuple] = set()  # fingerprints of folders found valid in this process


def fingerprint(data_dir=None, *, corpus: bool = True) -> tuple:
    """What a validation result depends on: every data and corpus file's path and content hash."""
    package = Package.at(data_dir)
    paths = sorted(package.root.glob("*"))
    if corpus and package.corpus is not None:
        paths += sorted(package.corpus.glob("*.txt"))
    stats = tuple((str(p.resolve()), hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths if p.is_file())
    return (str(package.root.resolve()), corpus, stats)


def assume_valid(data_dir=None, *, corpus: bool = True) -> None:
    """Record that this folder, as it is now, was validated (e.g. by the Makefile's validate stage),
    so that `load` does not check it again in this process."""
    _VALID.add(fingerprint(data_dir, corpus=corpus))


def validate(data_dir=None, *, corpus: bool = True) -> list[Problem]:
    """All problems in a data folder, sorted; an empty list means valid.

    A folder found valid is remembered (by the files' content hashes) for the rest of the process,
    so loading the same data twice checks it once."""
    try:
        key = fingerprint(data_dir, corpus=corpus)
    except (OSError, ValueError, KeyError, TypeError):  # an unreadable folder: _validate says why
        key = None
    if key is not None and key in _VALID:
        return []
    problems = _validate(data_dir, corpus=corpus)
    if not problems and key is not None:
        _VALID.add(key)
    return problems


def _validate(data_dir=None, *, corpus: bool = True) -> list[Problem]:
    problems: list[Problem] = []
    try:
        package = Package.at(data_dir)
        package.resources
    except FileNotFoundError:
        return [Problem(DESCRIPTOR, 0, "", f"not found in {Package.at(data_dir).root}")]
    except (ValueError, KeyError, TypeError) as err:
        return [Problem(DESCRIPTOR, 0, "", f"unreadable descriptor: {err}")]
    good = [name for name in package.resources if _check_file(package, name, problems) is not None]
    if good:
        try:
            problems += _frictionless(package, good, with_keys=len(good) == len(package.resources))
        except Exception as err:  # frictionless failing on odd input is still bad input, not a crash
            problems.append(Problem(DESCRIPTOR, 0, "", f"schema check failed: {type(err).__name__}: {err}"))
    if problems:
        return sorted(set(problems))
    tables = Tables({name: _typed(_read(package, name), package.fields(name)) for name in package.resources})
    tables.package = package
    return sorted(set(_semantic(tables, corpus)))


def _read(package, name):
    import pandas as pd

    return pd.read_csv(package.path(name), dtype=str, keep_default_na=False, encoding="utf-8-sig")
