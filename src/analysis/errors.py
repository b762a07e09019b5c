"""The errors a user can meet, in a light module every other one can import.

The command line prints these as one plain message and exits non-zero; anything else is a bug.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "AnalysisError", "DataValidationError", "ReportError", "OutputError", "ConfigError"]


@dataclass(frozen=True, order=True)
class Problem:
    """One fault in the data: where (file, row, field) and what, printed as FILE:ROW: FIELD: MESSAGE."""
    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.field or '-'}: {self.message}"


class AnalysisError(Exception):
    """An error the user can act on: its message says what is wrong and where."""


class DataValidationError(AnalysisError, ValueError):
    """Invalid data; `problems` holds one Problem (file, row, field, message) per fault."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} data problem(s):\n" + "\n".join(map(str, self.problems)))


class ReportError(AnalysisError, RuntimeError):
    """The briefing cannot be built (a tool, font, figure or input is missing or failed)."""


class OutputError(AnalysisError, OSError):
    """An output folder cannot be written, or a build setting (SOURCE_DATE_EPOCH) is unusable."""


class ConfigError(AnalysisError, ValueError):
    """An environment variable the package reads holds a value it cannot use."""
