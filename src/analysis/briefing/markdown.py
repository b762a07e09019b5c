"""Markdown for data: the escaping choke point (md_escape), isolates, pipe tables."""
from __future__ import annotations

import re

# --------------------------------------------------------------------------------------------
# text helpers

LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"
NBSP = "\u00a0"
# Every ASCII punctuation mark pandoc gives a meaning to, '-' and '.' included: escaped, they are
# out of reach of smart typography too ('--' stays two hyphens, '...' three dots).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|~^@$&=\"'\-.:%;()/])")


_FOLD = re.compile(r"[ \t\r\n\f\v]+")


def md_escape(text, *, group: bool = True) -> str:
    """The choke point for data strings on their way to pandoc/Quarto markdown.

    The string shows exactly as written: every markdown, HTML and shortcode special is
    backslash-escaped (so `<script>` stays text, `*x*` is no emphasis, `{{< include >}}` is no
    shortcode, `--` no dash), newlines fold to spaces, and the result is wrapped in a Unicode
    first-strong isolate so that it cannot reorder the text around it.
    """
    if text is None or _isna(text):
        return ""
    s = _FOLD.sub(" ", str(text)).strip(" ")  # line breaks fold; no-break and thin spaces stay as written
    if not s:
        return ""
    if group:  # dates and Latin parentheticals that never break (no-break spaces: nothing else)
        from ..text_ar import reader_text

        s = reader_text(s)
    return FSI + _MD_SPECIAL.sub(r"\\\1", s) + PDI


def ltr(text: str) -> str:
    """Wrap a left-to-right run (a range, an English sentence) in Unicode isolates."""
    return f"{LRI}{text}{PDI}"


def _isna(value) -> bool:
    import pandas as pd

    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False



def _table(header: list[str], rows: list[list[str]], widths: list[int] | None = None) -> str:
    """A pipe table; `widths` (relative, in dashes) set the column widths in both engines."""
    def cell(x):
        x = "—" if x is None or x == "" else x
        return x.replace("\n", " ")

    widths = widths or [3] * len(header)
    if len(widths) != len(header):
        raise ValueError("one width per column")
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("-" * w for w in widths) + "|"]
    out += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def _txt(value) -> str:
    return "" if _isna(value) else md_escape(value)


