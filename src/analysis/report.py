"""The Arabic briefing: computed values, generated tables, and rendering to PDF and HTML.

The briefing's text lives in ``report/briefing.qmd`` (a Quarto project, ``report/_quarto.yml``).
It never types a number: numbers and data strings reach it through the project's own Quarto
extension (``report/_extensions/briefing``), read at filter time,

* ``{{< value key >}}``, a value from ``_generated/values.json``, and
* ``{{< generated NAME >}}``, the table or list in ``_generated/NAME.md``,

both written by :func:`generate` from the data, with every data string escaped for markdown,
and read with plain pandoc so that no shortcode inside data text is ever expanded.

:func:`render` builds the two outputs.  With Quarto (``engine="quarto"``) it runs one
``quarto render``; otherwise (``engine="builtin"``) it does what Quarto would do with the tools
Quarto drives: it turns the shortcodes into placeholders that the same extension fills
(``templates/shortcodes.lua``), resolves cross-references with a Lua filter
(``templates/crossref.lua``), runs pandoc to a single self-contained HTML file and to typst
markup, and compiles the typst markup to PDF with the bundled fonts only and a fixed
timestamp, so that a build is byte-reproducible.  Either way the build happens in a staging
copy of the project, and the outputs replace the previous ones atomically.
"""
from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from . import atomic, config, registry
from .errors import AnalysisError, OutputError, ReportError

__all__ = ["ReportError", "REPORT_DIR", "TEMPLATE_DIR", "FIGURES", "render", "generate", "variables",
           "data_hash", "build_timestamp", "md_escape"]

REPORT_DIR = config.REPORT_DIR
FIGURES_DIR = config.FIGURES_DIR
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
#: Figures the briefing shows, as written by `python -m analysis figures`.
FIGURES: tuple[str, ...] = registry.BRIEFING  # the numbered figures; phone variants: registry.NARROW
#: Project files copied into the staging directory (the rest of report/ is output or generated).
PROJECT_GLOBS: tuple[str, ...] = ("*.qmd", "_quarto.yml", "*.css", "_prepare.py", ".gitignore", "_extensions", "_typst")
DOCUMENT = "briefing"
#: Set while `render` runs Quarto, so the project's pre-render hook does not regenerate.
STAGED_ENV = "ANALYSIS_REPORT_STAGED"

# Anchors of the key findings (which facts the briefing asks about, not numbers it prints).
SINCE = "2017-12-31"  # troop reduction "since December 2017"
HANDOVER_BY = "2020-12-31"  # bases handed over "by the end of 2020"




# --------------------------------------------------------------------------------------------
# text helpers

LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"
NBSP = "\u00a0"
# Every ASCII punctuation mark pandoc gives a meaning to, '-' and '.' included: escaped, they are
# out of reach of smart typography too ('--' stays two hyphens, '...' three dots).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|~^@$&=\"'\-.:%;()/])")


_FOLD = re.compile(r"[ \t\r\n\f\v]+")


def md_escape(text, *, group: bool = True) -> str:
    """The choke point for data strings on their way to pandoc/Quarto markdown.

    The string shows exactly as written: every markdown, HTML and shortcode special is
    backslash-escaped (so `<script>` stays text, `*x*` is no emphasis, `{{< include >}}` is no
    shortcode, `--` no dash), newlines fold to spaces, and the result is wrapped in a Unicode
    first-strong isolate so that it cannot reorder the text around it.
    """
    if text is None or _isna(text):
        return ""
    s = _FOLD.sub(" ", str(text)).strip(" ")  # line breaks fold; no-break and thin spaces stay as written
    if not s:
        return ""
    if group:  # the copy rules: «2500» reads «2,500», one month system, dates that never break
        from .text_ar import reader_text

        s = reader_text(s)
    return FSI + _MD_SPECIAL.sub(r"\\\1", s) + PDI


def ltr(text: str) -> str:
    """Wrap a left-to-right run (a range, an English sentence) in Unicode isolates."""
    return f"{LRI}{text}{PDI}"


def _isna(value) -> bool:
    import pandas as pd

    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def num(n) -> str:
    """An integer with thousands separators (Latin digits, as in the sources)."""
    return f"{int(n):,}"


def pct(x) -> str:
    return f"{float(x):.1f}%"


