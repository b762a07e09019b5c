"""The Arabic briefing: PDF and HTML built from the data, values, escaping, failures.

One build per session (figures first, with analysis.figures when it works), into a tmp dir.
PDF checks use poppler (pdftotext, pdffonts, pdfinfo) and skip without it.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("pypandoc")
pytest.importorskip("typst")

from conftest import placeholder_figures, session_briefing, session_figures  # noqa: E402

from analysis import registry, report  # noqa: E402
from analysis.data import load  # noqa: E402

pytestmark = pytest.mark.slow  # builds the briefing / draws and reads back every figure

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069]")
SECTIONS = ["أبرز النتائج", "أعداد القوات", "القواعد", "الهجمات", "المحطات الزمنية", "أين تختلف المصادر",
            "أسئلة مفتوحة", "المصادر", "عن هذه الإحاطة"]
TITLE = "انسحاب القوات الأميركية وقوات التحالف من العراق"

def figures(tmp_path_factory):
    """(figures folder, why placeholders were used or None): conftest's session figures."""
    return session_figures(tmp_path_factory)


def build(tmp_path_factory) -> dict:
    return session_briefing(tmp_path_factory)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    return build(tmp_path_factory)


@pytest.fixture(scope="session")
def values():
    return report.variables(load(DATA), DATA)


@pytest.fixture(scope="session")
def html(built) -> str:
    return built["html"].read_text(encoding="utf-8")


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


@pytest.fixture(scope="session")
def pdf_text(built) -> str:
    tool = _poppler("pdftotext")
    out = subprocess.run([tool, "-enc", "UTF-8", str(built["pdf"]), "-"], capture_output=True, text=True, check=True)
    return BIDI_CONTROLS.sub("", out.stdout)


# ------------------------------------------------------------------------------------------
# the build


def test_render_returns_both_outputs_of_both_editions(built):
    assert built["paths"] == [built["ar"]["pdf"], built["ar"]["html"], built["en"]["pdf"], built["en"]["html"]]
    assert sorted(p.name for p in built["out"].iterdir()) == ["briefing.ar.html", "briefing.ar.pdf",
                                                               "briefing.en.html", "briefing.en.pdf"]


def test_real_figures_were_used(tmp_path_factory):
    folder, why = figures(tmp_path_factory)
    assert why is None, f"{why}; the report tests used placeholder figures"
    assert all("placeholder" not in (folder / f"{name}.svg").read_text(encoding="utf-8") for name in report.FIGURES)


def test_engine_line_on_stderr(tmp_path, capsys, monkeypatch, built):
    monkeypatch.setenv("PATH", str(tmp_path))  # no quarto
    report.render(None, tmp_path / "out", engine="auto", figures_dir=built["figures"], formats=("html",))
    assert "engine: builtin (quarto not found)" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------
# PDF


def test_pdf_title_sections_and_numbers_in_reading_order(pdf_text, values):
    text = pdf_text
    assert TITLE in text
    # each section heading, with its number, on a line of its own, in order (after the contents)
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]
    where = []
    for n, heading in enumerate(SECTIONS, 1):
        hits = [i for i, line in enumerate(lines) if line in (f"{n}{heading}", f"{n} {heading}")]
        assert hits, heading
        where.append(hits[0])
    assert where == sorted(where), where
    toc = [i for i, line in enumerate(lines) if line.startswith(f"1{SECTIONS[0]}") or line.startswith(f"1 {SECTIONS[0]}")]
    assert toc and toc[0] < where[0] or len(toc) > 1, "table of contents"
    for key in ("peak", "cut_peak", "since", "cut_since"):
        number = re.sub(r"[^\d,]", "", values["troops"][key])
        assert number in text, (key, number)
    # a derived share is printed as «نحو N%» (its inputs are hedged): the number, then the hedge
    assert re.sub(r"\D", "", values["troops"]["cut_peak_pct"]) in text and "نحو" in text
    assert values["data"]["hash"] in text
    # logical order: Arabic words come out as written (not reversed) and joined
    assert "بلغ عدد الجنود الأميركيين في العراق ذروته" in text
    assert re.search(r"الشكل\s*:?\s*1\s*:?", text) and re.search(r"الجدول\s*:?\s*1\s*:?", text)


