"""Hostile data: whatever a CSV cell or the descriptor holds, it reaches the page as text, exactly as
written, and cannot reorder, execute, include or crash anything; implausible values and broken
input get one plain message naming file, row and field."""
import html as html_lib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import analysis
from analysis import report
from analysis.data import DATA_DIR
from analysis.validate import validate

ROOT = Path(__file__).resolve().parents[1]
ISOLATES = re.compile("[\u2066-\u2069]")
SECRET = "hostile-include-target-7f3a"
# Markdown, HTML, a Quarto shortcode, raw typst, pandoc smart typography, mathtext.
PAYLOAD = ("{{< include SECRET_FILE >}} <img src=x onerror=alert(1)> `#text(red)[typst]`{=typst} "
           "*no-em* a -- b ... <!-- c $x^2$ $ @fig-troops [link](http://example.org) ## h")


def process(*args, env=None):
    """A real `python -m analysis` process: for builds that fork their figure workers."""
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=env)


def set_descriptor(data: Path, edit) -> None:
    d = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    edit(d)
    (data / "datapackage.json").write_text(json.dumps(d, ensure_ascii=False, indent=2), encoding="utf-8")


def label(d, table, field, value, lang, text):
    for r in d["resources"]:
        if r["name"] == table:
            for f in r["schema"]["fields"]:
                if f["name"] == field:
                    f["labels"][value][lang] = text
                    return
    raise AssertionError((table, field))


def set_cell(data: Path, name: str, line: int, field: str, value: str) -> None:
    """Set one cell (line: the file's line number, header = 1), whatever the curated values are."""
    import csv
    import io

    path = data / name
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[line - 1][rows[0].index(field)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def edit_csv(data: Path, name: str, old: str, new: str) -> None:
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_planted_markup_in_a_label_and_a_cell_shows_as_text_in_both_outputs(data, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    payload = PAYLOAD.replace("SECRET_FILE", str(secret))
    for lang in ("ar", "en"):  # both editions: each reads its own labels and cells
        set_descriptor(data, lambda d, lang=lang: label(d, "base_events", "state", "handed_over", lang, payload))
        set_cell(data, "troop_levels.csv", 2, f"note_{lang}", payload)
    figs = tmp_path / "figures"
    assert process("figures", "--data", str(data), "--out", str(figs), "--formats", "svg").returncode == 0
    out = tmp_path / "out"
    done = process("report", "--data", str(data), "--out", str(out), "--figures", str(figs), "--engine", "builtin")
    assert done.returncode == 0, done.stderr
    for lang in ("ar", "en"):
        _planted_markup_is_text(out, lang)


def _planted_markup_is_text(out: Path, lang: str) -> None:
    html = (out / f"briefing.{lang}.html").read_text(encoding="utf-8")
    assert SECRET not in html, "an include shortcode in data was expanded"
    assert "<img src=x" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    text = ISOLATES.sub("", re.sub(r"<[^>]+>", "", html)).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    for piece in ("{{< include", "a -- b ... <!-- c", "$x^2$ $", "`#text(red)[typst]`{=typst}", "*no-em*", "@fig-troops",
                  "[link](http://example.org)", "## h"):
        assert piece in text, piece
    assert "<em>no-em</em>" not in html and 'href="http://example.org"' not in html
    if shutil.which("pdftotext"):
        # the words as typeset (-bbox): plain pdftotext joins a line ending in "-" to the next
        # one as a hyphenated word, so "a --" / "b" would read "a -b"
        boxes = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", str(out / f"briefing.{lang}.pdf"), "-"],
                               capture_output=True, text=True, check=True).stdout
        pdf = ISOLATES.sub("", " ".join(html_lib.unescape(w) for w in re.findall(r"<word [^>]*>(.*?)</word>", boxes)))
        assert SECRET not in pdf
        assert "a -- b ... <!-- c" in pdf, lang


def test_md_escape_round_trips_through_pandoc():
    """What md_escape makes of a string, pandoc reads back as exactly that string."""
    import pypandoc

    for s in [PAYLOAD, "1. not a list", "- not a bullet", "a--b---c...", "'quoted' \"double\"", "50% (approx.)",
              "x_y_z", "<!-- x -->", "\\backslash\\", "{{{< var build.date >}}}", "| a | b |", "> quote", "نحو 2,500"]:
        back = pypandoc.convert_text(report.md_escape(s), "plain", format="markdown", extra_args=["--wrap=none"])
        assert ISOLATES.sub("", back).strip() == " ".join(s.split()), s


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\x00", "\x1b", "\u2028",
                                  "\ufeff", "\u00ad", "\ue000"])