def count_phrase(n: int, forms: dict[str, str]) -> str:
    """Arabic number + counted noun with the right agreement.

    `forms`: one ("قاعدة واحدة"), two ("قاعدتان"), few (3-10, "قواعد"), many (11-99,
    "قاعدةً"), hundred (100, 200...: "قاعدة"), and optionally zero.
    """
    from .text_ar import Noun, count

    n = int(n)
    if n == 1:
        return forms["one"]
    # agreement rules live in analysis.text_ar; zero reads «لا قواعد», never a bare «0»
    return count(n, Noun(forms["hundred"], forms["two"], forms["few"], accusative=forms["many"],
                         zero=forms.get("zero")))


NOUNS: dict[str, dict[str, str]] = {
    "article": dict(one="مقال واحد", two="مقالان", few="مقالات", many="مقالاً", hundred="مقال"),
    "site": dict(one="موقع واحد", two="موقعان", few="مواقع", many="موقعاً", hundred="موقع"),
    "base": dict(one="قاعدة واحدة", two="قاعدتين", few="قواعد", many="قاعدةً", hundred="قاعدة"),
    "province": dict(one="محافظة واحدة", two="محافظتين", few="محافظات", many="محافظةً", hundred="محافظة"),
    "record": dict(one="واقعة واحدة", two="واقعتين", few="وقائع", many="واقعةً", hundred="واقعة"),
    "single": dict(one="هجوم منفرد واحد", two="هجومان منفردان", few="هجمات منفردة",
                   many="هجوماً منفرداً", hundred="هجوم منفرد"),
    "series": dict(one="سلسلة هجمات واحدة", two="سلسلتا هجمات", few="سلاسل هجمات",
                   many="سلسلةَ هجمات", hundred="سلسلة هجمات"),
    "killed": dict(zero="لا قتلى", one="قتيل واحد", two="قتيلان", few="قتلى", many="قتيلاً", hundred="قتيل"),
    "injured": dict(zero="لا جرحى", one="جريح واحد", two="جريحان", few="جرحى", many="جريحاً", hundred="جريح"),
    "day": dict(one="يوم واحد", two="يومين", few="أيام", many="يوماً", hundred="يوم"),
    "year": dict(one="سنة واحدة", two="سنتين", few="سنوات", many="سنةً", hundred="سنة"),
    "issue": dict(one="مسألة واحدة", two="مسألتين", few="مسائل", many="مسألةً", hundred="مسألة"),
    "observation": dict(one="رصد واحد", two="رصدين", few="أرصاد", many="رصداً", hundred="رصد"),
    "row": dict(one="سطر واحد", two="سطرين", few="أسطر", many="سطراً", hundred="سطر"),
    "citation": dict(one="إحالة واحدة", two="إحالتين", few="إحالات", many="إحالةً", hundred="إحالة"),
    "milestone": dict(one="محطة واحدة", two="محطتين", few="محطات", many="محطةً", hundred="محطة"),
    "table": dict(one="جدول واحد", two="جدولين", few="جداول", many="جدولاً", hundred="جدول"),
    "date": dict(one="تاريخ واحد", two="تاريخين", few="تواريخ", many="تاريخاً", hundred="تاريخ"),
}


def phrase(n, noun: str) -> str:
    return count_phrase(n, NOUNS[noun])


def join_ar(items: list[str]) -> str:
    """«أ وب»، «أ، وب، وج»: و before every item after the first (analysis.text_ar.join)."""
    from .text_ar import join

    return join(items)


def fdate(value, precision="day", *, basis=None) -> str:
    """A date at the precision the source supports; "غير محدد" when there is none."""
    from .arabic import format_date

    if _isna(value) or precision in (None, "unknown") or _isna(precision):
        return "غير محدد"
    from .text_ar import keep_dates

    out = keep_dates(format_date(value, str(precision), style="iraqi"))  # never split across lines
    if basis is not None and not _isna(basis) and str(basis) == "inferred":
        out += " (مستنتج)"
    return out


def fperiod(start, end, precision="day") -> str:
    """A period "من X إلى Y" (words, so no bidi reordering), or one date."""
    if _isna(end):
        return fdate(start, precision)
    if _isna(start):
        return f"قبل نهاية {fdate(end, 'year')}" if str(precision) == "unknown" else fdate(end, precision)
    from .text_ar import date_range

    return date_range(start, end, str(precision))  # «من آذار إلى آب 2020»: the year once


