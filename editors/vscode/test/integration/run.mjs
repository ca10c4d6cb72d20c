#!/usr/bin/env node
// Integration test in a real VS Code (code-server) driven by headless Chromium.
//
// 1. installs code-server (npm, pinned; Node 20 build) into .vscode-test/ if needed,
// 2. installs the packaged extension (.vsix) into a fresh extensions dir,
// 3. opens a copy of test/fixture (pyproject.toml module-name = "wrong_name",
//    #[pymodule] fn my_ext) in code-server,
// 4. opens pyproject.toml and the Problems panel and waits for "N001" from
//    pyo3-ls (screenshot: test/artifacts/problems.png), hovers `module-name`
//    and checks the hover names PyInit_wrong_name (expected) and PyInit_my_ext
//    (exported) (screenshot: test/artifacts/hover.png), then sets
//    "pyo3-ls.ignore": ["N001"] in the workspace settings and waits for it to go,
// 5. opens the fixture untrusted (Restricted Mode) with a workspace
//    pyo3-ls.server.path pointing at a script in the workspace: the script must
//    not run and the bundled server must still report N001,
// 6. control: the same workspace, trusted, does run that script.
// Prints "integration: N passed, M failed"; exits non-zero on any failure.
//
// Usage: node test/integration/run.mjs [path/to.vsix]
// Env:   PYO3_LS_SERVER_PATH  use this server (user setting pyo3-ls.server.path)
//                             instead of the binary bundled in the .vsix
//        CODE_SERVER          path of an existing code-server executable
//        CHROMIUM             browser executable (default /usr/bin/chromium)
//        TIMEOUT_MS           how long to wait for the diagnostic (default 120000)
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const extRoot = path.resolve(here, "../..");
const artifacts = path.join(extRoot, "test/artifacts");
const CODE_SERVER_VERSION = "4.100.3"; // the last line of releases built for Node 20
const RIPGREP_PKG_VERSION = "1.15.11"; // @vscode/ripgrep pinned by that code-server
const RIPGREP_ASSET = "ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz";
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 120000);

