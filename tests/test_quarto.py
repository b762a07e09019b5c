"""Real Quarto renders report/ on a fresh clone, and its outputs match the built-in engine's.

Quarto is `quarto` on PATH, else the offline Quarto CLI beside the repository
(`../shared/tools/quarto`, set up here with its own `setup`); without either the tests skip
with the reason.  The main render happens in a clean clone of this work tree (uncommitted
edits laid over it and committed there), with `../shared` linked beside it, exactly as the
README says: `QUARTO_PYTHON=<the project's python> quarto render report/`.  The built-in
engine renders the same clone, and the two outputs are compared: values, tables (every row),
figures, contents, fonts, running header, links; no two words on any PDF page overlap.
A second clone gets hostile data (a shortcode in a CSV cell and in a descriptor label) and
both engines must show it as text and leak nothing.
"""
from __future__ import annotations

import collections
import html
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.config import LANGS  # the editions

pytest.importorskip("pypandoc")
pytest.importorskip("typst")
pytestmark = pytest.mark.slow  # renders a clone with Quarto and the built-in engine

from analysis import registry, report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OFFLINE = SHARED / "tools" / "quarto"
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069]")
MARKS = re.compile("[\u064b-\u065f\u0670]")
TITLE = "انسحاب القوات الأميركية وقوات التحالف من العراق"
SECRET = "LEAKED-SECRET-5f1c"


# ------------------------------------------------------------------------------------------
# tools


def _skip(why: str):
    """Skip, or fail where Quarto is required (CI sets ANALYSIS_REQUIRE_QUARTO=1)."""
    if os.environ.get("ANALYSIS_REQUIRE_QUARTO"):
        pytest.fail(f"Quarto is required here (ANALYSIS_REQUIRE_QUARTO) but {why}")
    pytest.skip(why)


def _quarto() -> str:
    """The Quarto CLI to test with, or skip saying why there is none."""
    found = shutil.which("quarto")
    if found:
        return found
    launcher = OFFLINE / "bin" / "quarto"
    if not launcher.is_file():
        _skip(f"no Quarto: `quarto` is not on PATH and {OFFLINE} (../shared/tools/quarto) does not exist")
    setup = subprocess.run([str(OFFLINE / "setup")], capture_output=True, text=True)
    if setup.returncode != 0:
        last = (setup.stderr or setup.stdout).strip().splitlines()[-1:]
        _skip(f"the offline Quarto's setup failed (it installs Deno, sass, esbuild from npm): {last}")
    return str(launcher)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


def _env(clone: Path | None = None) -> dict:
    """The README's environment: this venv's python first on PATH and as QUARTO_PYTHON.  The
    clone's own sources come first on the import path (the venv's editable install points
    at this work tree)."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["QUARTO_PYTHON"] = sys.executable
    env.pop("ANALYSIS_REPORT_STAGED", None)
    env.pop("ANALYSIS_DATA", None)
    env.pop("ANALYSIS_REPORT_DIR", None)
    if clone is not None:
        env["PYTHONPATH"] = str(clone / "src")
        env["SOURCE_DATE_EPOCH"] = "1790000000"  # the same build date for both engines (after every source)
    return env


def _git(*args, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def _clone(tmp: Path) -> Path:
    """A fresh clone of this work tree (its uncommitted files too), ../shared beside it."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("git or the repository's history is not available")
    dest = tmp / "wt"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(dest)], check=True)
    listed = _git("ls-files", "-z", "-co", "--exclude-standard", cwd=ROOT).split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "add", "-A", cwd=dest)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "work tree", cwd=dest)
    if SHARED.is_dir():
        (tmp / "shared").symlink_to(SHARED, target_is_directory=True)
    assert _git("status", "--porcelain", cwd=dest) == ""
    return dest


def _quarto_render(quarto: str, clone: Path) -> subprocess.CompletedProcess:
    return subprocess.run([quarto, "render", "report/"], cwd=clone, env=_env(clone), capture_output=True, text=True)


def _builtin_render(clone: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "report", "--engine", "builtin", "--out", str(out),
                           "--data", "data", "--figures", "figures"], cwd=clone, env=_env(clone),
                          capture_output=True, text=True)