def test_pdf_fonts_embedded(built):
    tool = _poppler("pdffonts")
    out = subprocess.run([tool, str(built["pdf"])], capture_output=True, text=True, check=True).stdout
    rows = [line for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    for line in rows:
        cols = line.split()
        assert cols[-5] == "yes", f"font not embedded: {line}"
    names = " ".join(rows)
    assert "NotoNaskhArabic" in names and "NotoSans" in names


def test_pdf_page_count_and_fixed_date(built, values):
    tool = _poppler("pdfinfo")
    info = subprocess.run([tool, str(built["pdf"])], capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 5 <= pages <= 30, pages
    epoch = int(values["build"]["epoch"])
    import datetime as dt

    year = dt.datetime.fromtimestamp(epoch, dt.UTC).year
    assert re.search(rf"^CreationDate:.*{year}", info, re.M), info


def test_builds_are_byte_identical(built, tmp_path):
    again = report.render(None, tmp_path, engine="builtin", figures_dir=built["figures"])
    for path in again:
        assert path.read_bytes() == (built["out"] / path.name).read_bytes(), path.name


# ------------------------------------------------------------------------------------------
# HTML


def test_html_is_one_self_contained_rtl_file(html):
    assert re.search(r'<html lang="ar" dir="rtl">', html)
    assert "<link" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html), "external resource"
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html), "external url() in CSS"
    assert "@import" not in html
    assert "<script" not in html.lower()


def test_html_figures_embedded_with_alt(html):
    imgs = re.findall(r"<img\b[^>]*>", html)
    assert len(imgs) == len(registry.briefing("ar")) + len(registry.narrow("ar"))  # phone variants beside their figure
    for img in imgs:
        assert re.search(r'src="data:image/svg\+xml;base64,', img), img[:120]
        alt = re.search(r'alt="([^"]*)"', img)
        assert alt and len(alt.group(1).strip()) > 10, img[:200]
    assert len(re.findall(r"<figcaption", html)) >= len(report.FIGURES)


def test_html_tables_and_crossrefs(html):
    assert len(re.findall(r"<table\b", html)) >= 6
    for n in range(1, 7):
        assert f"الجدول\u00a0\u2066{n}\u2069" in html
    assert 'href="#fig-troops"' in html and 'id="fig-troops"' in html
    assert "@fig-" not in html and "@tbl-" not in html
    assert "{{<" not in html


def test_html_fonts_embedded(html):
    assert html.count("@font-face") >= 2
    assert 'url("data:font/ttf;base64,' in html
    # the fonts plus every figure, drawn as SVG paths, and its phone variant where there is one
    # (the map's boundaries are most of it: about 0.9 MB a drawing), plus each table cell's column
    # label (the phone's cards, about 40,000 characters).  A bound, so growth is a decision.
    assert len(html) < 8_000_000


def test_html_has_the_computed_values(html, values):
    for key in ("peak", "cut_peak", "cut_peak_pct", "since", "cut_since_pct", "last_date"):
        assert values["troops"][key].replace("\\", "") in html, key
    assert values["bases"]["handed"] in html
    assert values["data"]["hash"] in html


# ------------------------------------------------------------------------------------------
# a changed data set: values follow the data; data strings are escaped


@pytest.fixture(scope="session")
def changed(tmp_path_factory, built):
    data = tmp_path_factory.mktemp("data")
    for p in DATA.iterdir():
        if p.is_file():
            shutil.copy2(p, data / p.name)
        elif p.is_dir():  # data/geo: the map's boundaries
            shutil.copytree(p, data / p.name)
    import csv

    path = data / "troop_levels.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0].keys())
    base = next(r for r in rows if r["date"].startswith("2017-12"))
    base["count"] = str(int(base["count"]) + 1234)
    base["note_ar"] = "<script>alert(1)</script> و *not emphasis* و [رابط](http://example.com)"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    out = tmp_path_factory.mktemp("changed")
    env = os.environ.get("ANALYSIS_CORPUS")
    os.environ["ANALYSIS_CORPUS"] = str((DATA / load(DATA, validate=False).package.descriptor["corpus"]["path"]).resolve())
    try:
        figs = tmp_path_factory.mktemp("changed-figures")  # the curated figures are refused beside other data
        placeholder_figures(figs)
        report.render(data, out, engine="builtin", figures_dir=figs, formats=("html",))
        vals = {lang: report.variables(load(data), data, lang) for lang in ("ar", "en")}
    finally:
        if env is None:
            os.environ.pop("ANALYSIS_CORPUS", None)
        else:
            os.environ["ANALYSIS_CORPUS"] = env
    html = {lang: (out / f"briefing.{lang}.html").read_text(encoding="utf-8") for lang in ("ar", "en")}
    return {"html": html["ar"], "html_en": html["en"], "count": int(base["count"]), "values": vals["ar"],
            "values_en": vals["en"]}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_changed_value_reaches_both_editions(changed, values, lang):
    html = changed["html"] if lang == "ar" else changed["html_en"]
    new = changed["values"] if lang == "ar" else changed["values_en"]
    about = {"ar": "نحو", "en": "about"}[lang]
    count = changed["count"]
    assert f"{count:,}" in html
    # the derived numbers are recomputed: the fall since December 2017 and its share
    last = int(re.sub(r"\D", "", values["troops"]["last"]))
    cut = count - last
    # the last count is "about 2,500": the derived numbers carry its precision (hundreds, whole %)
    assert new["troops"]["cut_since"] == f"{about} {round(cut, -2):,}"
    assert new["troops"]["cut_since_pct"] == f"{about} {round(cut / count * 100)}%"
    assert f"{round(cut, -2):,}" in html and f"{round(cut / count * 100)}%" in html
    assert new["data"]["hash"] != values["data"]["hash"]


