// Server discovery for pyo3-ls. Pure logic: no `vscode` import, every
// environment dependency is passed in, so it can be unit tested.

import * as path from "node:path";

/** The shape returned by `WorkspaceConfiguration.inspect()` (subset). */
export interface SettingInspection<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

export type SettingScope = "global" | "workspace" | "workspaceFolder";

export interface DiscoveryEnv {
  /** `process.platform` (e.g. "linux", "darwin", "win32"). */
  platform: string;
  /** `process.arch` (e.g. "x64", "arm64"). */
  arch: string;
  /** Absolute path of the installed extension. */
  extensionPath: string;
  /** `vscode.workspace.isTrusted`. */
  isTrusted: boolean;
  /** `getConfiguration("pyo3-ls").inspect("server.path")`. */
  serverPath?: SettingInspection<string>;
  /** First workspace folder (for `${workspaceFolder}` and relative paths). */
  workspaceFolder?: string;
  /**
   * Every workspace folder. In an untrusted workspace no server path inside
   * one of them is used, whatever setting names it.
   */
  workspaceFolders?: string[];
  /** User home directory (for `~`). */
  homeDir?: string;
  /** Value of the PATH environment variable. */
  pathEnv?: string;
  /** Value of PATHEXT (Windows only). */
  pathExtEnv?: string;
  /** True if `p` is an existing regular file we may execute. */
  isExecutableFile: (p: string) => boolean;
}

export type DiscoverySource = "setting" | "bundled" | "path";

export interface ServerFound {
  kind: "found";
  path: string;
  source: DiscoverySource;
  /** Where the setting came from, when source === "setting". */
  scope?: SettingScope;
  /** A workspace-level server.path was present but ignored (untrusted). */
  ignoredWorkspaceSetting?: string;
}

export interface ServerNotFound {
  kind: "notFound";
  /** Human readable reason, suitable for an error notification. */
  message: string;
  /** Paths that were checked, in order. */
  tried: string[];
  ignoredWorkspaceSetting?: string;
}

export type DiscoveryResult = ServerFound | ServerNotFound;

export const SERVER_NAME = "pyo3-ls";

const NODE_PLATFORMS = new Set(["linux", "darwin", "win32"]);
const NODE_ARCHES = new Set(["x64", "arm64"]);

/** GOOS/GOARCH for a Node platform/arch pair, or undefined if unsupported. */
export function goTarget(
  platform: string,
  arch: string,
): { goos: string; goarch: string } | undefined {
  if (!NODE_PLATFORMS.has(platform) || !NODE_ARCHES.has(arch)) {
    return undefined;
  }
  return {
    goos: platform === "win32" ? "windows" : platform,
    goarch: arch === "x64" ? "amd64" : arch,
  };
}

/** Name of the server executable on a platform. */
export function executableName(platform: string): string {
  return platform === "win32" ? `${SERVER_NAME}.exe` : SERVER_NAME;
}

/**
 * Path of the binary shipped inside the extension:
 * `bin/<platform>-<arch>/pyo3-ls[.exe]` using Node's names (win32, x64, ...).
 */
export function bundledServerPath(
  extensionPath: string,
  platform: string,
  arch: string,
): string | undefined {
  if (!goTarget(platform, arch)) {
    return undefined;
  }
  const p = platform === "win32" ? path.win32 : path.posix;
  return p.join(extensionPath, "bin", `${platform}-${arch}`, executableName(platform));
}

/**
 * The server.path value VS Code may use, honouring workspace trust: when the
 * workspace is untrusted only the user (global) value is taken. Empty strings
 * count as unset.
 */
export function effectiveServerPathSetting(
  inspection: SettingInspection<string> | undefined,
  isTrusted: boolean,
): { value?: string; scope?: SettingScope; ignored?: string } {
  const nonEmpty = (v: unknown): v is string =>
    typeof v === "string" && v.trim() !== "";
  if (!inspection) {
    return {};
  }
  const folder = nonEmpty(inspection.workspaceFolderValue)
    ? inspection.workspaceFolderValue.trim()
    : undefined;
  const ws = nonEmpty(inspection.workspaceValue)
    ? inspection.workspaceValue.trim()
    : undefined;
  const global = nonEmpty(inspection.globalValue)
    ? inspection.globalValue.trim()
    : undefined;
  if (isTrusted) {
    if (folder !== undefined) return { value: folder, scope: "workspaceFolder" };
    if (ws !== undefined) return { value: ws, scope: "workspace" };
    if (global !== undefined) return { value: global, scope: "global" };
    return {};
  }
  const ignored = folder ?? ws;
  if (global !== undefined) return { value: global, scope: "global", ignored };
  return { ignored };
}

/** Expand `~` and `${workspaceFolder}` and make the path absolute. */
export function expandPath(
  value: string,
  env: Pick<DiscoveryEnv, "platform" | "homeDir" | "workspaceFolder">,
  allowRelative: boolean,
): string | undefined {
  const p = env.platform === "win32" ? path.win32 : path.posix;
  let v = value.trim();
  if (v.includes("${workspaceFolder}")) {
    if (!env.workspaceFolder) return undefined;
    v = v.split("${workspaceFolder}").join(env.workspaceFolder);
  }
  if ((v === "~" || v.startsWith("~/") || v.startsWith("~\\")) && env.homeDir) {
    v = p.join(env.homeDir, v.slice(1));
  }
  if (p.isAbsolute(v)) {
    return p.normalize(v);
  }
  if (!allowRelative || !env.workspaceFolder) {
    return undefined;
  }
  return p.resolve(env.workspaceFolder, v);
}

