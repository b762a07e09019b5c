"""Arabic text for figures, prose and HTML.

Why this module exists: matplotlib changed how it draws right-to-left text.

* matplotlib >= 3.11 shapes and reorders complex scripts itself (libraqm:
  HarfBuzz + FriBiDi).  Strings must be passed in *logical* order, unchanged.
* matplotlib <= 3.10 draws code points one by one, left to right, with no
  joining.  Strings must first be converted to presentation forms
  (``arabic_reshaper``) and put into *visual* order (``python-bidi``).

Applying the old recipe on 3.11 draws every label reversed, silently
(matplotlib issue #32262), so :func:`label` decides per running matplotlib,
by probing its behaviour rather than its version string.

The module also ships the fonts (``FONT_DIR``), month names and date
formatting in Arabic, and a matplotlib style context (:func:`style`).

Importing it is cheap: matplotlib, arabic_reshaper and python-bidi are
imported lazily inside the functions that need them.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "FONT_DIR",
    "FONT_FILES",
    "FIGURE_FAMILIES",
    "TEXT_FAMILIES",
    "MODE_ENV",
    "MONTHS_IRAQI",
    "MONTHS_EGYPTIAN",
    "MONTHS_ENGLISH",
    "register_fonts",
    "font_families",
    "native_shaping",
    "label",
    "has_arabic",
    "to_arabic_digits",
    "month_name",
    "format_date",
    "style",
    "savefig_metadata",
    "align",
]

#: Directory of the bundled TTF fonts (package data, OFL 1.1, see OFL.txt).
FONT_DIR: Path = Path(__file__).resolve().parent / "fonts"

#: The bundled font files, by role.  Used by typst / CSS as well.
FONT_FILES: dict[str, str] = {
    "figure-regular": "NotoSansArabic-Regular.ttf",
    "figure-bold": "NotoSansArabic-Bold.ttf",
    "text-regular": "NotoNaskhArabic-Regular.ttf",
    "text-bold": "NotoNaskhArabic-Bold.ttf",
    "latin-regular": "NotoSans-Regular.ttf",
    "latin-bold": "NotoSans-Bold.ttf",
}

#: Family fallback list for figures.  The Arabic families lack Latin letters,
#: ``%``, ``(``, ``)`` and ``/``; matplotlib falls back per glyph to Noto Sans.
FIGURE_FAMILIES: list[str] = ["Noto Sans Arabic", "Noto Sans"]
#: Family fallback list for body text (typst, HTML).
TEXT_FAMILIES: list[str] = ["Noto Naskh Arabic", "Noto Sans"]

#: Environment variable forcing the label mode: ``native`` or ``reshape``
#: (``auto`` or empty means probe the running matplotlib).
MODE_ENV = "ANALYSIS_ARABIC_MODE"
_MODES = ("native", "reshape")
_LANGS = ("ar", "en")

MONTHS_IRAQI: tuple[str, ...] = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
MONTHS_EGYPTIAN: tuple[str, ...] = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
MONTHS_ENGLISH: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Arabic script blocks, including presentation forms.
_ARABIC_RE = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)
_LATIN_DIGITS = "0123456789"
_ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_ARABIC_DIGITS = str.maketrans(_LATIN_DIGITS, _ARABIC_INDIC_DIGITS)
# Alphanumeric tokens joined by - _ / . : the digits of a token with a Latin
# letter (K-1, F-16, UN2334) are part of a name and stay Western.
_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:[-_/.][A-Za-z0-9]+)*")
_HAS_LATIN_LETTER_RE = re.compile(r"[A-Za-z]")

_register_lock = threading.Lock()


# --------------------------------------------------------------------------
# fonts


def register_fonts() -> list[str]:
    """Add the bundled fonts to matplotlib's fontManager (once); return the figure family
    fallback list (``["Noto Sans Arabic", "Noto Sans"]``).  The font list's order and rcParams
    are not touched: `style()` puts the bundled fonts first only while it is active."""
    from matplotlib import font_manager

    fm = font_manager.fontManager
    with _register_lock:
        known = {entry.fname for entry in fm.ttflist}
        for path in sorted({str(FONT_DIR / name) for name in FONT_FILES.values()} - known):
            fm.addfont(path)
    return list(FIGURE_FAMILIES)


@contextlib.contextmanager
def measuring() -> Iterator[None]:
    """For measuring text outside a figure (wrapping a label to a width): the bundled fonts
    registered and found first, as in `style()`, without `style()`'s rcParams (setting every
    one of them costs a millisecond, and a layout measures hundreds of candidate lines)."""
    register_fonts()
    with _bundled_first():
        yield


@contextlib.contextmanager
def _bundled_first() -> Iterator[None]:
    """While active, `findfont` prefers the bundled files over a system copy of the same family
    (ties go to the first entry of ``fontManager.ttflist``), so figures are identical across
    machines; the user's order is restored on exit."""
    from matplotlib import font_manager

    fm = font_manager.fontManager
    bundled = {str(FONT_DIR / name) for name in FONT_FILES.values()}

    def clear():
        cached = getattr(fm, "_findfont_cached", None)
        if cached is not None and hasattr(cached, "cache_clear"):  # private, so guarded
            cached.cache_clear()

    with _register_lock:
        saved = list(fm.ttflist)
        ours = [e for e in saved if e.fname in bundled]
        reorder = saved[: len(ours)] != ours
        if reorder:
            fm.ttflist[:] = ours + [e for e in saved if e.fname not in bundled]
            clear()
    try:
        yield
    finally:
        if reorder:
            with _register_lock:
                fm.ttflist[:] = saved
                clear()