fs.mkdirSync(artifacts, { recursive: true });
const started = Date.now();
const log = (...a) => console.log(`[integration +${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a);

function run(cmd, args, opts = {}) {
  log("$", cmd, args.join(" "));
  const r = spawnSync(cmd, args, { stdio: "inherit", ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
}

/**
 * code-server's npm package builds native modules (needs build-essential,
 * pkg-config, libkrb5-dev, libx11-dev, libxkbfile-dev, libsecret-1-dev) and
 * its @vscode/ripgrep dependency downloads rg from GitHub, which is not
 * reachable here: pre-seed ripgrep's download cache with Debian's rg instead.
 */
function ensureCodeServer() {
  if (process.env.CODE_SERVER) return process.env.CODE_SERVER;
  const prefix = path.join(extRoot, ".vscode-test/code-server");
  const bin = path.join(prefix, "node_modules/.bin/code-server");
  const stamp = path.join(prefix, `installed-${CODE_SERVER_VERSION}`);
  if (fs.existsSync(bin) && fs.existsSync(stamp)) return bin;

  if (process.platform === "linux" && process.arch === "x64") {
    const rg = spawnSync("sh", ["-c", "command -v rg"], { encoding: "utf8" }).stdout.trim();
    if (!rg) throw new Error("ripgrep (rg) not found: apt-get install ripgrep");
    const cache = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
    const asset = path.join(cache, RIPGREP_ASSET);
    if (!fs.existsSync(asset)) {
      const stage = fs.mkdtempSync(path.join(os.tmpdir(), "rg-"));
      fs.copyFileSync(rg, path.join(stage, "rg"));
      fs.chmodSync(path.join(stage, "rg"), 0o755);
      fs.mkdirSync(cache, { recursive: true });
      run("tar", ["czf", asset, "-C", stage, "rg"]);
    }
  }
  fs.mkdirSync(prefix, { recursive: true });
  if (!fs.existsSync(path.join(prefix, "package.json"))) {
    fs.writeFileSync(path.join(prefix, "package.json"), '{ "name": "cs", "private": true }\n');
  }
  run("npm", ["install", "--no-audit", "--no-fund", `code-server@${CODE_SERVER_VERSION}`], {
    cwd: prefix,
    // unsafe_perm: its postinstall refuses to run as root without it;
    // yes: node-pty's postinstall runs `npx node-gyp`, which must not prompt.
    env: { ...process.env, npm_config_unsafe_perm: "true", npm_config_yes: "true" },
  });
  fs.writeFileSync(stamp, "");
  return bin;
}

function findVsix() {
  if (process.argv[2]) return path.resolve(process.argv[2]);
  const vsix = fs
    .readdirSync(extRoot)
    .filter((f) => f.endsWith(".vsix"))
    .map((f) => path.join(extRoot, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (vsix.length === 0) throw new Error("no .vsix found: run `npx vsce package` first");
  return vsix[0];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, ms, proc) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`code-server exited with ${proc.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${url}`);
}

const baseSettings = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.colorTheme": "Default Dark Modern",
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "window.zoomLevel": 0,
  "pyo3-ls.trace.server": "messages",
};

/**
 * Start code-server on a fresh copy of the fixture with the extension
 * installed, open it in Chromium, run `body(ctx)`, and clean up.
 */
async function withCodeServer({ name, codeServer, vsix, trusted, workspaceSettings, prepare }, body) {
  const { chromium } = await import("playwright-core");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `pyo3-ls-it-${name}-`));
  const userData = path.join(tmp, "user-data");
  const extensions = path.join(tmp, "extensions");
  const workspace = path.join(tmp, "my-ext");
  fs.cpSync(path.join(extRoot, "test/fixture"), workspace, { recursive: true });
  if (prepare) prepare(workspace);
  if (workspaceSettings) {
    fs.mkdirSync(path.join(workspace, ".vscode"), { recursive: true });
    fs.writeFileSync(path.join(workspace, ".vscode/settings.json"), JSON.stringify(workspaceSettings, null, 2));
  }

  const settings = {
    ...baseSettings,
    // Untrusted: trust is enabled and the folder opens in Restricted Mode
    // without the startup prompt.
    "security.workspace.trust.enabled": !trusted,
    "security.workspace.trust.startupPrompt": "never",
    "security.workspace.trust.banner": "never",
  };
  if (process.env.PYO3_LS_SERVER_PATH) settings["pyo3-ls.server.path"] = path.resolve(process.env.PYO3_LS_SERVER_PATH);
  fs.mkdirSync(path.join(userData, "User"), { recursive: true });
  fs.writeFileSync(path.join(userData, "User/settings.json"), JSON.stringify(settings, null, 2));

  const common = ["--user-data-dir", userData, "--extensions-dir", extensions];
  run(codeServer, [...common, "--install-extension", vsix]);

  const port = await freePort();
  const csLog = fs.openSync(path.join(artifacts, `code-server-${name}.log`), "w");
  const cs = spawn(
    codeServer,
    [
      ...common,
      "--auth", "none",
      "--bind-addr", `127.0.0.1:${port}`,
      "--disable-telemetry",
      "--disable-update-check",
      ...(trusted ? ["--disable-workspace-trust"] : []),
      "--disable-getting-started-override",
      workspace,
    ],
    { stdio: ["ignore", csLog, csLog], detached: true },
  );
  const killCs = () => {
    try {
      process.kill(-cs.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.on("exit", killCs);

  let browser;
  let page;
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/healthz`, 60000, cs);
    log(`[${name}] code-server up on`, base);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on("pageerror", (e) => log("page error:", e.message));
    await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
    await page.waitForSelector(".explorer-folders-view, .explorer-viewlet", { timeout: 60000 }).catch(() => {});
    log(`[${name}] workbench loaded`);
    return await body({ page, workspace, userData });
  } finally {
    if (page) {
      await page
        .screenshot({ path: path.join(artifacts, `last-${name}.png`) })
        .catch((e) => log("screenshot failed:", e.message));
    }
    if (browser) await browser.close().catch(() => {});
    killCs();
    copyOutputLogs(userData, name);
  }
}

