"""Every value the briefing's prose quotes: computed once from the tables, phrased per language.

:func:`facts` computes the values without language: numbers, dates with their precision, rows,
ids, each a small token (`Date`, `Count`, `Text`, `Msg` ...).  :func:`phrase` words a fact tree
in one language (`analysis.briefing.ar` or `.en` for numbers, counts, dates and lists,
:data:`MESSAGES` for the few fragments that are sentences), with every data string escaped.
:func:`variables` is the two in one: the nested dict written to ``_generated/<lang>/values.json``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..config import LANGS
from ..errors import ReportError
from .markdown import _isna, md_escape

# Anchors of the key findings (which facts the briefing asks about, not numbers it prints).
SINCE = "2017-12-31"  # troop reduction "since December 2017"
HANDOVER_BY = "2020-12-31"  # bases handed over "by the end of 2020"


def words(lang: str):
    """The language's words for numbers, counts, lists and dates (analysis.briefing.ar / .en)."""
    from . import ar, en

    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return {"ar": ar, "en": en}[lang]


def story(lang: str):
    """The language's story module (citations, outlets, summary): analysis.story_ar / story_en."""
    from .. import story_ar, story_en

    return {"ar": story_ar, "en": story_en}[lang]


def join(items, lang: str) -> str:
    return words(lang).join(items)


# --------------------------------------------------------------------------------------------
# helpers the generated tables share


def _labels(tables, table, field, lang: str = "ar"):
    """An enum field's display labels from the descriptor, escaped: the descriptor is data too."""
    return {k: md_escape(v) for k, v in tables.package.labels(table, field, lang).items()}


def _source_names(tables, lang: str = "ar") -> dict[str, str]:
    """source_id -> "outlet (date)", linked to the source's row; one name for an unknown publisher."""
    st, w = story(lang), words(lang)
    out = {}
    for _, s in tables["sources"].iterrows():
        out[str(s["source_id"])] = (f"[{st.outlet(tables, s['source_id'])} ({w.fdate(s['published'], s['date_precision'])})]"
                                    f"(#{st.source_anchor(s['source_id'])})")
    return out


def _cite(tables, row, lang: str = "ar") -> str:
    """«إيلاف، ف19» / "Elaph, para. 19", linked to the source's row (ids are in the colophon)."""
    return story(lang).cite(tables, [(row["source_id"], row["paragraph"])], parens=False)


# --------------------------------------------------------------------------------------------
# the tokens: a value without its words


@dataclass(frozen=True)
class Lit:
    """A string that reads the same in every language (a year, a hash, an epoch)."""
    text: str


@dataclass(frozen=True)
class Num:
    n: int
    approx: bool = False  #: «نحو» / "about" before it


@dataclass(frozen=True)
class Count:
    n: int
    noun: str  #: a key of the languages' NOUNS


@dataclass(frozen=True)
class Date:
    value: object
    precision: object = "day"
    basis: object = None


@dataclass(frozen=True)
class At:
    """A date with the preposition its precision takes: «في 9 كانون الأول 2021» (في for any
    precision), "on 9 December 2021" / "in December 2021" / "in 2026"."""
    date: Date


@dataclass(frozen=True)
class Text:
    """A data string in the reader's language: `row[field + "_" + lang]`, escaped."""
    row: object = field(compare=False)
    name: str


@dataclass(frozen=True)
class Label:
    table: str
    field: str
    key: str


@dataclass(frozen=True)
class Join:
    items: tuple
    sep: str = "list"  #: "list" (a, b and c) or "semi" (a; b)


@dataclass(frozen=True)
class Cite:
    row: object = field(compare=False)


@dataclass(frozen=True)
class Cites:
    """The citations of several rows, in parentheses: (source_id, paragraph) pairs."""
    pairs: tuple


@dataclass(frozen=True)
class Topic:
    conflict_id: str


@dataclass(frozen=True)
class SourceName:
    source_id: str


@dataclass(frozen=True)
class Derived:
    """A derived number at the precision of its inputs (analysis.truth.fmt)."""
    d: object = field(compare=False)