def font_families(lang: str = "ar") -> list[str]:
    """Figure family fallback list for *lang* (Latin font first for ``en``)."""
    _check_lang(lang)
    return list(FIGURE_FAMILIES) if lang == "ar" else list(reversed(FIGURE_FAMILIES))


# --------------------------------------------------------------------------
# shaping mode


def _env_mode() -> str | None:
    value = os.environ.get(MODE_ENV, "").strip().lower()
    if value in ("", "auto"):
        return None
    if value not in _MODES:
        from .errors import ConfigError

        raise ConfigError(f"{MODE_ENV}={value[:40]!r}: expected 'native', 'reshape' or 'auto'")
    return value


@functools.cache
def _probe_native_shaping() -> bool:
    """Lay out lam + alef with matplotlib's own FT2Font.

    A shaping engine substitutes the lam-alef ligature: one glyph.  The
    pre-3.11 layout maps code points to glyphs one to one: two glyphs.
    Falls back to the ``text.language`` rcParam (added together with
    libraqm in 3.11) if the probe cannot run.
    """
    import matplotlib as mpl

    try:
        from matplotlib.ft2font import FT2Font

        font = FT2Font(str(FONT_DIR / FONT_FILES["figure-regular"]))
        font.set_size(12, 72)
        return len(font.set_text("\u0644\u0627")) == 1
    except Exception:  # pragma: no cover - defensive, exotic builds
        return "text.language" in mpl.rcParams


def native_shaping() -> bool:
    """Does the running matplotlib shape and reorder Arabic itself?

    ``ANALYSIS_ARABIC_MODE=native|reshape`` overrides the (cached) probe.
    """
    forced = _env_mode()
    if forced is not None:
        return forced == "native"
    return _probe_native_shaping()


def _resolve_mode(mode: str | None) -> str:
    if mode is None:
        return "native" if native_shaping() else "reshape"
    if mode not in _MODES:
        raise ValueError(f"mode must be None, 'native' or 'reshape', not {mode!r}")
    return mode


# --------------------------------------------------------------------------
# strings


def has_arabic(text: str) -> bool:
    """True if *text* contains any Arabic-script character."""
    return bool(_ARABIC_RE.search(text))


def to_arabic_digits(text: str) -> str:
    """Western digits -> Arabic-Indic (٠١٢٣٤٥٦٧٨٩).

    Also uses the Arabic decimal (٫), thousands (٬) and percent (٪) signs
    next to digits.  Digits inside Latin-letter tokens (K-1, F-16) are names,
    not numbers, and stay as they are.
    """

    def number(token: str) -> str:
        token = re.sub(r"(?<=\d)\.(?=\d)", "\u066b", token)
        return token.translate(_TO_ARABIC_DIGITS)

    def convert(match: re.Match[str]) -> str:
        token = match.group(0)
        if _HAS_LATIN_LETTER_RE.search(token):
            return token
        return number(token)

    text = _TOKEN_RE.sub(convert, text)
    text = re.sub(r"(?<=[٠-٩]),(?=[٠-٩])", "\u066c", text)
    return re.sub(r"(?<=[٠-٩])\s?%|%(?=\s?[٠-٩])", lambda m: m.group(0).replace("%", "\u066a"), text)


