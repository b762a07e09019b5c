"""The held-out variants of issue 13: each case the issue fixed, tried again another way (another
path field, another identifier, other typst markup, other signals, other environment variables,
a notebook user's own matplotlib settings).  Every test here failed when it was written; each
says what it did and what should have happened.
"""
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from test_hostile import set_cell

import analysis
from analysis.data import DATA_DIR
from analysis.validate import validate

ROOT = Path(__file__).resolve().parents[1]
ISOLATES = re.compile("[\u2066-\u2069]")


# --------------------------------------------------------------------------------------------
# helpers (the `data` copy is conftest's, set_cell test_hostile's)


def corpus_or_skip() -> Path:
    corpus = analysis.data.Package.at(DATA_DIR).corpus
    if corpus is None:
        pytest.skip("source corpus ../shared/seeds not present")
    return corpus


def process(*args, env=None, **kw):
    """A real `python -m analysis` process (figure builds fork their workers)."""
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=env, **kw)


def get_cell(data: Path, name: str, line: int, field: str) -> str:
    rows = list(csv.reader(io.StringIO((data / name).read_text(encoding="utf-8"), newline="")))
    return rows[line - 1][rows[0].index(field)]


@pytest.fixture(scope="module")
def curated_figures(tmp_path_factory):
    """The briefing's SVG figures drawn once from the curated data (the report tests below change
    only text the figures do not show)."""
    out = tmp_path_factory.mktemp("figures")
    env = dict(os.environ)
    corpus = analysis.data.Package.at(DATA_DIR).corpus
    if corpus:
        env["ANALYSIS_CORPUS"] = str(corpus)
    done = process("figures", "--data", str(DATA_DIR), "--out", str(out), "--formats", "svg", env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return out


def build_report(data: Path, figures: Path, out: Path) -> subprocess.CompletedProcess:
    """The briefing of `data`, its figures drawn from `data` too: the briefing refuses figures drawn
    from other data (`figures`, the curated ones, are not used here; see
    test_the_briefing_never_pairs_new_tables_with_figures_drawn_from_other_data)."""
    own = out.parent / "own"
    drawn = process("figures", "--data", str(data), "--out", str(own), "--formats", "svg", "--validated")
    assert drawn.returncode == 0, drawn.stderr[-800:]
    return process("report", "--data", str(data), "--out", str(out), "--figures", str(own), "--engine", "builtin")


# --------------------------------------------------------------------------------------------
# security and integrity


@pytest.mark.parametrize("copies", [1, 10_000])
def test_the_same_incident_recorded_again_under_a_new_id_is_a_problem(data, copies):
    """An attack row copied under new ids (same date, base, toll, source paragraph and needle:
    the same sentence of the same article) is valid today; with 10,000 copies the briefing
    said "10,004 single attacks ... 10,001 killed" in 475 pages.  Each row is plausible, the
    count is not: a fact recorded twice is one fact counted twice."""
    path = data / "attacks.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    i = rows[0].index("attack_id")
    for n in range(copies):
        copy = list(rows[1])
        copy[i] = f"X{n:05d}"
        rows.append(copy)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    problems = validate(data)
    first_copy = len(rows) - copies + 1  # the file's line number of the first copy
    assert [p for p in problems if p.file == "attacks.csv" and p.row == first_copy], \
        f"{copies} duplicate(s) of attacks.csv:2 accepted: {problems[:3]}"


@pytest.mark.parametrize("where", ["absolute", "climbing"])
def test_a_source_file_outside_the_corpus_is_refused_not_read(data, tmp_path, where):
    """issue 13 fixed a resource `path` that climbs out of the data folder; sources.csv's `file`
    column is the same kind of path, into the corpus, and was read wherever it pointed.  A copy
    of the real article outside the corpus (same bytes, same hash) validated as the source."""
    corpus = corpus_or_skip()
    name = get_cell(data, "sources.csv", 2, "file")
    outside = tmp_path / "outside" / "article.txt"
    outside.parent.mkdir()
    shutil.copy(corpus / name, outside)
    value = str(outside) if where == "absolute" else os.path.relpath(outside, corpus)
    set_cell(data, "sources.csv", 2, "file", value)
    problems = validate(data)
    assert [p for p in problems if (p.file, p.row, p.field) == ("sources.csv", 2, "file")], \
        f"sources.csv:2 file={value!r} (outside the corpus) was read and accepted: {problems}"


def test_a_source_file_path_is_no_oracle_on_other_files(data):
    """With `file` = /etc/passwd the validator read the file and printed how many lines it has
    ("paragraphs: 25 given, /etc/passwd has 24"), and each needle check said whether a string is
    in a given line of it: a contributor's CI log becomes a probe of the machine's files."""
    corpus_or_skip()
    set_cell(data, "sources.csv", 2, "file", "/etc/passwd")
    problems = validate(data)
    said = "\n".join(map(str, problems))
    assert "/etc/passwd has" not in said, [line for line in said.splitlines() if "/etc/passwd" in line]
    assert not [p for p in problems if p.field == "needle"], "needles were looked for in /etc/passwd"


@pytest.mark.slow
@pytest.mark.parametrize("topic,anchor", [("sec-sources", "sec-sources"), ("fig-timeline", "fig-timeline")])
def test_a_conflict_topic_cannot_take_an_anchor_of_the_briefing(data, tmp_path, curated_figures, topic, anchor):
    """A conflict's topic becomes a heading, and pandoc gives the heading an identifier made from
    its text.  topic_ar "fig-timeline" (valid data) made typst fail far from the data ("label
    `<fig-timeline>` occurs multiple times"); "sec-sources" put a second id="sec-sources" before
    the briefing's own section, so the table of contents and every @sec-sources link jump to
    the data's heading.  Data text must not make identifiers the document uses."""
    set_cell(data, "conflicts.csv", 2, "topic_ar", topic)
    assert validate(data) == []
    out = tmp_path / "out"
    done = build_report(data, curated_figures, out)
    assert done.returncode == 0, done.stderr[-800:]
    html = (out / "briefing.ar.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert ids.count(anchor) == 1, f'id="{anchor}" appears {ids.count(anchor)} times'


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_typst_shorthands_in_data_reach_the_pdf_as_written(data, tmp_path, curated_figures):
    """md_escape keeps pandoc's smart typography off data text, but pandoc's typst writer leaves
    "..." and "-?" unescaped, and typst reads them as its own shorthands: in the PDF "..." became
    an ellipsis (U+2026) and "-?" a soft hyphen (U+00AD, invisible), while the HTML shows them."""
    set_cell(data, "troop_levels.csv", 2, "note_ar", "QZA one -? two ... three QZB")
    assert validate(data) == []
    out = tmp_path / "out"
    done = build_report(data, curated_figures, out)
    assert done.returncode == 0, done.stderr[-800:]
    pdf = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out / "briefing.ar.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    text = " ".join(ISOLATES.sub("", pdf).split())
    m = re.search(r"QZA(.*?)QZB", text)
    assert m, "the note is not in the PDF"
    assert m.group(1).strip() == "one -? two ... three", f"the PDF shows {m.group(1)!r}"


@pytest.mark.parametrize("spelling", ["nfd", "trailing space", "leading space"])
def test_one_province_spelt_two_invisible_ways_is_not_two_provinces(data, spelling):
    """Grouping is by the Arabic name as written.  One row of "الأنبار" in decomposed form (NFD:
    alef + combining hamza) or with a space at either end looks the same on the page, passes
    validation (analysis.geo matches provinces by their English names), and the briefing then
    counts 7 provinces instead of 6 and lists Anbar twice.  Either validation names the cell or
    the reading treats the two spellings as one."""
    import unicodedata

    rows = list(csv.DictReader(io.StringIO((data / "bases.csv").read_text(encoding="utf-8"))))
    name = next(r["province_ar"] for r in rows if unicodedata.normalize("NFD", r["province_ar"]) != r["province_ar"]
                and sum(x["province_ar"] == r["province_ar"] for x in rows) > 1)
    line = next(i for i, r in enumerate(rows, 2) if r["province_ar"] == name)
    before = analysis.data.load(data)["bases"]["province_ar"].dropna().nunique()
    variant = {"nfd": unicodedata.normalize("NFD", name), "trailing space": name + " ",
               "leading space": " " + name}[spelling]
    set_cell(data, "bases.csv", line, "province_ar", variant)
    problems = validate(data)
    if problems:
        assert [p for p in problems if (p.file, p.row, p.field) == ("bases.csv", line, "province_ar")], problems
    else:
        after = analysis.data.load(data)["bases"]["province_ar"].dropna().nunique()
        assert after == before, f"{before} provinces became {after}: {variant!r} is counted apart from {name!r}"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_a_long_unbroken_word_in_a_note_stays_readable_in_the_pdf(data, tmp_path, curated_figures):
    """A note holding one long token (a URL, a transliteration; here 156 letters, a cell may
    hold 4,000) is not broken in the PDF's table: it prints across every other column of its
    row and off both edges of the page, so its start and end are lost (the HTML wraps it)."""
    word = "QZL" + "x" * 150 + "QZR"
    set_cell(data, "troop_levels.csv", 2, "note_ar", word)
    assert validate(data) == []
    out = tmp_path / "out"
    done = build_report(data, curated_figures, out)
    assert done.returncode == 0, done.stderr[-800:]
    pdf = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out / "briefing.ar.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    text = ISOLATES.sub("", pdf).replace("\u200b", "")  # the invisible break opportunities it may wrap at
    assert "QZL" in text and "QZR" in text, "the word's start or end is cut off the page"


@pytest.mark.parametrize("char", ["\u034f", "\u3164", "\u115f", "\uffa0", "\u180b", "\u17b4", "\ufe0f"])
def test_invisible_characters_outside_the_format_category_are_rejected_too(data, char):
    """The validator rejects control and format characters (categories Cc, Cf, ...), but
    Unicode's other default-ignorable characters are as invisible and pass: the combining
    grapheme joiner and variation selectors (Mn), the Hangul fillers (Lo, letters that draw
    nothing).  One of them after a province or base name makes a second, identical-looking name."""
    import unicodedata

    set_cell(data, "troop_levels.csv", 3, "note_ar", f"نشر{char}بطلب")
    problems = validate(data)
    assert [p for p in problems if (p.file, p.row, p.field) == ("troop_levels.csv", 3, "note_ar")], \
        f"U+{ord(char):04X} {unicodedata.name(char)} accepted"


@pytest.mark.slow
def test_the_briefing_never_pairs_new_tables_with_figures_drawn_from_other_data(data, tmp_path, curated_figures):
    """`python -m analysis report` (a documented stage command) takes figures/ as it finds them:
    after a base was renamed in data/, the briefing's tables showed the new name and its
    figures the old one, exit 0 (Quarto's pre-render hook redraws stale figures; the command
    line does not even warn).  Either it redraws or it refuses, naming the stale figures."""
    import base64

    set_cell(data, "bases.csv", 2, "name_ar", "ZQNEW قاعدة")
    assert validate(data) == []
    out = tmp_path / "out"
    done = process("report", "--data", str(data), "--out", str(out), "--figures", str(curated_figures),
                   "--engine", "builtin")
    if done.returncode == 0:
        html = (out / "briefing.ar.html").read_text(encoding="utf-8")
        assert "ZQNEW" in html  # the tables have the new name
        svgs = [base64.b64decode(m).decode("utf-8", "replace")
                for m in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)]
        assert svgs and any("ZQNEW" in svg for svg in svgs), "the figures show the base's old name"


def test_md_escape_keeps_the_spaces_a_string_was_written_with():
    """Data text arrives exactly as written: md_escape folds every Unicode space to a plain one,
    so a no-break space (U+00A0, which keeps "2,500 جندي" or "F 16" on one line) or a narrow
    no-break space is lost before the text reaches either output."""
    from analysis.report import md_escape

    for space in ("\u00a0", "\u202f", "\u2009"):
        assert space in md_escape(f"نحو 2,500{space}جندي"), f"U+{ord(space):04X} was replaced"


# --------------------------------------------------------------------------------------------
# interruption


def _tracked_copy(where: Path) -> Path:
    done = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"not a git checkout: {done.stderr.strip()}")
    for name in filter(None, done.stdout.split("\0")):
        if (ROOT / name).is_file():
            (where / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, where / name)
    return where