# --------------------------------------------------------------------------------------------
# data identity and the fixed timestamp


def data_hash(data_dir=None) -> str:
    """SHA-256 over the data files: the digest of ``sha256sum`` lines for data/*.csv,
    datapackage.json and data/geo/*.geojson, sorted by path (``cd data && sha256sum *.csv
    datapackage.json geo/*.geojson | LC_ALL=C sort -k2 | sha256sum`` gives the same value)."""
    from .data import Package

    return Package.at(data_dir).digest()


def build_timestamp(tables) -> int:
    """SOURCE_DATE_EPOCH if set, else midnight UTC of the latest source's publication date.

    A set value must be whole seconds and no earlier than the latest source: a briefing cannot be
    released before the articles it is built from."""
    latest = tables["sources"]["published"].max()
    floor = int(dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.UTC).timestamp())
    value = config.source_date_epoch()  # whole seconds before the year 10000, or None
    if value is None:
        return floor
    if value < floor:
        when = dt.datetime.fromtimestamp(value, dt.UTC).date()
        raise OutputError(f"SOURCE_DATE_EPOCH={value} ({when}) is before the latest source ({latest.date()}); "
                          "a briefing cannot be released before its sources.")
    return value


# --------------------------------------------------------------------------------------------
# computed values


def _labels(tables, table, field):
    """An enum field's display labels from the descriptor, escaped: the descriptor is data too."""
    return {k: md_escape(v) for k, v in tables.package.labels(table, field, "ar").items()}


def _source_names(tables) -> dict[str, str]:
    """source_id -> "outlet (date)", linked to the source's row; one name for an unknown publisher."""
    from .story_ar import outlet, source_anchor

    out = {}
    for _, s in tables["sources"].iterrows():
        out[str(s["source_id"])] = (f"[{outlet(tables, s['source_id'])} ({fdate(s['published'], s['date_precision'])})]"
                                    f"(#{source_anchor(s['source_id'])})")
    return out


def _cite(tables, row) -> str:
    """«إيلاف، ف19», linked to the source's row (no id: ids are in the colophon)."""
    from .story_ar import cite

    return cite(tables, [(row["source_id"], row["paragraph"])], parens=False)


def _conflict_links(ids) -> str:
    """«خلاف C3»، linked to the conflict's heading."""
    from .story_ar import conflict_anchor

    ids = [str(c) for c in ids]
    return "خلاف " + join_ar([f"[{md_escape(c)}](#{conflict_anchor(c)})" for c in ids]) if ids else ""


def variables(tables, data_dir=None) -> dict:
    """Every value the briefing's prose quotes, as markdown-safe strings (nested dict)."""
    import pandas as pd

    from . import attacks as A
    from . import bases as B
    from . import sources as S
    from . import troops as T
    from . import truth as TR

    pkg = tables.package
    src = tables["sources"]
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
    from . import story_ar as SA
    from .story import _ranked

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
    from .text_ar import UNKNOWN_PUBLISHER, digits_mode, keep_dates

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


# --------------------------------------------------------------------------------------------
# generated markdown


def _table(header: list[str], rows: list[list[str]], widths: list[int] | None = None) -> str:
    """A pipe table; `widths` (relative, in dashes) set the column widths in both engines."""
    def cell(x):
        x = "—" if x is None or x == "" else x
        return x.replace("\n", " ")

    widths = widths or [3] * len(header)
    if len(widths) != len(header):
        raise ValueError("one width per column")
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("-" * w for w in widths) + "|"]
    out += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def _txt(value) -> str:
    return "" if _isna(value) else md_escape(value)


def _named(tables, value) -> str:
    """A data note that names articles by id («s002 (الفقرة 15)»), with the outlet's name
    instead, for the reader (the ids are in the colophon)."""
    from .story_ar import outlet

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


def generated_markdown(tables) -> dict[str, str]:
    """The generated includes: name -> markdown."""
    from . import attacks as A
    from . import bases as B
    from . import sources as S

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
    from .text_ar import date_range
    from .truth import conflict_rows

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
    from .story import _ranked
    from .story_ar import conflict_anchor, outlet, source_anchor

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
    from .story_ar import summary, watch

    out["summary"] = " ".join(summary(tables)) + "\n"
    out["watch"] = watch(tables)
    out["source_ids"] = _table(["المعرّف", "المقال", "الملف", "بداية بصمته (SHA-256)"], ids, [10, 30, 30, 30])
    return out


