"""Load the curated tables as typed DataFrames, validated first.

The descriptor layer (Package, Tables, read_table) lives in `analysis.package`; it is re-exported
here because notebooks and older code import it from this module.
"""
from __future__ import annotations

import os

from .config import DATA_DIR
from .errors import DataValidationError
from .package import DESCRIPTOR, Package, Tables, read_table, typed

__all__ = ["load", "DATA_DIR", "DESCRIPTOR", "Package", "Tables", "read_table", "typed"]


def load(data_dir: str | os.PathLike | None = None, *, validate: bool = True, corpus: bool = True) -> Tables:
    """All curated tables as typed DataFrames.

    Dates are datetime64, counts nullable Int64, enums categoricals, text the string dtype.
    With `validate` (the default) the folder is checked first and `DataValidationError` raised
    with one line per problem; nothing is returned from invalid data.
    """
    package = Package.at(data_dir)
    if validate:
        from .validate import validate as check

        problems = check(package.root, corpus=corpus)
        if problems:
            raise DataValidationError(problems)
    tables = Tables({name: read_table(package, name) for name in package.resources})
    tables.package = package
    return tables
