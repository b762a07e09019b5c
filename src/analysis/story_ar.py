"""The story in Arabic: the summary, the closing questions and the citations, from `analysis.story`.

Why: the facts are computed once, without language (`analysis.story`); this module only words
them, hedged as the rows are: an attributed row is said as its speaker's («بحسب ...»), an
expected one as planned, an inferred date says so, and every open conflict among a
sentence's rows is named with a link to it.  Citations name the outlet and the paragraph and
link to the source's row in the sources table, instead of an id.  Every data string passes
`analysis.report.md_escape`.
"""
from __future__ import annotations

import pandas as pd

from .anchors import conflict_anchor, source_anchor  # re-exported: the briefing links by them
from .text_ar import UNKNOWN_PUBLISHER, date_range, join

__all__ = ["source_anchor", "conflict_anchor", "outlet", "cite", "hedge", "summary", "watch"]


def outlet(tables, source_id) -> str:
    """The outlet's Arabic name (escaped), or the one name for an unknown publisher."""
    from .briefing.markdown import md_escape

    src = tables["sources"].set_index("source_id")
    name = src.loc[source_id, "outlet_ar"] if source_id in src.index else None
    return md_escape(name) if name is not None and not pd.isna(name) else UNKNOWN_PUBLISHER


def cite(tables, rows, *, parens: bool = True) -> str:
    """«(إيلاف، ف19؛ سي إن إن بالعربية، ف7)»: outlet and paragraphs per source, each linked
    to the source's row; `rows` are story.Row or (source_id, paragraph) pairs."""
    from .briefing.markdown import md_escape
    from .story import cited_paragraphs

    parts = [f"[{outlet(tables, sid)}، {join(['ف' + md_escape(p) for p in pars])}](#{source_anchor(sid)})"
             for sid, pars in cited_paragraphs(rows)]
    text = "؛ ".join(parts)
    return f"({text})" if parens and text else text


def _topic(tables, cid) -> str:
    from .briefing.markdown import md_escape

    conf = tables["conflicts"].set_index("conflict_id")
    return f"[{md_escape(conf.loc[cid, 'topic_ar'])}](#{conflict_anchor(cid)})"


def hedge(tables, conflicts) -> str:
    """«، وتختلف المصادر في مسألتين: أ وب»: every open conflict named and linked; "" when none."""
    from .briefing.ar import phrase

    if not conflicts:
        return ""
    return f"، وتختلف المصادر في {phrase(len(conflicts), 'issue')}: " + join([_topic(tables, c) for c in conflicts])


def _date(row) -> str:
    from .briefing.ar import fdate

    return fdate(row.date, row.precision, basis=row.basis)


def _strip_speaker(title: str, actor: str) -> str:
    """«الحكومة العراقية: اكتمل ...» -> «اكتمل ...» when the title opens with its speaker."""
    for sep in (":", "："):
        head = f"{actor}{sep}"
        if title.startswith(head):
            return title[len(head):].strip()
    return title


def _said(row, text_ar: str) -> str:
    """`text_ar` in the row's voice: stated as is; attributed «بحسب المتكلم، ...»; expected
    «كان منتظراً أن ...»; background «يذكر المصدر عرضاً أن ...» (said by its outlet)."""
    from .briefing.markdown import md_escape

    actor = row.record.get("actor_ar")
    actor = None if actor is None or pd.isna(actor) else str(actor)
    if row.modality == "attributed" and actor:
        return f"بحسب {md_escape(actor)}، {md_escape(_strip_speaker(text_ar, actor))}"
    if row.modality == "expected":
        return f"كان منتظراً: {md_escape(_strip_speaker(text_ar, actor) if actor else text_ar)}"
    if row.modality == "background":
        return f"وفي خلفية يذكرها المصدر: {md_escape(text_ar)}"
    return md_escape(text_ar)


def _count(n, approximate: bool) -> str:
    from .briefing.ar import num

    return ("نحو " if approximate else "") + num(n)


