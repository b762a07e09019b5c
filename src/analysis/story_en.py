"""The story in English: the summary, the closing questions and the citations, from `analysis.story`.

Why: the facts are computed once, without language (`analysis.story`); this module words them in
English, hedged as the rows are (attributed: "according to ..."; expected: as planned; an
inferred date says so), and names every open conflict among a sentence's rows with a link to it.
Citations name the outlet and the paragraph and link to the source's row in the sources table.
Every data string passes `analysis.briefing.markdown.md_escape`.
"""
from __future__ import annotations

import pandas as pd

from .story_ar import conflict_anchor, source_anchor

__all__ = ["source_anchor", "conflict_anchor", "outlet", "cite", "hedge", "summary", "watch", "UNKNOWN_PUBLISHER"]

#: The one name the English briefing gives a source whose publisher is not known.
UNKNOWN_PUBLISHER = "unknown publisher"


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

    by: dict[str, list[str]] = {}
    for r in rows:
        sid, par = (r.source_id, r.paragraph) if hasattr(r, "source_id") else r
        pars = by.setdefault(str(sid), [])
        if str(par) not in pars:
            pars.append(str(par))
    parts = []
    for sid, pars in by.items():
        ps = [md_escape(p) for p in sorted(pars, key=int)]
        parts.append(f"[{outlet(tables, sid)}, {'para.' if len(ps) == 1 else 'paras.'}\u00a0{join_en(ps)}](#{source_anchor(sid)})")
    text = "; ".join(parts)
    return f"({text})" if parens and text else text


def _topic(tables, cid) -> str:
    from .briefing.markdown import md_escape

    conf = tables["conflicts"].set_index("conflict_id")
    return f"[{md_escape(conf.loc[cid, 'topic_en'])}](#{conflict_anchor(cid)})"


def hedge(tables, conflicts) -> str:
    """"; the sources disagree on two questions: a and b": every open conflict named and linked."""
    from .briefing.en import join_en, phrase

    if not conflicts:
        return ""
    return f"; the sources disagree on {phrase(len(conflicts), 'issue')}: " + join_en([_topic(tables, c) for c in conflicts])


def summary(tables, facts=None) -> list[str]:
    """The summary's sentences (markdown), each with its citations and hedges."""
    raise NotImplementedError("story_en.summary: being written")


def watch(tables) -> str:
    """The closing section's list (markdown)."""
    raise NotImplementedError("story_en.watch: being written")
