"""The data folder as its descriptor describes it: tables, fields, labels, the corpus, and each
table read as a typed DataFrame (no validation here: `analysis.data.load` validates, and
`analysis.validate` reads through this module, so the two never import each other).

The descriptor is the single place where tables and fields are described; this module reads
types, enums and labels from it instead of repeating them.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .config import DATA_DIR

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Package:
    """A data folder and its Frictionless descriptor."""

    root: Path

    @classmethod
    def at(cls, data_dir: str | os.PathLike | None = None) -> Package:
        return cls(Path(data_dir) if data_dir is not None else DATA_DIR)

    @cached_property
    def descriptor(self) -> dict:
        with open(self.root / DESCRIPTOR, encoding="utf-8") as fh:
            try:
                return json.load(fh)
            except RecursionError:  # valid JSON nested thousands deep: bad input, not a crash
                raise ValueError("is nested too deeply to read (lists or objects inside each other about "
                                 "a thousand levels deep or more)") from None

    @property
    def resources(self) -> dict[str, dict]:
        return {r["name"]: r for r in self.descriptor["resources"]}

    def path(self, name: str) -> Path:
        return self.root / self.resources[name]["path"]

    def fields(self, name: str) -> list[dict]:
        return self.resources[name]["schema"]["fields"]

    def field(self, name: str, field: str) -> dict:
        for f in self.fields(name):
            if f["name"] == field:
                return f
        raise KeyError(f"{name}.{field} is not described in {DESCRIPTOR}")

    def labels(self, name: str, field: str, lang: str = "ar") -> dict[str, str]:
        """Display labels of an enum field's values, in `lang`."""
        return {k: v[lang] for k, v in self.field(name, field).get("labels", {}).items()}

    def corpus_candidates(self) -> list[Path]:
        """Where the source articles may be: env ANALYSIS_CORPUS; else the descriptor's
        `corpus.path`, taken both from the data folder as it was reached and from the folder a
        symlinked data/ points to, so that however data/ is reached the same corpus is found."""
        env = os.environ.get("ANALYSIS_CORPUS")
        if env:
            return [Path(env)]
        corpus = self.descriptor.get("corpus") if isinstance(self.descriptor, dict) else None
        rel = str(corpus.get("path", "")) if isinstance(corpus, dict) else ""
        out = []
        for base in (os.path.abspath(self.root), os.path.realpath(self.root)):
            path = Path(os.path.normpath(os.path.join(base, rel)))
            if path not in out:
                out.append(path)
        return out

    def digest(self) -> str:
        """SHA-256 over the data files: the digest of ``sha256sum`` lines for *.csv,
        datapackage.json and geo/*.geojson, sorted by path (``cd data && sha256sum *.csv
        datapackage.json geo/*.geojson | LC_ALL=C sort -k2 | sha256sum`` gives the same value)."""
        import hashlib

        files = [*self.root.glob("*.csv"), self.root / DESCRIPTOR, *self.root.glob("geo/*.geojson")]
        names = sorted(((p.relative_to(self.root).as_posix(), p) for p in files), key=lambda x: x[0].encode())
        lines = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {name}\n" for name, p in names)
        return hashlib.sha256(lines.encode()).hexdigest()

    @property
    def corpus_path(self) -> Path:
        """The first place the corpus is looked for (for messages)."""
        return self.corpus_candidates()[0]

    @property
    def corpus(self) -> Path | None:
        """The source articles, where present."""
        for path in self.corpus_candidates():
            if path.is_dir() and any(path.glob("*.txt")):
                return path
        return None

    def corpus_file(self, name: str) -> Path | None:
        """The article `name` (a sources.csv `file`) in the corpus, or None when there is no
        corpus or `name` is not a plain file name there (see `not_a_plain_name`): nothing outside
        the corpus folder is ever read as a source, so no data file can probe the machine."""
        corpus = self.corpus
        if corpus is None or not_a_plain_name(name):
            return None
        path = corpus / name
        real = os.path.realpath(corpus)
        return path if os.path.commonpath([real, os.path.realpath(path)]) == real else None


def not_a_plain_name(name: str) -> str | None:
    """Why a corpus file name is not a plain file name inside its folder (None when it is one):
    absolute, a path with separators (climbing with '..' or not), or a folder."""
    if os.path.isabs(name) or name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return "is an absolute path"
    if re.search(r"[/\\]", name) or (os.altsep and os.altsep in name):
        climbs = ".." in re.split(r"[/\\]", name)
        return "is a path, not a file name" + (" (it climbs out with '..')" if climbs else "")
    if name in ("", ".", ".."):
        return "names a folder, not a file"
    return None


class Tables(dict):
    """Table name -> typed DataFrame, with the package that described them."""

    package: Package

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def typed(frame, fields):
    """A frame of CSV strings typed by the descriptor's fields: dates, nullable integers and
    numbers, booleans, enums as categoricals, the rest as strings."""
    import pandas as pd

    out = {}
    for f in fields:
        col = frame[f["name"]]
        kind = f["type"]
        if kind == "date":
            out[f["name"]] = pd.to_datetime(col.replace("", None), format="%Y-%m-%d")
        elif kind == "integer":
            out[f["name"]] = pd.to_numeric(col.replace("", None)).astype("Int64")
        elif kind == "number":
            out[f["name"]] = pd.to_numeric(col.replace("", None)).astype("Float64")
        elif kind == "boolean":
            out[f["name"]] = col.map({"true": True, "false": False, "": pd.NA}).astype("boolean")
        elif "enum" in f.get("constraints", {}):
            out[f["name"]] = pd.Categorical(col.replace("", None), categories=f["constraints"]["enum"])
        else:
            out[f["name"]] = col.replace("", None).astype("string")
    return pd.DataFrame(out)


def read_table(package: Package, name: str):
    """One table as a typed DataFrame (no validation: call `load` for that)."""
    import pandas as pd

    frame = pd.read_csv(package.path(name), dtype=str, keep_default_na=False, encoding="utf-8")
    return typed(frame, package.fields(name))




def _print_corpus_files(data_dir: str) -> None:
    """For make: the source articles, relative to the current folder (nothing when none are found,
    or when a name holds a space, which make cannot take as a prerequisite)."""
    corpus = Package.at(data_dir).corpus
    files = sorted(os.path.relpath(p) for p in corpus.glob("*.txt")) if corpus else []
    if not any(" " in f for f in files):
        print(" ".join(files))


if __name__ == "__main__":
    import sys

    _print_corpus_files(sys.argv[1] if len(sys.argv) > 1 else "data")