def test_control_and_format_characters_are_rejected_in_cells_and_descriptor(data, char):
    set_cell(data, "troop_levels.csv", 3, "note_ar", f"نشر{char}بطلب")
    (p,) = validate(data)
    assert (p.file, p.row, p.field) == ("troop_levels.csv", 3, "note_ar") and f"U+{ord(char):04X}" in p.message
    shutil.copy(DATA_DIR / "troop_levels.csv", data / "troop_levels.csv")
    set_descriptor(data, lambda d: label(d, "troop_levels", "counted", "us", "ar", f"أميركي{char}"))
    (p,) = validate(data)
    assert p.file == "datapackage.json" and "labels.us.ar" in p.field and f"U+{ord(char):04X}" in p.message


def test_arabic_joiners_stay_allowed(data):
    set_cell(data, "troop_levels.csv", 3, "note_ar", "نشر\u200cبطلب")
    assert validate(data) == []


def test_every_data_string_is_isolated_so_it_cannot_reorder_its_neighbours():
    s = report.md_escape("abc 2021")
    assert s.startswith("\u2068") and s.endswith("\u2069")
    tables = analysis.load()
    md = report.generated_markdown(tables)["troops"]
    note = str(tables.troop_levels.note_ar.dropna().iloc[0])
    assert "\u2068" + report.md_escape(note)[1:-1] + "\u2069" in md


@pytest.mark.parametrize("path", ["../../../etc/passwd", "/etc/passwd", "sub/../../x.csv"])
def test_a_resource_path_outside_the_data_folder_is_refused_unread(data, path, cli):
    set_descriptor(data, lambda d: d["resources"][0].update(path=path))
    done = cli("validate", "--data", str(data))
    assert done.returncode == 1 and "points outside the data folder" in done.stderr
    assert "root:" not in done.stderr and "Traceback" not in done.stderr  # nothing of /etc/passwd echoed


@pytest.mark.parametrize("file,line,field,value,words", [
    ("troop_levels.csv", 3, "date", "0001-01-01", "below the smallest believable"),
    ("troop_levels.csv", 3, "date", "9999-01-01", "above the largest believable"),
    ("troop_levels.csv", 3, "count", "1000000000000", "above the largest believable"),
    ("troop_levels.csv", 3, "count", "٥٠٠٠", "Latin digits"),
    ("troop_levels.csv", 3, "count", "NaN", "Latin digits"),
    ("troop_levels.csv", 3, "date", "2030-01-01", "was written"),
    ("attacks.csv", 2, "date", "2019-13-27", "is not a date written YYYY-MM-DD"),
    ("troop_levels.csv", 3, "obs_id", "T01", "more than once"),
    ("troop_levels.csv", 3, "obs_id", "", "required but empty"),
    ("troop_levels.csv", 3, "note_ar", "x" * 1_000_000, "characters long"),
])
def test_implausible_or_malformed_values_get_one_plain_message(data, file, line, field, value, words):
    set_cell(data, file, line, field, value)
    if field == "date" and file == "troop_levels.csv":
        set_cell(data, file, line, "date_end", "")
    problems = validate(data)
    lines = [str(p) for p in problems]  # as `python -m analysis validate` prints them
    assert len({(p.file, p.row, p.field) for p in problems}) == len(problems), lines  # each place said once
    if words != "was written":  # a date past its source may also be finer than its paragraph (analysis.truth)
        assert len(lines) == 1, lines
    hit = [s for s in lines if s.startswith(f"{file}:{line}: {field}: ") and words in s]
    assert hit, lines
    assert not [s for s in lines if "constraint" in s or "/default" in s or '"None"' in s], lines


