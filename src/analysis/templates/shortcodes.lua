--[[
shortcodes.lua: the built-in engine's side of the briefing's shortcodes.

analysis.report.expand_shortcodes turns `{{< value k >}}` and `{{< generated n >}}` into
placeholder spans `[]{.briefing-shortcode sc="value" arg="k"}`; this filter fills them by
running the project's own Quarto extension (_extensions/briefing/briefing.lua, found in the
folder pandoc runs in), the same code Quarto runs.  A placeholder alone in its paragraph is a
block shortcode (its blocks replace the paragraph), as in Quarto.
]]

local ext = dofile(pandoc.path.join({ pandoc.system.get_working_directory(),
  "_extensions", "briefing", "briefing.lua" }))
local M = ext._module
M.base = pandoc.system.get_working_directory()

local function placeholder(el)
  if el and el.t == "Span" and el.classes:includes("briefing-shortcode") then
    return el.attributes["sc"], el.attributes["arg"]
  end
end

local function call(sc, arg)
  if sc == "value" then
    return M.value(arg)
  elseif sc == "generated" then
    return M.generated(arg)
  end
  error("briefing shortcode: unknown shortcode " .. tostring(sc), 0)
end

local function block(el)
  if #el.content == 1 then
    local sc, arg = placeholder(el.content[1])
    if sc then
      local result = call(sc, arg)
      if pandoc.utils.type(result) == "Inlines" then
        return pandoc.Para(result)
      end
      return result
    end
  end
end

return {
  { Para = block, Plain = block },
  {
    Span = function(el)
      local sc, arg = placeholder(el)
      if sc then
        local result = call(sc, arg)
        if pandoc.utils.type(result) == "Blocks" then
          return pandoc.utils.blocks_to_inlines(result, { pandoc.Space() })
        end
        return result
      end
    end,
  },
}
