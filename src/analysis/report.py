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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import atomic, config, memo, registry
from .briefing.ar import fdate, fperiod, join_ar, num, pct, phrase  # noqa: F401  (the names earlier code used)
from .briefing.markdown import NBSP, ltr, md_escape  # noqa: F401
from .briefing.tables import generated_markdown
from .briefing.values import HANDOVER_BY, LANGS, SINCE, variables  # noqa: F401
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
DOCUMENT = "briefing"  #: each edition is DOCUMENT.<lang>.qmd -> DOCUMENT.<lang>.pdf|html


def document(lang: str) -> str:
    """The file stem of an edition: briefing.ar, briefing.en."""
    return f"{DOCUMENT}.{lang}"
#: Set while `render` runs Quarto, so the project's pre-render hook does not regenerate.
STAGED_ENV = "ANALYSIS_REPORT_STAGED"

# Anchors of the key findings (which facts the briefing asks about, not numbers it prints).




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
    A figure whose SVG names other data than `digest` (registry.DATA_NOTE), or another language
    than its registry entry's (dc:language), is refused: the briefing never pairs its tables with
    figures drawn from other data, nor an edition with the other edition's figures."""
    out, missing, stale, foreign = {}, [], [], []
    for name in registry.NAMES:
        p = figures_dir / f"{name}.svg"
        if not p.is_file():
            missing.append(p.name)
            continue
        out[name] = p
        head = p.read_bytes()[:4096].decode("utf-8", "replace")
        if digest:
            drawn = re.search(re.escape(registry.DATA_NOTE) + r"([0-9a-f]{64})", head)
            if drawn and drawn.group(1) != digest:
                stale.append(p.name)
        lang = re.search(r"<dc:language>(\w+)</dc:language>", head)
        if lang and lang.group(1) != registry.lang_of(name):
            foreign.append(f"{p.name} ({lang.group(1)})")
    if missing:
        raise ReportError(f"Figures {', '.join(missing)} are missing in {figures_dir}; "
                          f"run `python -m analysis figures --out {figures_dir}` first.")
    if foreign:
        raise ReportError(f"Figures {', '.join(foreign)} in {figures_dir} are drawn in the other edition's language; "
                          f"draw them again: `python -m analysis figures --out {figures_dir}`.")
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


