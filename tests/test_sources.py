"""analysis.sources on small inline tables: support, disagreements, coverage."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis import sources


def s(values):
    return pd.array(values, dtype="string")


@pytest.fixture
def tables():
    return {
        "sources": pd.DataFrame({
            "source_id": s(["s1", "s2", "s3"]), "outlet_ar": s(["أ", None, "ج"]),
            "outlet_en": s(["A", None, "C"]), "outlet_basis": ["stated", "unknown", "inferred"],
            "published": pd.to_datetime(["2021-12-09", "2021-12-01", "2026-01-01"]),
            "date_precision": ["day", "month", "year"],
        }),
        "bases": pd.DataFrame({"base_id": s(["b1", "b2"]), "source_id": s(["s1", "s1"]),
                               "paragraph": pd.array([3, 4], dtype="Int64"), "needle": s(["180", "75"])}),
        "milestones": pd.DataFrame({"milestone_id": s(["M1"]), "source_id": s(["s2"]),
                                    "paragraph": pd.array([1], dtype="Int64"), "needle": s(["2021"])}),
        "citations": pd.DataFrame({
            "citation_id": s(["X1", "X2", "X3"]), "record_table": s(["bases", "milestones", "milestones"]),
            "record_id": s(["b1", "M1", "M1"]), "field": s(["capacity_troops", None, None]),
            "source_id": s(["s2", "s1", "s3"]), "paragraph": pd.array([7, 2, 9], dtype="Int64"),
            "needle": s(["5000", "x", "y"]),
        }),
        "conflicts": pd.DataFrame({
            "conflict_id": s(["C1"]), "topic_ar": s(["المسافة"]), "topic_en": s(["Distance"]),
            "subject_table": ["bases"], "subject_id": s(["b1"]), "attribute": s(["distance_km"]),
            "status": ["unresolved"], "note_ar": s(["ن"]), "note_en": s(["n"]),
        }),
        "claims": pd.DataFrame({
            "claim_id": s(["C1b", "C1a"]), "conflict_id": s(["C1", "C1"]), "value": s(["100", "180"]),
            "unit": s(["km", "km"]), "claim_ar": s(["100 كم", "180 كم"]), "claim_en": s(["100 km", "180 km"]),
            "source_id": s(["s2", "s1"]), "paragraph": pd.array([7, 3], dtype="Int64"), "needle": s(["100", "180"]),
        }),
    }


def test_support_rows_and_roles(tables):
    sup = sources.support(tables)
    assert list(sup.columns) == ["table", "record_id", "field", "source_id", "paragraph", "needle", "role"]
    assert len(sup) == 2 + 1 + 2 + 3  # bases, milestones, claims, citations
    b1 = sup[(sup["table"] == "bases") & (sup["record_id"] == "b1")]
    assert list(b1["role"]) == ["primary", "further"]
    assert b1["field"].iloc[1] == "capacity_troops"
    m1 = sup[sup["record_id"] == "M1"]
    assert sorted(m1["source_id"]) == ["s1", "s2", "s3"]
    assert (m1["role"] == "primary").sum() == 1


def test_disagreements(tables):
    d = sources.disagreements(tables)
    assert list(d["claim_id"]) == ["C1a", "C1b"]  # ordered
    assert (d["topic_en"] == "Distance").all()
    a = d.iloc[0]
    assert (a["value"], a["unit"], a["outlet_en"], a["published_precision"]) == ("180", "km", "A", "day")
    assert pd.isna(d.iloc[1]["outlet_en"])  # unknown outlet kept, not dropped


def test_coverage(tables):
    c = sources.coverage(tables)
    assert list(c.index) == ["s1", "s2", "s3"]
    assert c.loc["s1", "bases"] == 2 and c.loc["s1", "milestones"] == 1 and c.loc["s1", "claims"] == 1
    assert c.loc["s1", "total"] == 4 and c.loc["s1", "primary"] == 3
    assert c.loc["s3", "total"] == 1 and c.loc["s3", "primary"] == 0
    assert c.loc["s2", "total"] == 3  # b1 (further), M1 (primary), C1b


def test_on_package_data():
    from analysis import load

    t = load(validate=False)
    sup = sources.support(t)
    n_rows = sum(len(t[name]) for name in sources.FACT_TABLES) + len(t.citations)
    assert len(sup) == n_rows
    d = sources.disagreements(t)
    assert set(d["conflict_id"]) == set(t.conflicts["conflict_id"])
    assert d.groupby("conflict_id")["source_id"].nunique().min() >= 2
