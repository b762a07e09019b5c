"""The briefing's generated tables and lists (analysis.briefing.tables) in both languages: one
builder, so the same rows in the same order; each language's words, columns and date forms; data
changes reach both; data markup stays text."""
from __future__ import annotations

import re

import pytest
from test_hostile import set_cell

from analysis.briefing.tables import generated_markdown

#: Written by story_ar / story_en, not by the table builder: compared only where both exist.
STORY = {"summary", "watch"}
ARABIC = re.compile(r"[\u0600-\u06FF]")
CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _stand_ins(mp: pytest.MonkeyPatch, tables) -> None:
    """story_en's summary and watch may not be written yet: stand-ins then, so the tables can be
    tested (the two names are left out of the English checks below)."""
    from analysis import story_en

    try:
        story_en.summary(tables)
        story_en.watch(tables)
    except NotImplementedError:
        mp.setattr(story_en, "summary", lambda t, facts=None: ["(summary)"])
        mp.setattr(story_en, "watch", lambda t: "(watch)\n")


@pytest.fixture(autouse=True)
def _english_story(monkeypatch, tables):
    _stand_ins(monkeypatch, tables)


@pytest.fixture(scope="module")
def both(tables):
    """{lang: generated markdown} for the curated data."""
    mp = pytest.MonkeyPatch()
    try:
        _stand_ins(mp, tables)
        return {"ar": generated_markdown(tables), "en": generated_markdown(tables, "en")}
    finally:
        mp.undo()


def plain(text: str) -> str:
    """What a reader sees: no isolates, no markdown escapes, ordinary spaces."""
    text = re.sub("[\u2066-\u2069]", "", text).replace("\u00a0", " ")
    return re.sub(r"\\(.)", r"\1", text)


def rows(md: str) -> list[list[str]]:
    """Every pipe-table row of a markdown text (headers included, rulers not), as cells."""
    out = []
    for line in md.splitlines():
        if line.startswith("|") and not line.startswith("|-"):
            out.append([c.strip() for c in CELL_SPLIT.split(line)[1:-1]])
    return out


def headers(md: str) -> list[list[str]]:
    """The header row of every pipe table in a markdown text."""
    lines = md.splitlines()
    return [[c.strip() for c in CELL_SPLIT.split(lines[i - 1])[1:-1]]
            for i, line in enumerate(lines) if line.startswith("|-")]


def tables_only(out: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in out.items() if k not in STORY}


def test_both_languages_have_the_same_tables_rows_and_columns(both):
    """One builder: every table has the same rows and the same cells per row in both languages,
    the conflicts the same headings, the source notes the same items."""
    ar, en = both["ar"], both["en"]
    assert set(ar) == set(en) == {"troops", "provinces", "base_events", "attacks", "milestones", "conflicts",
                                  "sources", "source_reasons", "summary", "watch", "source_ids"}
    for name in tables_only(ar):
        shape_ar = [len(r) for r in rows(ar[name])]
        assert shape_ar == [len(r) for r in rows(en[name])], name
    assert len(rows(ar["troops"])) > 5 and len(rows(ar["milestones"])) > 20
    for name, mark in (("conflicts", "### "), ("source_reasons", "- **")):
        assert ar[name].count(mark) == en[name].count(mark) > 1, name
    # the conflicts in the same (ranked) order: the same anchors
    anchors = lambda md: re.findall(r"\{#(conflict-[^ }]+)", md)  # noqa: E731
    assert anchors(ar["conflicts"]) == anchors(en["conflicts"])


#: The columns the builder words (dates, counts, citations), not the data's free text: their
#: numbers must agree between the languages.
WORDED = {"troops": (0, 1, 6), "provinces": (3, 4, 5, 6), "base_events": (4, 7), "attacks": (0, 5, 6, 7, 9),
          "milestones": (0, 5), "sources": (2, 4, 5, 6), "source_ids": (0, 1, 2, 3)}


def test_the_numbers_and_links_are_the_same_in_both_languages(both):
    """Row by row, the dates, counts and citations have the same numbers (paragraphs, days,
    years) and every cell the same links: only the words differ."""
    ar, en = both["ar"], both["en"]
    digits = lambda cell: re.findall(r"\d+", plain(cell).replace(",", ""))  # noqa: E731
    links = lambda cell: re.findall(r"\]\((#[^)]+)\)|\{#([^}]+)\}", cell)  # noqa: E731
    for name in tables_only(ar):
        pairs = list(zip(rows(ar[name]), rows(en[name]), strict=True))
        for n, (r_ar, r_en) in enumerate(pairs):
            for c_ar, c_en in zip(r_ar, r_en, strict=True):
                assert links(c_ar) == links(c_en), (name, c_ar, c_en)
            cols = WORDED.get(name, ())
            if name == "conflicts" and n % 4 in (2, 3):  # the claims' sources and dates
                cols = range(1, len(r_ar))
            for i in cols if n or name == "conflicts" else ():
                assert digits(r_ar[i]) == digits(r_en[i]), (name, i, r_ar[i], r_en[i])
    assert any(links(c) for r in rows(en["milestones"]) for c in r)


