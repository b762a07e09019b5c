--[[
crossref.lua: the part of Quarto's cross-referencing that the briefing (briefing.<lang>.qmd)
uses, for the built-in engine (plain pandoc), in every output format and either edition.

* Figures `![cap](path){#fig-x fig-alt="..."}` and tables with a caption `: cap {#tbl-x}`,
  or in Quarto's div form (`::: {#tbl-x}`, the table then its caption as the last paragraph),
  are numbered in document order; the caption gets "<title> N<delim> " in front.
* `@fig-x` / `@tbl-x` (parsed by pandoc as citations) become links "<prefix> N".
* `fig-alt` becomes the image's alt text (in typst: `image(..., alt: ...)`).
* Level-2 headings (the briefing's sections) are numbered unless `.unnumbered`.
* For HTML, tables are wrapped in `<div class="table-wrap">` so a wide table scrolls
  inside its box instead of widening the page.

Titles and prefixes come from the `crossref` metadata (Quarto's keys: fig-title, tbl-title,
fig-prefix, tbl-prefix, title-delim), set in each document's front matter, so one place per
edition holds them; the separator between several references follows the document's `lang`
("، " in Arabic, ", " otherwise).  In a right-to-left document (`dir`, else an Arabic `lang`)
numbers are wrapped in Unicode isolates (LRI ... PDI) so the text cannot reorder them.
]]

local LRI, PDI = "\u{2066}", "\u{2069}"
local NBSP = "\u{00A0}"

local function meta_str(meta, key, default)
  local cr = meta.crossref
  if cr and cr[key] ~= nil then
    return pandoc.utils.stringify(cr[key])
  end
  return default
end

-- a number, isolated (LRI ... PDI) in a right-to-left document only: left-to-right text
-- needs no guard around its digits
local isolate = true

local function number(n)
  return isolate and (LRI .. tostring(n) .. PDI) or tostring(n)
end

local function caption_prefix(title, n, delim)
  return { pandoc.Str(title .. NBSP .. number(n) .. delim), pandoc.Space() }
end

-- the separator between several references in one citation (`[@fig-a; @fig-b]`)
local SEPARATOR = { ar = "، " }

local function meta_lang(meta)
  local lang = meta.lang and pandoc.utils.stringify(meta.lang) or ""
  return lang:match("^(%a+)") or ""
end

local function right_to_left(meta)
  local dir = meta.dir and pandoc.utils.stringify(meta.dir) or ""
  if dir == "rtl" or dir == "ltr" then
    return dir == "rtl"
  end
  return meta_lang(meta) == "ar"
end

function Pandoc(doc)
  local meta = doc.meta
  local sep = SEPARATOR[meta_lang(meta)] or ", "
  isolate = right_to_left(meta)
  local kinds = {
    fig = { title = meta_str(meta, "fig-title", "Figure"), prefix = meta_str(meta, "fig-prefix", "Figure") },
    tbl = { title = meta_str(meta, "tbl-title", "Table"), prefix = meta_str(meta, "tbl-prefix", "Table") },
  }
  local delim = meta_str(meta, "title-delim", ":")
  local counters = { fig = 0, tbl = 0 }
  local numbers = {}
  local section = 0
  local is_html = FORMAT:match("html") ~= nil

  local function register(id)
    local kind = id:match("^(%a+)%-")
    if kind and kinds[kind] then
      if numbers[id] then
        error("crossref: duplicate label " .. id)
      end
      counters[kind] = counters[kind] + 1
      numbers[id] = { kind = kind, n = counters[kind] }
      return numbers[id]
    end
  end

  -- Quarto's div floats: `::: {#tbl-x}` holding one table and, last, its caption paragraph
  doc = doc:walk({
    Div = function(div)
      if not div.identifier:match("^tbl%-") then
        return nil
      end
      local tbl, caption, rest = nil, nil, pandoc.List()
      for i, b in ipairs(div.content) do
        if b.t == "Table" and tbl == nil then
          tbl = b
        elseif i == #div.content and (b.t == "Para" or b.t == "Plain") then
          caption = b
        else
          rest:insert(b)
        end
      end
      if tbl == nil or caption == nil or #rest > 0 then
        error("crossref: " .. div.identifier .. " must hold one table followed by its caption paragraph")
      end
      tbl.identifier = div.identifier
      tbl.caption.long = { pandoc.Plain(caption.content) }
      return tbl
    end,
  })

  -- pass 1: number figures, tables and sections, in document order
  doc = doc:walk({
    traverse = "topdown",
    Header = function(h)
      if h.level == 2 and not h.classes:includes("unnumbered") then
        section = section + 1
        local num = pandoc.Span({ pandoc.Str(number(section)) }, { class = "header-section-number" })
        h.content = pandoc.List({ num, pandoc.Space() }) .. h.content
        return h
      end
    end,
    Figure = function(fig)
      local entry = fig.identifier ~= "" and register(fig.identifier)
      fig = fig:walk({
        Image = function(img)
          local alt = img.attributes["fig-alt"]
          if alt then
            img.caption = { pandoc.Str(alt) }
            img.attributes["fig-alt"] = nil
            if FORMAT:match("typst") then
              -- pandoc's typst writer drops alt text; typst's image() takes it (as Quarto writes it)
              local function q(x) return '"' .. x:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"' end
              return pandoc.RawInline("typst", "#box(image(" .. q(img.src) .. ", alt: " .. q(alt) .. "))")
            end
          end
          return img
        end,
      })
      if entry then
        local long = fig.caption.long
        if #long > 0 and (long[1].t == "Plain" or long[1].t == "Para") then
          long[1].content = pandoc.List(caption_prefix(kinds.fig.title, entry.n, delim)) .. long[1].content
        end
        fig.caption.long = long
      end
      return fig
    end,
    Table = function(tbl)
      local entry = tbl.identifier ~= "" and register(tbl.identifier)
      if entry then
        local long = tbl.caption.long
        if #long > 0 then
          long[1].content = pandoc.List(caption_prefix(kinds.tbl.title, entry.n, delim)) .. long[1].content
          tbl.caption.long = long
        end
      end
      if is_html then
        -- a scrolling box is a labelled region reachable by keyboard (WCAG 2.1.1)
        -- (a list of pairs, not a table keyed by name: the attribute order must not vary)
        local name = pandoc.utils.stringify(tbl.caption.long)
        local kv = { { "tabindex", "0" }, { "role", "region" } }
        if name ~= "" then
          table.insert(kv, { "aria-label", name })
        end
        return pandoc.Div({ tbl }, pandoc.Attr("", { "table-wrap" }, kv)), false
      end
      return tbl, false
    end,
  })

  -- pass 2: references
  doc = doc:walk({
    Cite = function(cite)
      local out = pandoc.List()
      for i, c in ipairs(cite.citations) do
        local entry = numbers[c.id]
        if not entry then
          return nil -- not a cross-reference: leave it to pandoc
        end
        if i > 1 then
          out:insert(pandoc.Str(sep))
        end
        local text = kinds[entry.kind].prefix .. NBSP .. number(entry.n)
        out:insert(pandoc.Link({ pandoc.Str(text) }, "#" .. c.id, "", { class = "quarto-xref" }))
      end
      return out
    end,
  })
  return doc
end
