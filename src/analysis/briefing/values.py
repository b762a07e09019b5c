"""Every value the briefing's prose quotes, computed from the tables (values.json)."""
from __future__ import annotations

import datetime as dt

from ..errors import ReportError
from .ar import fdate, join_ar, num, pct, phrase
from .markdown import _isna, _txt, md_escape

# Anchors of the key findings (which facts the briefing asks about, not numbers it prints).
SINCE = "2017-12-31"  # troop reduction "since December 2017"
HANDOVER_BY = "2020-12-31"  # bases handed over "by the end of 2020"


# --------------------------------------------------------------------------------------------
# computed values


def _labels(tables, table, field):
    """An enum field's display labels from the descriptor, escaped: the descriptor is data too."""
    return {k: md_escape(v) for k, v in tables.package.labels(table, field, "ar").items()}


def _source_names(tables) -> dict[str, str]:
    """source_id -> "outlet (date)", linked to the source's row; one name for an unknown publisher."""
    from ..story_ar import outlet, source_anchor

    out = {}
    for _, s in tables["sources"].iterrows():
        out[str(s["source_id"])] = (f"[{outlet(tables, s['source_id'])} ({fdate(s['published'], s['date_precision'])})]"
                                    f"(#{source_anchor(s['source_id'])})")
    return out


def _cite(tables, row) -> str:
    """«إيلاف، ف19», linked to the source's row (no id: ids are in the colophon)."""
    from ..story_ar import cite

    return cite(tables, [(row["source_id"], row["paragraph"])], parens=False)


def _conflict_links(ids) -> str:
    """«خلاف C3»، linked to the conflict's heading."""
    from ..story_ar import conflict_anchor

    ids = [str(c) for c in ids]
    return "خلاف " + join_ar([f"[{md_escape(c)}](#{conflict_anchor(c)})" for c in ids]) if ids else ""


