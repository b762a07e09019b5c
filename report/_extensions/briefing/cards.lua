--[[
cards.lua: HTML layout the markdown cannot say, for both engines, on the final tables and
figures (Quarto runs it at post-render, after its own float filters; the built-in engine
after crossref.lua).

* Every body cell carries its column's header (`data-label`), so that on a phone the
  stylesheet shows each row as a card of label-value lines, the source line included.
* Every figure gets a link that opens it at full size (CSS :target, no script) and a link
  that closes it.
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
        end
      end
    end
  end
  tbl.classes:insert("cards")
  return tbl
end

-- HTML: a figure opens at full size (its image, unscaled, over the page) through a plain
-- link to an anchor around it (CSS :target, no script), and closes with a link back
local function zoomable(fig)
  local id = fig.identifier
  if id == "" then
    return nil
  end
  local zoom = "zoom-" .. id
  local open = pandoc.Link({ pandoc.Str("افتح الشكل بحجمه الكامل") }, "#" .. zoom, "", { class = "zoom-open" })
  local close = pandoc.Link({ pandoc.Str("إغلاق") }, "#" .. id, "", { class = "zoom-close" })
  return pandoc.Div({ pandoc.Plain({ close }), fig, pandoc.Plain({ open }) }, pandoc.Attr(zoom, { "zoomable" }))
end


if not FORMAT:match("html") then
  return {}
end

return {
  { Table = label_cells },
  { Figure = zoomable, Div = function(div)
      -- Quarto renders a figure float as a div with the figure's id
      if div.identifier:match("^fig%-") and not div.classes:includes("zoomable") then
        return zoomable(div)
      end
    end },
}