def test_key_values_appear_in_each_language_form(both, tables):
    """The troop counts as the data give them ("about"/«نحو» for an approximate one), a day-precise
    date in each language's form, the inferred mark, the citations' paragraph numbers."""
    ar, en = ({k: plain(v) for k, v in both[lang].items()} for lang in ("ar", "en"))
    lv = tables["troop_levels"].sort_values(["date", "obs_id"])
    want = [f"{int(c):,}" for c in lv["count"]]
    approx = [bool(a) for a in lv["count_approximate"]]
    for lang, about in (("ar", "نحو "), ("en", "about ")):
        got = [r[1] for r in rows(both[lang]["troops"])[1:]]
        assert got == [(about if a else "") + w for w, a in zip(want, approx, strict=True)], lang
    assert "| 9 December 2021 (inferred) |" in en["milestones"]
    assert "| 9 كانون الأول 2021 (مستنتج) |" in ar["milestones"]
    assert "| 2003 to 2011 (inferred) | 170,000 |" in en["troops"]
    assert "| من 2003 إلى 2011 (مستنتج) | 170,000 |" in ar["troops"]
    assert "[Elaph, para. 19](#src-s002)" in en["milestones"]
    assert "[إيلاف، ف19](#src-s002)" in ar["milestones"]
    assert "dispute [C3](#conflict-C3)" in en["troops"] and "خلاف [C3](#conflict-C3)" in ar["troops"]
    assert "disputes [C7](#conflict-C7) and [C11](#conflict-C11)" in en["milestones"]
    assert "**Why it matters:**" in en["conflicts"] and "| Item | Account 1 | Account 2 |" in en["conflicts"]
    assert "| Kirkuk | Federal Iraq | Kirkuk base (K-1) and Altun Kupri base | 1 | 0 | March 2020 | March 2020 |" \
        in en["provinces"]
    assert "| not stated |" in en["provinces"] and "| غير مذكورة |" in ar["provinces"]
    assert "[Unknown publisher]{#src-s000}" in en["sources"] and "| inferred, to the month |" in en["sources"]


def test_no_arabic_letters_and_no_isolated_runs_in_english(both):
    """The English tables use the _en columns and English labels throughout, and need no
    left-to-right isolates (ltr) the Arabic tables put around Latin runs."""
    for name, text in tables_only(both["en"]).items():
        assert not ARABIC.findall(text), (name, ARABIC.findall(text)[:5])
        assert "\u2066" not in text, name
    assert "\u2066" in both["ar"]["source_ids"]  # kept in Arabic


def test_no_english_headers_or_words_in_arabic(both):
    """Every Arabic header is Arabic, and none of the English headers or words shows in the
    Arabic tables."""
    ar = "\n".join(plain(v) for v in tables_only(both["ar"]).values())
    for name, md in tables_only(both["ar"]).items():
        for cells in headers(md):
            assert all(ARABIC.search(c) for c in cells), (name, cells)
    english = {c for md in tables_only(both["en"]).values() for h in headers(md) for c in h}
    english |= {"about", "inferred", "not stated", "Why it matters", "Account", "dispute", "status", "para."}
    assert {"Date", "Count", "Who is counted", "Scope", "Kind", "Note", "Source"} <= english
    found = [w for w in english if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", ar)]
    assert not found


def test_a_changed_value_changes_both_languages(data):
    """A count, a date and the names come from the data, in each language's form; a name changes
    only the language whose column it is."""
    from analysis.data import load

    before = {lang: generated_markdown(load(data, validate=False), lang) for lang in ("ar", "en")}
    assert "123,457" not in before["ar"]["troops"] + before["en"]["troops"]
    set_cell(data, "troop_levels.csv", 2, "count", "123457")
    set_cell(data, "milestones.csv", 2, "date", "2019-07-04")
    set_cell(data, "milestones.csv", 2, "date_precision", "day")
    set_cell(data, "bases.csv", 2, "name_en", "Zedtest Air Base")
    set_cell(data, "bases.csv", 2, "name_ar", "قاعدة زيدتست")
    after = {lang: {k: plain(v) for k, v in generated_markdown(load(data, validate=False), lang).items()}
             for lang in ("ar", "en")}
    ar, en = after["ar"], after["en"]
    assert "123,457" in ar["troops"] and "123,457" in en["troops"]
    assert "| 4 July 2019 | Invasion of Iraq |" in en["milestones"]
    assert "| 4 تموز 2019 |" in ar["milestones"]
    for name in ("troops", "provinces", "base_events", "attacks"):
        assert "Zedtest Air Base" in en[name] and "Zedtest" not in ar[name], name
        assert "قاعدة زيدتست" in ar[name] and "زيدتست" not in en[name], name
        assert "Ain al-Asad" not in en[name] and "عين الأسد" not in ar[name], name


def test_planted_markup_in_an_english_cell_stays_text(data):
    """Markup, a pipe and a shortcode in _en cells are escaped text: no HTML, no new column, no
    heading, no include; the Arabic tables do not show them."""
    from analysis.data import load

    planted = "<script>x()</script> **b** | [l](http://e.x) {{< include y >}}"
    set_cell(data, "troop_levels.csv", 2, "note_en", planted)
    set_cell(data, "conflicts.csv", 4, "topic_en", "# Top {#evil} " + planted)
    set_cell(data, "attacks.csv", 2, "casualty_note_en", planted)
    t = load(data, validate=False)
    en, ar = generated_markdown(t, "en"), generated_markdown(t, "ar")
    for name in ("troops", "conflicts", "attacks"):
        assert "<script>" not in en[name] and "{{<" not in en[name] and "](http" not in en[name], name
        assert "\\<script\\>" in en[name] and "\\|" in en[name], name
        assert "script" not in ar[name], name
    assert [len(r) for r in rows(en["troops"])] == [len(r) for r in rows(ar["troops"])]
    assert "{#evil}" not in en["conflicts"] and "### \u2068\\# Top \\{\\#evil\\}" in en["conflicts"]


def test_an_unknown_language_is_refused(tables):
    with pytest.raises(ValueError, match="fr"):
        generated_markdown(tables, "fr")
