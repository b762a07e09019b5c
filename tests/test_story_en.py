"""The English summary and closing questions (analysis.story_en): built from the data, hedged as
the data are, and saying what the Arabic edition says (the same rows cited, the same conflicts
named), in English."""
from __future__ import annotations

import re

import pytest
from test_hostile import set_cell

from analysis import story, story_ar, story_en
from analysis.data import load

PLAIN = re.compile("[\u2066-\u2069\\\\]")  # isolates and markdown escapes: compare the words
ARABIC = re.compile("[\u0600-\u06FF]")


def plain(md: str) -> str:
    return PLAIN.sub("", md).replace("\u00a0", " ")


@pytest.fixture(scope="module")
def summary(tables):
    return story_en.summary(tables)


def _set(t, table, key, rid, **changes):
    """Change one row of an in-memory copy of the tables."""
    df = t[table]
    hit = df[key].astype(str) == rid
    assert hit.any(), (table, rid)
    for k, v in changes.items():
        if df[k].dtype == "category" and v not in df[k].cat.categories:
            df[k] = df[k].cat.add_categories([v])
        df.loc[hit, k] = v
    return t


def _edit_csv(data, table, key, rid, **changes):
    """Change one row of a data/ copy's CSV (its line found by its id)."""
    lines = (data / f"{table}.csv").read_text(encoding="utf-8").splitlines()
    col = lines[0].split(",").index(key)
    line = next(i for i, row in enumerate(lines, 1) if i > 1 and row.split(",")[col] == rid)
    for k, v in changes.items():
        set_cell(data, f"{table}.csv", line, k, v)


def test_summary_has_the_arabic_sentences_each_cited(summary, tables):
    assert len(summary) == len(story_ar.summary(tables))
    assert 5 <= len(summary) <= 6
    for s in summary[:-1]:
        assert s.endswith("."), s
        assert "](#src-" in s, f"no citation in: {s}"
    assert "](#conflict-" in summary[-1]
    assert summary[-1].endswith("(see [Open questions](#sec-watch)).")


def test_each_sentence_cites_and_hedges_what_the_arabic_one_does(summary, tables):
    """Content parity: the same sources, paragraphs and conflicts, sentence by sentence."""
    for ar, en in zip(story_ar.summary(tables), summary, strict=True):
        assert re.findall(r"\(#src-[\w-]+\)", en) == re.findall(r"\(#src-[\w-]+\)", ar), en
        assert re.findall(r"\(#conflict-[\w-]+\)", en) == re.findall(r"\(#conflict-[\w-]+\)", ar), en
        ar_pars = re.findall(r"ف(\d+)", plain(ar))
        en_pars = re.findall(r"\d+", " ".join(re.findall(r"paras?\. ([\d, and]+)", plain(en))))
        assert en_pars == ar_pars, en


def test_summary_tells_the_story_from_the_values(summary, tables):
    text = plain(" ".join(summary))
    f = story.facts(tables)
    combat = f["combat_end"].rows[0]
    assert f"On 9 December 2021 (inferred), {combat.record['actor_en']} announced the end" in text
    assert f["troops_before"].numbers["count"] == f["troops_after"].numbers["count"] == 2500
    assert "2,500 in January 2021" in text and "about 2,500 since December 2021" in text
    assert "did not change" in text and "the number did not" in text
    assert "on 5 January 2020: Parliament votes to expel coalition forces" in text
    assert "from March to August 2020, the international coalition handed three bases over to Iraqi forces" in text
    assert "Harir Air Base in Erbil province, in the Kurdistan region" in text
    assert "The sources leave 12 questions unsettled" in text
    assert "between 2022 and 2025 the sources record only three events, all recalled by the 2026 article" in text
    # outlet names, never ids, in the reader's text
    assert "Elaph" in text and "CNN Arabic" in text and story_en.UNKNOWN_PUBLISHER in text
    assert not re.search(r"\bs00\d\b", re.sub(r"\(#[^)]*\)", "", text))


def test_every_conflict_among_a_sentences_rows_is_hedged(summary, tables):
    from analysis.truth import conflict_rows

    cr = conflict_rows(tables)
    f = story.facts(tables)
    for kind, sentence in (("combat_end", 0), ("troops_after", 1), ("vote", 2), ("remaining", 3)):
        ids = {c for r in f[kind].rows for c in cr.get((r.table, r.id), set())}
        if kind == "remaining":
            ids |= {c for r in f[kind].rows for c in cr.get(("bases", r.record["base_id"]), set())}
        assert ids, kind
        for c in ids:
            assert f"(#conflict-{c})" in summary[sentence], (kind, c)
        n = len(f[kind].conflicts) if kind != "troops_after" else len(set(f["troops_before"].conflicts + f[kind].conflicts))
        assert "the sources disagree on " + {1: "one question", 2: "two questions"}[n] in plain(summary[sentence])


