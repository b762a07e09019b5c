"""analysis.briefing.en: English counted nouns, lists, British-style dates that never break,
periods, and table-style names put into running text."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.briefing import en
from analysis.briefing.markdown import NBSP


def _sp(text: str) -> str:
    return text.replace(NBSP, " ")


@pytest.mark.parametrize("n, expected", [
    (0, "no articles"), (1, "one article"), (2, "two articles"), (5, "five articles"),
    (9, "nine articles"), (10, "10 articles"), (12, "12 articles"), (2500, "2,500 articles"),
])
def test_phrase_spells_one_to_nine_and_says_no_for_zero(n, expected):
    assert en.phrase(n, "article") == expected


def test_phrase_other_nouns_and_irregular_plurals():
    assert en.phrase(1, "issue") == "one question" and en.phrase(12, "issue") == "12 questions"
    assert en.phrase(3, "series") == "three series of attacks"
    assert en.phrase(1, "injured") == "one injured" and en.phrase(0, "killed") == "no one killed"
    with pytest.raises(KeyError):
        en.phrase(1, "no such noun")


def test_num_groups_thousands():
    assert en.num(2500) == "2,500" and en.num(170000) == "170,000" and en.num(7) == "7"


def test_join_en():
    assert en.join_en([]) == "" and en.join_en(["a"]) == "a"
    assert en.join_en(["a", "b"]) == "a and b"
    assert en.join_en(["a", "b", "c"]) == "a, b and c"
    assert en.join_en(["a", "", "c"]) == "a and c"
    assert en.join_en(["a", "b"], "or") == "a or b"


@pytest.mark.parametrize("precision, expected", [
    ("day", "9 December 2021"), ("month", "December 2021"), ("year", "2021"),
])
def test_fdate_at_each_precision_never_breaks(precision, expected):
    out = en.fdate(pd.Timestamp("2021-12-09"), precision)
    assert _sp(out) == expected
    assert " " not in out  # no-break spaces only


def test_fdate_inferred_and_missing():
    assert _sp(en.fdate("2021-12-09", "day", basis="inferred")) == "9 December 2021 (inferred)"
    assert _sp(en.fdate("2021-12-09", "day", basis="stated")) == "9 December 2021"
    for value, precision in ((None, "day"), (pd.NaT, "day"), ("2021-12-09", "unknown"), ("2021-12-09", None)):
        assert en.fdate(value, precision) == "not given"


def test_date_range_says_the_shared_year_and_month_once():
    assert _sp(en.date_range("2020-03-01", "2020-08-01", "month")) == "March to August 2020"
    assert _sp(en.date_range("2021-12-03", "2021-12-09")) == "3 to 9 December 2021"
    assert _sp(en.date_range("2021-11-28", "2021-12-09")) == "28 November to 9 December 2021"
    assert _sp(en.date_range("2021-12-01", "2022-03-01", "month")) == "December 2021 to March 2022"
    assert _sp(en.date_range("2019-01-01", "2021-01-01", "year")) == "2019 to 2021"
    assert _sp(en.date_range("2021-12-09", "2021-12-09")) == "9 December 2021"  # one date
    assert _sp(en.date_range("2021-12-09", "2021-12-31", between=True)) == "between 9 and 31 December 2021"


def test_fperiod():
    assert _sp(en.fperiod("2020-03-01", "2020-08-01", "month")) == "March to August 2020"
    assert _sp(en.fperiod("2020-03-01", None, "month")) == "March 2020"
    assert _sp(en.fperiod(None, "2021-12-31", "unknown")) == "before the end of 2021"
    assert _sp(en.fperiod(None, "2021-12-09", "day")) == "9 December 2021"


def test_on_gives_the_preposition_of_the_precision():
    assert _sp(en.on("2021-12-09")) == "on 9 December 2021"
    assert _sp(en.on("2021-12-09", "month")) == "in December 2021"
    assert _sp(en.on("2026-01-01", "year", basis="inferred")) == "in 2026 (inferred)"
    assert en.on(None) == "on a date not given"


@pytest.mark.parametrize("name, expected", [
    ("Iraqi government", "the Iraqi government"),
    ("International coalition", "the international coalition"),
    ("United States", "the United States"),
    ("Joint Operations Command", "the Joint Operations Command"),
    ("Kurdistan region", "the Kurdistan region"),
    ("Iraqi and US governments", "the Iraqi and US governments"),
    ("Federal Iraq", "federal Iraq"),
    ("Iraqi officials", "Iraqi officials"),
    ("Armed groups", "armed groups"),
    ("Qasim al-Araji", "Qasim al-Araji"),
    ("Baghdad", "Baghdad"),
    ("Not named", "an unnamed source"),
])
def test_running_gives_table_names_their_article(name, expected):
    assert en.running(name) == expected


def test_lower_first_lowers_common_openers_only():
    assert en.lower_first("Whether the coalition left Iraq") == "whether the coalition left Iraq"
    assert en.lower_first("Distance of Ain al-Asad from Baghdad") == "distance of Ain al-Asad from Baghdad"
    assert en.lower_first("Harir base location") == "Harir base location"
    assert en.capital("on 9 December") == "On 9 December" and en.capital("") == ""
