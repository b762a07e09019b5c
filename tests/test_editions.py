"""The same content checks on both editions, briefing.ar.* and briefing.en.*, from one build.

Each edition must carry the same values (in its own words), the same sections, figures, tables
and cross-references, link to the other, and keep to its language: no Arabic in the English
edition, no English prose in the Arabic one (names quoted on purpose, such as an outlet's Latin
name, aside).  A changed CSV value reaching both is tested in test_report.
"""
from __future__ import annotations

import base64
import html as htmllib
import re
import subprocess

import pytest

pytest.importorskip("pypandoc")
pytest.importorskip("typst")

from test_report import BIDI_CONTROLS, DATA, _poppler  # noqa: E402

from analysis import report  # noqa: E402
from analysis.data import load  # noqa: E402

pytestmark = pytest.mark.slow

from analysis.config import LANGS  # noqa: E402  (the editions)

ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
#: What each edition says of the other, on purpose in the other's language.
OTHER_EDITION = {"ar": "English edition", "en": "النسخة العربية"}
#: Values that are the same marks in both languages or data identity, not prose.
KEY_VALUES = ("troops.peak", "troops.last", "troops.cut_peak", "troops.cut_peak_pct", "troops.since",
              "troops.since_date", "bases.handed", "bases.remaining_name", "attacks.records", "attacks.worst_date",
              "milestones.combat_end_at", "milestones.n", "sources.phrase", "conflicts.count", "data.hash")


@pytest.fixture(scope="module")
def built(briefing):
    return briefing


@pytest.fixture(scope="module")
def values():
    tables = load(DATA)
    return {lang: report.variables(tables, DATA, lang) for lang in LANGS}