def test_no_arabic_letters_in_the_english_text(summary, tables):
    for text in (*summary, story_en.watch(tables)):
        assert not ARABIC.search(text), ARABIC.search(text)
    assert ARABIC.search(" ".join(story_ar.summary(tables)))  # the check can fail


def test_attributed_rows_are_said_as_their_speakers(summary, tables):
    w = story.facts(tables)["withdrawal"].rows[0]
    assert w.modality == "attributed" and w.record["title_en"].startswith("Iraqi government:")
    s = plain(summary[3])
    assert "In 2026 (inferred), according to the Iraqi government, US forces have left" in s
    assert "Iraqi government:" not in s  # the speaker is said once, not repeated from the title


@pytest.mark.parametrize("modality, voice", [
    ("stated", "In 2026 (inferred), Iraqi government: US forces have left"),  # the title as it is
    ("background", "In 2026 (inferred), as background, the source notes: Iraqi government: US forces"),
])
def test_a_changed_modality_changes_the_voice(curated, modality, voice):
    _set(curated, "milestones", "milestone_id", "M25", modality=modality)
    s = plain(story_en.summary(curated)[3])
    assert "according to" not in s.split(";")[0]
    assert voice in s


@pytest.mark.parametrize("modality, voice", [
    ("attributed", "Before that, on 5 January 2020, according to the Iraqi parliament, Parliament votes"),
    ("expected", "Before that, on 5 January 2020, expected at the time: Parliament votes"),
])
def test_the_vote_in_each_voice(curated, modality, voice):
    _set(curated, "milestones", "milestone_id", "M08", modality=modality)
    assert voice in plain(story_en.summary(curated)[2])


def test_a_title_that_opens_with_the_speakers_surname_says_the_speaker_once(curated):
    from analysis.story_en import _said

    row = story._row(curated, "milestones", "M37")
    assert row.modality == "attributed" and row.record["title_en"].startswith("Khafaji:")
    assert plain(_said(row, row.record["title_en"])) == (
        "according to Tahsin al-Khafaji, US forces have begun withdrawing in large numbers")


def test_a_stated_combat_end_is_not_said_as_announced(curated):
    _set(curated, "milestones", "milestone_id", "M19", modality="stated", date_basis="stated")
    s = plain(story_en.summary(curated)[0])
    assert s.startswith("The coalition's combat mission in Iraq ended on 9 December 2021 (")
    assert "announced the end" not in s and "(inferred)" not in s


def test_a_changed_count_in_the_csv_changes_the_sentence(data):
    _edit_csv(data, "troop_levels", "obs_id", "T10", count="1500")
    s = plain(" ".join(story_en.summary(load(data, validate=False))))
    assert "did not change" not in s
    assert "The number of US troops in Iraq, as the sources give it, fell from 2,500 in January 2021" in s
    assert "to about 1,500 since December 2021" in s


def test_changed_words_and_places_come_from_the_data(curated):
    _set(curated, "milestones", "milestone_id", "M08", title_en="Deputies back a *motion* <b>")
    _set(curated, "bases", "base_id", "harir", name_en="Harir airfield", province_en="Duhok")
    text = story_en.summary(curated)
    assert "Deputies back a \\*motion\\* \\<b\\>" in text[2]  # escaped on its way into markdown
    assert "Harir airfield in Duhok province" in plain(text[3])


def test_rank_orders_the_questions(curated, tables):
    assert "(#conflict-C3)" in story_en.summary(tables)[-1]
    _set(curated, "conflicts", "conflict_id", "C3", rank=13)  # who the 2,500 are, demoted
    assert "(#conflict-C3)" not in story_en.summary(curated)[-1]
    items = [x for x in story_en.watch(curated).splitlines() if x.startswith("1. ")]
    assert "(#conflict-C5)" in items[0] and "(#conflict-C3)" in items[len(curated["conflicts"]) - 1]


def test_watch_asks_the_arabic_questions_and_asserts_none(tables):
    md = story_en.watch(tables)
    items = [line for line in md.splitlines() if line.startswith("1. ")]
    assert len(items) == len([x for x in story_ar.watch(tables).splitlines() if x.startswith("1. ")])
    for line in items:
        head = plain(re.search(r"\*\*(.+?)\*\*", line).group(1))
        assert head.endswith("?"), head
    conf = tables["conflicts"]
    for cid, question in zip(conf["conflict_id"], conf["question_en"], strict=True):
        hit = [x for x in items if f"(#conflict-{cid})" in x]
        assert len(hit) == 1 and question in plain(hit[0]), cid
        assert "The sources that disagree: " in hit[0]
    gap = story.coverage_gap(tables)
    assert any(f"What happened between {gap['from']} and {gap['to']}?" in x for x in items)
    expected = [x for x in items if "Did what was expected happen?" in x]
    assert len(expected) == 3 and all("(#src-s004)" in x and "no later article says" in x for x in expected)
