// Settings -> initializationOptions / didChangeConfiguration payloads.
// Pure logic: no `vscode` import.

export const SECTION = "pyo3-ls";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const TRACE_LEVELS = ["off", "messages", "verbose"] as const;
export type TraceLevel = (typeof TRACE_LEVELS)[number];

/** What the server receives as initializationOptions. */
export interface InitializationOptions {
  select: string[];
  ignore: string[];
  logLevel: LogLevel;
}

/** Anything with a `get(key)` like vscode.WorkspaceConfiguration. */
export interface ConfigReader {
  get<T>(key: string): T | undefined;
}

const RULE_RE = /^[A-Z]+[0-9]*$/;

/**
 * Normalise a list of rule codes/prefixes: keep strings only, trim, upper-case,
 * drop empty or malformed entries and duplicates (first occurrence wins).
 */
export function normalizeRules(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const item of value) {
    if (typeof item !== "string") continue;
    const code = item.trim().toUpperCase();
    if (!RULE_RE.test(code) || seen.has(code)) continue;
    seen.add(code);
    out.push(code);
  }
  return out;
}

/** Rule entries that normalizeRules would drop (to warn the user about). */
export function invalidRules(value: unknown): string[] {
  if (!Array.isArray(value)) return value === undefined || value === null ? [] : [String(value)];
  return value
    .filter((v) => typeof v !== "string" || !RULE_RE.test(v.trim().toUpperCase()))
    .map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
}

export function normalizeLogLevel(value: unknown): LogLevel {
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (v === "warning") return "warn";
    if ((LOG_LEVELS as readonly string[]).includes(v)) return v as LogLevel;
  }
  return "info";
}

export function normalizeTrace(value: unknown): TraceLevel {
  if (typeof value === "string" && (TRACE_LEVELS as readonly string[]).includes(value)) {
    return value as TraceLevel;
  }
  return "off";
}

/** Build the initializationOptions from the `pyo3-ls` configuration section. */
export function initializationOptions(config: ConfigReader): InitializationOptions {
  return {
    select: normalizeRules(config.get("select")),
    ignore: normalizeRules(config.get("ignore")),
    logLevel: normalizeLogLevel(config.get("logLevel")),
  };
}

/** Params of workspace/didChangeConfiguration: settings under "pyo3-ls". */
export function didChangeConfigurationParams(config: ConfigReader): {
  settings: { [SECTION]: InitializationOptions };
} {
  return { settings: { [SECTION]: initializationOptions(config) } };
}

/** What a configuration change requires the client to do. */
export type ConfigChangeAction = "restart" | "notify" | "none";

/**
 * Decide what to do on a configuration change. `affects(section)` is
 * `ConfigurationChangeEvent.affectsConfiguration`. A new server path needs a
 * restart; rule or log level changes are sent to the running server; trace
 * changes are handled by vscode-languageclient itself.
 */
export function configChangeAction(affects: (section: string) => boolean): ConfigChangeAction {
  if (affects(`${SECTION}.server.path`)) return "restart";
  if (
    affects(`${SECTION}.select`) ||
    affects(`${SECTION}.ignore`) ||
    affects(`${SECTION}.logLevel`)
  ) {
    return "notify";
  }
  return "none";
}
