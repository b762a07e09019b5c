--[[
alt.lua: a figure's alt text from the data, for both engines.

`![caption](fig.svg){#fig-x alt-value="alt.x"}` gets `fig-alt` set to the plain text of the
value `alt.x` in _generated/values.json (written by analysis.report from the data, so the alt
text states the figure's key numbers and changes with them).  A shortcode cannot sit inside
an attribute (its placeholder broke the image's attributes), hence this filter.  Quarto runs
it as this extension's filter, before its own figure filters turn fig-alt into the HTML alt
and the typst `image(alt: ...)`; the built-in engine runs it before crossref.lua.
]]

local here = pandoc.path.directory(PANDOC_SCRIPT_FILE)
local M = dofile(pandoc.path.join({ here, "briefing.lua" }))._module

local function fill(el)
  local key = el.attributes and el.attributes["alt-value"]
  if key then
    el.attributes["alt-value"] = nil
    -- plain text: the isolates that keep data runs apart on the page mean nothing in an attribute
    local text = pandoc.utils.stringify(M.value(key))
    for _, mark in ipairs({ "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}" }) do
      text = text:gsub(mark, "")
    end
    el.attributes["fig-alt"] = text
    return el
  end
end

return {
  { Image = fill, Figure = fill, Div = fill },
}