# --------------------------------------------------------------------------------------------
# fonts for the HTML page

_LATIN_RANGES = [(0x20, 0x7E), (0xA0, 0x17F), (0x2010, 0x2027), (0x2030, 0x205E), (0x20AC, 0x20AC), (0x2212, 0x2212)]


# Noto Sans cut to Latin, made once by `python -m analysis.report subset-fonts` and shipped, so no
# build pays for subsetting; a test checks the shipped files equal a fresh cut.
LATIN_SUBSETS = {"latin-regular": "NotoSans-Latin-Regular.ttf", "latin-bold": "NotoSans-Latin-Bold.ttf"}


def latin_subset(path: Path) -> bytes:
    """The font at `path` cut to the Latin ranges the page uses, with its copyright and licence names."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(path.read_bytes()), recalcTimestamp=False)  # reproducible bytes
    options = subset.Options()
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and licence (OFL)
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[u for a, b in _LATIN_RANGES for u in range(a, b + 1)])
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf, reorderTables=True)
    return buf.getvalue()


def write_latin_subsets() -> list[Path]:
    from .arabic import FONT_DIR, FONT_FILES

    written = []
    for role, name in LATIN_SUBSETS.items():
        _write(FONT_DIR / name, latin_subset(FONT_DIR / FONT_FILES[role]))
        written.append(FONT_DIR / name)
    return written


def font_css() -> str:
    """@font-face rules with the bundled text fonts as data: URIs (Noto Sans cut to Latin)."""
    from .arabic import FONT_DIR, FONT_FILES

    faces = [("Noto Naskh Arabic", FONT_FILES["text-regular"], 400), ("Noto Naskh Arabic", FONT_FILES["text-bold"], 700),
             ("Noto Sans", LATIN_SUBSETS["latin-regular"], 400), ("Noto Sans", LATIN_SUBSETS["latin-bold"], 700)]
    css = ["/* Generated by analysis.report: the bundled fonts (SIL OFL 1.1), embedded. */"]
    for family, name, weight in faces:
        path = FONT_DIR / name
        if not path.is_file():
            raise ReportError(f"Font file {path} is missing; the briefing needs the bundled fonts in {FONT_DIR}.")
        b64 = base64.b64encode(path.read_bytes()).decode("ascii")
        css.append(f'@font-face {{ font-family: "{family}"; font-style: normal; font-weight: {weight}; '
                   f'font-display: swap; src: url("data:font/ttf;base64,{b64}") format("truetype"); }}')
    return "\n".join(css) + "\n"


# --------------------------------------------------------------------------------------------
# generate: the files Quarto (or the built-in engine) reads


def _write(path: Path, text: str | bytes) -> None:
    atomic.write(path, text)


def _figure_files(figures_dir: Path, digest: str | None = None) -> dict[str, Path]:
    """Every figure the registry lists, phone variants included (the HTML shows those below 48rem).
    A figure whose SVG names other data than `digest` (registry.DATA_NOTE) is refused: the
    briefing never pairs its tables with figures drawn from other data."""
    out, missing, stale = {}, [], []
    for name in registry.NAMES:
        p = figures_dir / f"{name}.svg"
        if not p.is_file():
            missing.append(p.name)
            continue
        out[name] = p
        if digest:
            head = p.read_bytes()[:4096].decode("utf-8", "replace")
            drawn = re.search(re.escape(registry.DATA_NOTE) + r"([0-9a-f]{64})", head)
            if drawn and drawn.group(1) != digest:
                stale.append(p.name)
    if missing:
        raise ReportError(f"Figures {', '.join(missing)} are missing in {figures_dir}; "
                          f"run `python -m analysis figures --out {figures_dir}` first.")
    if stale:
        raise ReportError(f"Figures {', '.join(stale)} in {figures_dir} were drawn from other data than the "
                          f"briefing's; draw them again: `python -m analysis figures --out {figures_dir}` "
                          "(or `make report`).")
    return out


def _map_strings(node, fn):
    """`fn` applied to every string of a nested dict (the values), keys and structure kept."""
    if isinstance(node, dict):
        return {k: _map_strings(x, fn) for k, x in node.items()}
    return fn(node) if isinstance(node, str) else node


def generate(data_dir=None, project_dir=None, figures_dir=None, *, tables=None) -> list[Path]:
    """Write ``_generated/values.json``, ``_generated/*.md``, ``_generated/fonts.css`` and
    ``_generated/figures/*.svg`` into the Quarto project (default: report/).

    The briefing reads them through its own shortcodes (``report/_extensions/briefing``), at
    filter time, in both engines: ``{{< value key >}}`` and ``{{< generated name >}}``.
    Quarto's ``_variables.yml`` is not written (and a stale one is removed): Quarto parses its
    values as markdown with shortcodes live, so a data string could run one (issue 13).
    """
    from .data import load

    project = Path(project_dir) if project_dir is not None else REPORT_DIR
    tables = tables if tables is not None else load(data_dir)
    package = getattr(tables, "package", None)
    figures = _figure_files(Path(figures_dir) if figures_dir is not None else FIGURES_DIR,
                            package.digest() if package is not None else None)
    written = []
    from .text_ar import apply_digits, digits_mode

    mode = digits_mode()  # ANALYSIS_DIGITS: latin (default) or arabic-indic, for prose and tables alike
    values = _map_strings(variables(tables, data_dir), lambda x: apply_digits(x, mode))
    gen = project / "_generated"
    p = gen / "values.json"
    _write(p, json.dumps(values, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
    written.append(p)
    (project / "_variables.yml").unlink(missing_ok=True)  # written by earlier versions
    for name, text in generated_markdown(tables).items():
        p = gen / f"{name}.md"
        _write(p, apply_digits(text, mode))
        written.append(p)
    p = gen / "fonts.css"
    _write(p, font_css())
    written.append(p)
    for src in figures.values():
        p = gen / "figures" / src.name
        _write(p, src.read_bytes())
        written.append(p)
    return written


# --------------------------------------------------------------------------------------------
# the built-in engine

_SHORTCODE = re.compile(r"\{\{<\s*([\w-]+)((?:\s+[^\s>]+)*)\s*>\}\}")
_NAME = {"value": re.compile(r"^\w+(\.\w+)*$"), "generated": re.compile(r"^\w+$")}
#: The Lua file that fills both shortcodes, for Quarto (as an extension) and for the built-in engine.
EXTENSION = Path("_extensions") / "briefing" / "briefing.lua"


def expand_shortcodes(text: str, base: Path, values: dict | None = None, _depth: int = 0) -> str:
    """Prepare the .qmd's shortcodes for plain pandoc, the way Quarto reads them.

    ``{{< value k >}}`` and ``{{< generated n >}}`` become placeholder spans that
    ``templates/shortcodes.lua`` fills at filter time by running the project's own extension
    (``report/_extensions/briefing/briefing.lua``), as Quarto does: the data-derived text is
    parsed on its own and never scanned for shortcodes.  ``{{< include f >}}`` pulls in an
    authored file of the project (textually, as Quarto does); a path outside the project, or
    into ``_generated/``, is refused.  `values` is accepted for compatibility and unused.
    """
    if _depth > 8:
        raise ReportError("Includes nest too deeply (a cycle?).")
    root = Path(base).resolve()

    def sub(m: re.Match) -> str:
        kind, args = m.group(1), m.group(2).split()
        if kind in _NAME:
            if len(args) != 1 or not _NAME[kind].match(args[0].strip("\"'")):
                raise ReportError(f"Shortcode {m.group(0)!r}: {kind} takes one plain name.")
            return f'[]{{.briefing-shortcode sc="{kind}" arg="{args[0].strip(chr(34) + chr(39))}"}}'
        if kind == "include":
            if len(args) != 1:
                raise ReportError(f"Shortcode {m.group(0)!r}: include takes one path.")
            arg = args[0].strip("\"'")
            path = (root / arg).resolve()
            if Path(arg).is_absolute() or not path.is_relative_to(root) or path.is_relative_to(root / "_generated"):
                raise ReportError(f"Included file {arg} is refused: includes must be authored files inside "
                                  f"the project (generated text comes in through {{{{< generated >}}}}).")
            if not path.is_file():
                raise ReportError(f"Included file {arg} not found in {root}.")
            return expand_shortcodes(path.read_text(encoding="utf-8"), root, None, _depth + 1).rstrip("\n")
        if kind == "var":
            raise ReportError(f"Shortcode {m.group(0)!r}: the briefing takes data values through "
                              f"{{{{< value KEY >}}}} (_generated/values.json), not Quarto's var.")
        raise ReportError(f"Shortcode {m.group(0)!r} is not supported by the built-in engine.")

    return _SHORTCODE.sub(sub, text)


def _pandoc() -> str:
    try:
        import pypandoc
        path = pypandoc.get_pandoc_path()
    except (ImportError, OSError) as err:
        raise ReportError(f"pandoc is not available ({err}); install pypandoc-binary.") from None
    return str(path)


def _typst():
    try:
        import typst
    except ImportError:
        raise ReportError("typst is not available; install the `typst` Python package.") from None
    return typst


def _check_fonts() -> Path:
    from .arabic import FONT_DIR, FONT_FILES

    for name in FONT_FILES.values():
        if not (FONT_DIR / name).is_file():
            raise ReportError(f"Font file {FONT_DIR / name} is missing; the briefing needs the bundled fonts.")
    return FONT_DIR


def _start(cmd: list[str], cwd: Path) -> subprocess.Popen:
    """Start a tool; `_finish` waits for it.  The two pandoc runs overlap this way (2 cores)."""
    return subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen) -> None:
    out, err = proc.communicate()
    if proc.returncode != 0:
        msg = [m.strip() for m in (err or out).strip().splitlines() if m.strip()]
        raise ReportError(f"{Path(proc.args[0]).name} failed: "
                          f"{' '.join(msg[:2]) if msg else 'exit status ' + str(proc.returncode)}")


def _run(cmd: list[str], cwd: Path) -> None:
    _finish(_start(cmd, cwd))


def _metadata(stage: Path) -> dict:
    """Document metadata for pandoc: _quarto.yml's top-level keys (Quarto's project and format
    settings aside, but the HTML/typst `toc-title`) merged under the .qmd's own front matter."""
    import yaml

    conf = yaml.safe_load((stage / "_quarto.yml").read_text(encoding="utf-8")) or {}
    meta = {k: v for k, v in conf.items() if k not in ("project", "format")}
    return meta


def _stage(project: Path, stage: Path) -> None:
    """Copy the project's own files (PROJECT_GLOBS; folders whole, as real copies: Quarto does
    not follow a symlinked extension) into `stage`, and link the bundled fonts and the page
    templates where _quarto.yml looks for them (`../src/analysis/fonts`, `../src/analysis/
    templates`), beside the copy, so Quarto finds them there as it does in the repository."""
    from .arabic import FONT_DIR

    for pattern in PROJECT_GLOBS:
        for p in sorted(project.glob(pattern)):
            if p.is_dir():
                shutil.copytree(p, stage / p.name, ignore=shutil.ignore_patterns("__pycache__"))
            elif p.is_file():
                shutil.copy2(p, stage / p.name)
    if not (stage / f"{DOCUMENT}.qmd").is_file():
        raise ReportError(f"{project / (DOCUMENT + '.qmd')} not found; is {project} the report project?")
    if not (stage / EXTENSION).is_file():
        raise ReportError(f"{project / EXTENSION} not found: the briefing's shortcodes live there.")
    for name, target in (("fonts", FONT_DIR), ("templates", TEMPLATE_DIR)):
        link = stage.parent / "src" / "analysis" / name
        if not link.exists():
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(Path(target).resolve(), target_is_directory=True)


def _builtin(stage: Path, outputs: dict[str, Path], timestamp: int) -> None:
    import yaml

    pandoc = _pandoc()
    typst = _typst() if "pdf" in outputs else None
    fonts = _check_fonts()
    source = (stage / f"{DOCUMENT}.qmd").read_text(encoding="utf-8")
    (stage / f"{DOCUMENT}.md").write_text(expand_shortcodes(source, stage), encoding="utf-8")
    (stage / "_meta.yml").write_text(yaml.safe_dump(_metadata(stage), allow_unicode=True), encoding="utf-8")
    (stage / "_pandoc").mkdir(exist_ok=True)
    common = [pandoc, f"{DOCUMENT}.md", "--from=markdown", "--standalone", "--metadata-file=_meta.yml",
              f"--lua-filter={TEMPLATE_DIR / 'shortcodes.lua'}", f"--lua-filter={Path('_extensions', 'briefing', 'alt.lua')}",
              f"--lua-filter={TEMPLATE_DIR / 'crossref.lua'}",
              f"--lua-filter={Path('_extensions', 'briefing', 'layout.lua')}",
              f"--lua-filter={Path('_extensions', 'briefing', 'cards.lua')}", "--data-dir=_pandoc", "--resource-path=."]
    running = []
    try:
        if "html" in outputs:
            css = ["_generated/fonts.css"] + [p.name for p in sorted(stage.glob("*.css"))]
            running.append(_start(common + ["--to=html5", f"--template={TEMPLATE_DIR / 'briefing.html'}",
                                            "--embed-resources", "--toc", "--toc-depth=2", "--wrap=none",
                                            "--strip-comments"]
                                  + [f"--css={c}" for c in css] + [f"--output={outputs['html']}"], stage))
        if typst is not None:
            typ = stage / f"{DOCUMENT}.typ"
            _finish(_start(common + ["--to=typst", f"--template={TEMPLATE_DIR / 'briefing.typ'}", "--wrap=none",
                                     f"--output={typ}"], stage))
            _typst_compile(typst, typ, outputs["pdf"], stage, fonts, timestamp)  # while the HTML is written
        while running:
            _finish(running.pop())
    finally:
        for proc in running:  # a failure or a signal: stop what still runs
            proc.kill()
            proc.wait()


def _typst_compile(typst, typ: Path, pdf: Path, stage: Path, fonts: Path, timestamp: int) -> None:
    """Compile the typst source to the PDF with the bundled fonts only (reproducible)."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            typst.compile(str(typ), output=str(pdf), root=str(stage), font_paths=[str(fonts)],
                          ignore_system_fonts=True, timestamp=timestamp)
    except Exception as err:  # typst.TypstError and friends
        first = str(getattr(err, "message", err)).strip().splitlines()
        raise ReportError(f"typst failed: {first[0] if first else err}") from None


def _quarto(quarto: str, stage: Path, outputs: dict[str, Path], timestamp: int) -> None:
    """One `quarto render` of the staged project (every format asked for, in one run).

    The generated files are already in the stage, so the pre-render hook is told to do
    nothing (STAGED_ENV).  This Python's folder goes first on PATH and is Quarto's Python,
    so Quarto finds the same pandoc and typst (and the hook the same packages) as we have."""
    bindir = str(Path(sys.executable).parent)
    env = dict(os.environ, **{STAGED_ENV: "1", "SOURCE_DATE_EPOCH": str(timestamp),
                              "PATH": bindir + os.pathsep + os.environ.get("PATH", "")})
    env.setdefault("QUARTO_PYTHON", sys.executable)
    cmd = [quarto, "render", f"{DOCUMENT}.qmd"]
    if len(outputs) == 1:
        cmd += ["--to", "typst" if "pdf" in outputs else "html"]
    proc = subprocess.run(cmd, cwd=stage, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        msg = [m for m in (proc.stderr or proc.stdout).strip().splitlines() if m.strip()]
        errors = [m for m in msg if "ERROR" in m or "error" in m.lower()]
        raise ReportError(f"quarto render failed: {(errors or msg or [str(proc.returncode)])[0].strip()}")
    for fmt, out in outputs.items():
        made = stage / "_output" / f"{DOCUMENT}.{fmt}"
        if not made.is_file():
            raise ReportError(f"quarto render did not produce {made.name}.")
        shutil.copyfile(made, out)


def render(data_dir=None, out_dir="report/_output", engine: str = "auto", *, figures_dir=None,
           formats=("pdf", "html"), project_dir=None, tables=None) -> list[Path]:
    """Build the briefing; return the written paths (briefing.pdf, briefing.html).

    engine: "auto" (Quarto when on PATH, else built-in), "quarto" or "builtin".  The project
    (report/) is copied to a staging directory, generated files are written there, and each
    output replaces the previous one only once every output has been built.
    """
    from .data import load

    if engine not in ("auto", "quarto", "builtin"):
        raise ReportError(f"Unknown engine {engine!r}: use auto, quarto or builtin.")
    formats = tuple(formats)
    if not formats or any(f not in ("pdf", "html") for f in formats):
        raise ReportError(f"formats must be a non-empty subset of ('pdf', 'html'), not {formats!r}.")
    quarto = shutil.which("quarto")
    if engine == "quarto" and quarto is None:
        raise ReportError("Quarto was requested (--engine quarto) but `quarto` is not on PATH.")
    if engine == "auto":
        engine = "quarto" if quarto else "builtin"
        reason = f"({quarto})" if quarto else "(quarto not found)"
        print(f"engine: {engine} {reason}", file=sys.stderr)
    project = Path(project_dir) if project_dir is not None else REPORT_DIR
    out = atomic.check_writable(out_dir)  # before pandoc and typst run, not after
    atomic.sweep(out)  # temporary files of a build that was killed
    if engine == "builtin":  # fail early, before any work, when a tool is missing
        _pandoc()
        if "pdf" in formats:
            _typst()
        _check_fonts()
    tables = tables if tables is not None else load(data_dir)  # once; every stage below reads these
    timestamp = build_timestamp(tables)
    with atomic.staging_dir() as tmp:
        stage = Path(tmp) / "report"
        stage.mkdir()
        _stage(project, stage)
        generate(data_dir, stage, figures_dir, tables=tables)
        built = {fmt: Path(tmp) / f"{DOCUMENT}.{fmt}" for fmt in formats}
        if engine == "builtin":
            _builtin(stage, built, timestamp)
        else:
            _quarto(quarto, stage, built, timestamp)
        temps = {}
        try:
            for fmt, path in built.items():
                if not path.is_file() or path.stat().st_size == 0:
                    raise ReportError(f"The {fmt} output was not produced.")
                t = atomic.temp_path(out / f"{DOCUMENT}.{fmt}")
                temps[fmt] = t
                shutil.copyfile(path, t)
                os.chmod(t, 0o644)
            results = []
            for fmt, t in temps.items():
                final = out / f"{DOCUMENT}.{fmt}"
                os.replace(t, final)
                results.append(final)
        finally:
            for t in temps.values():
                Path(t).unlink(missing_ok=True)
    return results


def _stale_figures(figures_dir: Path, data_dir=None) -> bool:
    """Whether a figure is missing or older than the data or the code that draws it."""
    from .data import DATA_DIR

    figs = [figures_dir / f"{name}.svg" for name in FIGURES]
    if not all(p.is_file() for p in figs):
        return True
    data = Path(data_dir) if data_dir is not None else DATA_DIR
    inputs = [*data.glob("*.csv"), data / "datapackage.json", *Path(__file__).parent.glob("*.py")]
    newest = max((p.stat().st_mtime for p in inputs if p.is_file()), default=0)
    return min(p.stat().st_mtime for p in figs) < newest


def prepare(data_dir=None, project_dir=None, figures_dir=None) -> list[Path]:
    """What Quarto's pre-render hook does: draw the figures when missing or stale (as
    `python -m analysis figures` would), then :func:`generate`."""
    from .data import load

    figures = Path(figures_dir) if figures_dir is not None else FIGURES_DIR
    tables = load(data_dir)
    if _stale_figures(figures, data_dir):
        from .figures import write_all

        print(f"analysis: drawing the figures into {figures}", file=sys.stderr)
        write_all(data_dir, figures, tables=tables)
    return generate(data_dir, project_dir, figures, tables=tables)


def main(argv: list[str] | None = None) -> int:
    """`python -m analysis.report [generate|prepare|subset-fonts] [--data DIR] [--project DIR] [--figures DIR]`:
    write the generated files into the Quarto project (report/), for `quarto render report/`;
    `prepare` first draws the figures when they are missing or stale (the pre-render hook)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m analysis.report", description=main.__doc__)
    parser.add_argument("command", nargs="?", default="generate", choices=["generate", "prepare", "subset-fonts"])
    parser.add_argument("--data")
    parser.add_argument("--project")
    parser.add_argument("--figures")
    args = parser.parse_args(argv)
    try:
        if args.command == "subset-fonts":
            made = write_latin_subsets()
        elif args.command == "prepare":
            made = prepare(args.data, args.project, args.figures)
            print(f"analysis: wrote {len(made)} files into {Path(args.project or REPORT_DIR) / '_generated'}",
                  file=sys.stderr)
            return 0
        else:
            made = generate(args.data, args.project, args.figures)
        for p in made:
            print(p)
    except AnalysisError as err:  # bad data, a missing tool, an unusable build date: one message
        print(err, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
