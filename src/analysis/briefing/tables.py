"""The generated includes: tables and lists of the data, as markdown."""
from __future__ import annotations

import re

from .ar import fdate, fperiod, join_ar, num
from .markdown import NBSP, _isna, _table, _txt, ltr, md_escape
from .values import _cite, _conflict_links, _labels


def _named(tables, value) -> str:
    """A data note that names articles by id («s002 (الفقرة 15)»), with the outlet's name
    instead, for the reader (the ids are in the colophon)."""
    from ..story_ar import outlet

    if _isna(value):
        return ""
    ids = set(tables["sources"]["source_id"].astype(str))
    text = re.sub(r"(?<![A-Za-z0-9])(s\d{3})(?![A-Za-z0-9])",
                  lambda m: f"\x00{m.group(1)}\x00" if m.group(1) in ids else m.group(1), str(value))
    parts = text.split("\x00")
    def piece(p: str) -> str:  # md_escape trims; the spaces around a name stay
        return (" " if p[:1].isspace() else "") + md_escape(p) + (" " if p[-1:].isspace() else "")

    return "".join(outlet(tables, p) if i % 2 else piece(p) for i, p in enumerate(parts) if p)


def _milestone_order(ms):
    """Milestones in time order: by the earliest date the evidence allows (a year-precise row
    bounded to June-December sorts after April), else the date, else the latest possible date
    ("before 31 December" goes with its month)."""
    import pandas as pd

    lo = ms["date_earliest"] if "date_earliest" in ms else pd.Series(pd.NaT, index=ms.index)
    hi = ms["date_latest"] if "date_latest" in ms else pd.Series(pd.NaT, index=ms.index)
    key = lo.fillna(ms["date"]).fillna(hi)
    # among equal keys, a row known only by its bounds goes after the dated ones
    return ms.assign(_k=key, _u=ms["date"].isna()).sort_values(["_k", "_u", "milestone_id"], kind="stable",
                                                                na_position="last").drop(columns=["_k", "_u"])


