import { strict as assert } from "node:assert";
import { describe, it } from "node:test";

import {
  bundledServerPath,
  discoverServer,
  effectiveServerPathSetting,
  expandPath,
  findOnPath,
  goTarget,
  type DiscoveryEnv,
} from "../../src/discovery";

const EXT = "/ext/pyo3-ls";
const BUNDLED = "/ext/pyo3-ls/bin/linux-x64/pyo3-ls";

function env(overrides: Partial<DiscoveryEnv> & { files?: string[] } = {}): DiscoveryEnv {
  const files = new Set(overrides.files ?? []);
  return {
    platform: "linux",
    arch: "x64",
    extensionPath: EXT,
    isTrusted: true,
    workspaceFolder: "/ws",
    homeDir: "/home/u",
    pathEnv: "/usr/local/bin:/usr/bin",
    isExecutableFile: (p) => files.has(p),
    ...overrides,
  };
}

describe("goTarget / bundledServerPath", () => {
  it("maps Node platform and arch names to GOOS/GOARCH", () => {
    assert.deepEqual(goTarget("win32", "x64"), { goos: "windows", goarch: "amd64" });
    assert.deepEqual(goTarget("darwin", "arm64"), { goos: "darwin", goarch: "arm64" });
    assert.deepEqual(goTarget("linux", "x64"), { goos: "linux", goarch: "amd64" });
    assert.equal(goTarget("freebsd", "x64"), undefined);
    assert.equal(goTarget("linux", "ia32"), undefined);
  });

  it("uses bin/<platform>-<arch>/pyo3-ls[.exe]", () => {
    assert.equal(bundledServerPath(EXT, "linux", "x64"), BUNDLED);
    assert.equal(bundledServerPath(EXT, "darwin", "arm64"), "/ext/pyo3-ls/bin/darwin-arm64/pyo3-ls");
    assert.equal(
      bundledServerPath("C:\\ext", "win32", "x64"),
      "C:\\ext\\bin\\win32-x64\\pyo3-ls.exe",
    );
    assert.equal(bundledServerPath(EXT, "linux", "s390x"), undefined);
  });
});

describe("discoverServer order", () => {
  it("prefers the configured server.path", () => {
    const r = discoverServer(
      env({ serverPath: { globalValue: "/opt/pyo3-ls" }, files: ["/opt/pyo3-ls", BUNDLED, "/usr/bin/pyo3-ls"] }),
    );
    assert.deepEqual(r, { kind: "found", path: "/opt/pyo3-ls", source: "setting", scope: "global", ignoredWorkspaceSetting: undefined });
  });

  it("falls back to the bundled binary", () => {
    const r = discoverServer(env({ files: [BUNDLED, "/usr/bin/pyo3-ls"] }));
    assert.equal(r.kind, "found");
    assert.equal(r.kind === "found" && r.path, BUNDLED);
    assert.equal(r.kind === "found" && r.source, "bundled");
  });

  it("treats an empty setting as unset", () => {
    const r = discoverServer(env({ serverPath: { defaultValue: "", globalValue: "  " }, files: [BUNDLED] }));
    assert.equal(r.kind === "found" && r.source, "bundled");
  });

  it("falls back to PATH, in PATH order", () => {
    const r = discoverServer(env({ files: ["/usr/bin/pyo3-ls", "/usr/local/bin/pyo3-ls"] }));
    assert.equal(r.kind === "found" && r.path, "/usr/local/bin/pyo3-ls");
    assert.equal(r.kind === "found" && r.source, "path");
  });

  it("reports not found with everything it tried", () => {
    const r = discoverServer(env());
    assert.equal(r.kind, "notFound");
    assert.deepEqual(r.tried, [BUNDLED, "/usr/local/bin/pyo3-ls", "/usr/bin/pyo3-ls"]);
    assert.match(r.kind === "notFound" ? r.message : "", /pyo3-ls\.server\.path/);
  });

  it("does not fall back when the configured path is missing", () => {
    const r = discoverServer(env({ serverPath: { globalValue: "/nope/pyo3-ls" }, files: [BUNDLED] }));
    assert.equal(r.kind, "notFound");
    assert.deepEqual(r.tried, ["/nope/pyo3-ls"]);
    assert.match(r.kind === "notFound" ? r.message : "", /\/nope\/pyo3-ls/);
  });

  it("expands ~ and ${workspaceFolder}", () => {
    let r = discoverServer(env({ serverPath: { globalValue: "~/bin/pyo3-ls" }, files: ["/home/u/bin/pyo3-ls"] }));
    assert.equal(r.kind === "found" && r.path, "/home/u/bin/pyo3-ls");
    r = discoverServer(
      env({ serverPath: { workspaceValue: "${workspaceFolder}/tools/pyo3-ls" }, files: ["/ws/tools/pyo3-ls"] }),
    );
    assert.equal(r.kind === "found" && r.path, "/ws/tools/pyo3-ls");
  });

  it("resolves a relative workspace setting against the workspace folder", () => {
    const r = discoverServer(env({ serverPath: { workspaceValue: "./pyo3-ls" }, files: ["/ws/pyo3-ls"] }));
    assert.equal(r.kind === "found" && r.path, "/ws/pyo3-ls");
    assert.equal(r.kind === "found" && r.scope, "workspace");
  });

  it("rejects a relative user setting", () => {
    const r = discoverServer(env({ serverPath: { globalValue: "pyo3-ls" }, files: ["/ws/pyo3-ls", BUNDLED] }));
    assert.equal(r.kind, "notFound");
  });

  it("finds pyo3-ls.exe via PATH on Windows", () => {
    const r = discoverServer(
      env({
        platform: "win32",
        extensionPath: "C:\\ext",
        pathEnv: "C:\\Windows;\"C:\\Tools\";.",
        pathExtEnv: ".COM;.EXE;.BAT",
        files: ["C:\\Tools\\pyo3-ls.exe"],
      }),
    );
    assert.equal(r.kind === "found" && r.path, "C:\\Tools\\pyo3-ls.exe");
  });
});