_CACHE: dict = {}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """{"clone", "quarto": {pdf, html}, "builtin": {pdf, html}, "proc"} for a fresh clone."""
    if "main" not in _CACHE:
        quarto = _quarto()
        tmp = tmp_path_factory.mktemp("fresh")
        clone = _clone(tmp)
        proc = _quarto_render(quarto, clone)
        status = _git("status", "--porcelain", "--ignored=no", cwd=clone)
        built = tmp / "builtin"
        b = _builtin_render(clone, built)
        assert b.returncode == 0, b.stderr
        out = clone / "report" / "_output"
        editions = {lang: {"quarto": {"pdf": out / f"briefing.{lang}.pdf", "html": out / f"briefing.{lang}.html"},
                           "builtin": {"pdf": built / f"briefing.{lang}.pdf", "html": built / f"briefing.{lang}.html"}}
                    for lang in LANGS}
        _CACHE["main"] = {"clone": clone, "proc": proc, "status": status, **editions["ar"], **editions}
    return _CACHE["main"]


# ------------------------------------------------------------------------------------------
# reading the outputs


def pdf_words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Word boxes per page, from poppler's `pdftotext -bbox`."""
    out = subprocess.run([_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page[^>]*>(.*?)</page>", out, flags=re.S):
        words = [(float(a), float(b), float(c), float(d), BIDI.sub("", html.unescape(t))) for a, b, c, d, t in re.findall(
            r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>', page)]
        # the isolates around data strings draw nothing, but poppler may report a box for them
        pages.append([w for w in words if w[4].strip()])
    return pages


def overlapping_words(pdf: Path, share: float = 0.25) -> list[tuple[int, str, str]]:
    """Pairs of words on one page whose boxes overlap by more than `share` of the smaller box."""
    bad = []
    for number, words in enumerate(pdf_words(pdf), 1):
        words.sort()
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b[0] >= a[2]:
                    break
                w, h = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
                smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
                if w > 0 and h > 0 and smaller > 0 and w * h > share * smaller:
                    bad.append((number, a[4], b[4]))
    return bad


def word_bag(pdf: Path) -> collections.Counter:
    bag = collections.Counter()
    for words in pdf_words(pdf):
        for *_, text in words:
            for w in BIDI.sub("", text).split():
                # a letter with tanween or shadda is extracted as one or two "words" depending
                # on how the engine ran its glyphs: such words are not compared
                # (and the one- or two-letter Arabic fragments such a split leaves, «ل», «صأ» of «أصلاً»)
                if not re.fullmatch(r"[.\s]+", w) and not MARKS.search(w) and not re.fullmatch(r"[\u0621-\u064a]{1,2}", w):
                    bag[w] += 1
    return bag


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    cmd = [_tool("pdftotext"), "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first), "-l", str(last or first)]
    out = subprocess.run(cmd + [str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(BIDI.sub("", out).split())


class _Page(html.parser.HTMLParser):
    """Text, tables (rows of cell texts), figure captions, images and contents of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tables, self.captions, self.images, self.toc = [], [], [], 0, []
        self._cell = self._caption = self._toc_link = None
        self._row, self._in_toc, self._skip = None, 0, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "figcaption" or (tag == "caption"):
            self._caption = []
        elif tag == "img":
            self.images += 1
        elif tag == "nav" and a.get("id") == "TOC":
            self._in_toc = 1
        elif tag == "a" and self._in_toc:
            self._toc_link = []

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag in ("figcaption", "caption") and self._caption is not None:
            self.captions.append(" ".join("".join(self._caption).split()))
            self._caption = None
        elif tag == "nav" and self._in_toc:
            self._in_toc = 0
        elif tag == "a" and self._toc_link is not None:
            self.toc.append(" ".join("".join(self._toc_link).split()))
            self._toc_link = None

    def handle_data(self, data):
        if self._skip:
            return
        data = BIDI.sub("", data)
        self.text.append(data)
        for part in (self._cell, self._caption, self._toc_link):
            if part is not None:
                part.append(data)


def page(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    p.plain = " ".join("".join(p.text).split())
    return p


# ------------------------------------------------------------------------------------------
# the fresh clone renders, and stays clean


def test_quarto_renders_a_fresh_clone(rendered):
    proc = rendered["proc"]
    assert proc.returncode == 0, (proc.stderr or proc.stdout)[-3000:]
    for lang in LANGS:  # both editions, from the project's one render
        for fmt in ("pdf", "html"):
            assert rendered[lang]["quarto"][fmt].stat().st_size > 10_000, (lang, fmt)
    assert "ERROR" not in proc.stderr and "Unknown var" not in proc.stderr and "Shortcode" not in proc.stderr


def test_work_tree_is_clean_after_a_render(rendered):
    assert rendered["proc"].returncode == 0
    assert (rendered["clone"] / "report" / ".quarto").is_dir()  # Quarto's side files exist ...
    assert rendered["status"] == ""  # ... and are ignored, report/.gitignore unchanged


@pytest.mark.parametrize("lang", LANGS)
def test_html_is_one_self_contained_file(rendered, lang):
    text = rendered[lang]["quarto"]["html"].read_text(encoding="utf-8")
    # the one link out: to the other edition, beside it
    other = [x for x in LANGS if x != lang]
    text = re.sub(r'href="briefing\.({})\.html"'.format("|".join(other)), "", text)
    assert not re.search(r"""(?:src|href)=["'](?!data:|#)[^"']+""", text), "a resource is not embedded"


# ------------------------------------------------------------------------------------------
# the same content as the built-in engine


@pytest.mark.parametrize("lang", LANGS)
def test_same_values_in_both_htmls(rendered, lang):
    ed = rendered[lang]
    values = json.loads((rendered["clone"] / "report" / "_generated" / lang / "values.json").read_text(encoding="utf-8"))
    qmd = (rendered["clone"] / "report" / f"briefing.{lang}.qmd").read_text(encoding="utf-8")
    keys = re.findall(r"\{\{<\s*value\s+([\w.]+)\s*>\}\}", qmd)
    assert len(keys) > 40
    q, b = page(ed["quarto"]["html"]).plain, page(ed["builtin"]["html"]).plain
    for key in keys:
        node = values
        for part in key.split("."):
            node = node[part]
        shown = re.sub(r"\[([^\]]*)\]\(#[\w-]+\)", r"\1", node)  # a cross-reference link shows its text
        shown = " ".join(BIDI.sub("", re.sub(r"\\(.)", r"\1", shown)).split())
        assert shown in b, key
        assert shown in q, key


@pytest.mark.parametrize("lang", LANGS)
def test_same_tables_every_row(rendered, lang):
    ed = rendered[lang]
    q, b = page(ed["quarto"]["html"]), page(ed["builtin"]["html"])
    assert len(b.tables) >= 7
    assert q.tables == b.tables
    md = "".join(p.read_text(encoding="utf-8") for p in (rendered["clone"] / "report" / "_generated" / lang).glob("*.md"))
    rows = [line for line in md.splitlines() if line.startswith("|") and not line.startswith("|-")]
    assert sum(len(t) for t in q.tables) == len(rows)


@pytest.mark.parametrize("lang", LANGS)
def test_same_figures_and_captions(rendered, lang):
    ed = rendered[lang]
    q, b = page(ed["quarto"]["html"]), page(ed["builtin"]["html"])
    # each edition's figures, and the phone variants beside them
    assert q.images == b.images == len(registry.briefing(lang)) + len(registry.narrow(lang))
    norm = [re.sub(r"\s+", " ", c.replace("\xa0", " ")).strip() for c in b.captions]
    assert [re.sub(r"\s+", " ", c.replace("\xa0", " ")).strip() for c in q.captions] == norm
    table, figure = {"ar": ("الجدول", "الشكل"), "en": ("Table", "Figure")}[lang]
    assert any(c.startswith(f"{table} 1:") for c in norm) and any(c.startswith(f"{figure} 1:") for c in norm)


@pytest.mark.parametrize("lang", LANGS)
def test_same_contents_list(rendered, lang):
    ed = rendered[lang]
    q, b = page(ed["quarto"]["html"]), page(ed["builtin"]["html"])
    assert len(b.toc) == 9 and q.toc == b.toc


@pytest.mark.parametrize("lang", LANGS)
def test_same_html_layout(rendered, lang):
    """Both pages use the built-in template: title block, contents column, main column."""
    ed = rendered[lang]
    for engine in ("quarto", "builtin"):
        text = ed[engine]["html"].read_text(encoding="utf-8")
        body = text[text.index("<body"):]
        for mark in ('<div class="page">', '<header id="title-block-header"', '<nav id="TOC"',
                     '<main id="quarto-document-content"'):
            assert mark in body, (engine, mark)
        assert body.index('<nav id="TOC"') < body.index('<main id="quarto-document-content"'), engine


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_keeps_every_row_and_word(rendered, lang):
    """Quarto's PDF holds the built-in PDF's words (the same rows, values and captions); only
    page numbers, the running header and repeated table header rows may differ in count."""
    ed = rendered[lang]
    q, b = word_bag(ed["quarto"]["pdf"]), word_bag(ed["builtin"]["pdf"])
    # a table's header row repeats on each page it runs onto, and the engines break pages apart
    mds = [p.read_text(encoding="utf-8") for p in (rendered["clone"] / "report" / "_generated" / lang).glob("*.md")]
    heads: set[str] = set()
    for md in mds:
        lines = md.splitlines()
        for i, line in enumerate(lines[1:], 1):
            if line.startswith("|-") and lines[i - 1].startswith("|"):
                heads |= set(re.findall(r"[^\W\d_]+", BIDI.sub("", lines[i - 1])))
    missing = {w: n for w, n in (b - q).items() if not re.fullmatch(r"\d{1,2}", w) and w not in heads}
    assert not missing, sorted(missing.items(), key=lambda x: -x[1])[:20]
    # citations name the outlet and the paragraph («إيلاف، ف19»), linked to the source's row:
    # both PDFs carry (nearly) every one of them
    mark_md = {"ar": "ف\u2068\\d+\u2069\\]\\(#src-", "en": "\u2068\\d+\u2069\\]\\(#src-"}[lang]
    cites_md = len(re.findall(mark_md, "".join(
        p.read_text(encoding="utf-8") for p in (rendered["clone"] / "report" / "_generated" / lang).glob("*.md"))))
    mark_pdf = {"ar": r"(?<![\u0621-\u064a])ف\s*\d+|\d+\s*ف(?![\u0621-\u064a])", "en": r"paras?\.\s*\d+"}[lang]
    marks = {engine: len(re.findall(mark_pdf,
                                    BIDI.sub("", pdf_text(ed[engine]["pdf"]))))
             for engine in ("quarto", "builtin")}
    assert cites_md > 50 and min(marks.values()) >= 0.8 * cites_md, (cites_md, marks)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("engine", ["quarto", "builtin"])
def test_no_overlapping_words_on_any_page(rendered, engine, lang):
    assert overlapping_words(rendered[lang][engine]["pdf"]) == []


def test_overlap_check_finds_overlapping_words(tmp_path):
    """The check above can fail: two words typeset on the same spot are reported."""
    import typst

    from analysis.arabic import FONT_DIR

    src = tmp_path / "o.typ"
    src.write_text('#set text(font: "Noto Sans")\nHello world\n#place(top + left, dx: 3pt, dy: 2pt)[Other words]\n'
                   "#v(3em)\nApart text\n", encoding="utf-8")
    typst.compile(str(src), output=str(tmp_path / "o.pdf"), font_paths=[str(FONT_DIR)], ignore_system_fonts=True)
    bad = overlapping_words(tmp_path / "o.pdf")
    assert bad and all(p == 1 for p, *_ in bad) and not any("Apart" in (a + b) for _, a, b in bad)


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_fonts_are_the_bundled_noto(rendered, lang):
    out = subprocess.run([_tool("pdffonts"), str(rendered[lang]["quarto"]["pdf"])], capture_output=True, text=True,
                         check=True).stdout
    names = [line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()]
    assert any(n.startswith("NotoSans-") for n in names)
    if lang == "ar":
        assert any(n.startswith("NotoNaskhArabic") for n in names)
    assert all(n.startswith(("NotoNaskhArabic", "NotoSans")) for n in names), names


def test_pdf_running_header_and_contents(rendered):
    for engine in ("quarto", "builtin"):
        pdf = rendered[engine]["pdf"]
        assert TITLE in pdf_text(pdf, 2), engine  # the running header, from page 2
        first = pdf_text(pdf, 1)
        assert first.count(TITLE) == 1, engine  # no header on the title page
    toc = [pdf_text(rendered[e]["pdf"], 1).split("المحتويات")[1].split("أبرز النتائج", 1)[0] for e in ("quarto", "builtin")]
    assert toc[0] == toc[1]


def _link_count(pdf: Path) -> int:
    """Internal links in a PDF: typst writes them as /Link annotations with /Dest or GoTo."""
    import zlib

    data = pdf.read_bytes()
    chunks = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, flags=re.S):
        try:
            chunks.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return sum(len(re.findall(rb"/Subtype\s*/Link", c)) for c in chunks)


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_cross_references_are_links(rendered, lang):
    ed = rendered[lang]
    qmd = (rendered["clone"] / "report" / f"briefing.{lang}.qmd").read_text(encoding="utf-8")
    refs = len(re.findall(r"@(?:fig|tbl)-[\w-]+", qmd))
    assert refs >= 10
    for engine in ("quarto", "builtin"):
        assert _link_count(ed[engine]["pdf"]) >= refs, engine


# ------------------------------------------------------------------------------------------
# the engines through python -m analysis report


def test_engine_auto_prefers_quarto_and_keeps_the_bundled_fonts(tmp_path, monkeypatch):
    quarto = _quarto()
    pdffonts = _tool("pdffonts")
    monkeypatch.setenv("PATH", str(Path(quarto).parent) + os.pathsep + os.environ.get("PATH", ""))
    figures = tmp_path / "figures"
    from analysis.figures import write_all

    write_all(None, figures, formats=("svg",))
    done = subprocess.run([sys.executable, "-m", "analysis", "report", "--engine", "auto", "--out", str(tmp_path / "out"),
                           "--figures", str(figures)], capture_output=True, text=True, env=dict(os.environ), cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "engine: quarto" in done.stderr
    for lang in LANGS:
        fonts = subprocess.run([pdffonts, str(tmp_path / "out" / f"briefing.{lang}.pdf")], capture_output=True,
                               text=True).stdout
        assert "NotoSans-" in fonts and "Libertinus" not in fonts, lang
        assert "NotoNaskhArabic" in fonts or lang != "ar"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"briefing.{lang}.{fmt}" for lang in LANGS for fmt in ("html", "pdf"))


# ------------------------------------------------------------------------------------------
# hostile data: shortcodes in data are text under both engines, and nothing leaks


def test_shortcodes_in_data_are_text_in_both_engines(tmp_path_factory):
    quarto = _quarto()
    tmp = tmp_path_factory.mktemp("hostile")
    clone = _clone(tmp)
    secret = tmp / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    note = f"ملاحظة {{{{< include {secret} >}}}} و{{{{< include ../../secret.txt >}}}} و{{{{< value troops.peak >}}}}"
    label = f"عدد فعلي {{{{< include {secret} >}}}}"
    csv = clone / "data" / "troop_levels.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    head = lines[0].rstrip("\n").split(",")
    import csv as csvmod
    import io

    rows = list(csvmod.reader(io.StringIO("".join(lines))))
    rows[1][head.index("note_ar")] = note
    buf = io.StringIO()
    csvmod.writer(buf, lineterminator="\n").writerows(rows)
    csv.write_text(buf.getvalue(), encoding="utf-8")
    desc = json.loads((clone / "data" / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in desc["resources"] if r["name"] == "troop_levels")
    field = next(f for f in res["schema"]["fields"] if f["name"] == "kind")
    field["labels"]["observed"]["ar"] = label
    (clone / "data" / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    proc = _quarto_render(quarto, clone)
    assert proc.returncode == 0, (proc.stderr or proc.stdout)[-3000:]
    b = _builtin_render(clone, tmp / "builtin")
    assert b.returncode == 0, b.stderr[-2000:]
    outputs = {"quarto": clone / "report" / "_output", "builtin": tmp / "builtin"}
    for engine, out in outputs.items():
        raw = (out / "briefing.ar.html").read_text(encoding="utf-8")
        assert SECRET not in raw, engine
        text = page(out / "briefing.ar.html").plain
        assert f"{{{{< include {secret} >}}}}" in text, engine
        assert "{{< include ../../secret.txt >}}" in text and "{{< value troops.peak >}}" in text, engine
        assert SECRET not in pdf_text(out / "briefing.ar.pdf"), engine
        assert "include" in pdf_text(out / "briefing.ar.pdf"), engine


# ------------------------------------------------------------------------------------------
# the include and read paths


@pytest.mark.parametrize("shortcode", ["{{< include /etc/passwd >}}", "{{< include ../README.md >}}",
                                       "{{< include _generated/troops.md >}}", "{{< generated ../../etc/passwd >}}",
                                       "{{< value ../x >}}", "{{< var troops.peak >}}"])
def test_builtin_refuses_paths_outside_the_project_and_var(tmp_path, shortcode):
    (tmp_path / "_generated" / "ar").mkdir(parents=True)
    (tmp_path / "_generated" / "ar" / "troops.md").write_text("x\n", encoding="utf-8")
    with pytest.raises(report.ReportError):
        report.expand_shortcodes(f"a {shortcode} b", tmp_path)


def test_builtin_includes_an_authored_file_inside_the_project(tmp_path):
    (tmp_path / "part.qmd").write_text("text with {{< value a.b >}}\n", encoding="utf-8")
    out = report.expand_shortcodes("{{< include part.qmd >}}", tmp_path)
    assert out == 'text with []{.briefing-shortcode sc="value" arg="a.b"}'


def test_extension_refuses_a_name_that_is_a_path(tmp_path):
    """The Lua side checks names too (what Quarto runs), not only the Python side."""
    shutil.copytree(report.REPORT_DIR / "_extensions", tmp_path / "_extensions")
    (tmp_path / "_generated").mkdir()
    (tmp_path / "doc.md").write_text('[]{.briefing-shortcode sc="generated" arg="../../etc/passwd"}\n', encoding="utf-8")
    proc = subprocess.run([report._pandoc(), "doc.md", "--lua-filter", str(report.TEMPLATE_DIR / "shortcodes.lua"),
                           "-t", "html"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode != 0 and "not a plain name" in proc.stderr


def test_qmd_takes_data_only_through_the_extension():
    """No Quarto var or include of generated files (both would run shortcodes inside data),
    and every authored include stays inside the project."""
    for qmd in report.REPORT_DIR.glob("*.qmd"):
        text = qmd.read_text(encoding="utf-8")
        assert not re.search(r"\{\{<\s*var\s", text), qmd.name
        for arg in re.findall(r"\{\{<\s*include\s+([^\s>]+)", text):
            path = (report.REPORT_DIR / arg.strip("\"'")).resolve()
            assert not arg.startswith("/") and path.is_relative_to(report.REPORT_DIR.resolve()), arg
            assert "_generated" not in arg, arg


# ------------------------------------------------------------------------------------------
# the pre-render hook with whatever python3 Quarto finds


def _bare_python() -> str:
    """A Python without the project's packages (what Quarto finds on PATH without QUARTO_PYTHON)."""
    for cand in ("/usr/bin/python3", shutil.which("python3"), shutil.which("python")):
        if cand and subprocess.run([cand, "-c", "import frictionless"], capture_output=True).returncode != 0 \
                and subprocess.run([cand, "-c", "pass"], capture_output=True).returncode == 0:
            return cand
    pytest.skip("every Python found has the project's packages; no bare one to run the hook with")


def test_hook_with_a_bare_python_uses_the_clones_venv_or_says_what_to_do(tmp_path):
    bare = _bare_python()
    venv = Path(sys.prefix)
    if not (venv / "pyvenv.cfg").is_file():
        pytest.skip("the tests do not run in a venv")
    clone = _clone(tmp_path)
    env = {k: v for k, v in _env(clone).items() if k not in ("QUARTO_PYTHON",)}
    env["PATH"] = os.environ.get("PATH", "")
    env["ANALYSIS_REPORT_DIR"] = str(clone / "report")
    hook = clone / "report" / "_prepare.py"
    without = subprocess.run([bare, str(hook)], cwd=clone / "report", env=env, capture_output=True, text=True)
    assert without.returncode != 0 and "Traceback" not in without.stderr
    assert "QUARTO_PYTHON" in without.stderr and "make setup" in without.stderr
    assert not (clone / "report" / "_generated").exists()
    (clone / ".venv").symlink_to(venv, target_is_directory=True)  # the clone's own venv, as `make setup` makes
    shutil.copytree(_figures_for_hook(tmp_path), clone / "figures", dirs_exist_ok=True)
    with_venv = subprocess.run([bare, str(hook)], cwd=clone / "report", env=env, capture_output=True, text=True)
    assert with_venv.returncode == 0, with_venv.stderr[-2000:]
    assert (clone / "report" / "_generated" / "ar" / "values.json").is_file()
    assert {p.name for p in (clone / "report" / "_generated" / "ar").glob("*.md")} >= {"troops.md", "milestones.md"}


def _figures_for_hook(tmp_path: Path) -> Path:
    """Figures newer than the clone's data, so the hook need not draw them again."""
    from analysis.figures import write_all

    out = tmp_path / "figs"
    write_all(None, out)
    return out