def test_nan_coordinate_is_reported_once(data):
    set_cell(data, "places.csv", 2, "lat", "NaN")
    (p,) = validate(data)
    assert (p.file, p.row, p.field) == ("places.csv", 2, "lat")


def test_trailing_blank_lines_are_no_error_and_a_blank_line_inside_is_one(data):
    with open(data / "attacks.csv", "a", encoding="utf-8") as fh:
        fh.write("\n\n")
    assert validate(data) == []
    edit_csv(data, "attacks.csv", "\nA02,", "\n\nA02,")
    (p,) = validate(data)
    assert (p.file, p.row, p.message) == ("attacks.csv", 3, "blank line")


def test_unterminated_quote_names_its_row(data):
    edit_csv(data, "attacks.csv", "A02,2020", '"A02,2020')
    (p,) = validate(data)
    assert p.file == "attacks.csv" and p.row >= 3


@pytest.mark.parametrize("text", ["[]", "{}", '{"resources": "x"}', '{"resources": [{"name": 1}]}', "{", "\xff"])
def test_a_broken_descriptor_is_one_message_not_a_traceback(data, text, cli):
    (data / "datapackage.json").write_text(text, encoding="utf-8", errors="surrogateescape")
    done = cli("validate", "--data", str(data))
    assert done.returncode == 1 and "Traceback" not in done.stderr and "datapackage.json:0:" in done.stderr


def test_a_symlinked_data_folder_still_finds_the_corpus(tmp_path, monkeypatch):
    monkeypatch.delenv("ANALYSIS_CORPUS", raising=False)
    real = analysis.data.Package.at(DATA_DIR)
    if real.corpus is None:
        pytest.skip("source corpus ../shared/seeds not present")
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "data"
    link.symlink_to(DATA_DIR)
    assert analysis.data.Package.at(link).corpus == real.corpus


def test_require_corpus_turns_a_missing_corpus_into_an_error(data, monkeypatch, cli):
    monkeypatch.delenv("ANALYSIS_CORPUS", raising=False)
    monkeypatch.delenv("ANALYSIS_REQUIRE_CORPUS", raising=False)
    done = cli("validate", "--data", str(data), "--require-corpus")  # the copy has no ../../shared/seeds
    assert done.returncode == 1 and "corpus" in done.stderr and "required" in done.stderr
    assert cli("validate", "--data", str(data)).returncode == 0


def test_read_only_output_folder_fails_before_any_work(tmp_path, cli):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if (ro / "probe").parent.stat().st_mode & 0o200 or __import__("os").geteuid() == 0:
            # root writes anywhere: make the folder a file's child instead
            target = tmp_path / "file" / "out"
            (tmp_path / "file").write_text("x")
        else:
            target = ro / "out"
        for args in (["figures", "--out", str(target)], ["report", "--out", str(target)]):
            done = cli(*args)
            assert done.returncode == 1 and "cannot write to the output folder" in done.stderr, done.stderr
            assert "Traceback" not in done.stderr
    finally:
        ro.chmod(0o755)


def test_ctrl_c_is_a_message_not_a_traceback():
    code = ("import signal, sys; sys.argv=['analysis','validate'];"
            "import analysis.validate as v; v._validate=lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt());"
            "from analysis.__main__ import main; sys.exit(main(['validate']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 130 and "interrupted" in done.stderr and "Traceback" not in done.stderr