def _in_session(part: str, session: int) -> bool:
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                line = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                if os.getsid(int(proc.name)) == session and part in line:
                    return True
            except (OSError, ProcessLookupError):
                continue
    return False


MAKE_ENV = {k: v for k, v in os.environ.items()
            if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "SOURCE_DATE_EPOCH", "ANALYSIS_REQUIRE_CORPUS")}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None or shutil.which("git") is None, reason="needs make and git")
@pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists(), reason="needs the project's .venv (run `make test`)")
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to see the running stage")
@pytest.mark.parametrize("sig", [signal.SIGQUIT, signal.SIGKILL], ids=["sigquit", "sigkill"])
def test_a_report_stage_stopped_hard_leaves_no_staging_copy_behind(tmp_path, sig):
    """SIGTERM, SIGHUP and Ctrl-C during the report stage clean up; Ctrl-\\ (SIGQUIT) and SIGKILL
    cannot, and each left a ~3 MB `briefing-*` staging copy of the project in TMPDIR that no
    later `make report` nor `make clean` removes (the figures' temporary files are swept by the
    next build; the staging folder is not)."""
    where = _tracked_copy(tmp_path / "project")
    (where / ".venv").symlink_to(ROOT / ".venv")
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    env = dict(MAKE_ENV, TMPDIR=str(tmp))
    cmd = ["make", "-o", ".venv/.installed", "SOURCE_DATE_EPOCH=1790000000", "report"]
    assert subprocess.run(cmd, cwd=where, env=env, capture_output=True).returncode == 0
    (where / "report" / "briefing.ar.qmd").touch()  # the next make goes to the report stage
    proc = subprocess.Popen(cmd, cwd=where, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGQUIT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not (
            _in_session("analysis report", proc.pid) and any(tmp.glob("briefing-*"))):
        time.sleep(0.01)
    time.sleep(0.3)  # inside the stage: the staging copy exists, pandoc and typst run
    assert proc.poll() is None, "make finished before the report stage could be stopped"
    os.killpg(proc.pid, sig)
    proc.wait(timeout=120)
    time.sleep(0.5)
    done = subprocess.run(cmd, cwd=where, env=env, capture_output=True, text=True)  # the next build recovers
    assert done.returncode == 0, done.stderr[-1000:]
    subprocess.run(["make", "clean"], cwd=where, env=env, capture_output=True)
    left = sorted(p.name for p in tmp.iterdir())
    assert not left, f"left in TMPDIR after a rebuild and `make clean`: {left}"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None or shutil.which("git") is None, reason="needs make and git")
@pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists(), reason="needs the project's .venv (run `make test`)")
def test_make_checks_the_data_again_when_a_source_article_changes(tmp_path):
    """The validate stage checks needles and hashes against the corpus, but make knows only
    data/ and the code as its inputs: after an article changed (its SHA-256 no longer matches
    sources.csv, `python -m analysis validate` says invalid), `make report` said "Nothing to be
    done", and a rebuild of the report stage (`--validated`) made a new briefing, exit 0."""
    corpus = corpus_or_skip()
    where = _tracked_copy(tmp_path / "project")
    (where / ".venv").symlink_to(ROOT / ".venv")
    mine = tmp_path / "corpus"
    shutil.copytree(corpus, mine)
    env = dict(MAKE_ENV, ANALYSIS_CORPUS=str(mine))
    cmd = ["make", "-o", ".venv/.installed", "SOURCE_DATE_EPOCH=1790000000", "report"]
    first = subprocess.run(cmd, cwd=where, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr[-1000:]
    article = sorted(mine.glob("*.txt"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nفقرة أضيفت لاحقاً\n", encoding="utf-8")
    assert process("validate", "--data", str(where / "data"), env=env).returncode == 1  # the data no longer hold
    (where / "report" / "briefing.ar.qmd").touch()
    again = subprocess.run(cmd, cwd=where, env=env, capture_output=True, text=True)
    assert again.returncode != 0, "make rebuilt the briefing without checking the data against the changed article"


# --------------------------------------------------------------------------------------------
# clear errors


@pytest.mark.parametrize("args,env", [
    (["figures", "--formats", "svg"], {"ANALYSIS_JOBS": "abc"}),
    (["figures", "--formats", "svg"], {"ANALYSIS_JOBS": "1.5"}),
    (["figures", "--formats", "svg"], {"ANALYSIS_ARABIC_MODE": "garbage"}),
    (["figures", "--formats", "pdf"], {"SOURCE_DATE_EPOCH": "abc"}),
    (["figures", "--formats", "pdf"], {"SOURCE_DATE_EPOCH": "99999999999999999999"}),
    (["report"], {"SOURCE_DATE_EPOCH": "9" * 5000}),
], ids=["jobs-abc", "jobs-float", "arabic-mode", "epoch-figures-abc", "epoch-figures-huge", "epoch-report-5000-digits"])
def test_a_bad_setting_is_a_user_error_naming_the_variable(tmp_path, cli, args, env):
    """Each of these printed "internal error: ValueError/OverflowError ... please report it" and
    exited 2, a bug report request for a typo in an environment variable (the figures stage does
    not check SOURCE_DATE_EPOCH at all: matplotlib's PDF backend trips on it; the report stage's
    check lets a 5000-digit number through to int())."""
    out = tmp_path / "out"
    done = cli(*args, "--out", str(out), "--validated", env=dict(os.environ, **env))  # checked before any work
    (name,) = env
    assert done.returncode == 1, (done.returncode, done.stderr[-400:])
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr, done.stderr[-400:]
    assert name in done.stderr, done.stderr[-400:]


@pytest.mark.parametrize("formats", ["jpg", ""])
def test_an_unknown_figure_format_is_a_user_error(tmp_path, cli, formats):
    """`python -m analysis figures --formats jpg` (or an empty list) printed "internal error:
    ValueError: formats must be some of ..." and exited 2, a bug report request for a typo."""
    done = cli("figures", "--formats", formats, "--out", str(tmp_path / "out"), "--validated")
    assert done.returncode in (1, 2) and "internal error" not in done.stderr, done.stderr[-300:]


def test_a_deeply_nested_descriptor_is_one_message_not_an_internal_error(data):
    """A descriptor with one key nested 50,000 lists deep (valid JSON) made the validator print
    "internal error: RecursionError: maximum recursion depth exceeded while decoding a JSON
    array" and exit 2; a broken descriptor is bad input, said as datapackage.json:0."""
    path = data / "datapackage.json"
    text = path.read_text(encoding="utf-8").rstrip().rstrip("}")
    path.write_text(text + ', "x": ' + "[" * 50_000 + "]" * 50_000 + "}", encoding="utf-8")
    done = process("validate", "--data", str(data))
    assert done.returncode == 1 and "internal error" not in done.stderr, done.stderr[-300:]
    assert "datapackage.json:0:" in done.stderr, done.stderr[-300:]


@pytest.mark.parametrize("field,value", [("province_en", "Atlantis"), ("region", "kurdistan")])
def test_a_base_whose_province_or_region_is_wrong_is_reported_at_its_row(data, field, value):
    """analysis.geo reports bases.csv problems at row 0 ("bases.csv:0: province_en: ain_al_asad:
    ...") although the row is known: every other check names the file's line."""
    line = 2
    if field == "region":  # a federal base said to be in Kurdistan
        rows = list(csv.DictReader(io.StringIO((data / "bases.csv").read_text(encoding="utf-8"))))
        line = next(i for i, r in enumerate(rows, 2) if r["region"] == "federal" and r["province_en"])
    set_cell(data, "bases.csv", line, field, value)
    problems = [p for p in validate(data) if p.file == "bases.csv"]
    assert problems, "the wrong value was accepted"
    assert all(p.row == line for p in problems), [str(p) for p in problems]


@pytest.mark.parametrize("label", [None, ["x"], 5, {"text": "x"}], ids=["missing", "list", "number", "object"])
def test_a_display_label_that_is_not_text_in_each_language_is_a_descriptor_problem(data, label):
    """Display labels are data too: one without its "ar" text, or whose text is a list, a number
    or an object, passed validation ("valid: 12 tables") and the figures stage then died with
    "internal error: KeyError: 'ar'" (or drew "['x']")."""
    d = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    field = next(f for r in d["resources"] if r["name"] == "attacks"
                 for f in r["schema"]["fields"] if f["name"] == "weapon")
    if label is None:
        del field["labels"]["rockets"]["ar"]
    else:
        field["labels"]["rockets"]["ar"] = label
    (data / "datapackage.json").write_text(json.dumps(d, ensure_ascii=False, indent=2), encoding="utf-8")
    problems = validate(data)
    assert [p for p in problems if p.file == "datapackage.json" and "labels" in p.field], problems


# --------------------------------------------------------------------------------------------
# legibility and the notebook user


def _texts_off_figure(fig):
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    w, h = fig.bbox.width, fig.bbox.height
    out = []
    from matplotlib.text import Text

    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip():
            b = t.get_window_extent(r)
            if b.x0 < -1 or b.y0 < -1 or b.x1 > w + 1 or b.y1 > h + 1:
                out.append((t.get_text()[:30], round(b.x0), round(b.x1)))
    return out


@pytest.mark.figures
@pytest.mark.parametrize("name", [
    "bases", "attacks"])
def test_a_long_word_in_a_base_name_keeps_every_text_on_the_figure(curated, name):
    """One base name written as an 80-letter word without spaces (a transliteration, a URL-like
    name) pushed the bases chart's notes and the attacks chart's legend off the figure's left
    edge, and squeezed the attacks chart into a narrow column of overlapping labels."""
    import matplotlib.pyplot as plt

    from analysis import arabic, figures
    from analysis.package import Tables

    t = Tables(curated)
    t.package = analysis.data.Package.at()
    t["bases"].loc[t["bases"].index[0], "name_ar"] = "قاعدة" * 16
    with arabic.style("ar"):
        fig = figures.FIGURES[name](t, lang="ar")
        try:
            off = _texts_off_figure(fig)
        finally:
            plt.close(fig)
    assert not off, f"texts cut by the figure edge: {off[:3]}"


PLOT_NAMES = ["troops", "bases", "attacks", "attacks_per_year", "sources", "timeline"]


def _plot(name):
    from analysis import figures

    if name == "timeline":
        from analysis.timeline import plot_timeline

        return plot_timeline
    return getattr(figures, f"plot_{name}")


@pytest.mark.figures
@pytest.mark.parametrize("name", PLOT_NAMES)
def test_a_users_usetex_setting_does_not_run_data_text_through_tex(curated, name):
    """arabic.style() turns mathtext off for data text but leaves a notebook user's
    rcParams["text.usetex"] = True in force: every label, data strings included, goes to LaTeX
    (here: RuntimeError "latex could not be found"; with LaTeX installed, a note such as
    \\input{/etc/hostname} would be typeset from the file)."""
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    with plt.rc_context({"text.usetex": True}):
        ax = _plot(name)(curated)
        texts = [t for t in ax.figure.findobj(Text) if t.get_text().strip()]
        assert not [t.get_text()[:30] for t in texts if t.get_usetex()], "data text set to go through TeX"
        ax.figure.canvas.draw()


def _luminance(c):
    from matplotlib.colors import to_rgb

    r, g, b = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in to_rgb(c)]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b):
    hi, lo = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.figures
@pytest.mark.parametrize("name", PLOT_NAMES)
def test_a_users_dark_style_keeps_the_chart_legible(curated, name):
    """Under plt.style.use("dark_background") the charts keep the style's black figure and axes
    but draw their text in near-black (#222222) and grey: 17 to 61 texts per chart at a contrast
    below 3:1, the values and source lines unreadable."""
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    with plt.style.context("dark_background"):
        ax = _plot(name)(curated)
        fig = ax.figure
        fig.canvas.draw()
        low = []
        for t in fig.findobj(Text):
            if not (t.get_visible() and t.get_text().strip()):
                continue
            box = t.get_bbox_patch()
            if box is not None and box.get_facecolor()[3] > 0.5:  # text on its own box: that is its background
                if _contrast(t.get_color(), box.get_facecolor()) < 3:
                    low.append(t.get_text()[:20])
                continue
            bg = t.axes.get_facecolor() if t.axes is not None else fig.get_facecolor()
            if _contrast(t.get_color(), bg) < 3 or _contrast(t.get_color(), fig.get_facecolor()) < 3:
                low.append(t.get_text()[:20])
    assert not low, f"{len(low)} texts below 3:1 contrast on their background, e.g. {low[:3]}"


@pytest.mark.figures
@pytest.mark.parametrize("name", PLOT_NAMES)
def test_extra_keyword_arguments_reach_the_drawing(curated, name):
    """The seaborn-style signature promises that **kwargs are passed on; every plot_* function
    accepts them and drops them (plot_troops reads only `linewidth`): alpha=0.37 changes nothing
    and a misspelt keyword raises nothing."""
    ax = _plot(name)(curated, alpha=0.37)
    alphas = {a.get_alpha() for a in ax.figure.findobj() if hasattr(a, "get_alpha")}
    assert 0.37 in alphas, "alpha=0.37 reached no artist"


@pytest.mark.figures
def test_two_charts_in_a_users_subplot_grid_keep_their_legends_on_the_figure(curated):
    """In a user's 2x2 grid (constrained layout), plot_bases beside plot_attacks_per_year: the
    bases legend runs past the right edge and the per-year legend past the left edge."""
    import matplotlib.pyplot as plt

    from analysis import figures

    fig, axs = plt.subplots(2, 2, figsize=(12, 10), layout="constrained")
    figures.plot_bases(curated, ax=axs[0, 1])
    figures.plot_attacks_per_year(curated, ax=axs[1, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        off = _texts_off_figure(fig)
    assert not off, f"texts cut by the figure edge: {off[:4]}"


@pytest.mark.figures
@pytest.mark.parametrize("name", ["troops", "attacks_per_year"])
def test_dates_as_text_give_a_chart_or_a_clear_error(curated, name):
    """A notebook user who reads attacks.csv with pandas gets its dates as text; every figure
    (even plot_troops, which does not draw attacks) failed with pandas' own
    "AttributeError: Can only use .dt accessor with datetimelike values"."""
    curated["attacks"] = curated["attacks"].assign(date=curated["attacks"]["date"].dt.strftime("%Y-%m-%d"))
    try:
        _plot(name)(curated)
    except (TypeError, ValueError) as err:
        assert "attacks" in str(err) and "date" in str(err), str(err)


# --------------------------------------------------------------------------------------------
# odd environments


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None or shutil.which("git") is None, reason="needs make and git")
def test_a_checkout_under_an_arabic_folder_name_builds_in_the_c_locale(tmp_path):
    """An analyst's checkout in a folder named in Arabic, with LC_ALL=C (CI containers, cron,
    ssh): `make setup` failed (setuptools: UnicodeEncodeError writing the editable .pth) and,
    with a venv made elsewhere, every stage died before the package loaded ("Fatal Python error:
    init_import_site", a raw traceback).  The Makefile can run Python in UTF-8 mode."""
    where = _tracked_copy(tmp_path / "تقارير" / "project")
    env = dict(MAKE_ENV, LC_ALL="C", LANG="C")
    env.pop("LC_CTYPE", None)
    done = subprocess.run(["make", "validate"], cwd=where, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, (done.stdout + done.stderr)[-1500:]


@pytest.mark.parametrize("text", ["in 1850 the", "call 07701234567", "Resolution 2379", "2021–2035 plan",
                                  "مايو كلينك", "أكتوبر الأحمر", "year 2031 plan"])
def test_data_text_reaches_the_page_as_written(text):
    """md_escape, the one choke point of data text, rewrote it: «in 1850» became «in 1,850», a
    phone number lost its leading zero, «مايو كلينك» (Mayo Clinic) became «أيار كلينك».  It
    escapes and isolates; the words, digits and names stay the data's."""
    from analysis.briefing.markdown import FSI, NBSP, PDI, md_escape

    shown = md_escape(text).removeprefix(FSI).removesuffix(PDI).replace("\\", "").replace(NBSP, " ")
    assert shown == text