async function command(page, text) {
  const input = page.locator(".quick-input-widget input");
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.keyboard.press("F1");
    await input.waitFor({ state: "visible", timeout: 15000 });
    await input.fill(`>${text}`);
    await page
      .locator(".quick-input-list .monaco-list-row", { hasText: text })
      .first()
      .waitFor({ timeout: 15000 })
      .catch(() => {});
    await page.waitForTimeout(300);
    await input.press("Enter");
    try {
      await input.waitFor({ state: "hidden", timeout: 5000 });
      return;
    } catch {
      log(`command "${text}": palette still open (attempt ${attempt})`);
      await page.keyboard.press("Escape");
    }
  }
  throw new Error(`could not run command "${text}"`);
}

// Open a file by clicking it in the Explorer (no dependency on the file
// search, which is slow on a loaded machine); quick open as a fallback.
async function openFile(page, file) {
  const row = page.locator(".explorer-folders-view .monaco-list-row", { hasText: file }).first();
  try {
    await row.waitFor({ timeout: 30000 });
    await row.dblclick();
  } catch {
    log("explorer row not found, using quick open for", file);
    await page.keyboard.press("Control+P");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 15000 });
    await input.fill(file);
    await page.locator(".quick-input-list .monaco-list-row").first().waitFor({ timeout: 60000 });
    await input.press("Enter");
  }
  await page.locator(`.tabs-container .tab[aria-label*="${file}"]`).first().waitFor({ timeout: 30000 });
  log("opened", file);
}

async function problemsText(page) {
  return (await page.locator(".markers-panel").allInnerTexts().catch(() => [])).join("\n");
}

/** Poll the Problems panel until pred(text) or timeout; returns the last text. */
async function waitForProblems(page, pred, ms = TIMEOUT_MS) {
  const deadline = Date.now() + ms;
  let text = await problemsText(page);
  while (!pred(text) && Date.now() < deadline) {
    await page.waitForTimeout(1000);
    text = await problemsText(page);
  }
  return text;
}

async function hoverText(page) {
  return (await page.locator(".monaco-hover-content").allInnerTexts().catch(() => [])).join("\n");
}

/** Poll the hover widget until pred(text) or ms pass; returns the last text. */
async function waitForHover(page, pred, ms) {
  const deadline = Date.now() + ms;
  let text = await hoverText(page);
  while (!pred(text) && Date.now() < deadline) {
    await page.waitForTimeout(250);
    text = await hoverText(page);
  }
  return text;
}

/**
 * Show the editor hover on the first line of the active editor whose text
 * matches lineRe (a few characters into it), until pred(hover text): first by
 * moving the mouse there, then by placing the cursor there and running
 * editor.action.showHover (Ctrl+K Ctrl+I), then through the command palette.
 * Returns the last hover text seen.
 */
async function showHoverOn(page, lineRe, pred) {
  const line = page.locator(".editor-group-container.active .monaco-editor .view-lines .view-line").filter({ hasText: lineRe }).first();
  let text = "";
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await line.waitFor({ timeout: 30000 });
      const box = await line.boundingBox();
      if (!box) throw new Error("line not laid out");
      // ~4 characters in: on the key, whatever the font.
      const at = { x: box.x + Math.min(40, box.width / 2), y: box.y + box.height / 2 };

      // (a) mouse hover (move away first so a new hover starts).
      await page.mouse.move(at.x, box.y + 200);
      await page.mouse.move(at.x, at.y, { steps: 5 });
      text = await waitForHover(page, pred, 8000);
      if (pred(text)) return text;
      log(`hover attempt ${attempt}: mouse hover gave ${JSON.stringify(text.slice(0, 120))}`);

      // (b) cursor on the key + editor.action.showHover (Ctrl+K Ctrl+I).
      await page.mouse.click(at.x, at.y);
      await page.keyboard.press("Escape");
      await page.keyboard.press("Control+K");
      await page.keyboard.press("Control+I");
      text = await waitForHover(page, pred, 8000);
      if (pred(text)) return text;
      log(`hover attempt ${attempt}: Ctrl+K Ctrl+I gave ${JSON.stringify(text.slice(0, 120))}`);

      // (c) the same command through the palette (focus returns to the editor).
      await page.mouse.click(at.x, at.y);
      await command(page, "Show or Focus Hover");
      text = await waitForHover(page, pred, 8000);
      if (pred(text)) return text;
      log(`hover attempt ${attempt}: "Show or Focus Hover" gave ${JSON.stringify(text.slice(0, 120))}`);
    } catch (err) {
      log(`hover attempt ${attempt} failed: ${err.message}`);
    }
    await page.keyboard.press("Escape").catch(() => {});
    await page.waitForTimeout(1000);
  }
  return text;
}

