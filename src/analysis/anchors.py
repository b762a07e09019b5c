"""The link anchors of the briefing's rows: a source's row in the sources table and a conflict's
heading, in both editions and both outputs (HTML ids, typst labels).

Here, with no dependencies, so that the validator can check that no two ids make the same
anchor (typst refuses a label that occurs twice) without loading the briefing's code.
"""
from __future__ import annotations

__all__ = ["source_anchor", "conflict_anchor", "ANCHORS"]


def _plain(value) -> str:
    return "".join(ch for ch in str(value) if ch.isalnum() or ch in "-_")


def source_anchor(source_id) -> str:
    """The HTML/typst anchor of a source's row in the sources table."""
    return "src-" + _plain(source_id)


def conflict_anchor(conflict_id) -> str:
    """The anchor of a conflict's heading in the disagreements section."""
    return "conflict-" + _plain(conflict_id)


#: Table -> (its id column, the anchor each id becomes): the ids the validator checks.
ANCHORS = {"sources": ("source_id", source_anchor), "conflicts": ("conflict_id", conflict_anchor)}