def _check_digits(digits: str) -> None:
    if digits not in ("latin", "arabic"):
        raise ValueError(f"digits must be 'latin' or 'arabic', not {digits!r}")


def _check_lang(lang: str) -> None:
    if lang not in _LANGS:
        raise ValueError(f"lang must be 'ar' or 'en', not {lang!r}")


def _reshape_line(line: str) -> str:
    import arabic_reshaper
    from bidi.algorithm import get_display  # mirrors brackets; bidi.get_display does not

    return get_display(arabic_reshaper.reshape(line))


def label(text: str, *, mode: str | None = None, digits: str | None = None) -> str:
    """Return *text* in the form the running matplotlib draws correctly.

    ``native`` (matplotlib shapes itself): the logical string, unchanged.
    ``reshape`` (older matplotlib): joined presentation forms in visual
    order, per line, via arabic_reshaper + python-bidi (Unicode bidi
    algorithm, so Western digits, ``%``, brackets, dates and Latin names
    like K-1 keep their order and brackets are mirrored).
    ``mode=None`` picks by :func:`native_shaping`.  ``digits="arabic"``
    converts numbers with :func:`to_arabic_digits` first; ``digits=None`` follows the
    briefing's choice (env ANALYSIS_DIGITS=arabic-indic, analysis.config.digits).  Strings without
    Arabic letters only get the digit conversion.

    Use for matplotlib only; prose and HTML take the logical string.
    """
    if digits is None:
        from .config import digits as briefing_digits

        digits = "arabic" if briefing_digits() == "arabic-indic" else "latin"
    _check_digits(digits)
    if not isinstance(text, str):
        text = str(text)
    if digits == "arabic":
        text = to_arabic_digits(text)
    if _resolve_mode(mode) == "native" or not has_arabic(text):
        return text
    return "\n".join(_reshape_line(line) for line in text.split("\n"))


# --------------------------------------------------------------------------
# dates


def month_name(month: int, style: str = "iraqi") -> str:
    """Arabic month name: ``iraqi`` (Levantine/Iraqi, e.g. كانون الثاني),
    ``egyptian`` (يناير) or ``both`` (كانون الثاني (يناير))."""
    if not 1 <= int(month) <= 12 or int(month) != month:
        raise ValueError(f"month must be 1..12, not {month!r}")
    i = int(month) - 1
    if style == "iraqi":
        return MONTHS_IRAQI[i]
    if style == "egyptian":
        return MONTHS_EGYPTIAN[i]
    if style == "both":
        return f"{MONTHS_IRAQI[i]} ({MONTHS_EGYPTIAN[i]})"
    raise ValueError(f"style must be 'iraqi', 'egyptian' or 'both', not {style!r}")


_ISO_YEAR_RE = re.compile(r"^\s*(\d{4})\s*$")
_ISO_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_PRECISIONS = ("day", "month", "year")


def _date_parts(value: object) -> tuple[int, int | None, int | None]:
    """(year, month, day) from a date, datetime, pandas Timestamp,
    numpy datetime64 or ISO string (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``,
    with or without a time); month/day are None when the string lacks them."""
    if value is None:
        raise ValueError("date value is None")
    if isinstance(value, str):
        s = value.strip()
        if m := _ISO_YEAR_RE.match(s):
            return int(m.group(1)), None, None
        if m := _ISO_MONTH_RE.match(s):
            month = int(m.group(2))
            if not 1 <= month <= 12:
                raise ValueError(f"invalid month in {value!r}")
            return int(m.group(1)), month, None
        try:
            d = _dt.datetime.fromisoformat(s)
        except ValueError as exc:
            raise ValueError(f"not an ISO date: {value!r}") from exc
        return d.year, d.month, d.day
    if type(value).__name__ == "datetime64":  # numpy, without importing it
        return _date_parts(str(value))
    try:
        year, month, day = value.year, value.month, value.day  # type: ignore[attr-defined]
    except AttributeError as exc:
        raise TypeError(f"cannot format {type(value).__name__} as a date") from exc
    if year != year:  # NaT
        raise ValueError("date value is NaT")
    return int(year), int(month), int(day)


