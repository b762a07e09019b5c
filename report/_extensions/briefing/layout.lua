--[[
layout.lua: layout the markdown cannot say, for both engines.

* HTML: see cards.lua (run after Quarto's own filters).
* typst: the summary in a larger type; "..." and "-?" in text stay as written (not typst's
  ellipsis and soft hyphen shorthands).

* A block in the other direction from the document's (in the Arabic edition a div with
  `dir="ltr"` or a non-Arabic `lang`; in the English edition one with `dir="rtl"` or an Arabic
  `lang`) keeps its own direction and alignment.
* Arabic-Indic digits (ANALYSIS_DIGITS) are for the Arabic edition only.
* The contents list goes after the title block's facts (the `.title-meta` div), as
  `#briefing-toc(...)` from _typst/briefing.typ.  Both engines run it:
Quarto as this extension's filter (`filters: [briefing]` in _quarto.yml), the built-in engine
with --lua-filter.  The list holds the headings down to `toc-depth` (2: the `##` sections).
Quarto writes `##` at typst level 1 (it shifts headings up when there is no `#`): its format
sets `briefing-heading-shift: -1`, so both engines list the same headings.
]]

local function stringify(x)
  return x and pandoc.utils.stringify(x) or nil
end

-- typst: the summary opens the page in a larger type, ruled off from what follows
local function summary_typst(div)
  if div.classes:includes("summary") then
    local out = pandoc.List({ pandoc.RawBlock("typst",
      "#block(width: 100%, inset: (bottom: 8pt), stroke: (bottom: 0.6pt + luma(70%)))[#set text(size: 11.5pt)") })
    out:extend(div.content)
    out:insert(pandoc.RawBlock("typst", "]"))
    return out
  end
end

-- ANALYSIS_DIGITS=arabic-indic: the numbers written after the data (the built-in engine's
-- section, figure and table numbers) in Arabic-Indic digits too, as analysis.text_ar does it:
-- digits inside a Latin token (ids such as s002, names such as F-16) stay
local INDIC = { ["0"] = "٠", ["1"] = "١", ["2"] = "٢", ["3"] = "٣", ["4"] = "٤",
  ["5"] = "٥", ["6"] = "٦", ["7"] = "٧", ["8"] = "٨", ["9"] = "٩" }
local function indic(s)
  return (s:gsub("[%w%-_%.,]+", function(tok)
    if tok:match("%a") then
      return tok
    end
    tok = tok:gsub("(%d),(%d)", "%1٬%2"):gsub("(%d)%.(%d)", "%1٫%2")
    return (tok:gsub("%d", INDIC))
  end))
end

local function digits_mode()
  local mode = os.getenv("ANALYSIS_DIGITS") or ""
  mode = mode:lower():gsub("%s", "")
  return mode == "arabic-indic" and mode or "latin"
end

-- typst: text reaches the PDF as written.  pandoc's typst writer escapes typst's markup but
-- leaves two of its shorthands, "..." (an ellipsis) and "-?" (an invisible soft hyphen), so
-- those are written as typst string literals, which typst shows character for character
local SHORTHANDS = { "%.%.%.", "%-%?" }

local function first_shorthand(text, from)
  local best, best_end
  for _, pat in ipairs(SHORTHANDS) do
    local a, b = text:find(pat, from)
    if a and (not best or a < best) then
      best, best_end = a, b
    end
  end
  return best, best_end
end

-- typst: a long unbroken token (a URL, a transliteration) may break every few characters, so
-- that it wraps in its table cell instead of running off the page (the HTML wraps it itself)
local LONG, STEP, ZWSP = 30, 12, "\u{200B}"