def variables(tables, data_dir=None) -> dict:
    """Every value the briefing's prose quotes, as markdown-safe strings (nested dict)."""
    import pandas as pd

    from .. import attacks as A
    from .. import bases as B
    from .. import sources as S
    from .. import troops as T
    from .. import truth as TR

    pkg = tables.package
    src = tables["sources"]
    from ..report import build_timestamp, data_hash

    ts = build_timestamp(tables)
    digest = data_hash(data_dir)
    v: dict = {}

    # title block
    first_src = src.sort_values("published").iloc[0]
    last_src = src.sort_values("published").iloc[-1]
    v["build"] = {"date": fdate(dt.datetime.fromtimestamp(ts, dt.UTC), "day"),
                  "epoch": str(ts)}
    v["data"] = {
        "version": md_escape(pkg.descriptor.get("version", "")),
        "hash": digest[:12],
        "hash_full": digest,
        "tables": phrase(len(pkg.resources), "table"),
        "rows": phrase(sum(len(t) for t in tables.values()), "row"),
    }
    by_year = src.groupby(src["published"].dt.year).size().sort_index()
    v["sources"] = {
        "count": num(len(src)),
        "phrase": phrase(len(src), "article"),
        "first": fdate(first_src["published"], first_src["date_precision"]),
        "last": fdate(last_src["published"], last_src["date_precision"]),
        "by_year": join_ar([f"{phrase(n, 'article')} من {y}" for y, n in by_year.items()]),
        "outlet_stated": num((src["outlet_basis"] == "stated").sum()),
        "outlet_inferred": num((src["outlet_basis"] == "inferred").sum()),
        "outlet_unknown": num((src["outlet_basis"] == "unknown").sum()),
        "date_stated": num((src["date_basis"] == "stated").sum()),
        "date_inferred": num((src["date_basis"] == "inferred").sum()),
    }

    # troops
    lv = tables["troop_levels"]
    peak = T.peak(lv)
    s_all = T.series(lv, areas=("iraq",))
    us_obs = s_all[(s_all["counted"] == "us") & (s_all["kind"] == "observed")]
    last = us_obs.iloc[-1]
    cut_peak = T.reduction(lv, "peak", str(last["obs_id"]))
    cut_since = T.reduction(lv, SINCE, str(last["obs_id"]))
    start = lv[lv["obs_id"] == cut_since["start_obs_id"]].iloc[0]

    def about(count, approx) -> str:
        return ("نحو " if bool(approx) else "") + num(count)

    targets = lv[lv["kind"] == "target"].sort_values("date")
    foreign = lv[(lv["counted"] == "foreign") & (lv["kind"] == "observed")].sort_values("date")
    federal = lv[(lv["area"] == "federal_iraq") & (lv["counted"] == "us")].sort_values("date")
    per_base = lv[(lv["area"] == "base")].sort_values("date")
    printed = {d.key: TR.fmt(d, tables) for d in TR.derived(tables)}
    v["troops"] = {
        "observations": phrase(len(lv), "observation"),
        "targets": phrase(int((lv["kind"] == "target").sum()), "observation"),
        "approximate": phrase(int(lv["count_approximate"].fillna(False).sum()), "observation"),
        "peak": about(peak["count"], peak["approximate"]),
        "peak_period": (f"في سنة لا يحددها المصدر بين {fdate(peak['date'], 'year')} و{fdate(peak['date_end'], 'year')}"
                        if not _isna(peak["date_end"]) else
                        f"في {fdate(peak['date'], peak['date_precision'], basis=peak.get('date_basis'))}"),
        "last": about(cut_peak["end_count"], cut_peak["end_approximate"]),
        "last_date": fdate(cut_peak["end_date"], cut_peak["end_date_precision"]),
        "cut_peak": printed.get("troops.cut_peak", num(cut_peak["reduction"])),
        "cut_peak_pct": printed.get("troops.cut_peak_pct", pct(cut_peak["pct_reduction"])),
        "since": about(cut_since["start_count"], cut_since["start_approximate"]),
        "since_date": fdate(cut_since["start_date"], cut_since["start_date_precision"]),
        "since_source": md_escape(start["source_id"]),
        "cut_since": printed.get("troops.cut_since", num(cut_since["reduction"])),
        "cut_since_pct": printed.get("troops.cut_since_pct", pct(cut_since["pct_reduction"])),
    }
    if len(targets):
        t = targets.iloc[0]
        v["troops"]["target"] = num(t["count"])
        v["troops"]["target_date"] = fdate(t["date"], t["date_precision"])
    if len(foreign):
        f = foreign.iloc[-1]
        v["troops"]["foreign"] = about(f["count"], f["count_approximate"])
        v["troops"]["foreign_date"] = fdate(f["date"], f["date_precision"])
    if len(federal):
        f = federal.iloc[-1]
        v["troops"]["federal"] = num(f["count"])
        v["troops"]["federal_date"] = fdate(f["date"], f["date_precision"])
    if len(per_base):
        b = per_base.iloc[-1]
        name = tables["bases"].set_index("base_id").loc[b["base_id"], "name_ar"]
        v["troops"]["base_count"] = about(b["count"], b["count_approximate"])
        v["troops"]["base_name"] = md_escape(name)

    # bases
    bases = tables["bases"]
    ev = tables["base_events"]
    ho = B.handed_over(ev, states=("handed_over",))
    by = ho[ho["date"] <= pd.Timestamp(HANDOVER_BY)]
    names = bases.set_index("base_id")["name_ar"]
    rem = B.remaining(ev, bases)
    region_labels = _labels(tables, "bases", "region")
    v["bases"] = {
        "sites": phrase(len(bases), "site"),
        "provinces": phrase(bases["province_ar"].dropna().nunique(), "province"),
        "no_province": num(bases["province_ar"].isna().sum()),
        "cutoff_year": str(pd.Timestamp(HANDOVER_BY).year),
        "handed": phrase(len(by), "base"),
        "handed_names": join_ar([md_escape(names[b]) for b in by["base_id"]]),
        "handed_first": fdate(by["date"].iloc[0], by["precision"].iloc[0]) if len(by) else "غير محدد",
        "handed_last": fdate(by["date"].iloc[-1], by["precision"].iloc[-1]) if len(by) else "غير محدد",
        "undated_events": num(ev["date"].isna().sum()),
    }
    part = B.handed_over(ev, states=B.PARTIAL_STATES)
    if len(part):
        v["bases"]["partial_names"] = join_ar([md_escape(names[b]) for b in part["base_id"]])
        v["bases"]["partial_date"] = join_ar([fdate(d, p) for d, p in zip(part["date"], part["precision"], strict=True)])
    if len(rem):
        r = rem.iloc[-1]
        row = bases.set_index("base_id").loc[r["base_id"]]
        v["bases"].update({
            "remaining_name": md_escape(r["name_ar"]),
            "remaining_province": md_escape(r["province_ar"]) if not _isna(r["province_ar"]) else "غير مذكورة",
            "remaining_region": md_escape(region_labels.get(str(row["region"]), "")),
            "remaining_date": fdate(r["date"], r["precision"],
                                    basis=ev.set_index("event_id").loc[r["event_id"], "date_basis"]),
            "remaining_count": phrase(len(rem), "base"),
        })

    # attacks
    at = tables["attacks"]
    chron = A.chronology(at, bases)
    single = int((at["event_kind"] == "single").sum())
    series = int((at["event_kind"] == "series").sum())
    killed = int(at["killed"].fillna(0).sum())
    injured = int(at["injured"].fillna(0).sum())
    dated = chron[chron["dated"]]
    worst = chron.sort_values(["casualties", "attack_id"], ascending=[False, True], na_position="last").iloc[0]
    weapons = _labels(tables, "attacks", "weapon")
    worst_txt = f"{phrase(int(worst['casualties']), 'injured' if _isna(worst['killed']) or worst['killed'] == 0 else 'killed')}"
    if not _isna(worst["injured"]) and not _isna(worst["killed"]) and worst["killed"] > 0:
        worst_txt = f"{phrase(int(worst['killed']), 'killed')} و{phrase(int(worst['injured']), 'injured')}"
    elif not _isna(worst["injured"]):
        worst_txt = phrase(int(worst["injured"]), "injured")
    elif not _isna(worst["killed"]):
        worst_txt = phrase(int(worst["killed"]), "killed")
    # Incidents mentioned in five articles, most with no toll: any sum is a floor, not a tally.
    approx = True
    rel = A.relative_to(at, tables["milestones"], "M07") if (tables["milestones"]["milestone_id"] == "M07").any() else None
    v["attacks"] = {
        "records": phrase(len(at), "record"),
        "single": phrase(single, "single"),
        "series": phrase(series, "series"),
        "killed": phrase(killed, "killed"),
        "injured": phrase(injured, "injured"),
        "at_least": "على الأقل" if approx else "",
        "first_date": fdate(dated["date"].iloc[0], dated["date_precision"].iloc[0]) if len(dated) else "غير محدد",
        "last_date": fdate(dated["date"].iloc[-1], dated["date_precision"].iloc[-1]) if len(dated) else "غير محدد",
        "undated": num((~chron["dated"]).sum()),
        "worst": worst_txt,
        "worst_target": md_escape(worst["target_ar"]) if not _isna(worst["target_ar"]) else "هدف غير محدد",
        "worst_date": fdate(worst["date"], worst["date_precision"]),
        "worst_weapon": md_escape(weapons.get(str(worst["weapon"]), "")),
        "worst_note": _txt(at.set_index("attack_id").loc[worst["attack_id"], "casualty_note_ar"]),
        "worst_cite": _cite(tables, at.set_index("attack_id").loc[worst["attack_id"]]),
        "after_strike": phrase(int((rel["relation"] == "after").sum()), "record") if rel is not None else "",
    }

    # milestones
    ms = tables["milestones"].sort_values(["date", "milestone_id"])
    rows_of = TR.finding_rows(tables)
    mrow = [i for t, i in rows_of["combat_end"] if t == "milestones"]
    combat = ms[ms["milestone_id"].isin(mrow[:1])]
    deadline = ms[ms["milestone_id"].isin(mrow[1:2]) & (ms["kind"] == "deadline")]
    withdrawal = ms[ms["milestone_id"].isin(mrow[-1:]) & (ms["kind"] == "withdrawal")]
    v["milestones"] = {
        "count": phrase(len(ms), "milestone"),
        "n": num(len(ms)),
        "first_year": str(ms["date"].min().year),
        "last_year": str(ms["date"].max().year),
        "undated": phrase(int(ms["date"].isna().sum()), "milestone"),
    }
    if len(combat):
        c = combat.iloc[0]
        v["milestones"]["combat_end_date"] = fdate(c["date"], c["date_precision"], basis=c["date_basis"])
        v["milestones"]["combat_end_actor"] = md_escape(c["actor_ar"])
        if len(deadline):
            d = deadline.iloc[0]
            v["milestones"]["deadline_date"] = fdate(d["date"], d["date_precision"], basis=d["date_basis"])
            v["milestones"]["deadline_actor"] = md_escape(d["actor_ar"])
            v["milestones"]["days_before_deadline"] = phrase((d["date"] - c["date"]).days, "day")
    if len(withdrawal):
        w = withdrawal.iloc[-1]
        v["milestones"]["withdrawal_date"] = fdate(w["date"], w["date_precision"], basis=w["date_basis"])
        v["milestones"]["withdrawal_source"] = md_escape(w["source_id"])
        v["milestones"]["withdrawal_title"] = _txt(w["title_ar"])
        v["milestones"]["withdrawal_actor"] = _txt(w["actor_ar"])
        same = ms[(ms["source_id"] == w["source_id"]) & (ms["modality"].astype("string") == "expected")] if "modality" in ms else ms.iloc[0:0]
        v["milestones"]["withdrawal_caveats"] = "؛ ".join(f"{_txt(x['title_ar'])} ({_cite(tables, x)})" for _, x in same.iterrows())
    # what the combat-end announcement did not end: the official announcement still to come
    later = ms[(ms["conflict_id"].astype("string") == (str(c["conflict_id"]) if len(combat) else "")) &
               (ms["modality"].astype("string") == "expected")] if len(combat) and "modality" in ms else ms.iloc[0:0]
    if len(later):
        e = later.iloc[0]
        v["milestones"]["official_date"] = fdate(e["date"], e["date_precision"], basis=e["date_basis"])
        v["milestones"]["official_actor"] = md_escape(e["actor_ar"])
        v["milestones"]["official_cite"] = _cite(tables, e)
    advise = lv[(lv["counted"] == "us") & (lv["area"] == "iraq") & lv["date_end"].isna()
                & (lv["date"] <= (combat["date"].iloc[0] if len(combat) else lv["date"].max()))]
    if len(advise):
        a = advise.sort_values(["date", "obs_id"]).iloc[-1]
        v["troops"]["after_combat"] = about(a["count"], a["count_approximate"])

    # sources and method
    dis = S.disagreements(tables)
    sup = S.support(tables)
    cov = S.coverage(tables)
    fact_rows = sum(len(tables[t]) for t in S.FACT_TABLES if t in tables)
    dated_tables = [t for t in ("base_events", "troop_levels", "attacks", "milestones") if t in tables]
    basis = pd.concat([tables[t]["date_basis"].astype("string") for t in dated_tables])
    top = cov["total"].idxmax()
    v["conflicts"] = {
        "count": phrase(tables["conflicts"]["conflict_id"].nunique(), "issue"),
        "claims": phrase(len(dis), "citation"),
        "unresolved": phrase(int((tables["conflicts"]["status"] == "unresolved").sum()), "issue"),
    }
    # the findings: which rows each one rests on, and the disputes among them
    v["findings"] = {}
    from .. import story_ar as SA
    from ..story import _ranked

    cr = TR.conflict_rows(tables)
    for key, rows in rows_of.items():
        pairs = [(TR._row(tables, t, i)["source_id"], TR._row(tables, t, i)["paragraph"]) for t, i in rows]
        touched = _ranked(tables, {c for r in rows for c in cr.get((r[0], r[1]), set())})
        hedge = (f"وتختلف المصادر هنا في {phrase(len(touched), 'issue')}: " + join_ar([SA._topic(tables, c) for c in touched])
                 + ".") if touched else ""
        v["findings"][key] = {"cite": SA.cite(tables, pairs), "hedge": hedge}
    # what the sources cover: years with no dated row, and the stretch between the articles
    years = sorted(set(src["published"].dt.year))
    first_y = int(min(lv["date"].min().year, src["published"].min().year))
    spans = TR.uncovered_spans(tables, first_y, years[-1])
    span_txt = [str(a) if a == b else f"من {a} إلى {b}" for a, b in spans]  # words: no bidi reordering
    v["coverage"] = {"gaps": join_ar(span_txt), "gap_count": phrase(sum(b - a + 1 for a, b in spans), "year")}
    if len(years) >= 2 and years[-1] - years[-2] > 1:
        lo, hi = years[-2] + 1, years[-1] - 1
        n_late = 0
        for t in ("base_events", "troop_levels", "attacks", "milestones"):
            d = tables[t]["date"].dropna()
            n_late += int(((d.dt.year >= lo) & (d.dt.year <= hi)).sum())
        v["coverage"].update({"late_from": str(lo), "late_to": str(hi), "late_rows": phrase(n_late, "record"),
                              "late_source_year": str(years[-1])})
    bad = TR.printed_problems(v, tables)
    if bad:
        raise ReportError("derived numbers printed more precisely than their inputs:\n" + "\n".join(bad))
    v["method"] = {
        "fact_rows": phrase(fact_rows, "row"),
        "further": phrase(len(tables["citations"]), "citation"),
        "citations": phrase(len(sup), "citation"),
        "dates": phrase(len(basis), "date"),
        "dates_inferred": phrase(int((basis == "inferred").sum()), "date"),
        "dates_missing": phrase(int((basis == "not_stated").sum()), "date"),
        "top_source": f"مقال {_source_names(tables)[str(top)]}",
        "top_source_facts": phrase(int(cov.loc[top, "total"]), "record"),
    }
    v["alt"] = _alt_texts(v)
    from ..text_ar import UNKNOWN_PUBLISHER, digits_mode, keep_dates

    ids = sorted(tables["conflicts"]["conflict_id"].astype(str), key=lambda c: (len(c), c))
    v["colophon"] = {
        "digits": ("الأرقام في النص والجداول بالأرقام العربية المشرقية، وفاصل الآلاف فيها «٬» (٢٬٥٠٠)."
                   if digits_mode() == "arabic-indic" else
                   "الأرقام في النص والجداول بالأرقام اللاتينية كما تكتبها المصادر، وفاصل الآلاف فيها الفاصلة (2,500)، "
                   "والسنوات بلا فاصل."),
        "months": keep_dates("وأسماء الأشهر بالتسمية العراقية والشامية (كانون الثاني، شباط، …)، ولا ترد تسمية المصدر الأخرى إلا داخل علامتي التنصيص."),
        "unknown": f"والمقال الذي لا يُعرف ناشره يُسمّى «{UNKNOWN_PUBLISHER}».",
        "conflict_ids": (f"من {md_escape(ids[0])} إلى {md_escape(ids[-1])}" if len(ids) > 1 else md_escape(ids[0]) if ids else "—"),
    }
    return v


