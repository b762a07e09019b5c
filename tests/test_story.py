"""The summary and the closing questions: built from the data, hedged as the data are, and
following the Arabic copy rules (analysis.story, analysis.story_ar, analysis.text_ar)."""
from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from analysis import registry, report, story, story_ar, text_ar
from analysis.data import load

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PLAIN = re.compile("[\u2066-\u2069\\\\]")  # isolates and markdown escapes: compare the words


def plain(md: str) -> str:
    return PLAIN.sub("", md).replace("\u00a0", " ")


@pytest.fixture(scope="module")
def tables():
    return load(DATA)


@pytest.fixture(scope="module")
def summary(tables):
    return story_ar.summary(tables)


def _edit(tmp_path, table, key, rid, **changes) -> Path:
    """A copy of data/ with one row of `table` changed."""
    d = tmp_path / "data"
    shutil.copytree(DATA, d)
    path = d / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0].keys())
    hit = [r for r in rows if r[key] == rid]
    assert hit, f"{rid} not in {table}"
    for k, v in changes.items():
        hit[0][k] = v
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return d


def test_summary_has_five_or_six_sentences_each_cited(summary):
    assert 5 <= len(summary) <= 6
    for s in summary[:-1]:
        assert s.endswith("."), s
        assert "](#src-" in s, f"no citation in: {s}"
    assert "](#conflict-" in summary[-1]  # the open questions, linked


def test_summary_tells_the_story_from_the_values(summary, tables):
    text = plain(" ".join(summary))
    f = story.facts(tables)
    combat = f["combat_end"].rows[0]
    assert f"{combat.record['actor_ar']} في {report.fdate(combat.date, 'day', basis=combat.basis)}".replace("\u00a0", " ") in text
    assert "(مستنتج)" in text  # the day of the announcement is inferred, and says so
    # about 2,500 before and after: the mission changed, the number did not
    assert f["troops_before"].numbers["count"] == f["troops_after"].numbers["count"] == 2500
    assert "2,500 في كانون الثاني 2021" in text and "ونحو 2,500 منذ كانون الأول 2021" in text
    assert "لم يتغيّر" in text
    assert "5 كانون الثاني 2020" in text and "البرلمان يصوّت" in text
    assert "3 قواعد" in text and "من آذار إلى آب 2020" in text
    assert "قاعدة حرير الجوية" in text and "إقليم كردستان" in text
    # outlet names, never ids, in the reader's text
    assert "إيلاف" in text and "سي إن إن بالعربية" in text and text_ar.UNKNOWN_PUBLISHER in text
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


def test_attributed_rows_are_said_as_their_speakers(summary, tables):
    w = story.facts(tables)["withdrawal"].rows[0]
    assert w.modality == "attributed"
    assert f"بحسب {w.record['actor_ar']}" in plain(summary[3])


def test_a_changed_count_changes_the_sentence(tmp_path):
    d = _edit(tmp_path, "troop_levels", "obs_id", "T10", count="1500")
    s = plain(" ".join(story_ar.summary(load(d))))
    assert "لم يتغيّر" not in s
    assert "انخفض عدد الجنود الأميركيين في العراق في المصادر من 2,500" in s and "إلى نحو 1,500" in s


def test_a_changed_modality_changes_the_voice(tmp_path):
    d = _edit(tmp_path, "milestones", "milestone_id", "M25", modality="stated")
    s = plain(story_ar.summary(load(d))[3])
    assert "بحسب الحكومة العراقية" not in s


