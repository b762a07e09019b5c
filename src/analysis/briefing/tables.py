"""The generated includes: tables and lists of the data, as markdown, in Arabic or English.

One builder (`generated_markdown`) chooses, orders and computes the rows; only the wording comes
from the language (`_Lang`: headers and words, the data's `_ar`/`_en` columns, the enum labels,
the date, list and citation functions of `briefing.ar`/`briefing.en` and `story_ar`/`story_en`),
so the two editions cannot drift apart in what they show.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import ModuleType

from . import values as _values
from .markdown import NBSP, _isna, _table, md_escape
from .markdown import ltr as _ltr

# --------------------------------------------------------------------------------------------
# the words of each language (the rows are the same in both)

_WORDS: dict[str, dict[str, str]] = {
    "ar": {
        "about": "نحو ", "inferred": " (مستنتج)", "not_stated": "غير مذكورة", "sep": "، ",
        "dispute": "خلاف ", "disputes": "خلاف ",
        "before": "قبل {}", "after": "بعد {}", "no_date": "غير محدد", "undated": " (غير مؤرخ)",
        "why": "**لماذا يهم:**", "status": "{note} (الحالة: {status}).",
        "account": "الرواية {}", "says": "ما يقوله المصدر", "source": "المصدر", "source_date": "تاريخ المصدر",
        "precision": "{basis}، بدقة {precision}",
        "reasons": "قرينة الناشر: {outlet} قرينة التاريخ: {date}",
    },
    "en": {
        "about": "about ", "inferred": " (inferred)", "not_stated": "not stated", "sep": ", ",
        "dispute": "dispute ", "disputes": "disputes ",
        "before": "before {}", "after": "after {}", "no_date": "not given", "undated": " (undated)",
        "why": "**Why it matters:**", "status": "{note} (status: {status}).",
        "account": "Account {}", "says": "What the source says", "source": "Source", "source_date": "Published",
        "precision": "{basis}, to the {precision}",
        "reasons": "How the outlet is known: {outlet} How the date is known: {date}",
    },
}

#: Each table's header, one entry per column (the column widths are the builder's, not a language's).
_HEADERS: dict[str, dict[str, list[str]]] = {
    "ar": {
        "troops": ["التاريخ", "العدد", "من يُعدّ", "النطاق", "النوع", "ملاحظة", "المصدر"],
        "provinces": ["المحافظة", "الإقليم", "القواعد والمواقع", "سُلّم منها أو أُخلي", "سُلّم جزء منها فقط",
                      "أول تسليم أو إخلاء", "آخر تسليم أو إخلاء"],
        "base_events": ["المحافظة", "القاعدة", "الحالة", "القوات", "التاريخ", "دقة التاريخ", "ملاحظة", "المصدر"],
        "attacks": ["التاريخ", "النوع", "الهدف", "المنفّذ", "السلاح", "المقذوفات", "القتلى", "الجرحى",
                    "الإصابات كما وردت", "المصدر"],
        "milestones": ["التاريخ", "المحطة", "الجهة", "النوع", "قوة الخبر", "المصدر"],
        "conflicts": ["البند"],
        "sources": ["الناشر وما يرويه المقال", "معرفة الناشر", "تاريخ النشر", "معرفة التاريخ",
                    "المدى الذي تسمح به القرائن", "الفقرات", "الوقائع المسندة إليه"],
        "source_ids": ["المعرّف", "المقال", "الملف", "بداية بصمته (SHA-256)"],
    },
    "en": {
        "troops": ["Date", "Count", "Who is counted", "Scope", "Kind", "Note", "Source"],
        "provinces": ["Province", "Region", "Bases and sites", "Handed over or vacated", "Only partly handed over",
                      "First handed over or vacated", "Last handed over or vacated"],
        "base_events": ["Province", "Base", "State", "Forces", "Date", "Date precision", "Note", "Source"],
        "attacks": ["Date", "Kind", "Target", "Attacker", "Weapon", "Projectiles", "Killed", "Injured",
                    "Casualties as reported", "Source"],
        "milestones": ["Date", "Milestone", "Actor", "Kind", "Reported as", "Source"],
        "conflicts": ["Item"],
        "sources": ["Outlet and what the article reports", "How the outlet is known", "Published", "How the date is known",
                    "Window the evidence allows", "Paragraphs", "Facts cited to it"],
        "source_ids": ["ID", "Article", "File", "Start of its fingerprint (SHA-256)"],
    },
}


@dataclass(frozen=True)
class _Lang:
    """What the builder asks of a language: words, headers, date/list/citation functions."""
    code: str
    w: dict[str, str] = field(default_factory=dict)
    headers: dict[str, list[str]] = field(default_factory=dict)

    @property
    def words(self) -> ModuleType:
        """briefing.ar / briefing.en: num, fdate, fperiod, date_range, join."""
        return _values.words(self.code)

    @property
    def story(self) -> ModuleType:
        """story_ar / story_en (outlet, cite, summary, watch)."""
        return _values.story(self.code)

    def join(self, items: list[str]) -> str:
        return self.words.join(items)

    def date_range(self, start, end, precision: str = "day", *, between: bool = False) -> str:
        return self.words.date_range(start, end, precision, between=between)

    def isolate(self, text: str) -> str:
        """A left-to-right run inside right-to-left text; English needs none."""
        return _ltr(text) if self.code == "ar" else text

    def col(self, name: str) -> str:
        """The data column in this language: "note" -> "note_ar" / "note_en"."""
        return f"{name}_{self.code}"

    def lead(self, text: str) -> str:
        """Text that opens a cell or a list item: in English with a capital ("Unknown
        publisher"); Arabic has no capitals."""
        return text[:1].upper() + text[1:] if self.code == "en" else text

    def txt(self, row, name: str) -> str:
        """The row's text column `name` in this language, escaped ("" when missing)."""
        value = row[self.col(name)]
        return "" if _isna(value) else md_escape(value)


def _lang(code: str) -> _Lang:
    if code not in _WORDS:
        raise ValueError(f"no briefing language {code!r} (ar, en)")
    return _Lang(code, _WORDS[code], _HEADERS[code])


def _labels(tables, table, field_, lang: _Lang) -> dict[str, str]:
    """An enum field's display labels in the language, escaped (briefing.values)."""
    return _values._labels(tables, table, field_, lang.code)


def _cite(tables, row, lang: _Lang) -> str:
    """«إيلاف، ف19» / "Elaph, para. 19", linked to the source's row (briefing.values)."""
    return _values._cite(tables, row, lang.code)


def _conflict_links(ids, lang: _Lang) -> str:
    """«خلاف C3» / "dispute C3", linked to the conflict's heading."""
    from ..story_ar import conflict_anchor

    ids = [str(c) for c in ids]
    if not ids:
        return ""
    word = lang.w["dispute"] if len(ids) == 1 else lang.w["disputes"]
    return word + lang.join([f"[{md_escape(c)}](#{conflict_anchor(c)})" for c in ids])


def _named(tables, value, lang: _Lang) -> str:
    """A data note that names articles by id («s002 (الفقرة 15)», "s002 p15"), with the outlet's
    name in the language instead, for the reader (the ids are in the colophon)."""
    outlet = lang.story.outlet

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
    """The generated includes in `lang` ("ar" or "en"): name -> markdown.  The same rows, in the
    same order, in both languages."""
    from .. import attacks as A
    from .. import bases as B
    from .. import sources as S

    g = _lang(lang)
    W, H = g.w, g.headers
    num, fdate, fperiod = g.words.num, g.words.fdate, g.words.fperiod
    sep = W["sep"]
    L = lambda t, f: _labels(tables, t, f, g)  # noqa: E731
    bases = tables["bases"]
    base_name = bases.set_index("base_id")[g.col("name")]
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
            when += W["inferred"]
        count = (W["about"] if bool(r["count_approximate"]) else "") + num(r["count"])
        modal = L("troop_levels", "modality").get(str(r.get("modality")), "") if "modality" in r else ""
        rows.append([when, count, counted.get(str(r["counted"]), ""), where,
                     kind.get(str(r["kind"]), "") + (f"{sep}{modal}" if modal else ""),
                     g.txt(r, "note"), _cite(tables, r, g) + (f" — {_conflict_links([r['conflict_id']], g)}" if not _isna(r["conflict_id"]) else "")])
    out["troops"] = _table(H["troops"], rows, [15, 10, 13, 13, 9, 27, 13])

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
    for _, r in prov.iterrows():  # a province is its Arabic name in the data, whatever the language
        in_prov = bases[bases["province_ar"] == r["province_ar"]] if not _isna(r["province_ar"]) else bases[bases["province_ar"].isna()]
        listed = g.join([md_escape(n) for n in in_prov[g.col("name")]])
        rows.append([md_escape(r[g.col("province")]) if not _isna(r[g.col("province")]) else W["not_stated"],
                     region.get(str(r["region"]), ""), listed, num(r["handed_over"]),
                     num(r["partly_handed_over"]) if "partly_handed_over" in r else "0",
                     _handover_date(r["first_handover"]), _handover_date(r["last_handover"])])
    out["provinces"] = _table(H["provinces"], rows, [11, 12, 31, 9, 9, 14, 14])

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
        province = md_escape(b[g.col("province")]) if not _isna(b[g.col("province")]) else W["not_stated"]
        if str(b["province_basis"]) == "inferred":
            province += f" ({pbasis['inferred']})"
        when = fdate(e["date"], e["date_precision"])  # date_note is the curators' English: not shown here
        rows.append([province, md_escape(b[g.col("name")]), state.get(str(e["state"]), ""), actor.get(str(e["actor"]), ""),
                     when, f"{prec.get(str(e['date_precision']), '')}{sep}{basis_l.get(str(e['date_basis']), '')}",
                     g.txt(e, "note"), _cite(tables, e, g)])
    out["base_events"] = _table(H["base_events"], rows, [10, 13, 12, 11, 11, 10, 22, 11])

    # attacks
    at = tables["attacks"].set_index("attack_id")
    chron = A.chronology(tables["attacks"], bases)
    ek, weapon, pk = L("attacks", "event_kind"), L("attacks", "weapon"), L("attacks", "perpetrator_kind")
    rows = []
    for _, c in chron.iterrows():
        a = at.loc[c["attack_id"]]
        when = fperiod(a["date"], a["date_end"], a["date_precision"])
        perp = g.txt(a, "perpetrator") or pk.get(str(a["perpetrator_kind"]), "")
        proj = "" if _isna(a["projectiles"]) else (W["about"] if bool(a["projectiles_approximate"]) else "") + num(a["projectiles"])
        rows.append([when, ek.get(str(a["event_kind"]), ""), g.txt(c, "target"), perp,
                     weapon.get(str(a["weapon"]), ""), proj,
                     "" if _isna(a["killed"]) else num(a["killed"]),
                     "" if _isna(a["injured"]) else num(a["injured"]),
                     g.txt(a, "casualty_note"), _cite(tables, {"source_id": a["source_id"], "paragraph": a["paragraph"]}, g)])
    out["attacks"] = _table(H["attacks"], rows, [11, 8, 11, 13, 9, 8, 6, 6, 17, 11])

    # milestones: undated but bounded events go where their bounds put them; disputed ones say so
    from ..truth import conflict_rows

    ms = _milestone_order(tables["milestones"])
    in_conflict = conflict_rows(tables)  # a side (conflict_id) or the subject of a conflict
    mk = L("milestones", "kind")
    mod = L("milestones", "modality") if "modality" in tables["milestones"] else {}
    rows = []
    for _, m in ms.iterrows():
        if _isna(m["date"]):
            lo, hi = m.get("date_earliest"), m.get("date_latest")
            when = (g.date_range(lo, hi, "day", between=True) if not _isna(lo) and not _isna(hi) else
                    W["before"].format(fdate(hi)) if not _isna(hi) else W["after"].format(fdate(lo)) if not _isna(lo)
                    else W["no_date"])
            when += W["undated"]
        else:
            when = fperiod(m["date"], m["date_end"], m["date_precision"])
            lo, hi = m.get("date_earliest"), m.get("date_latest")
            if not _isna(lo) and not _isna(hi):  # a year-precise date the evidence narrows
                when += sep + g.date_range(lo, hi, "month", between=True)
            if str(m["date_basis"]) == "inferred":
                when += W["inferred"]
        disputes = sorted(in_conflict.get(("milestones", str(m["milestone_id"])), set()), key=lambda c: int(c[1:]) if c[1:].isdigit() else 0)
        cite = _cite(tables, m, g) + (f" — {_conflict_links(disputes, g)}" if disputes else "")
        rows.append([when, g.txt(m, "title"), g.txt(m, "actor"), mk.get(str(m["kind"]), ""),
                     mod.get(str(m.get("modality")), ""), cite])
    out["milestones"] = _table(H["milestones"], rows, [17, 38, 15, 9, 9, 12])

    # conflicts: claims side by side, the most consequential first (rank: editorial data)
    from ..story import _ranked
    from ..story_ar import conflict_anchor, source_anchor

    outlet = g.story.outlet
    dis = S.disagreements(tables)
    status = L("conflicts", "status")
    conf = tables["conflicts"].set_index("conflict_id")
    parts = []
    for cid in _ranked(tables, dis["conflict_id"].astype(str).unique()):
        grp = dis[dis["conflict_id"] == cid]
        first = grp.iloc[0]
        parts.append(f"### {md_escape(first[g.col('topic')])} {{#{conflict_anchor(cid)} .unnumbered}}\n")
        why = conf.loc[cid, g.col("why_it_matters")] if g.col("why_it_matters") in conf else None
        if why is not None and not _isna(why):
            parts.append(f"{W['why']} {md_escape(why)}\n")
        parts.append(W["status"].format(note=_named(tables, first[g.col("note")], g),
                                        status=status.get(str(first["status"]), md_escape(first["status"]))) + "\n")
        header = H["conflicts"] + [W["account"].format(i) for i in range(1, len(grp) + 1)]  # no empty header cell
        rows = [
            [W["says"]] + [g.txt(r, "claim") for _, r in grp.iterrows()],
            [W["source"]] + [_cite(tables, r, g) for _, r in grp.iterrows()],
            [W["source_date"]] + [fdate(r["published"], r["published_precision"]) for _, r in grp.iterrows()],
        ]
        parts.append(_table(header, rows, [16] + [42] * len(grp)))
    out["conflicts"] = "\n".join(parts)

    # sources: by outlet and date (the ids are in the colophon); each row is a link target
    src = tables["sources"].sort_values(["published", "source_id"])
    ob, db, dp = L("sources", "outlet_basis"), L("sources", "date_basis"), L("sources", "date_precision")
    cov = S.coverage(tables)
    # the reasons' English text is the curators' own columns (outlet_reason, date_reason)
    reason = {"ar": ("outlet_reason_ar", "date_reason_ar"), "en": ("outlet_reason", "date_reason")}[g.code]
    rows, reasons, ids = [], [], []
    for _, s in src.iterrows():
        name = g.lead(outlet(tables, s["source_id"]))
        published = fdate(s["published"], s["date_precision"])
        cell = f"[{name}]{{#{source_anchor(s['source_id'])}}}"
        if g.code == "ar" and not _isna(s["outlet_en"]):  # the Latin name beside the Arabic one
            cell += f"{NBSP}({g.isolate(md_escape(s['outlet_en']).replace(' ', NBSP))})"  # never split
        cell += f": {g.txt(s, 'subject')}"  # what it reports, in our words (its headline is not copied)
        window = fperiod(s["date_earliest"], s["date_latest"], "day")
        facts = num(cov.loc[s["source_id"], "total"]) if s["source_id"] in cov.index else "—"
        rows.append([cell, ob.get(str(s["outlet_basis"]), ""), published,
                     W["precision"].format(basis=db.get(str(s["date_basis"]), ""), precision=dp.get(str(s["date_precision"]), "")),
                     window, num(s["paragraphs"]), facts])
        reasons.append(f"- **{name} ({published})**: "
                       + W["reasons"].format(outlet=_named(tables, s[reason[0]], g), date=_named(tables, s[reason[1]], g)) + "\n")
        ids.append([g.isolate(md_escape(s["source_id"])), f"{name} ({published})",
                    g.isolate(md_escape(s["file"], group=False)), g.isolate(md_escape(str(s["sha256"])[:16], group=False))])
    out["sources"] = _table(H["sources"], rows, [22, 11, 12, 14, 23, 8, 10])
    out["source_reasons"] = "\n".join(reasons) + "\n"
    out["summary"] = " ".join(g.story.summary(tables)) + "\n"
    out["watch"] = g.story.watch(tables)
    out["source_ids"] = _table(H["source_ids"], ids, [10, 30, 30, 30])
    return out
