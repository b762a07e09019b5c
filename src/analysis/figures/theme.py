"""The figures' look and words: sizes, text sizes, palettes (checked for colour-vision
deficiencies, tests/test_colours.py) and the interface copy in Arabic and English."""
from __future__ import annotations

from .. import sourceline as _sourceline

#: Figure size in inches for the report (16 cm text width).
FIGSIZE: dict[str, tuple[float, float]] = {
    "troops": (6.3, 4.8),
    "bases": (6.3, 6.9),
    "attacks": (6.3, 7.6),
    "sources": (6.3, 11.5),  # the audited data give about 28 rows, some of two lines
    "timeline": (6.3, 9.4),
}
#: Phone variants (`narrow=True`): 4 in wide, so 8 pt text is >= 9 CSS px shown 358 px wide.
NARROW_WIDTH = 4.0
NARROW_SIZE: dict[str, tuple[float, float]] = {
    "troops": (NARROW_WIDTH, 7.4),
    "bases": (NARROW_WIDTH, 8.9),
    "attacks": (NARROW_WIDTH, 8.9),
}
FORMATS: tuple[str, ...] = ("svg", "png", "pdf")
#: Text sizes in points at the printed size (the briefing shows figures at their natural
#: width): nothing smaller than MIN_PT, so every label reads on paper and on a phone.
MIN_PT = 8.0
TICK_PT = 8.5
TEXT_PT = 8.0
TITLE_PT = 11.5
SUB_PT = 9.0
#: Label of milestone reference lines (leading "_": never in a legend, nor written to SVG);
#: tests check that no text is crossed by one.
MILESTONE_GID = "_milestone"
#: Vertical alignment of row labels: the box's centre on the row.  matplotlib's default for y
#: tick labels ("center_baseline") sets Arabic glyphs about 2.7 pt below their row, as Noto
#: Sans Arabic's line box reaches far above its letters (measured: tests/test_figures.py).
LABEL_VA = "center"
PNG_DPI = 200

INK = "#222222"
MUTED = "#6b6b6b"
GRID = "#e4e4e4"
# Palettes are checked for colour-vision deficiencies (tests/test_colours.py): categories told
# apart by colour alone differ in lightness too; the others also differ in marker shape.
COUNTED_COLORS = {"us": "#1f5a96", "coalition": "#d9822b", "foreign": "#3a7d44"}
#: Text in a series' colour on white needs 3:1 at least (WCAG, large text): the coalition's
#: orange marks its points, and a darker orange writes its values.
TEXT_ON_WHITE = {"#d9822b": "#a85d17"}
COUNTED_MARKERS = {"us": "o", "coalition": "s", "foreign": "^"}
STATE_COLORS = {
    "presence": "#7d9cc0",
    "iraqi_command": "#a8ddd0",
    "combat_withdrawing": "#f0a04b",
    "combat_withdrawn": "#8a3b08",
    "advisers_only": "#6a4c93",
    "contractors_evacuated": "#888888",
    "still_present": "#c8312f",
    "handed_over": "#1b7a43",
    # the bar palette's middle lightness range is full: these two sit at its dark and light ends
    "partially_handed_over": "#003c2d",
    "troops_redeployed": "#ffdf9f",
    "fully_withdrawn": "#1b1b1b",
}
STATE_MARKERS = {"handed_over": "v", "fully_withdrawn": "X", "combat_withdrawn": "d"}
WEAPON_MARKERS = {"rockets": "o", "ballistic_missiles": "^", "rockets_and_drones": "D", "unknown": "P"}
PERPETRATOR_COLORS = {"state": "#b2182b", "militia": "#e08214", "unknown": "#7f7f7f"}
EVENT_KIND_COLORS = {"single": "#1f5a96", "series": "#9ec3e6"}
#: One style for every claim box: which claim of a dispute is listed first carries no meaning,
#: so the boxes must not suggest one (a red box read as "the wrong one").
CLAIM_COLORS = ("#3d4f63",)

#: Short display titles for milestones marked on the figures (presentation copy; other
#: milestones fall back to their kind's label from the descriptor).
MILESTONE_SHORT: dict[str, dict[str, str]] = {
    "M07": {"ar": "مقتل سليماني", "en": "Soleimani killed"},
    "M08": {"ar": "البرلمان يصوّت على إخراج القوات", "en": "Parliament votes forces out"},
    "M19": {"ar": "إعلان نهاية المهمة القتالية", "en": "End of combat mission announced"},
    "M25": {"ar": "الحكومة: الانسحاب من المنشآت الاتحادية", "en": "Govt: US left federal installations"},
}

