--[[
briefing.lua: the briefing's two data shortcodes, read at filter time (after Quarto's
pre-render hook, report/_prepare.py, has written report/_generated/ from the data).

  {{< value troops.peak >}}   an inline value from _generated/<lang>/values.json
  {{< generated troops >}}    the blocks of _generated/<lang>/troops.md (a table, a list, ...)

where <lang> is the edition's, named by the document: briefing.ar.qmd, briefing.en.qmd.

Quarto's own `var` and `include` cannot carry the data: `include` is expanded before the
pre-render hook runs (quarto-cli#12491), so a fresh clone fails, and both expand shortcodes
inside the text they bring in, so a data string such as "{{< include /etc/passwd >}}" would
run.  Here the generated markdown is read with plain pandoc (no Quarto reader, so no
shortcode is recognised in it) with raw HTML/TeX/typst, math and smart punctuation off, and
whatever could still carry a shortcode for Quarto's later passes (code, raw, math, attribute
values) is turned into plain text; links survive only to anchors inside the page, spans only as
plain anchors.  Names are plain words: no path can leave _generated/.

The built-in engine (analysis.report) runs this same file through
src/analysis/templates/shortcodes.lua, so both engines show the same thing.
]]

local M = {}

-- pandoc markdown for data: tables, lists, emphasis and header attributes, nothing live
local READER = "markdown-smart-raw_html-raw_tex-raw_attribute-tex_math_dollars"
  .. "-tex_math_single_backslash-tex_math_double_backslash-native_spans"
  .. "-fenced_divs-native_divs-inline_code_attributes-link_attributes-citations-footnotes"
  .. "-inline_notes-implicit_figures-yaml_metadata_block-raw_attribute"

local function fail(msg)
  error("briefing shortcode: " .. msg, 0)
end

-- the document being rendered (Quarto, or plain pandoc's first input)
local function input_file()
  return (quarto and quarto.doc and quarto.doc.input_file)
    or (PANDOC_STATE and PANDOC_STATE.input_files and PANDOC_STATE.input_files[1])
    or ""
end

-- the folder of the document being rendered (Quarto, or plain pandoc's first input)
function M.base_dir()
  if M.base then
    return M.base
  end
  local input = input_file()
  return pandoc.path.directory(input ~= "" and input or ".")
end

-- the edition's language, from the document's name: briefing.<lang>.qmd (or .md, as the
-- built-in engine feeds it); each edition reads its own _generated/<lang>/
function M.lang()
  local lang = pandoc.path.filename(input_file()):match("%.(%l%l)%.q?md$")
  if not lang then
    fail("the document " .. input_file() .. " is not named briefing.<lang>.qmd")
  end
  return lang
end

local function read_generated(file)
  local rel = M.lang() .. "/" .. file
  local path = pandoc.path.join({ M.base_dir(), "_generated", M.lang(), file })
  local fh = io.open(path, "rb")
  if not fh then
    fail("_generated/" .. rel .. " not found: the pre-render hook (_prepare.py) writes it; "
      .. "run `python -m analysis.report generate` or check QUARTO_PYTHON")
  end
  local text = fh:read("a")
  fh:close()
  return text
end

local function check_name(kind, name, pattern)
  if type(name) ~= "string" or not name:match(pattern) then
    fail(kind .. " name " .. tostring(name) .. " is not a plain name (letters, digits, _ and .)")
  end
  return name
end

-- text of a node as a plain Str (what a Code/Math/raw node would have shown)
local function as_text(s)
  return pandoc.Str(s)
end

-- nothing in data-derived blocks may be live for Quarto's later passes
local DEFUSE = {
  Code = function(el) return as_text(el.text) end,
  Math = function(el) return as_text(el.text) end,
  RawInline = function(el) return as_text(el.text) end,
  RawBlock = function(el) return pandoc.Para({ as_text(el.text) }) end,
  CodeBlock = function(el) return pandoc.Para({ as_text(el.text) }) end,
  Image = function(el) return el.caption end,
  -- links only to anchors inside the briefing (a source's row, a conflict's heading), with
  -- no attributes; data text cannot write one (md_escape escapes its brackets)
  Link = function(el)
    if el.target:match("^#[%w_%-]+$") then
      return pandoc.Link(el.content, el.target)
    end
    return el.content
  end,
  -- a span keeps only a plain, non-empty anchor (typst needs text to attach a label to)
  Span = function(el)
    if el.identifier:match("^[%w_%-]+$") and #el.content > 0 then
      return pandoc.Span(el.content, pandoc.Attr(el.identifier))
    end
    return el.content
  end,
  Header = function(el)
    el.attributes = {}
    return el
  end,
  Table = function(el)
    el.attributes = {}
    return el
  end,
}

function M.read_markdown(text)
  return pandoc.read(text, READER).blocks:walk(DEFUSE)
end

local values_cache = nil
local parsed_cache = nil

-- every value of values.json parsed at once: one pandoc.read of them all, each its own
-- paragraph, costs what one read of one value does (a read with this READER costs ~3 ms, and
-- an edition has a hundred values).  Used only where the result is the same as reading each
-- alone: one Para per value; anything else (a value that reads as a list, a heading, a link
-- definition, several paragraphs) is read by itself.
local function parse_all(values)
  local keys, texts = {}, {}
  local function walk(node, prefix)
    for k, v in pairs(node) do
      local key = prefix .. k
      if type(v) == "table" then
        walk(v, key .. ".")
      else
        local text = tostring(v)
        if text:match("%S") and not text:find("\n%s*\n") then
          keys[#keys + 1], texts[#texts + 1] = key, text
        end
      end
    end
  end
  walk(values, "")
  local parsed = {}
  local blocks = pandoc.read(table.concat(texts, "\n\n"), READER).blocks
  if #blocks ~= #texts then
    return parsed
  end
  for i, b in ipairs(blocks) do
    if b.t ~= "Para" then
      return {}
    end
    parsed[keys[i]] = b
  end
  return parsed
end

function M.value(key)
  check_name("value", key, "^[%w_]+[%w_%.]*$")
  if values_cache == nil then
    values_cache = pandoc.json.decode(read_generated("values.json"), false)
  end
  local node = values_cache
  for part in key:gmatch("[^.]+") do
    if type(node) ~= "table" or node[part] == nil then
      fail("value " .. key .. " is not defined in _generated/" .. M.lang() .. "/values.json")
    end
    node = node[part]
  end
  if type(node) == "table" then
    fail("value " .. key .. " is a group, not a value")
  end
  if not tostring(node):match("%S") then
    return pandoc.Inlines({})
  end
  if parsed_cache == nil then
    parsed_cache = parse_all(values_cache)
  end
  local para = parsed_cache[key]
  local blocks = para and pandoc.Blocks({ para:clone() }) or pandoc.read(tostring(node), READER).blocks
  return pandoc.utils.blocks_to_inlines(blocks:walk(DEFUSE))
end

function M.generated(name)
  check_name("generated", name, "^[%w_]+$")
  return M.read_markdown(read_generated(name .. ".md"))
end

local function first_arg(args, kind)
  if #args ~= 1 then
    fail(kind .. " takes one name")
  end
  return pandoc.utils.stringify(args[1])
end

-- Quarto's shortcode table; the built-in engine uses M through `require`-like loading
return {
  value = function(args) return M.value(first_arg(args, "value")) end,
  generated = function(args) return M.generated(first_arg(args, "generated")) end,
  _module = M,
}
