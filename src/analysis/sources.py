"""Sources: which facts each article supports, where articles disagree, and coverage.

Why: every row of the curated tables cites a paragraph of one article (its primary source),
and the citations table adds further articles that support the same row.  The report shows
how much rests on each article and, separately, every point on which articles disagree
(conflicts and their claims); none is resolved silently.
"""
from __future__ import annotations

import pandas as pd

from .memo import per_build

__all__ = ["FACT_TABLES", "support", "disagreements", "coverage", "record_ids"]

#: Tables whose rows are facts cited to a source paragraph, and their identifier column.
FACT_TABLES: dict[str, str] = {
    "bases": "base_id",
    "base_events": "event_id",
    "troop_levels": "obs_id",
    "attacks": "attack_id",
    "milestones": "milestone_id",
    "claims": "claim_id",
}

_SUPPORT_COLUMNS = ["table", "record_id", "field", "source_id", "paragraph", "needle", "role"]


def record_ids(tables) -> dict[str, str]:
    """Identifier column per fact table, from the descriptor's primary keys when available."""
    ids = dict(FACT_TABLES)
    package = getattr(tables, "package", None)
    if package is not None:
        for name, resource in package.resources.items():
            fields = {f["name"] for f in resource["schema"]["fields"]}
            key = resource["schema"].get("primaryKey")
            cited = {"source_id", "paragraph", "needle"} <= fields and name != "citations"
            if (name in ids or cited) and key and len(key) == 1:
                ids[name] = key[0]  # a new cited table is a fact table without being listed here
    return ids


@per_build
def support(tables) -> pd.DataFrame:
    """One row per (table, record_id, source_id, paragraph, needle): a source supporting a fact.

    `role` is `primary` for the row's own citation columns and `further` for rows of the
    citations table (which may name the one `field` they support).  Ordered by table (in
    FACT_TABLES order), record, role, source.
    """
    parts = []
    for name, key in record_ids(tables).items():
        if name not in tables:
            continue
        t = tables[name]
        parts.append(pd.DataFrame({
            "table": name,
            "record_id": t[key].astype("string"),
            "field": pd.Series(pd.NA, index=t.index, dtype="string"),
            "source_id": t["source_id"].astype("string"),
            "paragraph": t["paragraph"].astype("Int64"),
            "needle": t["needle"].astype("string"),
            "role": "primary",
        }))
    if "citations" in tables:
        c = tables["citations"]
        parts.append(pd.DataFrame({
            "table": c["record_table"].astype("string"),
            "record_id": c["record_id"].astype("string"),
            "field": c["field"].astype("string"),
            "source_id": c["source_id"].astype("string"),
            "paragraph": c["paragraph"].astype("Int64"),
            "needle": c["needle"].astype("string"),
            "role": "further",
        }))
    if not parts:
        return pd.DataFrame(columns=_SUPPORT_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["table"] = out["table"].astype("string")
    out["role"] = pd.Categorical(out["role"], categories=["primary", "further"])
    order = {name: i for i, name in enumerate(FACT_TABLES)}
    out["_t"] = out["table"].map(order).fillna(len(order))
    out = out.drop_duplicates(["table", "record_id", "field", "source_id", "paragraph", "needle", "role"])
    out = out.sort_values(["_t", "table", "record_id", "role", "source_id", "paragraph"], kind="stable")
    return out.drop(columns="_t")[_SUPPORT_COLUMNS].reset_index(drop=True)


def disagreements(tables) -> pd.DataFrame:
    """One row per claim, joined to its conflict and to the claiming source.

    Columns: the conflict (id, topic ar/en, subject table/id, attribute, status, note ar/en),
    the claim (id, value, unit, text ar/en, paragraph) and its source (id, outlet ar/en,
    outlet basis, published date and its precision).  Ordered by conflict, then claim.
    """
    claims = tables["claims"]
    conflicts = tables["conflicts"]
    sources = tables["sources"]
    c = conflicts[["conflict_id", "topic_ar", "topic_en", "subject_table", "subject_id", "attribute", "status",
                   "note_ar", "note_en"]].astype("string")
    k = claims[["conflict_id", "claim_id", "value", "unit", "claim_ar", "claim_en", "source_id"]].astype("string")
    k["paragraph"] = claims["paragraph"].astype("Int64")
    s = sources[["source_id", "outlet_ar", "outlet_en", "outlet_basis"]].astype("string")
    s["published"] = sources["published"]
    s["published_precision"] = sources["date_precision"].astype("string")
    out = k.merge(c, on="conflict_id", how="left").merge(s, on="source_id", how="left")
    cols = ["conflict_id", "topic_ar", "topic_en", "subject_table", "subject_id", "attribute", "status",
            "claim_id", "value", "unit", "claim_ar", "claim_en", "source_id", "paragraph",
            "outlet_ar", "outlet_en", "outlet_basis", "published", "published_precision",
            "note_ar", "note_en"]
    return out[cols].sort_values(["conflict_id", "claim_id"], kind="stable").reset_index(drop=True)


def coverage(tables) -> pd.DataFrame:
    """Facts per source and table: distinct records each source supports (primary or further).

    Wide table indexed by source_id (every source, zeros included) with one column per fact
    table, `total` (distinct records across tables), and `primary` (records whose own citation
    is the source).
    """
    sup = support(tables)
    sources = tables["sources"]["source_id"].astype("string") if "sources" in tables else sup["source_id"].unique()
    distinct = sup.drop_duplicates(["source_id", "table", "record_id"])
    wide = distinct.pivot_table(index="source_id", columns="table", values="record_id",
                                aggfunc="count", fill_value=0)
    tables_order = [t for t in FACT_TABLES if t in wide.columns] + [t for t in wide.columns if t not in FACT_TABLES]
    wide = wide.reindex(index=pd.Index(sorted(set(sources)), name="source_id"), columns=tables_order, fill_value=0)
    wide = wide.fillna(0).astype("int64")
    wide["total"] = wide.sum(axis=1)
    prim = sup[sup["role"] == "primary"].drop_duplicates(["source_id", "table", "record_id"])
    wide["primary"] = prim.groupby("source_id").size().reindex(wide.index, fill_value=0).astype("int64")
    wide.columns.name = None
    return wide