def plain(text: str) -> str:
    """Markdown-escaped value text as a reader sees it: no escapes, isolates or links."""
    text = re.sub(r"\[([^\]]*)\]\(#[^)]*\)", r"\1", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return re.sub(r"\s+", " ", BIDI_CONTROLS.sub("", text.replace("\u00a0", " "))).strip()


def page_text(html: str) -> str:
    """The visible text of a page (no styles, scripts or embedded images), whitespace folded."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S | re.I)
    body = re.sub(r"<[^>]+>", " ", body)
    return plain(htmllib.unescape(body))


def _get(values: dict, key: str) -> str:
    node = values
    for part in key.split("."):
        node = node[part]
    return node


@pytest.fixture(scope="module")
def pages(built):
    return {lang: built[lang]["html"].read_text(encoding="utf-8") for lang in LANGS}


@pytest.fixture(scope="module")
def pdf_texts(built):
    tool = _poppler("pdftotext")
    out = {}
    for lang in LANGS:
        proc = subprocess.run([tool, "-enc", "UTF-8", str(built[lang]["pdf"]), "-"], capture_output=True, text=True,
                              check=True)
        out[lang] = plain(proc.stdout)
    return out


def test_both_documents_quote_the_same_values():
    """The editions are one briefing: every value one document quotes, the other quotes too."""
    used = {lang: set(re.findall(r"\{\{<\s*value\s+([\w.]+)", (report.REPORT_DIR / f"briefing.{lang}.qmd")
                                 .read_text(encoding="utf-8"))) for lang in LANGS}
    assert used["ar"] == used["en"]
    assert set(KEY_VALUES) <= used["ar"]


@pytest.mark.parametrize("lang", LANGS)
def test_key_values_appear_in_the_html(pages, values, lang):
    text = page_text(pages[lang])
    for key in KEY_VALUES:
        assert plain(_get(values[lang], key)) in text, (lang, key)


@pytest.mark.parametrize("lang", LANGS)
def test_key_numbers_appear_in_the_pdf(pdf_texts, values, lang):
    for key in KEY_VALUES:
        for number in re.findall(r"\d[\d,.]*\d|\d", plain(_get(values[lang], key))):
            assert number in pdf_texts[lang], (lang, key, number)


def test_both_editions_have_the_same_sections_figures_and_tables(pages):
    def ids(html, pattern):
        return sorted(set(re.findall(rf'id="({pattern}[^"]*)"', html)))

    for pattern in ("sec-", "fig-", "tbl-", "conflict-", "src-"):
        assert ids(pages["ar"], pattern) == ids(pages["en"], pattern), pattern
    assert len(ids(pages["ar"], "fig-")) == len(report.FIGURES)

    def rows(html):
        out = {}
        for tid in re.findall(r'id="(tbl-[^"]+)"', html):
            start = html.index(f'id="{tid}"')
            out[tid] = html[start:html.find("</table>", start)].count("<tr")
        return out

    assert rows(pages["ar"]) == rows(pages["en"])


@pytest.mark.parametrize("lang", LANGS)
def test_every_cross_reference_resolves(pages, lang):
    html = pages[lang]
    anchors = set(re.findall(r'\bid="([^"]+)"', html))
    targets = set(re.findall(r'href="#([^"]+)"', html))
    assert targets and targets <= anchors, sorted(targets - anchors)
    assert "??" not in page_text(html)


@pytest.mark.parametrize("lang, direction", [("ar", "rtl"), ("en", "ltr")])
def test_language_and_direction(pages, lang, direction):
    assert re.search(rf'<html[^>]*\blang="{lang}"[^>]*\bdir="{direction}"', pages[lang])


@pytest.mark.parametrize("lang, other", [("ar", "en"), ("en", "ar")])
def test_each_edition_links_to_the_other(pages, pdf_texts, lang, other):
    assert f'href="briefing.{other}.html"' in pages[lang]
    assert OTHER_EDITION[lang] in pdf_texts[lang]


def test_no_arabic_in_the_english_edition(pages, pdf_texts):
    for text in (page_text(pages["en"]), pdf_texts["en"]):
        text = text.replace(OTHER_EDITION["en"], "")
        found = ARABIC.findall(text)
        assert not found, "".join(found[:40])


def test_no_english_prose_in_the_arabic_edition(pages, pdf_texts, values):
    """No English value of three or more words (a phrase, not a name) reaches the Arabic edition,
    and the English edition's headings do not either."""
    def strings(node):
        if isinstance(node, dict):
            for x in node.values():
                yield from strings(x)
        else:
            yield plain(node)

    html = page_text(pages["ar"])
    english = {s for s in strings(values["en"]) if len(re.findall(r"\b[a-z]{3,}\b", s)) >= 3 and not ARABIC.search(s)}
    assert english  # the check has something to find
    arabic_values = set(strings(values["ar"]))
    leaked = [s for s in english if s in html and s not in arabic_values]
    assert not leaked, leaked[:5]
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", pages["en"], flags=re.S)
    for h in headings:
        h = page_text(h)
        if h and not re.fullmatch(r"[\d. ]*", h):
            assert h not in html, h


@pytest.mark.parametrize("lang", LANGS)
def test_alt_texts_are_in_the_editions_language(pages, lang):
    alts = re.findall(r'<img[^>]*\b(?:alt|aria-label)="([^"]+)"', pages[lang])
    assert len(alts) >= len(report.FIGURES)
    for alt in alts:
        has_arabic = bool(ARABIC.search(htmllib.unescape(alt)))
        assert has_arabic == (lang == "ar"), alt[:80]


@pytest.mark.parametrize("lang", LANGS)
def test_each_edition_shows_its_own_figures(pages, lang):
    """The embedded SVGs say which language they were drawn in (dc:language): the English
    edition shows the English figures, the Arabic one the Arabic figures."""
    svgs = [base64.b64decode(b).decode("utf-8", "replace")
            for b in re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', pages[lang])]
    assert len(svgs) >= len(report.FIGURES)
    langs = {m.group(1) for s in svgs for m in [re.search(r"<dc:language>(\w+)</dc:language>", s)] if m}
    assert langs == {lang}


def test_a_figure_drawn_for_the_other_edition_is_refused(tmp_path, built):
    """An English SVG under an Arabic figure's name (a copy, a hand edit) stops the build with
    a clear error, instead of showing English labels in the Arabic edition."""
    import shutil

    figs = tmp_path / "figs"
    shutil.copytree(built["figures"], figs)
    shutil.copy2(figs / "troops-en.svg", figs / "troops.svg")
    with pytest.raises(report.ReportError, match=r"troops\.svg \(en\).*other edition"):
        report.generate(None, tmp_path / "project", figs)