def summary(tables, facts=None) -> list[str]:
    """The summary's sentences (markdown), each with its citations and hedges."""
    from . import story
    from .briefing.ar import phrase
    from .briefing.markdown import md_escape

    f = facts if facts is not None else story.facts(tables)
    out = []
    if "combat_end" in f:
        c = f["combat_end"].rows[0]
        actor = c.record.get("actor_ar")
        who = md_escape(actor) if actor is not None and not pd.isna(actor) else "مصدر لم يُسمَّ"
        verb = f"أعلن {who} في {_date(c)} انتهاء المهمة القتالية للتحالف في العراق" \
            if c.modality == "attributed" else f"انتهت المهمة القتالية للتحالف في العراق في {_date(c)}"
        out.append(verb + " " + cite(tables, [c]) + hedge(tables, f["combat_end"].conflicts) + ".")
        s = ""
        if "troops_before" in f and "troops_after" in f:
            b, a = f["troops_before"], f["troops_after"]
            rb, ra = b.rows[0], a.rows[0]
            nb = _count(b.numbers["count"], b.numbers["approximate"])
            na = _count(a.numbers["count"], a.numbers["approximate"])
            if a.numbers["same"]:
                s += (f"لكن عدد الجنود الأميركيين في العراق لم يتغيّر في المصادر: {nb} في {_date(rb)} "
                      f"{cite(tables, [rb])}، و{na} منذ {_date(ra)} {cite(tables, [ra])}، فتغيّرت المهمة ولم يتغيّر العدد")
            else:
                way = "ارتفع" if a.numbers["change"] > 0 else "انخفض"
                s += (f"و{way} عدد الجنود الأميركيين في العراق في المصادر من {nb} في {_date(rb)} "
                      f"{cite(tables, [rb])} إلى {na} منذ {_date(ra)} {cite(tables, [ra])}")
            s += hedge(tables, tuple(dict.fromkeys(b.conflicts + a.conflicts)))
            out.append(s + ".")
    # the road to it and what followed: one sentence each, clauses joined by «؛»
    road = []
    if "vote" in f:
        v = f["vote"].rows[0]
        when = "وقبل ذلك" if "combat_end" in f and v.date < f["combat_end"].rows[0].date else "و"
        road.append(f"{when}، في {_date(v)}: {_said(v, str(v.record['title_ar']))} {cite(tables, [v])}"
                    f"{hedge(tables, f['vote'].conflicts)}")
    if "handovers" in f:
        h = f["handovers"]
        dates = sorted(r.date for r in h.rows)
        prec = min((r.precision for r in h.rows), key=["year", "month", "day"].index)
        span = date_range(dates[0], dates[-1], prec)
        actors = {str(r.record.get("actor")) for r in h.rows}
        labels = tables.package.labels("base_events", "actor", "ar")
        who = join([md_escape(labels.get(a, a)) for a in sorted(actors)])
        road.append(f"وسلّم {who} {phrase(h.numbers['count'], 'base')} إلى القوات العراقية {span} "
                    f"{cite(tables, h.rows)}{hedge(tables, h.conflicts)}")
    if road:
        out.append("؛ ".join(road) + ".")
    after = []
    if "withdrawal" in f:
        w = f["withdrawal"].rows[0]
        after.append(f"وفي {_date(w)}، {_said(w, str(w.record['title_ar']))} {cite(tables, [w])}"
                     f"{hedge(tables, f['withdrawal'].conflicts)}")
    if "remaining" in f:
        r = f["remaining"]
        bases = tables["bases"].set_index("base_id")
        regions = tables.package.labels("bases", "region", "ar")
        names = []
        for row in r.rows:
            b = bases.loc[row.record["base_id"]]
            where = md_escape(b["name_ar"])
            if not pd.isna(b["province_ar"]):
                where += f" بمحافظة {md_escape(b['province_ar'])}"
            if not pd.isna(b["region"]) and str(b["region"]) in regions:
                where += f" في {md_escape(regions[str(b['region'])])}"
            names.append(where)
        when = join(sorted({_date(row) for row in r.rows}))
        lead = "ولا تزال القوات الأميركية" if all(x.modality == "stated" for x in r.rows) else "وبحسب المصادر لا تزال القوات الأميركية"
        after.append(f"{lead} في {join(names)} في {when} {cite(tables, r.rows)}{hedge(tables, r.conflicts)}")
    if after:
        out.append("؛ ".join(after) + ".")
    if "disputes" in f:
        d = f["disputes"]
        top = d.conflicts[:2]
        s = (f"ولم تحسم المصادر {phrase(d.numbers['count'], 'issue')} تختلف فيها، أثقلها أثراً: "
             f"{join([_topic(tables, c) for c in top])}")
        if "gap" in f:
            g = f["gap"].numbers
            s += (f"؛ ولا تذكر المصادر بين {g['from']} و{g['to']} إلا {phrase(g['rows'], 'event')}"
                  f"، كلها مما يستعيده مقال {g['source_year']}")
        out.append(s + " (انظر [أسئلة مفتوحة](#sec-watch)).")
    return out


def watch(tables) -> str:
    """The closing section's list (markdown): each open question, most consequential first,
    with the outlets that disagree and why it matters; then the coverage gap and the
    expectations of the latest article, as questions."""
    from . import story
    from .briefing.ar import phrase
    from .briefing.markdown import md_escape

    conf = tables["conflicts"].set_index("conflict_id")
    lines = []
    for q in story.questions(tables):
        if q["kind"] == "conflict":
            c = conf.loc[q["id"]]
            who = join([f"[{outlet(tables, s)}](#{source_anchor(s)})" for s in q["sources"]])
            lines.append(f"1. **{md_escape(c['question_ar'])}** {md_escape(c['why_it_matters_ar'])} "
                         f"تختلف فيه {who} ([تفاصيل الخلاف](#{conflict_anchor(q['id'])})).")
        elif q["kind"] == "gap":
            lines.append(f"1. **ماذا جرى بين {q['from']} و{q['to']}؟** لم يُكتب في هذه السنوات أيّ من المقالات، "
                         f"ولا تذكر المصادر عنها إلا {phrase(q['rows'], 'event')}، كلها مما يستعيده مقال "
                         f"{q['source_year']}.")
        elif q["kind"] == "expected":
            for r in q["rows"]:
                lines.append(f"1. **هل تحقق ما كان منتظراً؟** {md_escape(r.record['title_ar'])} "
                             f"{cite(tables, [r])}، ولا مقال بعده يقول هل تحقق.")
    return "\n".join(lines) + "\n"