def test_rank_orders_the_disagreements_and_the_questions(tmp_path, tables):
    qs = [q["id"] for q in story.questions(tables) if q["kind"] == "conflict"]
    assert qs[:2] == ["C3", "C5"] and qs[-1] == "C1"
    d = _edit(tmp_path, "conflicts", "conflict_id", "C3", rank="13")  # who the 2,500 are, demoted
    t = load(d)
    order = [q["id"] for q in story.questions(t) if q["kind"] == "conflict"]
    assert order[0] == "C5" and order[-1] == "C3"
    assert "(#conflict-C3)" not in story_ar.summary(t)[-1]
    md = report.generated_markdown(t)["conflicts"]
    assert md.index("{#conflict-C1 ") < md.index("{#conflict-C3 ")
    assert "**لماذا يهم:**" in md


def test_watch_asks_questions_and_asserts_none(tables):
    md = story_ar.watch(tables)
    items = [line for line in md.splitlines() if line.startswith("1. ")]
    conf = tables["conflicts"]
    assert len(items) >= len(conf) + 1  # every open conflict, then the coverage gap
    for line in items:
        head = plain(re.search(r"\*\*(.+?)\*\*", line).group(1))
        assert head.endswith("؟"), head
    gap = story.coverage_gap(tables)
    assert any(f"ماذا جرى بين {gap['from']} و{gap['to']}؟" in plain(x) for x in items)


def test_copy_rules_hold_in_everything_the_reader_sees(tables):
    values = report.variables(tables, DATA)
    texts = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in ("hash", "hash_full", "epoch", "version"):
                    walk(v)
        elif isinstance(node, str):
            texts.append(node)

    walk(values)
    md = report.generated_markdown(tables)
    texts += [v for k, v in md.items() if k != "source_ids"]
    problems = []
    for t in texts:
        words = PLAIN.sub("", t)
        problems += text_ar.copy_problems(words)
        problems += [f"month name outside quotes: {m}" for m in text_ar.other_month_names(words)]
        for bad in ("ناشره مجهول", "غير معروفة", "ناشر غير معروف"):
            if bad in words:
                problems.append(f"another name for the unknown publisher: {bad}")
    assert not problems, "\n".join(problems[:20])


def test_copy_problems_catches_each_rule():
    nb = text_ar.NBSP
    assert text_ar.copy_problems("عدد الوقائع: 0.")
    assert text_ar.copy_problems(f"من آذار{nb}2020 إلى آب{nb}2020")
    assert text_ar.copy_problems("في 9 كانون الأول 2021")
    assert text_ar.copy_problems("(CNN Arabic)")
    assert text_ar.copy_problems("2500 جندي")
    assert not text_ar.copy_problems(f"من آذار إلى آب{nb}2020، و2,500 جندي في 9{nb}كانون{nb}الأول{nb}2021 (CNN{nb}Arabic)")


def test_arabic_indic_digits_for_the_whole_briefing(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_DIGITS", "arabic-indic")
    figs = tmp_path / "figs"
    figs.mkdir()
    for name in registry.NAMES:
        (figs / f"{name}.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    project = tmp_path / "report"
    project.mkdir()
    report.generate(DATA, project, figs)
    summary = (project / "_generated" / "ar" / "summary.md").read_text(encoding="utf-8")
    troops = (project / "_generated" / "ar" / "troops.md").read_text(encoding="utf-8")
    bare = re.sub(r"\(#[^)]*\)|\{#[^}]*\}", "", summary + troops)  # anchors keep their Latin ids
    bare = re.sub(r"[A-Za-z][A-Za-z0-9\-]*", "", bare)  # Latin names (K-1, F-16) too
    assert not re.search(r"[0-9]", bare), re.search(r".{20}[0-9].{20}", bare)
    assert "٢٬٥٠٠" in summary and "(#src-s002)" in summary
    import json

    values = json.loads((project / "_generated" / "ar" / "values.json").read_text(encoding="utf-8"))
    assert "٢٠٢١" in values["sources"]["first"] and "المشرقية" in values["colophon"]["digits"]
    monkeypatch.setenv("ANALYSIS_DIGITS", "roman")
    with pytest.raises(ValueError, match="ANALYSIS_DIGITS"):
        report.generate(DATA, project, figs)