def generated_markdown(tables, lang: str = "ar") -> dict[str, str]:
    """The generated includes: name -> markdown."""
    from .. import attacks as A
    from .. import bases as B
    from .. import sources as S

    L = lambda t, f: _labels(tables, t, f)  # noqa: E731
    bases = tables["bases"]
    base_name = bases.set_index("base_id")["name_ar"]
    out: dict[str, str] = {}

    # troop observations
    lv = tables["troop_levels"].sort_values(["date", "obs_id"])
    counted, area, kind = L("troop_levels", "counted"), L("troop_levels", "area"), L("troop_levels", "kind")
    rows = []
    for _, r in lv.iterrows():
        where = area.get(str(r["area"]), "")
        if str(r["area"]) == "base" and not _isna(r["base_id"]):
            where = md_escape(base_name.get(r["base_id"], r["base_id"]))
        when = fperiod(r["date"], r["date_end"], r["date_precision"])
        if str(r["date_basis"]) == "inferred":
            when += " (مستنتج)"
        count = ("نحو " if bool(r["count_approximate"]) else "") + num(r["count"])
        modal = L("troop_levels", "modality").get(str(r.get("modality")), "") if "modality" in r else ""
        rows.append([when, count, counted.get(str(r["counted"]), ""), where,
                     kind.get(str(r["kind"]), "") + (f"، {modal}" if modal else ""),
                     _txt(r["note_ar"]), _cite(tables, r) + (f" — {_conflict_links([r['conflict_id']])}" if not _isna(r["conflict_id"]) else "")])
    out["troops"] = _table(["التاريخ", "العدد", "من يُعدّ", "النطاق", "النوع", "ملاحظة", "المصدر"], rows,
                           [15, 10, 13, 13, 9, 27, 13])

    # bases: provinces summary (dates at the precision of the event they come from)
    ho = B.handed_over(tables["base_events"])
    ho_prec: dict = {}
    for d, p in zip(ho["date"], ho["precision"], strict=True):
        ho_prec.setdefault(d, []).append(str(p))

    def _handover_date(value):
        if _isna(value):
            return "—"
        precs = ho_prec.get(value, ["month"])
        return fdate(value, min(precs, key=["year", "month", "day"].index))

    region = L("bases", "region")
    prov = B.by_province(bases, tables["base_events"])
    rows = []
    for _, r in prov.iterrows():
        in_prov = bases[bases["province_ar"] == r["province_ar"]] if not _isna(r["province_ar"]) else bases[bases["province_ar"].isna()]
        listed = join_ar([md_escape(n) for n in in_prov["name_ar"]])
        rows.append([md_escape(r["province_ar"]) if not _isna(r["province_ar"]) else "غير مذكورة",
                     region.get(str(r["region"]), ""), listed, num(r["handed_over"]),
                     num(r["partly_handed_over"]) if "partly_handed_over" in r else "0",
                     _handover_date(r["first_handover"]), _handover_date(r["last_handover"])])
    out["provinces"] = _table(["المحافظة", "الإقليم", "القواعد والمواقع", "سُلّم منها أو أُخلي",
                               "سُلّم جزء منها فقط", "أول تسليم أو إخلاء",
                               "آخر تسليم أو إخلاء"], rows, [11, 12, 31, 9, 9, 14, 14])

    # bases: events by province
    tl = B.timelines(tables["base_events"], bases)
    ev = tables["base_events"].set_index("event_id")
    state, actor, prec = L("base_events", "state"), L("base_events", "actor"), L("base_events", "date_precision")
    basis_l = L("base_events", "date_basis")
    pbasis = L("bases", "province_basis")
    binfo = bases.set_index("base_id")
    rows = []
    for _, r in tl.iterrows():
        e = ev.loc[r["event_id"]]
        b = binfo.loc[r["base_id"]]
        province = md_escape(b["province_ar"]) if not _isna(b["province_ar"]) else "غير مذكورة"
        if str(b["province_basis"]) == "inferred":
            province += f" ({pbasis['inferred']})"
        when = fdate(e["date"], e["date_precision"])  # date_note is English: not shown here
        rows.append([province, md_escape(b["name_ar"]), state.get(str(e["state"]), ""), actor.get(str(e["actor"]), ""),
                     when, f"{prec.get(str(e['date_precision']), '')}، {basis_l.get(str(e['date_basis']), '')}",
                     _txt(e["note_ar"]), _cite(tables, e)])
    out["base_events"] = _table(["المحافظة", "القاعدة", "الحالة", "القوات", "التاريخ", "دقة التاريخ", "ملاحظة", "المصدر"],
                                rows, [10, 13, 12, 11, 11, 10, 22, 11])

    # attacks
    at = tables["attacks"].set_index("attack_id")
    chron = A.chronology(tables["attacks"], bases)
    ek, weapon, pk = L("attacks", "event_kind"), L("attacks", "weapon"), L("attacks", "perpetrator_kind")
    rows = []
    for _, c in chron.iterrows():
        a = at.loc[c["attack_id"]]
        when = fperiod(a["date"], a["date_end"], a["date_precision"])
        perp = _txt(a["perpetrator_ar"]) or pk.get(str(a["perpetrator_kind"]), "")
        proj = "" if _isna(a["projectiles"]) else ("نحو " if bool(a["projectiles_approximate"]) else "") + num(a["projectiles"])
        rows.append([when, ek.get(str(a["event_kind"]), ""), _txt(c["target_ar"]), perp,
                     weapon.get(str(a["weapon"]), ""), proj,
                     "" if _isna(a["killed"]) else num(a["killed"]),
                     "" if _isna(a["injured"]) else num(a["injured"]),
                     _txt(a["casualty_note_ar"]), _cite(tables, {"source_id": a["source_id"], "paragraph": a["paragraph"]})])
    out["attacks"] = _table(["التاريخ", "النوع", "الهدف", "المنفّذ", "السلاح", "المقذوفات", "القتلى", "الجرحى",
                             "الإصابات كما وردت", "المصدر"], rows, [11, 8, 11, 13, 9, 8, 6, 6, 17, 11])

    # milestones: undated but bounded events go where their bounds put them; disputed ones say so
    from ..text_ar import date_range
    from ..truth import conflict_rows

    ms = _milestone_order(tables["milestones"])
    in_conflict = conflict_rows(tables)  # a side (conflict_id) or the subject of a conflict
    mk = L("milestones", "kind")
    mod = L("milestones", "modality") if "modality" in tables["milestones"] else {}
    rows = []
    for _, m in ms.iterrows():
        if _isna(m["date"]):
            lo, hi = m.get("date_earliest"), m.get("date_latest")
            when = (date_range(lo, hi, "day", between=True) if not _isna(lo) and not _isna(hi) else
                    f"قبل {fdate(hi)}" if not _isna(hi) else f"بعد {fdate(lo)}" if not _isna(lo) else "غير محدد")
            when += " (غير مؤرخ)"
        else:
            when = fperiod(m["date"], m["date_end"], m["date_precision"])
            lo, hi = m.get("date_earliest"), m.get("date_latest")
            if not _isna(lo) and not _isna(hi):  # a year-precise date the evidence narrows
                when += "، " + date_range(lo, hi, "month", between=True)
            if str(m["date_basis"]) == "inferred":
                when += " (مستنتج)"
        disputes = sorted(in_conflict.get(("milestones", str(m["milestone_id"])), set()), key=lambda c: int(c[1:]) if c[1:].isdigit() else 0)
        cite = _cite(tables, m) + (f" — {_conflict_links(disputes)}" if disputes else "")
        rows.append([when, _txt(m["title_ar"]), _txt(m["actor_ar"]), mk.get(str(m["kind"]), ""),
                     mod.get(str(m.get("modality")), ""), cite])
    out["milestones"] = _table(["التاريخ", "المحطة", "الجهة", "النوع", "قوة الخبر", "المصدر"], rows,
                               [17, 38, 15, 9, 9, 12])

    # conflicts: claims side by side, the most consequential first (rank: editorial data)
    from ..story import _ranked
    from ..story_ar import conflict_anchor, outlet, source_anchor

    dis = S.disagreements(tables)
    status = L("conflicts", "status")
    conf = tables["conflicts"].set_index("conflict_id")
    parts = []
    for cid in _ranked(tables, dis["conflict_id"].astype(str).unique()):
        g = dis[dis["conflict_id"] == cid]
        first = g.iloc[0]
        parts.append(f"### {md_escape(first['topic_ar'])} {{#{conflict_anchor(cid)} .unnumbered}}\n")
        why = conf.loc[cid, "why_it_matters_ar"] if "why_it_matters_ar" in conf else None
        if why is not None and not _isna(why):
            parts.append(f"**لماذا يهم:** {md_escape(why)}\n")
        parts.append(f"{_named(tables, first['note_ar'])} (الحالة: {status.get(str(first['status']), _txt(first['status']))}).\n")
        header = ["البند"] + [f"الرواية {i}" for i in range(1, len(g) + 1)]  # no empty header cell
        rows = [
            ["ما يقوله المصدر"] + [_txt(r["claim_ar"]) for _, r in g.iterrows()],
            ["المصدر"] + [_cite(tables, r) for _, r in g.iterrows()],
            ["تاريخ المصدر"] + [fdate(r["published"], r["published_precision"]) for _, r in g.iterrows()],
        ]
        parts.append(_table(header, rows, [16] + [42] * len(g)))
    out["conflicts"] = "\n".join(parts)

    # sources: by outlet and date (the ids are in the colophon); each row is a link target
    src = tables["sources"].sort_values(["published", "source_id"])
    ob, db, dp = L("sources", "outlet_basis"), L("sources", "date_basis"), L("sources", "date_precision")
    cov = S.coverage(tables)
    rows, reasons, ids = [], [], []
    for _, s in src.iterrows():
        name = outlet(tables, s["source_id"])
        cell = f"[{name}]{{#{source_anchor(s['source_id'])}}}"
        if not _isna(s["outlet_en"]):
            cell += f"{NBSP}({ltr(md_escape(s['outlet_en']).replace(' ', NBSP))})"  # never split
        cell += f": {_txt(s['subject_ar'])}"  # what it reports, in our words (its headline is not copied)
        window = fperiod(s["date_earliest"], s["date_latest"], "day")
        facts = num(cov.loc[s["source_id"], "total"]) if s["source_id"] in cov.index else "—"
        rows.append([cell, ob.get(str(s["outlet_basis"]), ""),
                     fdate(s["published"], s["date_precision"]), f"{db.get(str(s['date_basis']), '')}، بدقة {dp.get(str(s['date_precision']), '')}",
                     window, num(s["paragraphs"]), facts])
        reasons.append(f"- **{name} ({fdate(s['published'], s['date_precision'])})**: "
                       f"قرينة الناشر: {_named(tables, s['outlet_reason_ar'])} قرينة التاريخ: {_named(tables, s['date_reason_ar'])}\n")
        ids.append([ltr(md_escape(s["source_id"])), f"{name} ({fdate(s['published'], s['date_precision'])})",
                    ltr(md_escape(s["file"], group=False)), ltr(md_escape(str(s["sha256"])[:16], group=False))])
    out["sources"] = _table(["الناشر وما يرويه المقال", "معرفة الناشر", "تاريخ النشر", "معرفة التاريخ",
                             "المدى الذي تسمح به القرائن", "الفقرات", "الوقائع المسندة إليه"], rows,
                            [22, 11, 12, 14, 23, 8, 10])
    out["source_reasons"] = "\n".join(reasons) + "\n"
    from ..story_ar import summary, watch

    out["summary"] = " ".join(summary(tables)) + "\n"
    out["watch"] = watch(tables)
    out["source_ids"] = _table(["المعرّف", "المقال", "الملف", "بداية بصمته (SHA-256)"], ids, [10, 30, 30, 30])
    return out


