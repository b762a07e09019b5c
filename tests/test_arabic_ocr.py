"""Read rendered Arabic labels back with Tesseract OCR.

Nobody on the team has to read Arabic for this to catch the classic failure:
text that looks like Arabic but is drawn reversed or unjoined.  Each label is
drawn through ``arabic.label()`` + ``arabic.style()``, OCR'd, normalised and
compared with the logical string.  The deliberately wrong rendering for the
running matplotlib (the other mode) must fail the same check, which proves
the check can fail.

Thresholds were calibrated on tesseract 5.3.0 + tessdata ara 4.1.0 with
matplotlib 3.11.2 (native) and 3.10.9 (reshape): correct renderings scored
0.84-1.00, wrong ones 0.00-0.35.

Needs the ``tesseract`` binary and the ``ara`` traineddata
(Debian: tesseract-ocr tesseract-ocr-ara); skipped otherwise.
"""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import unicodedata
import warnings
from pathlib import Path

import pytest

from analysis import arabic

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg", force=True)
import matplotlib.pyplot as plt  # noqa: E402

pytestmark = pytest.mark.slow  # builds the briefing / draws and reads back every figure

GOOD_MIN = 0.80  # correct rendering must reach this ratio
BAD_MAX = 0.50  # the wrong rendering must stay at or below this
MIN_GAP = 0.30  # and be this much worse than the correct one

LABELS = [
    "انسحاب القوات الأمريكية",
    "قاعدة عين الأسد",
    "عدد الجنود",
    "القوات العراقية في بغداد",
    "قاعدة K-1 في كركوك",
    arabic.format_date("2014-06-10"),  # 10 حزيران 2014
    arabic.format_date("2011-12-18", style="both"),  # 18 كانون الأول (ديسمبر) 2011
    # the locator map's own labels (analysis.maps.TEXT, areas.csv)
    "إقليم كردستان",
    "محيط بغداد",
    "لا معلومات لاحقة",
]

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_NOT_ARABIC_LETTER = re.compile("[^\u0621-\u064a]")


def normalise(text: str) -> str:
    """Arabic letters only, in logical order, with the usual OCR-insensitive
    foldings: presentation forms -> base letters (NFKC), no diacritics or
    tatweel, alef variants -> ا, ى -> ي, ة -> ه.  Latin letters, digits and
    punctuation are dropped: the ``ara`` model does not read them reliably."""
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text)
    text = re.sub("[أإآٱ]", "ا", text).replace("ى", "ي").replace("ة", "ه")
    return _NOT_ARABIC_LETTER.sub("", text)


def ratio(ocr_text: str, logical: str) -> float:
    return difflib.SequenceMatcher(None, normalise(ocr_text), normalise(logical)).ratio()


@pytest.fixture(scope="module")
def tesseract() -> str:
    exe = shutil.which("tesseract")
    if exe is None:
        pytest.skip("tesseract binary not found (apt-get install tesseract-ocr tesseract-ocr-ara)")
    proc = subprocess.run([exe, "--list-langs"], capture_output=True, text=True)
    langs = set((proc.stdout + proc.stderr).split())
    if "ara" not in langs:
        pytest.skip("tesseract has no 'ara' traineddata (apt-get install tesseract-ocr-ara)")
    return exe


def render_and_read(tesseract: str, drawn: str, path: Path) -> str:
    """Draw *drawn* exactly as given (no label()) in the project style, large,
    black on white, 220 dpi; return Tesseract's single-line reading."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would spoil the test
        with arabic.style("ar"):
            fig = plt.figure(figsize=(11, 1.4))
            fig.text(0.5, 0.5, drawn, ha="center", va="center", fontsize=36, color="black")
            fig.savefig(path, dpi=220, facecolor="white")
            plt.close(fig)
    proc = subprocess.run(
        [tesseract, str(path), "stdout", "-l", "ara", "--psm", "7"],
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip()


@pytest.mark.parametrize("logical", LABELS)
def test_ocr_reads_label_back(tesseract, tmp_path, logical, monkeypatch):
    monkeypatch.delenv(arabic.MODE_ENV, raising=False)
    native = arabic.native_shaping()
    right = arabic.label(logical)  # what the figures use
    wrong = arabic.label(logical, mode="reshape" if native else "native")
    assert right != wrong

    good = render_and_read(tesseract, right, tmp_path / "right.png")
    bad = render_and_read(tesseract, wrong, tmp_path / "wrong.png")
    r_good, r_bad = ratio(good, logical), ratio(bad, logical)
    info = (
        f"native={native} good={r_good:.2f} {good!r} bad={r_bad:.2f} {bad!r} "
        f"expected={logical!r}"
    )
    print(info)
    assert r_good >= GOOD_MIN, info
    assert r_bad <= BAD_MAX, info
    assert r_good - r_bad >= MIN_GAP, info


def test_normalise():
    assert normalise("ﻋﺪﺩ ﺍﻟﺠﻨﻮﺩ") == normalise("عدد الجنود") == "عددالجنود"
    assert normalise("قاعدة K-1 (2021)") == "قاعده"
    assert normalise("إلى الأسد") == "اليالاسد"
    assert normalise("عـــدد") == "عدد"
