"""Every row's citation holds: its needle is in the cited paragraph and each article's hash matches.

Reads ../shared/seeds when present; skips with the reason when it is not.
"""
import hashlib
import re

import pytest

import analysis

TABLES = analysis.load(corpus=False)
CORPUS = TABLES.package.corpus
needs_corpus = pytest.mark.skipif(CORPUS is None, reason="source corpus ../shared/seeds not present beside the clone")
# Paragraphs with digits that carry no fact for the tables: page furniture and related-article links.
NOT_FACTS = {("s000", 23), ("s000", 24)}


def paragraphs(source_id):
    row = TABLES.sources.set_index("source_id").loc[source_id]
    return [line.strip() for line in (CORPUS / row.file).read_text(encoding="utf-8").splitlines() if line.strip()]


def citations():
    for name, frame in TABLES.items():
        if "needle" in frame:
            id_col = frame.columns[0]
            for row in frame.itertuples(index=False):
                yield pytest.param(row.source_id, int(row.paragraph), row.needle, id=f"{name}:{getattr(row, id_col)}")


@needs_corpus
@pytest.mark.parametrize("source_id,paragraph,needle", list(citations()))
def test_needle_in_cited_paragraph(source_id, paragraph, needle):
    assert needle in paragraphs(source_id)[paragraph - 1]


@needs_corpus
@pytest.mark.parametrize("row", list(TABLES.sources.itertuples(index=False)), ids=lambda r: r.source_id)
def test_article_hash(row):
    assert hashlib.sha256((CORPUS / row.file).read_bytes()).hexdigest() == row.sha256
    assert len(paragraphs(row.source_id)) == row.paragraphs


@needs_corpus
def test_every_paragraph_with_a_number_is_curated():
    """A paragraph that states a number or date is cited by some row, so no such fact is left out."""
    cited = {(s, int(p)) for frame in TABLES.values() if "needle" in frame for s, p in zip(frame.source_id, frame.paragraph, strict=True)}
    missing = [(s, i) for s in TABLES.sources.source_id for i, text in enumerate(paragraphs(s), 1)
               if re.search(r"\d", text) and (s, i) not in cited | NOT_FACTS]
    assert not missing


@needs_corpus
def test_no_sentence_copied_from_the_corpus():
    """Data text is ours: no run of seven words from an article appears in any text field."""
    word = re.compile(r"[\u0600-\u06FFA-Za-z0-9]+")
    runs = set()
    for s in TABLES.sources.source_id:
        w = word.findall(" ".join(paragraphs(s)))
        runs |= {tuple(w[i:i + 7]) for i in range(len(w) - 6)}
    for name, frame in TABLES.items():
        for col in frame.columns:
            if str(frame[col].dtype) == "string":
                for value in frame[col].dropna():
                    w = word.findall(value)
                    assert not any(tuple(w[i:i + 7]) in runs for i in range(len(w) - 6)), (name, col, value)


def test_every_conflict_has_two_sourced_sides():
    claims = TABLES.claims
    for conflict in TABLES.conflicts.conflict_id:
        mine = claims[claims.conflict_id == conflict]
        assert mine.source_id.nunique() >= 2 and mine.value.nunique() >= 2, conflict


def test_inferred_dates_say_why():
    for name, frame in TABLES.items():
        if "date_basis" in frame and "date_note" in frame:
            inferred = frame[frame.date_basis == "inferred"]
            assert inferred.date_note.notna().all(), name
    assert TABLES.sources.date_reason.notna().all()
