--[[
cards.lua: HTML layout the markdown cannot say, for both engines, on the final tables and
figures (Quarto runs it at post-render, after its own float filters; the built-in engine
after crossref.lua).

* Every body cell carries its column's header (`data-label`), so that on a phone the
  stylesheet shows each row as a card of label-value lines, the source line included.
* Every figure gets a link that opens it at full size (CSS :target, no script) and a link
  that closes it, worded in the document's language (`lang`: Arabic or English).
* A figure with a phone variant (NAME-narrow.svg) shows that one below 48rem.
]]

-- HTML: every body cell carries its column's header (data-label), so that on a phone the
-- stylesheet can show each row as a card of label-value lines, the source line included
local function label_cells(tbl)
  local heads = {}
  if tbl.head and tbl.head.rows and #tbl.head.rows > 0 then
    for i, cell in ipairs(tbl.head.rows[#tbl.head.rows].cells) do
      heads[i] = pandoc.utils.stringify(cell.contents)
    end
  end
  if #heads == 0 then
    return nil
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for i, cell in ipairs(row.cells) do
        if heads[i] and heads[i] ~= "" then
          cell.attributes["data-label"] = heads[i]
          -- one box for the value: the card's grid then holds the label and the value, not
          -- each run of text and each link of a cell ("source — dispute C3") apart
          cell.contents = { pandoc.Div(cell.contents, pandoc.Attr("", { "cell-value" })) }
        end
      end
    end
  end
  tbl.classes:insert("cards")
  return tbl
end

-- HTML: a figure opens at full size (its image, unscaled, over the page) through a plain
-- link to an anchor around it (CSS :target, no script), and closes with a link back
-- the links' words, per edition (the document's `lang`; English for any other language)
local WORDS = {
  ar = { open = "افتح الشكل بحجمه الكامل", close = "إغلاق" },
  en = { open = "Open the figure at full size", close = "Close" },
}
local words = WORDS.en

-- the document's language: its `lang` metadata, else the edition in the input's file name
-- (briefing.<lang>.qmd), else English
local function set_words(meta)
  local lang = meta.lang and pandoc.utils.stringify(meta.lang) or ""
  if lang == "" then
    for _, f in ipairs(PANDOC_STATE.input_files or {}) do
      lang = pandoc.path.filename(f):match("^briefing%.(%a+)%.") or lang
    end
  end
  words = WORDS[lang:match("^(%a+)") or ""] or WORDS.en
end

local function zoomable(fig)
  local id = fig.identifier
  if id == "" then
    return nil
  end
  local zoom = "zoom-" .. id
  local open = pandoc.Link({ pandoc.Str(words.open) }, "#" .. zoom, "", { class = "zoom-open" })
  local close = pandoc.Link({ pandoc.Str(words.close) }, "#" .. id, "", { class = "zoom-close" })
  return pandoc.Div({ pandoc.Plain({ close }), fig, pandoc.Plain({ open }) }, pandoc.Attr(zoom, { "zoomable" }))
end

-- HTML: a figure with a phone variant (NAME-narrow.svg beside NAME.svg: analysis.registry)
-- shows that variant below 48rem, where the wide one's 8 pt text would be drawn under 9 px;
-- the stylesheet shows one of the two (both carry the alt text; the hidden one is not read)
local function exists(path)
  local fh = io.open(path, "rb")
  if fh then
    fh:close()
    return true
  end
  return false
end

local function with_narrow(img)
  if img.classes:includes("fig-wide") or img.classes:includes("fig-narrow") then
    return nil
  end
  local narrow, n = img.src:gsub("%.svg$", "-narrow.svg")
  if n ~= 1 or not exists(narrow) then
    return nil
  end
  local small = img:clone()
  small.src = narrow
  small.identifier = ""
  small.classes:insert("fig-narrow")
  img.classes:insert("fig-wide")
  return { img, small }
end

if not FORMAT:match("html") then
  return {}
end

return {
  { Meta = set_words },
  { Table = label_cells, Image = with_narrow },
  { Figure = zoomable, Div = function(div)
      -- Quarto renders a figure float as a div with the figure's id
      if div.identifier:match("^fig%-") and not div.classes:includes("zoomable") then
        return zoomable(div)
      end
    end },
}