def _alt_texts(v: dict) -> dict:
    """Each figure's alt text, from the values: the key numbers, not only the chart type
    (read as plain text by report/_extensions/briefing/alt.lua)."""
    t, b, a, m, c = v["troops"], v["bases"], v["attacks"], v["milestones"], v["conflicts"]
    alt = {
        "troops": (f"رسم زمني لأعداد القوات في العراق بحسب المصادر: ذروة الوجود الأميركي {t['peak']} جندي "
                   f"{t['peak_period']}، ثم {t['since']} في {t['since_date']}، ثم {t['last']} منذ {t['last_date']} "
                   "دون رصد لاحق؛ والأهداف المعلنة مميزة من الأعداد الفعلية، والسنوات التي لا تغطيها المصادر مظللة."),
        "bases": (f"مخطط زمني لحالة {b['sites']}: سلّم التحالف {b['handed']} إلى القوات العراقية بحلول نهاية "
                  f"{b['cutoff_year']}" + (f"، وما زالت القوات الأميركية في {b['remaining_name']}" if "remaining_name" in b else "")
                  + "."),
        "map": (f"خريطة العراق بمحافظاته والدول المجاورة، عليها {b['sites']} برمز آخر حالة تذكرها المصادر"
                + (f"، و{b['remaining_name']} في {b['remaining_region']} مميزة بأن القوات الأميركية باقية فيها"
                   if "remaining_name" in b else "")
                + "؛ وخطوط متقطعة للمسافات المختلف فيها مع المسافة المحسوبة من الإحداثيات."),
        "attacks": (f"مخطط زمني لـ{a['records']} تذكرها المقالات عن هجمات على قواعد فيها قوات أجنبية، أولها مؤرخاً "
                    f"في {a['first_date']} وآخرها في {a['last_date']}، منها {a['single']} و{a['series']}؛ "
                    f"ومجموع الحصيلة المذكورة {a['killed']} و{a['injured']} {a['at_least']}."),
        "timeline": (f"خط زمني لـ{m['count']} تذكرها المصادر من {m['first_year']} إلى {m['last_year']}"
                     + (f"، منها انتهاء المهمة القتالية في {m['combat_end_date']}" if "combat_end_date" in m else "")
                     + (f"، وآخر انسحاب تذكره المصادر في {m['withdrawal_date']}" if "withdrawal_date" in m else "")
                     + f"؛ ومنها {m['undated']} بلا تاريخ موضوعة بين الحدود التي تسمح بها القرائن."),
        "sources": (f"شبكة أعمدتها {v['sources']['phrase']} وصفوفها الوقائع: ما يسنده كل مقال وما يؤكده، "
                    f"وفي الأسفل {c['count']} تختلف فيها المصادر مع ما يذكره كل مقال."),
    }
    return alt