@dataclass(frozen=True)
class Msg:
    """One of MESSAGES's fragments, its arguments tokens too."""
    key: str
    args: tuple = ()


#: The fragments that are sentences rather than a number or a date, by language.
MESSAGES: dict[str, dict[str, str]] = {
    "ar": {
        "about": "نحو {}",
        "year_between": "في سنة لا يحددها المصدر بين {} و{}",
        "in": "في {}",
        "and": "{} و{}",
        "from_year": "{} من {}",
        "span": "من {} إلى {}",
        "not_given": "غير محدد",
        "not_stated": "غير مذكورة",
        "unnamed_target": "هدف غير محدد",
        "at_least": "على الأقل",
        "title_cite": "{} ({})",
        "hedge_here": "وتختلف المصادر هنا في {}: {}.",
        "article_of": "مقال {}",
        "ids": "من {} إلى {}",
        "digits_indic": "الأرقام في النص والجداول بالأرقام العربية المشرقية، وفاصل الآلاف فيها «٬» (٢٬٥٠٠).",
        "digits_latin": ("الأرقام في النص والجداول بالأرقام اللاتينية كما تكتبها المصادر، وفاصل الآلاف فيها الفاصلة (2,500)، "
                         "والسنوات بلا فاصل."),
        "months": ("وأسماء الأشهر بالتسمية العراقية والشامية (كانون الثاني، شباط، …)، ولا ترد تسمية المصدر الأخرى إلا "
                   "داخل علامتي التنصيص."),
        "unknown": "والمقال الذي لا يُعرف ناشره يُسمّى «{}».",
    },
    "en": {
        "about": "about {}",
        "year_between": "in a year the source does not give, between {} and {}",
        "in": "in {}",
        "and": "{} and {}",
        "from_year": "{} from {}",
        "span": "{} to {}",
        "not_given": "not given",
        "not_stated": "not stated",
        "unnamed_target": "an unnamed target",
        "at_least": "at least",
        "title_cite": "{} ({})",
        "hedge_here": "The sources disagree here on {}: {}.",
        "article_of": "the article from {}",
        "ids": "{} to {}",
        "digits_latin": "Numbers use Latin digits with a comma for thousands (2,500); years have no separator.",
        "months": ("Dates are written day, month, year (9 December 2021); the Arabic edition uses the Iraqi and "
                   "Levantine month names."),
        "unknown": "An article whose publisher is not known is called “{}”.",
    },
}


def phrase(node, tables, lang: str):
    """The fact tree `node` worded in `lang`: every token becomes a markdown-safe string."""
    w, st, msg = words(lang), story(lang), MESSAGES[lang]
    if isinstance(node, dict):
        return {k: phrase(x, tables, lang) for k, x in node.items()}
    if isinstance(node, str):
        return node  # already neutral markdown (none comes from data)
    if isinstance(node, Lit):
        return node.text
    if isinstance(node, Num):
        return msg["about"].format(w.num(node.n)) if node.approx else w.num(node.n)
    if isinstance(node, Count):
        return w.phrase(node.n, node.noun)
    if isinstance(node, Date):
        return w.fdate(node.value, node.precision, basis=node.basis)
    if isinstance(node, At):
        d = node.date
        if lang == "ar":
            return "في " + w.fdate(d.value, d.precision, basis=d.basis)
        return w.on(d.value, d.precision, basis=d.basis)
    if isinstance(node, Text):
        value = node.row[f"{node.name}_{lang}"] if f"{node.name}_{lang}" in node.row else None
        return "" if _isna(value) else md_escape(value)
    if isinstance(node, Label):
        return _labels(tables, node.table, node.field, lang).get(node.key, "")
    if isinstance(node, Join):
        items = [phrase(i, tables, lang) for i in node.items]
        return join(items, lang) if node.sep == "list" else ("؛ " if lang == "ar" else "; ").join(items)
    if isinstance(node, Cite):
        return _cite(tables, node.row, lang)
    if isinstance(node, Cites):
        return st.cite(tables, list(node.pairs))
    if isinstance(node, Topic):
        return st._topic(tables, node.conflict_id)
    if isinstance(node, SourceName):
        return _source_names(tables, lang)[node.source_id]
    if isinstance(node, Derived):
        from ..truth import fmt

        return fmt(node.d, tables, lang)
    if isinstance(node, Msg):
        return msg[node.key].format(*(phrase(a, tables, lang) for a in node.args))
    raise TypeError(f"not a value token: {node!r}")


