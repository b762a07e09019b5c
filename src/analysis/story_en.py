"""The story in English: the summary, the closing questions and the citations, from `analysis.story`.

Why: the facts are computed once, without language (`analysis.story`); this module words them in
English, hedged as the rows are (attributed: "according to ..."; expected: as planned; an
inferred date says so), and names every open conflict among a sentence's rows with a link to it.
Citations name the outlet and the paragraph and link to the source's row in the sources table.
Every data string passes `analysis.briefing.markdown.md_escape`.
"""
from __future__ import annotations

import pandas as pd

from .briefing.en import UNKNOWN_PUBLISHER  # the one English name of an unknown publisher
from .story_ar import conflict_anchor, source_anchor

__all__ = ["source_anchor", "conflict_anchor", "outlet", "cite", "hedge", "summary", "watch", "UNKNOWN_PUBLISHER"]


def outlet(tables, source_id) -> str:
    """The outlet's English name (escaped), or the one name for an unknown publisher."""
    from .briefing.markdown import md_escape

    src = tables["sources"].set_index("source_id")
    name = src.loc[source_id, "outlet_en"] if source_id in src.index else None
    return md_escape(name) if name is not None and not pd.isna(name) else UNKNOWN_PUBLISHER


def cite(tables, rows, *, parens: bool = True) -> str:
    """"(Elaph, para. 19; CNN Arabic, paras. 7 and 9)": outlet and paragraphs per source, each
    linked to the source's row; `rows` are story.Row or (source_id, paragraph) pairs."""
    from .briefing.en import join_en
    from .briefing.markdown import md_escape
    from .story import cited_paragraphs

    parts = []
    for sid, pars in cited_paragraphs(rows):
        ps = [md_escape(p) for p in pars]
        parts.append(f"[{outlet(tables, sid)}, {'para.' if len(ps) == 1 else 'paras.'}\u00a0{join_en(ps)}](#{source_anchor(sid)})")
    text = "; ".join(parts)
    return f"({text})" if parens and text else text


def _topic(tables, cid) -> str:
    from .briefing.en import lower_first
    from .briefing.markdown import md_escape

    conf = tables["conflicts"].set_index("conflict_id")
    return f"[{md_escape(lower_first(conf.loc[cid, 'topic_en']))}](#{conflict_anchor(cid)})"


def hedge(tables, conflicts) -> str:
    """"; the sources disagree on two questions: a and b": every open conflict named and linked."""
    from .briefing.en import join_en, phrase

    if not conflicts:
        return ""
    return f"; the sources disagree on {phrase(len(conflicts), 'issue')}: " + join_en([_topic(tables, c) for c in conflicts])


def _date(row) -> str:
    from .briefing.en import fdate

    return fdate(row.date, row.precision, basis=row.basis)


def _on(row) -> str:
    """The row's date with its preposition: "on 9 December 2021 (inferred)", "in 2026"."""
    from .briefing.en import on

    return on(row.date, row.precision, basis=row.basis)


def _actor(row) -> str | None:
    actor = row.record.get("actor_en")
    return None if actor is None or pd.isna(actor) or not str(actor).strip() else str(actor)


def _strip_speaker(title: str, actor: str) -> str:
    """"Iraqi government: US forces have left ..." -> "US forces have left ..." when the title
    opens with its speaker, by full name or by surname ("Khafaji: ..." for Tahsin al-Khafaji)."""
    from .story_ar import _strip_speaker as strip

    out = strip(title, actor)
    if out == title:
        surname = actor.split()[-1].split("-")[-1] if actor.split() else ""
        if len(surname) >= 3:
            out = strip(title, surname)
    return out


def _said(row, text_en: str) -> str:
    """`text_en` in the row's voice: stated as is; attributed "according to <speaker>, ...";
    expected "expected at the time: ..."; background "as background, the source notes: ..."."""
    from .briefing.en import running
    from .briefing.markdown import md_escape

    actor = _actor(row)
    if row.modality == "attributed" and actor:
        return f"according to {md_escape(running(actor))}, {md_escape(_strip_speaker(text_en, actor))}"
    if row.modality == "expected":
        return f"expected at the time: {md_escape(_strip_speaker(text_en, actor) if actor else text_en)}"
    if row.modality == "background":
        return f"as background, the source notes: {md_escape(text_en)}"
    return md_escape(text_en)


def _count(n, approximate: bool) -> str:
    from .briefing.en import num

    return ("about " if approximate else "") + num(n)