def test_data_strings_are_escaped(changed):
    html = changed["html"]
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "*not emphasis*" in html
    assert "<em>not emphasis</em>" not in html
    assert 'href="http://example.com"' not in html and "[رابط](http://example.com)" in html


def test_md_escape():
    # every special is backslash-escaped and the whole string isolated (U+2068 ... U+2069)
    assert report.md_escape("<b>*x*</b>") == "\u2068" + r"\<b\>\*x\*\<\/b\>" + "\u2069"
    assert report.md_escape("1. item") == "\u2068" + r"1\. item" + "\u2069"
    assert report.md_escape("a | b\nc") == "\u2068" + r"a \| b c" + "\u2069"
    assert report.md_escape("@fig-x $5") == "\u2068" + r"\@fig\-x \$5" + "\u2069"
    assert report.md_escape("") == "" and report.md_escape(None) == ""


def test_count_phrase_agreement():
    assert report.phrase(1, "base") == "قاعدة واحدة"
    assert report.phrase(4, "base") == "4 قواعد"
    assert report.phrase(12, "base") == "12 قاعدةً"
    assert report.phrase(100, "base") == "100 قاعدة"
    assert report.phrase(18, "injured") == "18 جريحاً"


def test_data_hash_matches_sha256sum():
    sha = shutil.which("sha256sum")
    if sha is None:
        pytest.skip("sha256sum not installed")
    names = sorted([p.name for p in DATA.glob("*.csv")] + ["datapackage.json"]
                   + [f"geo/{p.name}" for p in DATA.glob("geo/*.geojson")], key=str.encode)
    lines = subprocess.run([sha, *names], cwd=DATA, capture_output=True, check=True).stdout
    import hashlib

    assert report.data_hash(DATA) == hashlib.sha256(lines).hexdigest()


# ------------------------------------------------------------------------------------------
# failures: one clear error, previous outputs intact, no partial files


def test_quarto_requested_but_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(report.ReportError, match="quarto"):
        report.render(None, tmp_path / "out", engine="quarto")


def test_failed_build_keeps_previous_outputs(tmp_path, built):
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.ar.html").write_text("previous", encoding="utf-8")
    (out / "briefing.ar.pdf").write_bytes(b"previous")
    figs = tmp_path / "figs"
    figs.mkdir()
    with pytest.raises(report.ReportError, match="missing"):
        report.render(None, out, engine="builtin", figures_dir=figs)
    assert (out / "briefing.ar.html").read_text(encoding="utf-8") == "previous"
    assert (out / "briefing.ar.pdf").read_bytes() == b"previous"
    assert sorted(p.name for p in out.iterdir()) == ["briefing.ar.html", "briefing.ar.pdf"]


def test_missing_font_is_a_clear_error(tmp_path, monkeypatch, built):
    from analysis import arabic

    monkeypatch.setattr(arabic, "FONT_DIR", tmp_path)
    with pytest.raises(report.ReportError, match="Font file"):
        report.render(None, tmp_path / "out", engine="builtin", figures_dir=built["figures"])


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_generate_writes_quarto_inputs(tmp_path, built, lang):
    project = tmp_path / "report"
    project.mkdir()
    written = report.generate(None, project, built["figures"])
    assert (project / "_generated" / lang / "values.json") in written
    assert not (project / "_variables.yml").exists()  # Quarto would parse its values with shortcodes live

    vals = json.loads((project / "_generated" / lang / "values.json").read_text(encoding="utf-8"))
    assert vals["troops"]["peak"]
    qmd = (report.REPORT_DIR / f"briefing.{lang}.qmd").read_text(encoding="utf-8")
    assert re.findall(r"\{\{<\s*value\s", qmd) and not re.findall(r"\{\{<\s*var\s", qmd)
    for key in re.findall(r"\{\{<\s*value\s+([^\s>]+)\s*>\}\}", qmd):
        node = vals
        for part in key.split("."):
            node = node[part]
        assert isinstance(node, str), key
    for name in re.findall(r"\{\{<\s*generated\s+([^\s>]+)\s*>\}\}", qmd):
        assert (project / "_generated" / lang / f"{name}.md").is_file(), name
    for fig in re.findall(r"\]\((_generated/figures/[^)]+)\)", qmd):
        assert (project / fig).is_file(), fig


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_no_hand_typed_numbers_in_prose(lang):
    """Numbers reach the prose only through shortcodes (comments and attributes aside)."""
    qmd = (report.REPORT_DIR / f"briefing.{lang}.qmd").read_text(encoding="utf-8")
    body = qmd.split("---", 2)[2]
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    body = re.sub(r"\{\{<.*?>\}\}", "", body)
    body = re.sub(r"\{[^}]*\}", "", body)  # attributes: ids, fig-alt
    body = re.sub(r"\]\([^)]*\)", "]", body)  # link and image targets
    body = body.replace("SHA-256", "")
    assert not re.findall(r"[0-9٠-٩]", body)