#: Interface copy, per language.
TEXT: dict[str, dict[str, str]] = {
    "ar": {
        "no_data": "لا بيانات لعرضها في الجداول المعطاة",
        "troops_title": "أعداد القوات الأميركية والأجنبية في العراق",
        "troops_sub": "من ذروة {peak} جندي إلى {last} في {area} ({year})؛\nالنقاط أرصاد والخطوط المنقطة فترات غير مرصودة",
        "troops_y": "عدد الجنود",
        "peak": "الذروة: {count} جندي في سنة\nما بين {start} و{end} (مقياس آخر)",
        "approx": "عدد تقريبي («نحو»)",
        "about": "نحو {n}",
        "target_suffix": "{n} (هدف)",
        "conflict": "خلاف بين المصادر:\n{topic}",
        "bases_title": "تسليم القواعد وانسحاب القوات منها",
        "bases_sub": "قواعد سُلّمت أو انسحبت منها القوات: {n} — ما زالت القوات في: {names}",
        "undated": "{state} (التاريخ غير مذكور)",
        "no_events": "لا أحداث مؤرّخة في المصادر",
        "province_na": "المحافظة غير مذكورة",
        "uncertain_start": "رُصدت خلال الشهر أو السنة التي يذكرها المصدر",
        "open": "لا معلومات لاحقة",
        "unobserved": "بين رصدين: لا تذكر المصادر ما جرى",
        "gap": "سنوات لا تغطيها المصادر",
        "attacks_title": "الهجمات التي تذكرها المقالات على قواعد تستضيف قوات أميركية وقوات التحالف",
        "attacks_sub": "حجم العلامة بحسب عدد الإصابات؛ الخطوط المظللة سلاسل هجمات",
        "undated_series": "مرات عدة حتى {date}\n(التواريخ غير مذكورة)",
        "undated_legend": "هجمات متكررة بلا تواريخ،\nحتى آخر موعد ممكن",
        "killed": "قتلى: {n}",
        "injured": "جرحى: {n}",
        "approx_suffix": " تقريباً",
        "weapon": "السلاح",
        "perpetrator": "المنفّذ",
        "per_year_title": "الوقائع التي تذكرها المقالات في كل سنة (ليست إحصاءً للهجمات)",
        "per_year_y": "وقائع مذكورة",
        "undated_bar": "غير مؤرّخة",
        "casualties_k": "قتلى {n}",
        "casualties_i": "جرحى {n}",
        "sources_title": "ما تؤكده المصادر وما تختلف فيه",
        "sources_sub": "وقائع وثّقها أكثر من مصدر، ونقاط الخلاف بين المصادر بقيمة كل مصدر",
        "agree": "وقائع يؤكدها أكثر من مصدر",
        "disagree": "نقاط خلاف بين المصادر",
        "primary": "المصدر الأساسي للواقعة",
        "further": "مصدر إضافي يؤكدها",
        "claim": "قيمة يذكرها المصدر في نقطة خلاف",
        "outlet_unknown": _sourceline.UNKNOWN_OUTLET["ar"],
        "inferred_mark": "*",
        "inferred_note": "* الناشر أو تاريخ النشر مستنتج من نص المقال",
        "attack_on": "هجوم على {target}",
        "series_on": "هجمات على {target}",
    },
    "en": {
        "no_data": "No data to show in the tables given",
        "troops_title": "US and foreign troops in Iraq",
        "troops_sub": "From a peak of {peak} troops to {last} in {area} ({year});\ndots are observations, dotted lines unobserved",
        "troops_y": "Troops",
        "peak": "Peak: {count} troops\nin a year between\n{start} and {end} (own scale)",
        "peak_wide": "Peak: {count} troops in a year\nof {start}\u2013{end} (own scale)",
        "approx": "Approximate count ('about')",
        "about": "about {n}",
        "target_suffix": "{n} (target)",
        "conflict": "Sources disagree:\n{topic}",
        "bases_title": "Bases handed over and withdrawn from",
        "bases_sub": "Bases handed over or fully withdrawn from: {n} — forces still at: {names}",
        "undated": "{state} (date not stated)",
        "no_events": "No dated events in the sources",
        "province_na": "Province not stated",
        "uncertain_start": "Observed within the month or year the source gives",
        "open": "No later information",
        "unobserved": "Between observations: the sources do not say",
        "gap": "Years the sources do not cover",
        "attacks_title": "Attacks the articles mention on bases hosting US and coalition forces",
        "attacks_sub": "Marker size by casualties; shaded bars are series of attacks",
        "undated_series": "Several times up to {date}\n(dates not given)",
        "undated_legend": "Repeated attacks, no dates:\nup to the latest possible date",
        "killed": "killed: {n}",
        "injured": "injured: {n}",
        "approx_suffix": " (approx.)",
        "weapon": "Weapon",
        "perpetrator": "Perpetrator",
        "per_year_title": "Incidents the articles mention, per year (not a count of attacks)",
        "per_year_y": "Incidents mentioned",
        "undated_bar": "Undated",
        "casualties_k": "killed {n}",
        "casualties_i": "injured {n}",
        "sources_title": "What the sources confirm and where they disagree",
        "sources_sub": "Facts documented by more than one source, and each source's value where they disagree",
        "agree": "Facts confirmed by several sources",
        "disagree": "Where sources disagree",
        "primary": "Primary source of the fact",
        "further": "Further source confirming it",
        "claim": "Value a source gives on a disputed point",
        "outlet_unknown": _sourceline.UNKNOWN_OUTLET["en"],
        "inferred_mark": "*",
        "inferred_note": "* outlet or publication date inferred from the article's text",
        "attack_on": "Attack on {target}",
        "series_on": "Attacks on {target}",
    },
}
UNITS = {"km": {"ar": "كم", "en": "km"}, "bases": {"ar": "قاعدة", "en": "bases"}}
#: A troop level's area inside a sentence ("to 2,500 in Iraq as a whole"), where the descriptor's
#: label is a heading ("All Iraq"); areas not listed use their label.
AREA_IN_TEXT: dict[str, dict[str, str]] = {
    "en": {"iraq": "Iraq as a whole", "federal_iraq": "federal Iraq", "kurdistan": "the Kurdistan region"},
}