def summary(tables, facts=None) -> list[str]:
    """The summary's sentences (markdown), each with its citations and hedges: the same facts,
    rows and conflicts as the Arabic (`story_ar.summary`), worded in English."""
    from . import story
    from .briefing.en import capital, date_range, join_en, phrase, running
    from .briefing.markdown import md_escape

    f = facts if facts is not None else story.facts(tables)
    out = []
    if "combat_end" in f:
        c = f["combat_end"].rows[0]
        actor = _actor(c)
        who = md_escape(running(actor)) if actor else "an unnamed source"
        verb = (f"{capital(_on(c))}, {who} announced the end of the coalition's combat mission in Iraq"
                if c.modality == "attributed" else f"The coalition's combat mission in Iraq ended {_on(c)}")
        out.append(verb + " " + cite(tables, [c]) + hedge(tables, f["combat_end"].conflicts) + ".")
        if "troops_before" in f and "troops_after" in f:
            b, a = f["troops_before"], f["troops_after"]
            rb, ra = b.rows[0], a.rows[0]
            nb = _count(b.numbers["count"], b.numbers["approximate"])
            na = _count(a.numbers["count"], a.numbers["approximate"])
            if a.numbers["same"]:
                s = (f"But the number of US troops in Iraq, as the sources give it, did not change: {nb} "
                     f"{_on(rb)} {cite(tables, [rb])} and {na} since {_date(ra)} {cite(tables, [ra])}, "
                     f"so the mission changed but the number did not")
            else:
                way = "rose" if a.numbers["change"] > 0 else "fell"
                s = (f"The number of US troops in Iraq, as the sources give it, {way} from {nb} {_on(rb)} "
                     f"{cite(tables, [rb])} to {na} since {_date(ra)} {cite(tables, [ra])}")
            s += hedge(tables, tuple(dict.fromkeys(b.conflicts + a.conflicts)))
            out.append(s + ".")
    # the road to it and what followed: one sentence each, clauses joined by ";"
    road = []
    if "vote" in f:
        v = f["vote"].rows[0]
        before = "combat_end" in f and v.date < f["combat_end"].rows[0].date
        when = f"Before that, {_on(v)}" if before else capital(_on(v))
        road.append(f"{when}{':' if v.modality == 'stated' else ','} {_said(v, str(v.record['title_en']))} {cite(tables, [v])}"
                    f"{hedge(tables, f['vote'].conflicts)}")
    if "handovers" in f:
        h = f["handovers"]
        dates = sorted(r.date for r in h.rows)
        prec = min((r.precision for r in h.rows), key=["year", "month", "day"].index)
        span = date_range(dates[0], dates[-1], prec)
        span = f"from {span}" if " to " in span.replace("\u00a0", " ") else ("on " if prec == "day" else "in ") + span
        actors = {str(r.record.get("actor")) for r in h.rows}
        labels = tables.package.labels("base_events", "actor", "en")
        who = join_en([md_escape(running(labels.get(a, a))) for a in sorted(actors)])
        clause = f"{span}, {who} handed {phrase(h.numbers['count'], 'base')} over to Iraqi forces"
        road.append(f"{capital(clause) if not road else clause} {cite(tables, h.rows)}{hedge(tables, h.conflicts)}")
    if road:
        out.append("; ".join(road) + ".")
    after = []
    if "withdrawal" in f:
        w = f["withdrawal"].rows[0]
        after.append(f"{capital(_on(w))}, {_said(w, str(w.record['title_en']))} {cite(tables, [w])}"
                     f"{hedge(tables, f['withdrawal'].conflicts)}")
    if "remaining" in f:
        r = f["remaining"]
        bases = tables["bases"].set_index("base_id")
        regions = tables.package.labels("bases", "region", "en")
        names = []
        for row in r.rows:
            b = bases.loc[row.record["base_id"]]
            where = md_escape(b["name_en"])
            if not pd.isna(b["province_en"]):
                where += f" in {md_escape(b['province_en'])} province"
            if not pd.isna(b["region"]) and str(b["region"]) in regions:
                where += f", in {md_escape(running(regions[str(b['region'])]))}"
            names.append(where)
        when = join_en(sorted({_date(row) for row in r.rows}))
        lead = "US forces remain" if all(x.modality == "stated" for x in r.rows) else \
            "according to the sources, US forces remain"
        clause = f"as of {when}, {lead} at {join_en(names)}"
        after.append(f"{capital(clause) if not after else clause} {cite(tables, r.rows)}{hedge(tables, r.conflicts)}")
    if after:
        out.append("; ".join(after) + ".")
    if "disputes" in f:
        d = f["disputes"]
        top = d.conflicts[:2]
        s = (f"The sources leave {phrase(d.numbers['count'], 'issue')} unsettled, the most consequential "
             f"{'being' if len(top) == 1 else 'of them'}: {join_en([_topic(tables, c) for c in top])}")
        if "gap" in f:
            g = f["gap"].numbers
            if g["rows"]:
                s += (f"; between {g['from']} and {g['to']} the sources record only {phrase(g['rows'], 'event')}, "
                      f"all recalled by the {g['source_year']} article")
            else:
                s += f"; the sources record nothing between {g['from']} and {g['to']}"
        out.append(s + " (see [Open questions](#sec-watch)).")
    return out


def watch(tables) -> str:
    """The closing section's list (markdown): each open question, most consequential first,
    with the outlets that disagree and why it matters; then the coverage gap and the
    expectations of the latest article, as questions (the same items as `story_ar.watch`)."""
    from . import story
    from .briefing.en import join_en, phrase
    from .briefing.markdown import md_escape

    conf = tables["conflicts"].set_index("conflict_id")
    lines = []
    for q in story.questions(tables):
        if q["kind"] == "conflict":
            c = conf.loc[q["id"]]
            who = join_en([f"[{outlet(tables, s)}](#{source_anchor(s)})" for s in q["sources"]])
            lines.append(f"1. **{md_escape(c['question_en'])}** {md_escape(c['why_it_matters_en'])} "
                         f"The sources that disagree: {who} ([the dispute in detail](#{conflict_anchor(q['id'])})).")
        elif q["kind"] == "gap":
            found = (f"the sources mention only {phrase(q['rows'], 'event')} in them, all recalled by the "
                     f"{q['source_year']} article" if q["rows"] else "the sources mention nothing in them")
            lines.append(f"1. **What happened between {q['from']} and {q['to']}?** None of the articles was "
                         f"written in these years, and {found}.")
        elif q["kind"] == "expected":
            for r in q["rows"]:
                lines.append(f"1. **Did what was expected happen?** {md_escape(r.record['title_en'])} "
                             f"{cite(tables, [r])}; no later article says whether it did.")
    return "\n".join(lines) + "\n"
