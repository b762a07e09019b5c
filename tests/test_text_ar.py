"""analysis.text_ar: Arabic number-noun agreement, lists, unbreakable dates, one number style."""
from __future__ import annotations

import pytest

from analysis import arabic, text_ar
from analysis.text_ar import NBSP, Noun

BASE = Noun("قاعدة", "قاعدتان", "قواعد", gender="f")
ARTICLE = Noun("مقال", "مقالان", "مقالات", gender="m")
KILLED = Noun("قتيل", "قتيلان", "قتلى", zero="لا قتلى")


@pytest.mark.parametrize("n, expected", [
    (1, "قاعدة واحدة"), (2, "قاعدتان"), (3, "3 قواعد"), (10, "10 قواعد"), (11, "11 قاعدةً"),
    (99, "99 قاعدةً"), (100, "100 قاعدة"), (101, "101 قاعدة"), (102, "102 قاعدة"), (103, "103 قواعد"),
    (111, "111 قاعدةً"), (1000, "1,000 قاعدة"), (2500, "2,500 قاعدة"),
])
def test_feminine_noun_agreement(n, expected):
    assert text_ar.count(n, BASE) == expected


@pytest.mark.parametrize("n, expected", [
    (1, "مقال واحد"), (2, "مقالان"), (5, "5 مقالات"), (12, "12 مقالاً"), (200, "200 مقال"),
])
def test_masculine_noun_agreement(n, expected):
    assert text_ar.count(n, ARTICLE) == expected


def test_zero_is_words_not_a_bare_digit():
    assert text_ar.count(0, KILLED) == "لا قتلى"
    assert text_ar.count(0, BASE) == "لا قواعد"
    assert not text_ar.count(0, BASE).endswith("0")


def test_gender_is_checked_and_negative_counts_refused():
    with pytest.raises(ValueError):
        Noun("قاعدة", "قاعدتان", "قواعد", gender="x")
    with pytest.raises(ValueError):
        text_ar.count(-1, BASE)


def test_one_thousands_style_and_arabic_digits_option():
    assert text_ar.number(2500) == "2,500" and text_ar.number(170000) == "170,000"
    assert text_ar.number(2500, "arabic") == "٢٬٥٠٠"
    assert text_ar.count(2500, BASE, digits="arabic") == "٢٬٥٠٠ قاعدة"
    with pytest.raises(ValueError):
        text_ar.number(1, "roman")


def test_lists_put_wa_before_every_item():
    assert text_ar.join([]) == "" and text_ar.join(["أ"]) == "أ"
    assert text_ar.join(["أ", "ب"]) == "أ وب"
    assert text_ar.join(["أ", "ب", "ج"]) == "أ، وب، وج"
    assert text_ar.join(["أ", None, "", "ج"]) == "أ وج"


def test_dates_never_break():
    s = text_ar.keep_dates("أُعلن في 9 كانون الأول 2021 وفي آذار 2020 ثم في 2026")
    assert f"9{NBSP}كانون{NBSP}الأول{NBSP}2021" in s
    assert f"آذار{NBSP}2020" in s
    assert "ثم في 2026" in s  # a bare year has no space to protect; other spaces stay
    assert text_ar.keep_dates("في ٩ ديسمبر ٢٠٢١") == f"في ٩{NBSP}ديسمبر{NBSP}٢٠٢١"


def test_latin_parentheticals_never_split():
    s = text_ar.keep_together("سي إن إن بالعربية (CNN Arabic)، والأمصار (Al-Amsar) في 9 كانون الأول 2021")
    assert f"(CNN{NBSP}Arabic)" in s and "(Al-Amsar)" in s
    assert f"9{NBSP}كانون{NBSP}الأول{NBSP}2021" in s
    assert "سي إن إن بالعربية" in s  # Arabic words still break normally


def test_figures_draw_data_text_as_written_in_the_briefings_digit_style(monkeypatch):
    """ANALYSIS_DIGITS=arabic-indic reaches the figures' Arabic text as it reaches the prose; data
    text is otherwise drawn exactly as written: a number is not regrouped («1850» read «1,850», a
    phone number lost its leading zero) and a name is not taken for a month («مايو كلينك» read
    «أيار كلينك»)."""
    from analysis.figures import _t

    for text in ("في 1850 كانت", "call 07701234567", "Resolution 2379", "مايو كلينك", "2021–2035 plan"):
        assert _t(text, "en") == text
        assert arabic.label(text) == _t(text, "ar")
    monkeypatch.setenv("ANALYSIS_DIGITS", "arabic-indic")
    assert "٢" in _t("2021", "ar") and _t("2021", "en") == "2021"
    monkeypatch.setenv("ANALYSIS_DIGITS", "roman")
    from analysis.errors import ConfigError

    with pytest.raises(ConfigError, match="ANALYSIS_DIGITS"):
        _t("2021", "ar")