# --------------------------------------------------------------------------------------------
# the facts


def facts(tables, data_dir=None) -> dict:
    """Every value the briefing's prose quotes, without language (a nested dict of tokens)."""
    import pandas as pd

    from .. import attacks as A
    from .. import bases as B
    from .. import sources as S
    from .. import troops as T
    from .. import truth as TR
    from ..report import build_timestamp, data_hash
    from ..story import _ranked

    pkg = tables.package
    src = tables["sources"]
    ts = build_timestamp(tables)
    digest = data_hash(data_dir)
    v: dict = {}
    NG = Msg("not_given")

    # title block
    first_src = src.sort_values("published").iloc[0]
    last_src = src.sort_values("published").iloc[-1]
    v["build"] = {"date": Date(dt.datetime.fromtimestamp(ts, dt.UTC), "day"), "epoch": Lit(str(ts))}
    v["data"] = {
        "version": Lit(md_escape(pkg.descriptor.get("version", ""))),
        "hash": Lit(digest[:12]),
        "hash_full": Lit(digest),
        "tables": Count(len(pkg.resources), "table"),
        "rows": Count(sum(len(t) for t in tables.values()), "row"),
    }
    by_year = src.groupby(src["published"].dt.year).size().sort_index()
    v["sources"] = {
        "count": Num(len(src)),
        "phrase": Count(len(src), "article"),
        "first": Date(first_src["published"], first_src["date_precision"]),
        "last": Date(last_src["published"], last_src["date_precision"]),
        "by_year": Join(tuple(Msg("from_year", (Count(n, "article"), Lit(str(y)))) for y, n in by_year.items())),
        "outlet_stated": Num((src["outlet_basis"] == "stated").sum()),
        "outlet_inferred": Num((src["outlet_basis"] == "inferred").sum()),
        "outlet_unknown": Num((src["outlet_basis"] == "unknown").sum()),
        "date_stated": Num((src["date_basis"] == "stated").sum()),
        "date_inferred": Num((src["date_basis"] == "inferred").sum()),
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
    targets = lv[lv["kind"] == "target"].sort_values("date")
    foreign = lv[(lv["counted"] == "foreign") & (lv["kind"] == "observed")].sort_values("date")
    federal = lv[(lv["area"] == "federal_iraq") & (lv["counted"] == "us")].sort_values("date")
    per_base = lv[(lv["area"] == "base")].sort_values("date")
    printed = {d.key: Derived(d) for d in TR.derived(tables)}
    v["troops"] = {
        "observations": Count(len(lv), "observation"),
        "targets": Count(int((lv["kind"] == "target").sum()), "observation"),
        "approximate": Count(int(lv["count_approximate"].fillna(False).sum()), "observation"),
        "peak": Num(peak["count"], bool(peak["approximate"])),
        "peak_period": (Msg("year_between", (Date(peak["date"], "year"), Date(peak["date_end"], "year")))
                        if not _isna(peak["date_end"]) else
                        Msg("in", (Date(peak["date"], peak["date_precision"], peak.get("date_basis")),))),
        "last": Num(cut_peak["end_count"], bool(cut_peak["end_approximate"])),
        "last_date": Date(cut_peak["end_date"], cut_peak["end_date_precision"]),
        "cut_peak": printed.get("troops.cut_peak", Num(cut_peak["reduction"])),
        "cut_peak_pct": printed.get("troops.cut_peak_pct", Lit(f"{float(cut_peak['pct_reduction']):.1f}%")),
        "since": Num(cut_since["start_count"], bool(cut_since["start_approximate"])),
        "since_date": Date(cut_since["start_date"], cut_since["start_date_precision"]),
        "since_at": At(Date(cut_since["start_date"], cut_since["start_date_precision"])),
        "since_source": Lit(md_escape(start["source_id"])),
        "cut_since": printed.get("troops.cut_since", Num(cut_since["reduction"])),
        "cut_since_pct": printed.get("troops.cut_since_pct", Lit(f"{float(cut_since['pct_reduction']):.1f}%")),
    }
    if len(targets):
        t = targets.iloc[0]
        v["troops"]["target"] = Num(t["count"])
        v["troops"]["target_date"] = Date(t["date"], t["date_precision"])
        v["troops"]["target_at"] = At(v["troops"]["target_date"])
    if len(foreign):
        f = foreign.iloc[-1]
        v["troops"]["foreign"] = Num(f["count"], bool(f["count_approximate"]))
        v["troops"]["foreign_date"] = Date(f["date"], f["date_precision"])
        v["troops"]["foreign_at"] = At(v["troops"]["foreign_date"])
    if len(federal):
        f = federal.iloc[-1]
        v["troops"]["federal"] = Num(f["count"])
        v["troops"]["federal_date"] = Date(f["date"], f["date_precision"])
    if len(per_base):
        b = per_base.iloc[-1]
        v["troops"]["base_count"] = Num(b["count"], bool(b["count_approximate"]))
        v["troops"]["base_name"] = Text(tables["bases"].set_index("base_id").loc[b["base_id"]], "name")

    # bases
    bases = tables["bases"]
    binfo = bases.set_index("base_id")
    ev = tables["base_events"]
    ho = B.handed_over(ev, states=("handed_over",))
    by = ho[ho["date"] <= pd.Timestamp(HANDOVER_BY)]
    rem = B.remaining(ev, bases)
    v["bases"] = {
        "sites": Count(len(bases), "site"),
        "provinces": Count(bases["province_ar"].dropna().nunique(), "province"),
        "no_province": Num(bases["province_ar"].isna().sum()),
        "cutoff_year": Lit(str(pd.Timestamp(HANDOVER_BY).year)),
        "handed": Count(len(by), "base"),
        "handed_names": Join(tuple(Text(binfo.loc[b], "name") for b in by["base_id"])),
        "handed_first": Date(by["date"].iloc[0], by["precision"].iloc[0]) if len(by) else NG,
        "handed_last": Date(by["date"].iloc[-1], by["precision"].iloc[-1]) if len(by) else NG,
        "undated_events": Num(ev["date"].isna().sum()),
    }
    part = B.handed_over(ev, states=B.PARTIAL_STATES)
    if len(part):
        v["bases"]["partial_names"] = Join(tuple(Text(binfo.loc[b], "name") for b in part["base_id"]))
        v["bases"]["partial_date"] = Join(tuple(Date(d, p) for d, p in zip(part["date"], part["precision"], strict=True)))
    if len(rem):
        r = rem.iloc[-1]
        row = binfo.loc[r["base_id"]]
        v["bases"].update({
            "remaining_name": Text(row, "name"),
            "remaining_province": Text(row, "province") if not _isna(row["province_ar"]) else Msg("not_stated"),
            "remaining_region": Label("bases", "region", str(row["region"])),
            "remaining_date": Date(r["date"], r["precision"], ev.set_index("event_id").loc[r["event_id"], "date_basis"]),
            "remaining_count": Count(len(rem), "base"),
        })

    # attacks
    at = tables["attacks"]
    at_rows = at.set_index("attack_id")
    chron = A.chronology(at, bases)
    killed = int(at["killed"].fillna(0).sum())
    injured = int(at["injured"].fillna(0).sum())
    dated = chron[chron["dated"]]
    worst = chron.sort_values(["casualties", "attack_id"], ascending=[False, True], na_position="last").iloc[0]
    wk, wi = worst["killed"], worst["injured"]
    if not _isna(wi) and not _isna(wk) and wk > 0:
        worst_toll = Msg("and", (Count(int(wk), "killed"), Count(int(wi), "injured")))
    elif not _isna(wi):
        worst_toll = Count(int(wi), "injured")
    elif not _isna(wk):
        worst_toll = Count(int(wk), "killed")
    else:
        worst_toll = Count(int(worst["casualties"]), "injured")
    # Incidents mentioned in five articles, most with no toll: any sum is a floor, not a tally.
    ms_ids = tables["milestones"]["milestone_id"]
    rel = A.relative_to(at, tables["milestones"], "M07") if (ms_ids == "M07").any() else None
    v["attacks"] = {
        "records": Count(len(at), "record"),
        "single": Count(int((at["event_kind"] == "single").sum()), "single"),
        "series": Count(int((at["event_kind"] == "series").sum()), "series"),
        "killed": Count(killed, "killed"),
        "injured": Count(injured, "injured"),
        "at_least": Msg("at_least"),
        "first_date": Date(dated["date"].iloc[0], dated["date_precision"].iloc[0]) if len(dated) else NG,
        "last_date": Date(dated["date"].iloc[-1], dated["date_precision"].iloc[-1]) if len(dated) else NG,
        "undated": Num((~chron["dated"]).sum()),
        "worst": worst_toll,
        "worst_target": Text(worst, "target") if not _isna(worst["target_ar"]) else Msg("unnamed_target"),
        "worst_date": Date(worst["date"], worst["date_precision"]),
        "worst_weapon": Label("attacks", "weapon", str(worst["weapon"])),
        "worst_note": Text(at_rows.loc[worst["attack_id"]], "casualty_note"),
        "worst_cite": Cite(at_rows.loc[worst["attack_id"]]),
        "after_strike": Count(int((rel["relation"] == "after").sum()), "record") if rel is not None else Lit(""),
    }

    # milestones
    ms = tables["milestones"].sort_values(["date", "milestone_id"])
    rows_of = TR.finding_rows(tables)
    mrow = [i for t, i in rows_of["combat_end"] if t == "milestones"]
    combat = ms[ms["milestone_id"].isin(mrow[:1])]
    deadline = ms[ms["milestone_id"].isin(mrow[1:2]) & (ms["kind"] == "deadline")]
    withdrawal = ms[ms["milestone_id"].isin(mrow[-1:]) & (ms["kind"] == "withdrawal")]
    m: dict = {
        "count": Count(len(ms), "milestone"),
        "n": Num(len(ms)),
        "first_year": Lit(str(ms["date"].min().year)),
        "last_year": Lit(str(ms["date"].max().year)),
        "undated": Count(int(ms["date"].isna().sum()), "milestone"),
    }
    v["milestones"] = m
    if len(combat):
        c = combat.iloc[0]
        m["combat_end_date"] = Date(c["date"], c["date_precision"], c["date_basis"])
        m["combat_end_at"] = At(m["combat_end_date"])
        m["combat_end_actor"] = Text(c, "actor")
        if len(deadline):
            d = deadline.iloc[0]
            m["deadline_date"] = Date(d["date"], d["date_precision"], d["date_basis"])
            m["deadline_actor"] = Text(d, "actor")
            m["days_before_deadline"] = Count((d["date"] - c["date"]).days, "day")
    if len(withdrawal):
        w = withdrawal.iloc[-1]
        m["withdrawal_date"] = Date(w["date"], w["date_precision"], w["date_basis"])
        m["withdrawal_at"] = At(m["withdrawal_date"])
        m["withdrawal_source"] = Lit(md_escape(w["source_id"]))
        m["withdrawal_title"] = Text(w, "title")
        m["withdrawal_actor"] = Text(w, "actor")
        same = ms[(ms["source_id"] == w["source_id"]) & (ms["modality"].astype("string") == "expected")] if "modality" in ms else ms.iloc[0:0]
        m["withdrawal_caveats"] = Join(tuple(Msg("title_cite", (Text(x, "title"), Cite(x))) for _, x in same.iterrows()), "semi")
    # what the combat-end announcement did not end: the official announcement still to come
    later = ms[(ms["conflict_id"].astype("string") == (str(c["conflict_id"]) if len(combat) else "")) &
               (ms["modality"].astype("string") == "expected")] if len(combat) and "modality" in ms else ms.iloc[0:0]
    if len(later):
        e = later.iloc[0]
        m["official_date"] = Date(e["date"], e["date_precision"], e["date_basis"])
        m["official_at"] = At(m["official_date"])
        m["official_actor"] = Text(e, "actor")
        m["official_cite"] = Cite(e)
    advise = lv[(lv["counted"] == "us") & (lv["area"] == "iraq") & lv["date_end"].isna()
                & (lv["date"] <= (combat["date"].iloc[0] if len(combat) else lv["date"].max()))]
    if len(advise):
        a = advise.sort_values(["date", "obs_id"]).iloc[-1]
        v["troops"]["after_combat"] = Num(a["count"], bool(a["count_approximate"]))

    # sources and method
    dis = S.disagreements(tables)
    sup = S.support(tables)
    cov = S.coverage(tables)
    fact_rows = sum(len(tables[t]) for t in S.FACT_TABLES if t in tables)
    dated_tables = [t for t in ("base_events", "troop_levels", "attacks", "milestones") if t in tables]
    basis = pd.concat([tables[t]["date_basis"].astype("string") for t in dated_tables])
    top = cov["total"].idxmax()
    v["conflicts"] = {
        "count": Count(tables["conflicts"]["conflict_id"].nunique(), "issue"),
        "claims": Count(len(dis), "citation"),
        "unresolved": Count(int((tables["conflicts"]["status"] == "unresolved").sum()), "issue"),
    }
    # the findings: which rows each one rests on, and the disputes among them
    v["findings"] = {}
    cr = TR.conflict_rows(tables)
    for key, rows in rows_of.items():
        pairs = tuple((TR._row(tables, t, i)["source_id"], TR._row(tables, t, i)["paragraph"]) for t, i in rows)
        touched = _ranked(tables, {c for r in rows for c in cr.get((r[0], r[1]), set())})
        hedge = Msg("hedge_here", (Count(len(touched), "issue"), Join(tuple(Topic(c) for c in touched)))) if touched else Lit("")
        v["findings"][key] = {"cite": Cites(pairs), "hedge": hedge}
    # what the sources cover: years with no dated row, and the stretch between the articles
    years = sorted(set(src["published"].dt.year))
    first_y = int(min(lv["date"].min().year, src["published"].min().year))
    spans = TR.uncovered_spans(tables, first_y, years[-1])
    span_txt = tuple(Lit(str(a)) if a == b else Msg("span", (Lit(str(a)), Lit(str(b)))) for a, b in spans)
    v["coverage"] = {"gaps": Join(span_txt), "gap_count": Count(sum(b - a + 1 for a, b in spans), "year")}
    if len(years) >= 2 and years[-1] - years[-2] > 1:
        lo, hi = years[-2] + 1, years[-1] - 1
        n_late = 0
        for t in ("base_events", "troop_levels", "attacks", "milestones"):
            d = tables[t]["date"].dropna()
            n_late += int(((d.dt.year >= lo) & (d.dt.year <= hi)).sum())
        v["coverage"].update({"late_from": Lit(str(lo)), "late_to": Lit(str(hi)), "late_rows": Count(n_late, "event"),
                              "late_source_year": Lit(str(years[-1]))})
    v["method"] = {
        "fact_rows": Count(fact_rows, "row"),
        "further": Count(len(tables["citations"]), "citation"),
        "citations": Count(len(sup), "citation"),
        "dates": Count(len(basis), "date"),
        "dates_inferred": Count(int((basis == "inferred").sum()), "date"),
        "dates_missing": Count(int((basis == "not_stated").sum()), "date"),
        "top_source": Msg("article_of", (SourceName(str(top)),)),
        "top_source_facts": Count(int(cov.loc[top, "total"]), "fact"),
    }
    ids = sorted(tables["conflicts"]["conflict_id"].astype(str), key=lambda c: (len(c), c))
    v["colophon"] = {
        "conflict_ids": (Msg("ids", (Lit(md_escape(ids[0])), Lit(md_escape(ids[-1])))) if len(ids) > 1
                         else Lit(md_escape(ids[0])) if ids else Lit("—")),
    }
    return v


def variables(tables, data_dir=None, lang: str = "ar", *, facts_=None) -> dict:
    """Every value the briefing's prose quotes in `lang`, as markdown-safe strings (nested dict).
    `facts_`: the language-neutral values (:func:`facts`), when already computed."""
    from .. import truth as TR

    f = facts_ if facts_ is not None else facts(tables, data_dir)
    v = phrase(f, tables, lang)
    bad = TR.printed_problems(v, tables, lang)
    if bad:
        raise ReportError("derived numbers printed more precisely than their inputs:\n" + "\n".join(bad))
    v["alt"] = (_alt_ar if lang == "ar" else _alt_en)(v)
    v["colophon"].update(_colophon(lang))
    return v


def _colophon(lang: str) -> dict:
    from ..text_ar import digits_mode, keep_dates

    msg = MESSAGES[lang]
    unknown = story(lang).UNKNOWN_PUBLISHER
    return {
        # the English edition keeps Latin digits whatever ANALYSIS_DIGITS says (report.generate)
        "digits": msg["digits_indic"] if digits_mode() == "arabic-indic" and lang == "ar" else msg["digits_latin"],
        "months": keep_dates(msg["months"]),  # Arabic month names never break; English has none to keep
        "unknown": msg["unknown"].format(unknown),
    }


def _alt_ar(v: dict) -> dict:
    """Each figure's alt text, from the values: the key numbers, not only the chart type
    (read as plain text by report/_extensions/briefing/alt.lua)."""
    t, b, a, m, c = v["troops"], v["bases"], v["attacks"], v["milestones"], v["conflicts"]
    return {
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


def _alt_en(v: dict) -> dict:
    """The English alt texts: the same key numbers as the Arabic ones."""
    t, b, a, m, c = v["troops"], v["bases"], v["attacks"], v["milestones"], v["conflicts"]
    return {
        "troops": (f"Line chart of troop numbers in Iraq as the sources give them: the US presence peaked at {t['peak']} "
                   f"troops {t['peak_period']}, then {t['since']} {t['since_at']}, then {t['last']} from "
                   f"{t['last_date']}, with no later count; announced targets are marked apart from actual numbers, and "
                   "years the sources do not cover are shaded."),
        "bases": (f"Timeline of the status of {b['sites']}: the coalition handed {b['handed']} over to Iraqi forces by the "
                  f"end of {b['cutoff_year']}" + (f", and US forces remain at {b['remaining_name']}" if "remaining_name" in b else "")
                  + "."),
        "map": (f"Map of Iraq's provinces and its neighbours showing {b['sites']}, each marked with the last status the "
                "sources give" + (f"; {b['remaining_name']} in {b['remaining_region']} is marked as the base where US forces "
                                  "remain" if "remaining_name" in b else "")
                + "; dashed lines show the disputed distances beside the distance computed from the coordinates."),
        "attacks": (f"Timeline of {a['records']} of attacks on bases hosting foreign forces that the articles mention, the "
                    f"first dated {a['first_date']} and the last {a['last_date']}, including {a['single']} and "
                    f"{a['series']}; the tolls mentioned add up to {a['at_least']} {a['killed']} and {a['injured']}."),
        "timeline": (f"Timeline of {m['count']} the sources mention, from {m['first_year']} to {m['last_year']}"
                     + (f", including the end of the combat mission {m['combat_end_at']}" if "combat_end_at" in m else "")
                     + (f" and the last withdrawal the sources report, {m['withdrawal_date']}" if "withdrawal_date" in m else "")
                     + f"; {m['undated']} without a date are placed within the bounds the evidence allows."),
        "sources": (f"Grid with one column for each of the {v['sources']['phrase']} and one row for each fact: what each "
                    f"article supports and confirms; below, {c['count']} on which the sources disagree, with what each "
                    "article says."),
    }
