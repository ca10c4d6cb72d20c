import * as fs from "node:fs";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from "vscode-languageclient/node";

import { discoverServer, type DiscoveryResult } from "./discovery";
import {
  SECTION,
  configChangeAction,
  didChangeConfigurationParams,
  initializationOptions,
  invalidRules,
} from "./settings";

const OPEN_SETTINGS = "Open Settings";
const SHOW_OUTPUT = "Show Output";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let starting: Promise<void> | undefined;

export const documentSelector = [
  { scheme: "file", pattern: "**/pyproject.toml" },
  { scheme: "file", pattern: "**/Cargo.toml" },
  { scheme: "file", pattern: "**/Cargo.lock" },
  { scheme: "file", language: "rust" },
  // .py and .pyi (VS Code's "python" language): pyo3-ls answers only at the
  // boundary with the extension module (imports from it, its stub) and
  // returns nothing elsewhere, so Pylance/pyright keep every other feature;
  // VS Code merges the answers of both servers.
  { scheme: "file", language: "python" },
];

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    if (process.platform !== "win32") fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function discover(context: vscode.ExtensionContext): DiscoveryResult {
  const config = vscode.workspace.getConfiguration(SECTION);
  return discoverServer({
    platform: process.platform,
    arch: process.arch,
    extensionPath: context.extensionPath,
    isTrusted: vscode.workspace.isTrusted,
    serverPath: config.inspect<string>("server.path"),
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    homeDir: os.homedir(),
    pathEnv: process.env.PATH ?? process.env.Path,
    pathExtEnv: process.env.PATHEXT,
    isExecutableFile,
  });
}

function warnInvalidRules(): void {
  const config = vscode.workspace.getConfiguration(SECTION);
  const bad = [...invalidRules(config.get("select")), ...invalidRules(config.get("ignore"))];
  if (bad.length > 0) {
    output.appendLine(`[client] ignoring malformed rule codes in settings: ${bad.join(", ")}`);
  }
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const found = discover(context);
  if (found.ignoredWorkspaceSetting !== undefined) {
    output.appendLine(
      `[client] workspace is not trusted: ignoring workspace setting pyo3-ls.server.path = ${found.ignoredWorkspaceSetting}`,
    );
  }
  if (found.kind === "notFound") {
    output.appendLine(`[client] ${found.message}`);
    if (found.tried.length > 0) output.appendLine(`[client] tried: ${found.tried.join(", ")}`);
    void vscode.window.showErrorMessage(found.message, OPEN_SETTINGS, SHOW_OUTPUT).then((choice) => {
      if (choice === OPEN_SETTINGS) {
        void vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.server.path`);
      } else if (choice === SHOW_OUTPUT) {
        output.show(true);
      }
    });
    return;
  }
  output.appendLine(`[client] starting ${found.path} serve (from ${found.source})`);
  warnInvalidRules();

  const serverOptions: ServerOptions = {
    command: found.path,
    // No `transport` on purpose: TransportKind.stdio would append "--stdio"
    // to the arguments; plain stdio is the default without it.
    args: ["serve"],
    options: { cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: () => initializationOptions(vscode.workspace.getConfiguration(SECTION)),
    middleware: {
      workspace: {
        // Answer workspace/configuration pulls for our section with the
        // normalised settings (same shape as initializationOptions).
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return params.items.map((item, i) =>
            item.section === SECTION
              ? initializationOptions(vscode.workspace.getConfiguration(SECTION, item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined))
              : result[i],
          );
        },
      },
    },
  };
  const c = new LanguageClient(SECTION, "pyo3-ls", serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
  } catch (err) {
    output.appendLine(`[client] failed to start ${found.path}: ${String(err)}`);
    void vscode.window.showErrorMessage(`pyo3-ls: failed to start the server: ${String(err)}`, SHOW_OUTPUT).then((choice) => {
      if (choice === SHOW_OUTPUT) output.show(true);
    });
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (!c) return;
  try {
    if (c.state !== State.Stopped) await c.stop();
  } catch (err) {
    output.appendLine(`[client] error while stopping: ${String(err)}`);
  }
  await c.dispose();
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  if (starting) await starting.catch(() => undefined);
  starting = (async () => {
    await stop();
    await start(context);
  })();
  try {
    await starting;
  } finally {
    starting = undefined;
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("pyo3-ls");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(`${SECTION}.restartServer`, () => restart(context)),
    vscode.commands.registerCommand(`${SECTION}.showOutput`, () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      const action = configChangeAction((s) => e.affectsConfiguration(s));
      if (action === "restart") {
        await restart(context);
      } else if (action === "notify" && client?.state === State.Running) {
        warnInvalidRules();
        await client.sendNotification(
          "workspace/didChangeConfiguration",
          didChangeConfigurationParams(vscode.workspace.getConfiguration(SECTION)),
        );
      }
    }),
    // Once trusted, a workspace-level server.path may be used.
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart(context)),
    { dispose: () => void stop() },
  );
  await restart(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}