// The server's module-name hover (not just the N001 diagnostic's, whose
// message also names both symbols): expected vs exported PyInit_ and the
// extension's place in the wheel.
const hoverShowsPyInit = (t) =>
  t.includes("PyInit_wrong_name") && t.includes("PyInit_my_ext") && t.includes("in the wheel");

// The mismatch must be reported by pyo3-ls itself (source shown as
// "pyo3-ls(N001)") and name the wrong module name from the fixture.
const showsN001 = (t) => t.includes("N001") && t.includes("pyo3-ls") && t.includes("wrong_name");
const indent = (t) => t.trim().split("\n").map((l) => "    " + l).join("\n");

const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push([name, true]);
    log(`PASS ${name}`);
  } catch (err) {
    results.push([name, false]);
    log(`FAIL ${name}: ${err.message}`);
  }
}

async function main() {
  const vsix = findVsix();
  const codeServer = ensureCodeServer();
  log("vsix:", vsix, `(${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB)`);

  // 1. Trusted workspace: N001 shows up; settings changes reach the server.
  await withCodeServer({ name: "trusted", codeServer, vsix, trusted: true }, async ({ page, workspace }) => {
    await openFile(page, "pyproject.toml");
    await command(page, "View: Focus Problems (Errors, Warnings, Infos)");
    log("waiting up to", TIMEOUT_MS / 1000, "s for N001 in the Problems panel");
    let text = await waitForProblems(page, showsN001);
    log("Problems panel text:\n" + indent(text));
    await check("Problems panel shows the N001 module-name mismatch", async () => {
      if (!showsN001(text)) throw new Error("no pyo3-ls N001 mentioning wrong_name");
    });
    if (!showsN001(text)) return;
    // Let the editor squiggles settle for a nicer picture, then keep it.
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(artifacts, "problems.png") });
    log("screenshot:", path.join(artifacts, "problems.png"));

    // Hover on `module-name` in pyproject.toml: the server explains the
    // import path, where the extension lands in the wheel, and the PyInit_
    // symbol Python expects vs the one the library exports.
    const hover = await showHoverOn(page, /^\s*module-name\s*=/, hoverShowsPyInit);
    log("hover text:\n" + indent(hover || "(no hover)"));
    await page.screenshot({ path: path.join(artifacts, "hover.png") }).catch(() => {});
    log("screenshot:", path.join(artifacts, "hover.png"));
    await check("hover on module-name shows PyInit_wrong_name (expected) and PyInit_my_ext (exported)", async () => {
      if (!hoverShowsPyInit(hover)) throw new Error("hover text lacks PyInit_wrong_name / PyInit_my_ext / in the wheel");
    });
    await page.keyboard.press("Escape");

    // Settings round trip: ignoring N001 in the workspace settings must
    // reach the running server (workspace/didChangeConfiguration) and clear it.
    fs.mkdirSync(path.join(workspace, ".vscode"), { recursive: true });
    fs.writeFileSync(path.join(workspace, ".vscode/settings.json"), JSON.stringify({ "pyo3-ls.ignore": ["N001"] }, null, 2));
    log('set "pyo3-ls.ignore": ["N001"] in .vscode/settings.json; waiting for N001 to disappear');
    text = await waitForProblems(page, (t) => !t.includes("N001"));
    log("after ignore:", JSON.stringify(text.trim().slice(0, 200)));
    await page.screenshot({ path: path.join(artifacts, "problems-after-ignore.png") }).catch(() => {});
    await check('"pyo3-ls.ignore": ["N001"] clears N001 in the running server', async () => {
      if (text.includes("N001")) throw new Error("N001 still shown");
    });
  });

  // 2. Untrusted workspace whose .vscode/settings.json points server.path at
  // a script in the workspace: it must never run; the bundled server is used.
  const marker = "PWNED-by-workspace-server-path";
  const untrustedPrepare = (ws) => {
    const evil = path.join(ws, "tools/pyo3-ls");
    fs.mkdirSync(path.dirname(evil), { recursive: true });
    fs.writeFileSync(evil, `#!/bin/sh\ntouch "${path.join(ws, marker)}"\nexit 1\n`, { mode: 0o755 });
  };
  await withCodeServer(
    {
      name: "untrusted",
      codeServer,
      vsix,
      trusted: false,
      prepare: untrustedPrepare,
      workspaceSettings: { "pyo3-ls.server.path": "${workspaceFolder}/tools/pyo3-ls" },
    },
    async ({ page, workspace }) => {
      await openFile(page, "pyproject.toml");
      await command(page, "View: Focus Problems (Errors, Warnings, Infos)");
      const text = await waitForProblems(page, showsN001);
      await page.screenshot({ path: path.join(artifacts, "untrusted.png") }).catch(() => {});
      await check("untrusted workspace: workspace server.path is not executed", async () => {
        if (fs.existsSync(path.join(workspace, marker))) throw new Error("the workspace-configured binary ran");
      });
      await check("untrusted workspace: the bundled/user server still reports N001", async () => {
        if (!showsN001(text)) throw new Error("no N001 in Restricted Mode:\n" + indent(text));
      });
    },
  );

  // 3. Control for 2: the same workspace, trusted, does run the workspace's
  // server.path (so the untrusted check above can tell the difference).
  await withCodeServer(
    {
      name: "trusted-control",
      codeServer,
      vsix,
      trusted: true,
      prepare: untrustedPrepare,
      workspaceSettings: { "pyo3-ls.server.path": "${workspaceFolder}/tools/pyo3-ls" },
    },
    async ({ page, workspace }) => {
      const deadline = Date.now() + 60000;
      while (!fs.existsSync(path.join(workspace, marker)) && Date.now() < deadline) {
        await page.waitForTimeout(500);
      }
      await check("control: a trusted workspace does use its own server.path", async () => {
        if (!fs.existsSync(path.join(workspace, marker))) throw new Error("the workspace-configured binary never ran");
      });
    },
  );

  const expected = 6;
  const passed = results.filter(([, ok]) => ok).length;
  console.log(`integration: ${passed} passed, ${results.length - passed} failed`);
  if (results.length < expected || passed !== results.length) {
    throw new Error(
      results.length < expected
        ? `only ${results.length} of ${expected} checks ran`
        : `${results.length - passed} check(s) failed`,
    );
  }
}

/** Copy the extension's output channel log(s) next to the screenshot. */
function copyOutputLogs(userData, name) {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/pyo3-ls/i.test(e.name) && e.name.endsWith(".log")) found.push(p);
    }
  };
  try {
    walk(path.join(userData, "logs"));
  } catch {
    return;
  }
  for (const f of found) {
    const dest = path.join(artifacts, `output-${name}-${path.basename(f)}`);
    fs.copyFileSync(f, dest);
    log("output channel log:", dest);
    const started = fs.readFileSync(f, "utf8").split("\n").filter((l) => l.startsWith("[client]"));
    for (const l of started) log("  " + l);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`[integration] FAILED: ${err.stack ?? err}`);
    process.exit(1);
  },
);