def generate(data_dir=None, project_dir=None, figures_dir=None, *, tables=None, langs=LANGS) -> list[Path]:
    """Write, into the Quarto project (default: report/), each edition's ``_generated/<lang>/
    values.json`` and ``_generated/<lang>/*.md``, and the shared ``_generated/fonts.css`` and
    ``_generated/figures/*.svg`` (both languages' figures).

    The values are computed once (`briefing.values.facts`) and phrased per language.  The
    briefing reads them through its own shortcodes (``report/_extensions/briefing``), at
    filter time, in both engines: ``{{< value key >}}`` and ``{{< generated name >}}``, from the
    folder named by the document (briefing.<lang>.qmd).  Quarto's ``_variables.yml`` is not
    written (and a stale one is removed): Quarto parses its values as markdown with shortcodes
    live, so a data string could run one (issue 13).
    """
    from .briefing.values import facts
    from .data import load

    project = Path(project_dir) if project_dir is not None else REPORT_DIR
    tables = tables if tables is not None else load(data_dir)
    package = getattr(tables, "package", None)
    figures = _figure_files(Path(figures_dir) if figures_dir is not None else FIGURES_DIR,
                            package.digest() if package is not None else None)
    written = []
    from .text_ar import apply_digits, digits_mode

    with memo.build():  # both editions ask the same questions of the tables: answered once
        neutral = facts(tables, data_dir)
        gen = project / "_generated"
        for lang in langs:
            # ANALYSIS_DIGITS (latin, the default, or arabic-indic) is the Arabic edition's digit style
            mode = digits_mode() if lang == "ar" else "latin"
            values = _map_strings(variables(tables, data_dir, lang, facts_=neutral), lambda x, m=mode: apply_digits(x, m))
            p = gen / lang / "values.json"
            _write(p, json.dumps(values, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
            written.append(p)
            for name, text in generated_markdown(tables, lang).items():
                p = gen / lang / f"{name}.md"
                _write(p, apply_digits(text, mode))
                written.append(p)
    (project / "_variables.yml").unlink(missing_ok=True)  # written by earlier versions
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


def _stage(project: Path, stage: Path, langs=LANGS) -> None:
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
    for lang in langs:
        if not (stage / f"{document(lang)}.qmd").is_file():
            raise ReportError(f"{project / (document(lang) + '.qmd')} not found; is {project} the report project?")
    if not (stage / EXTENSION).is_file():
        raise ReportError(f"{project / EXTENSION} not found: the briefing's shortcodes live there.")
    for name, target in (("fonts", FONT_DIR), ("templates", TEMPLATE_DIR)):
        link = stage.parent / "src" / "analysis" / name
        if not link.exists():
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(Path(target).resolve(), target_is_directory=True)


def _builtin(stage: Path, outputs: dict[tuple[str, str], Path], timestamp: int) -> None:
    """Every edition and format in `outputs` ((lang, fmt) -> path), with pandoc and typst; the
    pandoc runs of all editions overlap (2 cores), and each typst compile runs as its markup is
    ready, while the HTML pages are written."""
    import yaml

    pandoc = _pandoc()
    typst = _typst() if any(fmt == "pdf" for _, fmt in outputs) else None
    fonts = _check_fonts()
    (stage / "_meta.yml").write_text(yaml.safe_dump(_metadata(stage), allow_unicode=True), encoding="utf-8")
    (stage / "_pandoc").mkdir(exist_ok=True)
    css = ["_generated/fonts.css"] + [p.name for p in sorted(stage.glob("*.css"))]
    running, typsts = [], []
    try:
        for lang in dict.fromkeys(lang for lang, _ in outputs):
            doc = document(lang)
            source = (stage / f"{doc}.qmd").read_text(encoding="utf-8")
            (stage / f"{doc}.md").write_text(expand_shortcodes(source, stage), encoding="utf-8")
            common = [pandoc, f"{doc}.md", "--from=markdown", "--standalone", "--metadata-file=_meta.yml",
                      f"--lua-filter={TEMPLATE_DIR / 'shortcodes.lua'}", f"--lua-filter={Path('_extensions', 'briefing', 'alt.lua')}",
                      f"--lua-filter={TEMPLATE_DIR / 'crossref.lua'}",
                      f"--lua-filter={Path('_extensions', 'briefing', 'layout.lua')}",
                      f"--lua-filter={Path('_extensions', 'briefing', 'cards.lua')}", "--data-dir=_pandoc", "--resource-path=."]
            if (lang, "html") in outputs:
                running.append(_start(common + ["--to=html5", f"--template={TEMPLATE_DIR / 'briefing.html'}",
                                                "--toc", "--toc-depth=2", "--wrap=none", "--strip-comments"]
                                      + [f"--css={c}" for c in css] + [f"--output={outputs[(lang, 'html')]}"], stage))
            if typst is not None and (lang, "pdf") in outputs:
                typ = stage / f"{doc}.typ"
                typsts.append((_start(common + ["--to=typst", f"--template={TEMPLATE_DIR / 'briefing.typ'}", "--wrap=none",
                                                f"--output={typ}"], stage), typ, outputs[(lang, "pdf")]))
        # each edition's typst compile starts as its markup is ready, in a thread of its own (typst
        # leaves Python's lock while it works: the two editions' compiles overlap), while the
        # HTML pages are written
        with ThreadPoolExecutor(max_workers=max(1, len(typsts))) as pool:
            compiles = []
            for proc, typ, pdf in typsts:
                _finish(proc)
                compiles.append(pool.submit(_typst_compile, typst, typ, pdf, stage, fonts, timestamp))
            while running:
                proc = running.pop()
                _finish(proc)
                _embed(Path(proc.args[-1].removeprefix("--output=")), stage)
            for done in compiles:
                done.result()
    finally:
        for proc in running + [t[0] for t in typsts]:  # a failure or a signal: stop what still runs
            if proc.poll() is None:
                proc.kill()
            proc.wait()


_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"<>]+)" ?/?>')
_IMG = re.compile(r"<img\b[^<>]*>")
_FIGURE_SRC = re.compile(r'(\ssrc=")(_generated/figures/[^"<>]+\.svg)(")')


def _embed(html: Path, stage: Path) -> None:
    """Make the page self-contained, as `pandoc --embed-resources` would: each stylesheet the
    template links inline in a <style>, each figure a data: URI.  Pandoc's own embedding parses
    the whole 6 MB page again (a second a page); the page's only resources are these, written
    by the template and the figure shortcode (attribute values from data are escaped, so no
    data text can look like one), and any other is refused rather than left to the network."""
    text = html.read_text(encoding="utf-8")

    def style(m):
        css = (stage / m.group(1)).read_text(encoding="utf-8")
        if "</style" in css.lower():
            raise ReportError(f"{m.group(1)} cannot be inlined: it contains </style>")
        return f'<style type="text/css">\n{css}</style>'

    def figure(m):
        tag = m.group(0)
        src = _FIGURE_SRC.search(tag)
        if src is None:
            return tag
        data = base64.b64encode((stage / src.group(2)).read_bytes()).decode("ascii")
        tag = tag[:src.start(2)] + f"data:image/svg+xml;base64,{data}" + tag[src.end(2):]
        if " role=" not in tag:  # as pandoc does: an SVG in an <img> is announced as an image
            alt = re.search(r'\salt="([^"]*)"', tag)
            tag = tag.replace("<img", '<img role="img"' + (f' aria-label="{alt.group(1)}"' if alt else ""), 1)
        return tag

    text = _IMG.sub(figure, _STYLESHEET.sub(style, text))
    left = re.findall(r'<(?:img|script|link|source|video|audio|iframe)\b[^<>]*?\s(?:src|href)="(?!data:|#)([^"]*)"', text)
    if left:
        raise ReportError(f"{html.name}: cannot embed {left[0]}")
    html.write_text(text, encoding="utf-8")


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


def _quarto(quarto: str, stage: Path, outputs: dict[tuple[str, str], Path], timestamp: int) -> None:
    """`quarto render` of the staged project: each edition's document, every format asked for.

    The generated files are already in the stage, so the pre-render hook is told to do
    nothing (STAGED_ENV).  This Python's folder goes first on PATH and is Quarto's Python,
    so Quarto finds the same pandoc and typst (and the hook the same packages) as we have."""
    bindir = str(Path(sys.executable).parent)
    env = dict(os.environ, **{STAGED_ENV: "1", "SOURCE_DATE_EPOCH": str(timestamp),
                              "PATH": bindir + os.pathsep + os.environ.get("PATH", "")})
    env.setdefault("QUARTO_PYTHON", sys.executable)
    langs = list(dict.fromkeys(lang for lang, _ in outputs))
    formats = {fmt for _, fmt in outputs}
    to = ["--to", "typst" if "pdf" in formats else "html"] if len(formats) == 1 else []
    # every edition: the project (its `render` list); fewer: each document by itself
    runs = ([[quarto, "render", *to]] if set(langs) == set(LANGS) else
            [[quarto, "render", f"{document(lang)}.qmd", *to] for lang in langs])
    for run in runs:
        proc = subprocess.run(run, cwd=stage, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            msg = [m for m in (proc.stderr or proc.stdout).strip().splitlines() if m.strip()]
            errors = [m for m in msg if "ERROR" in m or "error" in m.lower()]
            raise ReportError(f"quarto render failed: {(errors or msg or [str(proc.returncode)])[0].strip()}")
    for (lang, fmt), out in outputs.items():
        made = stage / "_output" / f"{document(lang)}.{fmt}"
        if not made.is_file():
            raise ReportError(f"quarto render did not produce {made.name}.")
        shutil.copyfile(made, out)


def render(data_dir=None, out_dir="report/_output", engine: str = "auto", *, figures_dir=None,
           formats=("pdf", "html"), project_dir=None, tables=None, langs=LANGS) -> list[Path]:
    """Build the briefing's editions; return the written paths (briefing.ar.pdf, briefing.ar.html,
    briefing.en.pdf, briefing.en.html: each of `langs` in each of `formats`).

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
    langs = tuple(langs)
    if not langs or any(lang not in LANGS for lang in langs):
        raise ReportError(f"languages must be a non-empty subset of {LANGS}, not {langs!r}.")
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
        _stage(project, stage, langs)
        generate(data_dir, stage, figures_dir, tables=tables, langs=langs)
        built = {(lang, fmt): Path(tmp) / f"{document(lang)}.{fmt}" for lang in langs for fmt in formats}
        if engine == "builtin":
            _builtin(stage, built, timestamp)
        else:
            _quarto(quarto, stage, built, timestamp)
        temps = {}
        try:
            for key, path in built.items():
                if not path.is_file() or path.stat().st_size == 0:
                    raise ReportError(f"The {path.name} output was not produced.")
                t = atomic.temp_path(out / path.name)
                temps[key] = t
                shutil.copyfile(path, t)
                os.chmod(t, 0o644)
            results = []
            for key, t in temps.items():
                final = out / built[key].name
                os.replace(t, final)
                results.append(final)
        finally:
            for t in temps.values():
                Path(t).unlink(missing_ok=True)
    return results


def _stale_figures(figures_dir: Path, data_dir=None) -> bool:
    """Whether a figure is missing or older than the data or the code that draws it."""
    from .data import DATA_DIR

    figs = [figures_dir / f"{name}.svg" for name in registry.NAMES]
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