def format_date(
    value: object,
    precision: str = "day",
    *,
    style: str = "iraqi",
    digits: str = "latin",
    lang: str = "ar",
) -> str:
    """Format a date at the precision the source supports.

    ``day`` -> "9 كانون الأول 2021", ``month`` -> "كانون الأول 2021",
    ``year`` -> "2021"; ``lang="en"`` -> "9 December 2021" etc.
    *style* as in :func:`month_name`; ``digits="arabic"`` uses ٠-٩ (Arabic
    only).  Returns logical text for prose/HTML; wrap in :func:`label` for
    figures.
    """
    if precision not in _PRECISIONS:
        raise ValueError(f"precision must be one of {_PRECISIONS}, not {precision!r}")
    _check_lang(lang)
    _check_digits(digits)
    year, month, day = _date_parts(value)
    if precision in ("day", "month") and month is None:
        raise ValueError(f"{value!r} has no month; use precision='year'")
    if precision == "day" and day is None:
        raise ValueError(f"{value!r} has no day; use precision='month'")
    if lang == "en":
        name = MONTHS_ENGLISH[month - 1] if month else ""
    else:
        name = month_name(month, style) if month else ""
    if precision == "year":
        out = f"{year}"
    elif precision == "month":
        out = f"{name} {year}"
    else:
        out = f"{day} {name} {year}"
    if lang == "ar" and digits == "arabic":
        out = to_arabic_digits(out)
    return out


# --------------------------------------------------------------------------
# matplotlib style


#: Fixed SVG hash salt: element ids do not change between runs.
SVG_HASHSALT = "analysis-arabic"


def _style_rc(lang: str) -> dict[str, object]:
    register_fonts()
    return dict(_style_rc_cached(lang))


@functools.cache
def _style_rc_cached(lang: str) -> dict[str, object]:
    """The rc of `style(lang)`, built once (it reads every default, and figures enter the style
    hundreds of times); callers get a copy."""
    import matplotlib as mpl

    try:  # matplotlib >= 3.11 deprecates the module; the list is the same
        from matplotlib.style import _STYLE_BLACKLIST as STYLE_BLACKLIST
    except ImportError:
        from matplotlib.style.core import STYLE_BLACKLIST

    families = font_families(lang)
    # matplotlib's own defaults first: a notebook's style (dark_background, usetex, a serif font)
    # must not change what the project's charts look like or send data text to TeX
    rc: dict[str, object] = {k: v for k, v in mpl.rcParamsDefault.items()
                             if k not in STYLE_BLACKLIST and not k.startswith(("backend", "interactive"))}
    rc.update({
        "text.usetex": False,  # data text never goes through TeX
        "font.family": families,
        "axes.unicode_minus": False,  # neither font family has U+2212
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",  # SVG renders without the fonts installed
        "pdf.fonttype": 42,  # embed TrueType, text stays searchable
        "ps.fonttype": 42,
        "text.parse_math": False,  # data text is never mathtext: a '$' is a dollar sign
    })
    if lang == "ar" and "text.language" in mpl.rcParams:
        rc["text.language"] = "ar"
    return rc


@contextlib.contextmanager
def style(lang: str = "ar") -> Iterator[None]:
    """matplotlib ``rc_context`` for project figures in *lang*.

    Registers the bundled fonts, sets the family fallback list, the
    ``text.language`` rcParam where matplotlib has it (>= 3.11, ``ar`` only),
    no Unicode minus, path-converted SVG text with a fixed hash salt and
    TrueType embedding in PDF.  For byte-reproducible files it also sets
    ``SOURCE_DATE_EPOCH=0`` while active (unless already set; the PDF/SVG
    backends read it); pass ``metadata=savefig_metadata(fmt)`` to
    ``savefig`` as well.  Global rcParams and the environment are restored
    on exit.  Usage: ``with arabic.style(lang): ...`` around figure code.
    """
    _check_lang(lang)
    import matplotlib as mpl

    rc = _style_rc(lang)
    had_epoch = "SOURCE_DATE_EPOCH" in os.environ
    if not had_epoch:
        os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        with mpl.rc_context(rc), _bundled_first():
            yield
    finally:
        if not had_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def savefig_metadata(fmt: str) -> dict[str, object]:
    """``savefig(metadata=...)`` that drops dates and version strings, so
    PNG/PDF/SVG bytes do not depend on the time or the matplotlib version."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "pdf":
        return {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}
    if fmt == "svg":
        return {"Date": None, "Creator": None}
    if fmt == "png":
        return {"Software": None}
    if fmt in ("ps", "eps"):
        return {"Creator": None}
    return {}


def align(lang: str) -> str:
    """Horizontal text alignment for *lang*: ``right`` for ar, ``left`` for en."""
    _check_lang(lang)
    return "right" if lang == "ar" else "left"