def test_cli_exits_nonzero_on_report_error(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    env["PATH"] = ":".join(p for p in env["PATH"].split(":") if not (Path(p) / "quarto").exists())
    import sys

    proc = subprocess.run([sys.executable, "-m", "analysis", "report", "--engine", "quarto", "--out", str(tmp_path)],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode != 0
    assert "quarto" in proc.stderr.lower()


def test_shipped_latin_fonts_are_a_fresh_cut_of_noto_sans():
    """The HTML embeds Noto Sans cut to Latin; the shipped cut must be what the code makes today."""
    from analysis.arabic import FONT_DIR, FONT_FILES
    from analysis.report import LATIN_SUBSETS, latin_subset

    for role, name in LATIN_SUBSETS.items():
        assert (FONT_DIR / name).read_bytes() == latin_subset(FONT_DIR / FONT_FILES[role]), name


# ------------------------------------------------------------------------------------------
# alt text (issue 9): from the data, with the key numbers, in the PDF's structure too


def _pdf_alt_texts(pdf: Path) -> list[str]:
    """The /Alt strings of the PDF's structure elements (in plain or Flate streams)."""
    import zlib

    data = pdf.read_bytes()
    chunks = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        try:
            chunks.append(zlib.decompress(data[m.end():end]))
        except zlib.error:
            pass
    out = []
    for c in chunks:
        for m in re.finditer(rb"/Alt\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", c):
            s = m.group(1)
            raw = (bytes.fromhex(re.sub(rb"\s", b"", s[1:-1]).decode()) if s[:1] == b"<"
                   else re.sub(rb"\\(.)", lambda x: x.group(1), s[1:-1]))
            out.append(raw.decode("utf-16") if raw[:2] in (b"\xfe\xff", b"\xff\xfe") else raw.decode("latin-1"))
    return out


def test_figure_alt_texts_come_from_the_data_and_reach_the_pdf(built, values):
    qmd = (ROOT / "report" / "briefing.ar.qmd").read_text(encoding="utf-8")
    assert "fig-alt=" not in qmd  # alt texts come from values (alt.lua), never typed or shortcoded
    for name in report.FIGURES:
        assert f'#fig-{name} alt-value="alt.{name}"' in qmd, name
    alts = _pdf_alt_texts(built["pdf"])
    assert values["troops"]["peak"].replace("نحو ", "") in " ".join(alts)
    for name in report.FIGURES:
        want = BIDI_CONTROLS.sub("", values["alt"][name]).replace("\\", "")
        assert re.search(r"\d", want), f"alt text of {name} states no number: {want}"
        assert any(a.startswith(want[:40]) for a in alts), (name, want[:40], [a[:40] for a in alts])
    html_alts = re.findall(r'<img[^>]*\balt="([^"]*)"', built["html"].read_text(encoding="utf-8"))
    assert len(html_alts) >= len(report.FIGURES) and all(re.search(r"\d", a) for a in html_alts[:len(report.FIGURES)])


def test_arabic_indic_digits_throughout_the_pdf(tmp_path_factory, monkeypatch):
    """ANALYSIS_DIGITS=arabic-indic: prose, tables, section and page numbers in ٠-٩; only digits
    inside Latin tokens (ids, names such as K-1, SHA-256, file names) stay Latin."""
    figs, _ = figures(tmp_path_factory)
    out = tmp_path_factory.mktemp("indic")
    monkeypatch.setenv("ANALYSIS_DIGITS", "arabic-indic")
    report.render(None, out, engine="builtin", figures_dir=figs, formats=("pdf",), langs=("ar",))
    tool = _poppler("pdftotext")
    text = subprocess.run([tool, "-enc", "UTF-8", "-f", "1", "-l", "3", str(out / "briefing.ar.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    text = BIDI_CONTROLS.sub("", text)
    assert "٢٬٥٠٠" in text and "١٧٠٬٠٠٠" in text
    assert re.search(r"^\s*١\s*$", text, re.M), "page 1's number"
    bare = re.sub(r"[A-Za-z][A-Za-z0-9\-.]*|[0-9][A-Za-z0-9\-.]*[A-Za-z][A-Za-z0-9\-.]*", "", text)
    assert not re.search(r"[0-9]", bare), re.search(r".{0,30}[0-9].{0,30}", bare).group(0)