describe("workspace trust", () => {
  const wsBinary = "/ws/evil/pyo3-ls";
  const all = [wsBinary, "/opt/pyo3-ls", BUNDLED, "/usr/bin/pyo3-ls"];

  it("uses workspace-folder > workspace > user values when trusted", () => {
    const r = discoverServer(
      env({
        serverPath: { globalValue: "/opt/pyo3-ls", workspaceValue: wsBinary, workspaceFolderValue: "/nope" },
        files: all,
      }),
    );
    assert.equal(r.kind, "notFound"); // folder value wins even though it is wrong
    const r2 = discoverServer(env({ serverPath: { globalValue: "/opt/pyo3-ls", workspaceValue: wsBinary }, files: all }));
    assert.equal(r2.kind === "found" && r2.path, wsBinary);
  });

  it("never runs a workspace-configured path in an untrusted workspace", () => {
    for (const serverPath of [
      { workspaceValue: wsBinary },
      { workspaceFolderValue: wsBinary },
      { workspaceValue: wsBinary, workspaceFolderValue: wsBinary },
    ]) {
      const r = discoverServer(env({ isTrusted: false, serverPath, files: all }));
      assert.equal(r.kind, "found");
      assert.notEqual(r.kind === "found" && r.path, wsBinary);
      assert.equal(r.kind === "found" && r.source, "bundled");
      assert.equal(r.ignoredWorkspaceSetting, wsBinary);
    }
  });

  it("uses only the user value when untrusted", () => {
    const r = discoverServer(
      env({ isTrusted: false, serverPath: { globalValue: "/opt/pyo3-ls", workspaceValue: wsBinary }, files: all }),
    );
    assert.equal(r.kind === "found" && r.path, "/opt/pyo3-ls");
    assert.equal(r.kind === "found" && r.scope, "global");
    assert.equal(r.ignoredWorkspaceSetting, wsBinary);
  });

  // Issue 16 item 7: a user-level server.path of ${workspaceFolder}/.venv/bin/pyo3-ls
  // ran a binary from an untrusted workspace.
  it("never runs a binary inside an untrusted workspace, even from the user setting", () => {
    const inWs = "/ws/.venv/bin/pyo3-ls";
    for (const globalValue of ["${workspaceFolder}/.venv/bin/pyo3-ls", inWs, "/ws/../ws/.venv/bin/pyo3-ls", "/other/ws2/pyo3-ls"]) {
      const r = discoverServer(
        env({ isTrusted: false, workspaceFolders: ["/ws", "/other/ws2"], serverPath: { globalValue }, files: [inWs, "/other/ws2/pyo3-ls", BUNDLED] }),
      );
      assert.equal(r.kind, "notFound", globalValue);
      assert.match(r.kind === "notFound" ? r.message : "", /not trusted/);
      assert.ok(!r.tried.includes(inWs));
    }
    // Trusted: the same setting is used.
    const ok = discoverServer(env({ isTrusted: true, serverPath: { globalValue: "${workspaceFolder}/.venv/bin/pyo3-ls" }, files: [inWs] }));
    assert.equal(ok.kind === "found" && ok.path, inWs);
    // A PATH entry inside the untrusted workspace is skipped too.
    const viaPath = discoverServer(env({ isTrusted: false, pathEnv: "/ws/.venv/bin:/usr/bin", files: [inWs, "/usr/bin/pyo3-ls"] }));
    assert.equal(viaPath.kind === "found" && viaPath.path, "/usr/bin/pyo3-ls");
  });

  it("mentions the ignored setting when nothing is found", () => {
    const r = discoverServer(env({ isTrusted: false, serverPath: { workspaceValue: wsBinary }, files: [wsBinary] }));
    assert.equal(r.kind, "notFound");
    assert.ok(!r.tried.includes(wsBinary));
    assert.match(r.kind === "notFound" ? r.message : "", /not trusted/);
  });

  it("skips relative PATH entries (they could point into the workspace)", () => {
    const tried: string[] = [];
    const found = findOnPath(
      { platform: "linux", pathEnv: ".::bin:/usr/bin", isExecutableFile: (p) => p === "pyo3-ls" || p === "bin/pyo3-ls" },
      tried,
    );
    assert.equal(found, undefined);
    assert.deepEqual(tried, ["/usr/bin/pyo3-ls"]);
  });

  it("effectiveServerPathSetting reports the scope", () => {
    assert.deepEqual(effectiveServerPathSetting(undefined, true), {});
    assert.deepEqual(effectiveServerPathSetting({ workspaceValue: "/a" }, true), { value: "/a", scope: "workspace" });
    assert.deepEqual(effectiveServerPathSetting({ workspaceValue: "/a" }, false), { ignored: "/a" });
  });
});

describe("expandPath", () => {
  it("handles unresolvable ${workspaceFolder}", () => {
    assert.equal(expandPath("${workspaceFolder}/x", { platform: "linux" }, true), undefined);
  });
  it("normalises absolute paths", () => {
    assert.equal(expandPath("/a/b/../pyo3-ls", { platform: "linux" }, false), "/a/pyo3-ls");
  });
});
