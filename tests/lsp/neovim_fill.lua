-- Headless Neovim (0.7+): open CODEX_NVIM_FILE, attach the built-in LSP client to `codex lsp`,
-- resolve the "fill in NAME" code action on line CODEX_NVIM_LINE, apply its edit as Neovim
-- does, write the buffer and quit. Any failure quits with exit code 1 and says why on stderr.
local function run()
  local path = os.getenv("CODEX_NVIM_FILE")
  local line = tonumber(os.getenv("CODEX_NVIM_LINE"))
  local name = os.getenv("CODEX_NVIM_NAME")
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local id = vim.lsp.start_client({
    name = "codex",
    cmd = { os.getenv("CODEX_NVIM_PYTHON"), "-m", "codexcli", "lsp" },
    root_dir = vim.fn.fnamemodify(path, ":h"),
    init_options = vim.fn.json_decode(os.getenv("CODEX_NVIM_OPTIONS") or "{}"),
  })
  assert(id, "the client did not start")
  vim.lsp.buf_attach_client(0, id)
  local client
  assert(vim.wait(30000, function()
    client = vim.lsp.get_client_by_id(id)
    return client ~= nil and client.initialized
  end, 50), "codex lsp did not initialize")
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(0) },
    range = { start = { line = line, character = 0 }, ["end"] = { line = line, character = 0 } },
    context = { diagnostics = {} },
  }
  local listed = client.request_sync("textDocument/codeAction", params, 10000, 0)
  assert(listed and listed.result, "no code actions: " .. vim.inspect(listed))
  local action
  for _, a in ipairs(listed.result) do
    if a.title == "codex: fill in " .. name then action = a end
  end
  assert(action, "no fill action among " .. vim.inspect(listed.result))
  local resolved = client.request_sync("codeAction/resolve", action, 600000, 0)
  assert(resolved and resolved.result and resolved.result.edit, "no edit: " .. vim.inspect(resolved))
  vim.lsp.util.apply_workspace_edit(resolved.result.edit, "utf-16")
  vim.cmd("write")
  client.stop()
end

local ok, err = pcall(run)
if not ok then
  io.stderr:write("neovim_fill.lua: " .. tostring(err) .. "\n")
  vim.cmd("cquit 1")
end
vim.cmd("qall!")