/**
 * True when `candidate` is one of `folders` or lies inside one (compared on
 * normalised absolute paths; case-insensitively on Windows and macOS).
 */
export function insideFolders(candidate: string, folders: string[], platform: string): boolean {
  const p = platform === "win32" ? path.win32 : path.posix;
  const fold = (s: string) => (platform === "win32" || platform === "darwin" ? s.toLowerCase() : s);
  const c = fold(p.resolve(candidate));
  for (const f of folders) {
    if (!f) continue;
    const root = fold(p.resolve(f));
    const rel = p.relative(root, c);
    if (rel === "" || (!rel.startsWith("..") && !p.isAbsolute(rel))) return true;
  }
  return false;
}

/** The folders a server path must stay out of when the workspace is untrusted. */
function untrustedFolders(env: DiscoveryEnv): string[] {
  if (env.isTrusted) return [];
  const out = [...(env.workspaceFolders ?? [])];
  if (env.workspaceFolder) out.push(env.workspaceFolder);
  return out;
}

/**
 * Look `pyo3-ls` up on PATH. Relative PATH entries (".", "", "bin") are
 * skipped: they would resolve against the current directory, which may be an
 * untrusted workspace.
 */
export function findOnPath(
  env: Pick<DiscoveryEnv, "platform" | "pathEnv" | "pathExtEnv" | "isExecutableFile">,
  tried: string[] = [],
): string | undefined {
  const win = env.platform === "win32";
  const p = win ? path.win32 : path.posix;
  const dirs = (env.pathEnv ?? "").split(win ? ";" : ":");
  const exts = win
    ? (env.pathExtEnv || ".COM;.EXE;.BAT;.CMD")
        .split(";")
        .map((e) => e.trim().toLowerCase())
        .filter((e) => e === ".exe" || e === ".com")
    : [""];
  for (const rawDir of dirs) {
    const dir = rawDir.trim().replace(/^"(.*)"$/, "$1");
    if (dir === "" || !p.isAbsolute(dir)) continue;
    for (const ext of exts) {
      const candidate = p.join(dir, SERVER_NAME + ext);
      tried.push(candidate);
      if (env.isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Find the server: `pyo3-ls.server.path` setting (user setting only when the
 * workspace is untrusted), else the bundled binary, else `pyo3-ls` on PATH.
 */
export function discoverServer(env: DiscoveryEnv): DiscoveryResult {
  const tried: string[] = [];
  const setting = effectiveServerPathSetting(env.serverPath, env.isTrusted);
  const ignoredWorkspaceSetting = setting.ignored;

  if (setting.value !== undefined) {
    // Relative paths only make sense for workspace settings.
    const allowRelative = setting.scope !== "global";
    const resolved = expandPath(setting.value, env, allowRelative);
    if (resolved === undefined) {
      return {
        kind: "notFound",
        message: `pyo3-ls.server.path "${setting.value}" cannot be resolved to an absolute path.`,
        tried,
        ignoredWorkspaceSetting,
      };
    }
    // In restricted mode a binary inside the workspace is never run, even
    // when a user-level setting names it (`${workspaceFolder}/.venv/bin/pyo3-ls`):
    // the untrusted repository controls that file.
    if (setting.value.includes("${workspaceFolder}") && !env.isTrusted ||
        insideFolders(resolved, untrustedFolders(env), env.platform)) {
      return {
        kind: "notFound",
        message: `pyo3-ls.server.path "${setting.value}" points into the workspace, which is not trusted: ` +
          "the server is not started from it. Trust the workspace, or point the setting outside it.",
        tried,
        ignoredWorkspaceSetting,
      };
    }
    tried.push(resolved);
    if (env.isExecutableFile(resolved)) {
      return {
        kind: "found",
        path: resolved,
        source: "setting",
        scope: setting.scope,
        ignoredWorkspaceSetting,
      };
    }
    // An explicit setting that does not work is an error: do not silently
    // start a different binary.
    return {
      kind: "notFound",
      message: `pyo3-ls.server.path points to "${resolved}", which is not an executable file.`,
      tried,
      ignoredWorkspaceSetting,
    };
  }

  const bundled = bundledServerPath(env.extensionPath, env.platform, env.arch);
  if (bundled !== undefined) {
    tried.push(bundled);
    if (env.isExecutableFile(bundled)) {
      return { kind: "found", path: bundled, source: "bundled", ignoredWorkspaceSetting };
    }
  }

  const inWorkspace = untrustedFolders(env);
  const onPath = findOnPath(
    {
      ...env,
      // PATH entries inside an untrusted workspace (a .venv/bin put first) are skipped.
      isExecutableFile: (c: string) =>
        !insideFolders(c, inWorkspace, env.platform) && env.isExecutableFile(c),
    },
    tried,
  );
  if (onPath !== undefined) {
    return { kind: "found", path: onPath, source: "path", ignoredWorkspaceSetting };
  }

  let message =
    "The pyo3-ls server was not found: set pyo3-ls.server.path, or install pyo3-ls on your PATH " +
    "(go install .../cmd/pyo3-ls).";
  if (ignoredWorkspaceSetting !== undefined) {
    message +=
      ` The workspace setting pyo3-ls.server.path ("${ignoredWorkspaceSetting}") was ignored ` +
      "because the workspace is not trusted.";
  }
  return { kind: "notFound", message, tried, ignoredWorkspaceSetting };
}