local function breakable(text)
  if utf8.len(text) == nil or utf8.len(text) <= LONG then
    return text
  end
  local out, n = {}, 0
  for _, c in utf8.codes(text) do
    n = n + 1
    out[#out + 1] = utf8.char(c)
    if n % STEP == 0 then
      out[#out + 1] = ZWSP
    end
  end
  return table.concat(out)
end

function Str(el)
  if not FORMAT:match("typst") then
    return nil
  end
  if utf8.len(el.text) and utf8.len(el.text) > LONG then
    el = pandoc.Str(breakable(el.text))
  end
  if not first_shorthand(el.text, 1) then
    return el
  end
  local out, pos = pandoc.List(), 1
  while true do
    local a, b = first_shorthand(el.text, pos)
    if not a then
      break
    end
    if a > pos then
      out:insert(pandoc.Str(el.text:sub(pos, a - 1)))
    end
    out:insert(pandoc.RawInline("typst", '#"' .. el.text:sub(a, b) .. '"'))
    pos = b + 1
  end
  if pos <= #el.text then
    out:insert(pandoc.Str(el.text:sub(pos)))
  end
  return out
end

-- right to left: a `dir`, else an Arabic `lang` (the document's, or a block's)
local function is_rtl(dir, lang)
  if dir == "rtl" or dir == "ltr" then
    return dir == "rtl"
  end
  return lang ~= nil and lang:match("^ar") ~= nil
end

-- typst: a block in the other direction, with its own direction, language and alignment
local function other_direction(doc_rtl)
  return function(div)
    local lang, dir = div.attributes["lang"], div.attributes["dir"]
    if not lang and not dir then
      return nil
    end
    local rtl = is_rtl(dir, lang)
    if rtl == doc_rtl then
      return nil
    end
    local set = '#block(width: 100%)[#set text(dir: ' .. (rtl and "rtl" or "ltr")
      .. (lang and (', lang: "' .. lang:gsub('[^%w%-]', '') .. '"') or "")
      .. ')\n#set align(' .. (rtl and "right" or "left") .. ')\n#set par(justify: false)'
    local out = pandoc.List({ pandoc.RawBlock("typst", set) })
    out:extend(div.content)
    out:insert(pandoc.RawBlock("typst", "]"))
    return out
  end
end

function Pandoc(doc)
  local doc_lang = stringify(doc.meta.lang) or ""
  local doc_rtl = is_rtl(stringify(doc.meta.dir), doc_lang)
  local arabic = digits_mode() == "arabic-indic" and doc_lang:match("^ar") ~= nil
  if arabic then
    -- the body only: the metadata (toc-depth, ...) are settings, not text
    doc.blocks = doc.blocks:walk({ Str = function(el) return pandoc.Str(indic(el.text)) end })
  end
  if not FORMAT:match("typst") then
    return arabic and doc or nil
  end
  doc = doc:walk({ Div = summary_typst })
  if arabic then
    doc.blocks:insert(1, pandoc.RawBlock("typst", '#briefing-digits.update("arabic-indic")'))
  end
  doc = doc:walk({ Div = other_direction(doc_rtl) })
  -- `toc` reaches a filter as metadata (plain pandoc with _quarto.yml's keys) or, under
  -- Quarto, as pandoc's own --toc option
  local meta = doc.meta
  local opts = PANDOC_WRITER_OPTIONS or {}
  if stringify(meta.toc) ~= "true" and not opts.table_of_contents then
    return doc
  end
  local depth = tonumber(stringify(meta["toc-depth"]) or "") or opts.toc_depth or 2
  local shift = tonumber(stringify(meta["briefing-heading-shift"]) or "0") or 0
  local typst_depth = depth + shift
  local title = stringify(meta["toc-title"]) or "Contents"
  local raw = pandoc.RawBlock("typst", '#briefing-toc(title: [' .. title .. '], depth: '
    .. tostring(typst_depth) .. ')')
  local blocks, placed = pandoc.List(), false
  for _, b in ipairs(doc.blocks) do
    blocks:insert(b)
    if not placed and b.t == "Div" and b.classes:includes("title-meta") then
      blocks:insert(raw)
      placed = true
    end
  end
  if not placed then
    blocks:insert(1, raw)
  end
  doc.blocks = blocks
  return doc
end
