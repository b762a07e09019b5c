"""analysis.sourceline: the words of a chart's source line follow the rows it draws."""
from __future__ import annotations

import pytest

from analysis import sourceline


def _outlet(tables, sid, lang="ar"):
    row = tables.sources[tables.sources["source_id"].astype("string") == sid].iloc[0]
    name = row[f"outlet_{lang}"]
    return (sourceline.UNKNOWN_OUTLET[lang] if name is None or str(name) == "<NA>" else str(name)), \
        row["published"].year


def test_names_exactly_the_articles_behind_the_rows(tables):
    tl = tables.troop_levels
    one = tl.iloc[0]
    sid = str(one["source_id"])
    cited_further = tables.citations[(tables.citations["record_table"] == "troop_levels")
                                     & (tables.citations["record_id"] == one["obs_id"])]["source_id"]
    expected = {sid} | set(cited_further.astype(str))
    assert set(sourceline.source_ids(tables, {"troop_levels": [one["obs_id"]]})) == expected
    text = sourceline.text(tables, {"troop_levels": [one["obs_id"]]}, "en")
    name, year = _outlet(tables, sid, "en")
    assert f"{name} ({year})" in text
    others = set(tables.sources["source_id"].astype(str)) - expected
    for other in others:
        other_name, _ = _outlet(tables, other, "en")
        assert other_name not in text


def test_more_rows_name_more_articles_in_publication_order(tables):
    all_ids = sourceline.source_ids(tables, {"troop_levels": tables.troop_levels["obs_id"]})
    assert len(all_ids) > 1
    pub = tables.sources.set_index(tables.sources["source_id"].astype(str))["published"]
    assert [pub[i] for i in all_ids] == sorted(pub[i] for i in all_ids)


def test_arabic_line_prefix_join_and_note(tables):
    text = sourceline.text(tables, {"troop_levels": tables.troop_levels["obs_id"]}, "ar", note="تجربة")
    first, *rest = text.split("\n")
    assert first.startswith("المصادر: ")
    assert "، و" in first  # و before every item after the first
    assert rest and rest[-1].endswith("تجربة") and "ملاحظة: " in text
    one = sourceline.text(tables, {"troop_levels": [tables.troop_levels["obs_id"].iloc[0]]}, "ar")
    assert one.startswith("المصدر: ") or one.startswith("المصادر: ")


def test_english_line_prefix_join_note_and_no_arabic(tables):
    """The English source line: "Sources: A (2021), B (2021) and C (2026); project analysis",
    then "Note: ...", in English words only (the outlets' *_en names)."""
    from analysis.arabic import has_arabic

    text = sourceline.text(tables, {"troop_levels": tables.troop_levels["obs_id"]}, "en", note="a test")
    first, *rest = text.split("\n")
    assert first.startswith("Sources: ") and " and " in first and first.endswith("; project analysis")
    assert rest and rest[-1] == "Note: a test"
    assert not has_arabic(text)
    sid = str(tables.troop_levels["source_id"].iloc[0])
    name, year = _outlet(tables, sid, "en")
    assert f"{name} ({year})" in first


def test_unknown_outlet_has_one_name(tables):
    unknown = tables.sources[tables.sources["outlet_ar"].isna()]["source_id"].astype(str)
    assert len(unknown)  # the corpus has one article without a named outlet
    fact = tables.troop_levels[tables.troop_levels["source_id"].astype(str).isin(unknown)]["obs_id"]
    assert sourceline.UNKNOWN_OUTLET["ar"] in sourceline.text(tables, {"troop_levels": fact}, "ar")


def test_join_and_lang():
    assert sourceline.join(["أ", "ب", "ج"], "ar") == "أ، وب، وج"
    assert sourceline.join(["أ", "ب"], "ar") == "أ وب"
    assert sourceline.join(["a", "b", "c"], "en") == "a, b and c"
    assert sourceline.join(["a", "b"], "en") == "a and b"
    with pytest.raises(ValueError):
        sourceline.text({}, {}, "fr")


def test_lines_wrap(tables):
    text = sourceline.text(tables, {"troop_levels": tables.troop_levels["obs_id"]}, "en", wrap=40)
    assert all(len(line) <= 40 for line in text.split("\n")) and text.count("\n") >= 1
