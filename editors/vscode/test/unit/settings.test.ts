import { strict as assert } from "node:assert";
import { describe, it } from "node:test";

import {
  configChangeAction,
  didChangeConfigurationParams,
  initializationOptions,
  invalidRules,
  normalizeLogLevel,
  normalizeRules,
  normalizeTrace,
  type ConfigReader,
} from "../../src/settings";

function reader(values: Record<string, unknown>): ConfigReader {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

describe("settings -> initializationOptions", () => {
  it("uses defaults when nothing is set", () => {
    assert.deepEqual(initializationOptions(reader({})), { select: [], ignore: [], logLevel: "info" });
  });

  it("passes select, ignore and logLevel", () => {
    assert.deepEqual(
      initializationOptions(reader({ select: ["N", "V002"], ignore: ["N001"], logLevel: "debug", "server.path": "/x" })),
      { select: ["N", "V002"], ignore: ["N001"], logLevel: "debug" },
    );
  });

  it("normalises rule codes", () => {
    assert.deepEqual(normalizeRules([" n001 ", "N001", "", 3, null, "bad code", "N-1", "v"]), ["N001", "V"]);
    assert.deepEqual(normalizeRules("N001"), []);
    assert.deepEqual(normalizeRules(undefined), []);
  });

  it("lists malformed rule codes", () => {
    assert.deepEqual(invalidRules(["N001", "bad code", 3]), ["bad code", "3"]);
    assert.deepEqual(invalidRules(undefined), []);
    assert.deepEqual(invalidRules("N001"), ["N001"]);
  });

  it("normalises log and trace levels", () => {
    assert.equal(normalizeLogLevel("WARN"), "warn");
    assert.equal(normalizeLogLevel("warning"), "warn");
    assert.equal(normalizeLogLevel("error"), "error");
    assert.equal(normalizeLogLevel("loud"), "info");
    assert.equal(normalizeLogLevel(undefined), "info");
    assert.equal(normalizeTrace("verbose"), "verbose");
    assert.equal(normalizeTrace("all"), "off");
  });

  it("builds didChangeConfiguration params under the pyo3-ls section", () => {
    assert.deepEqual(didChangeConfigurationParams(reader({ ignore: ["n001"] })), {
      settings: { "pyo3-ls": { select: [], ignore: ["N001"], logLevel: "info" } },
    });
  });
});

describe("configChangeAction", () => {
  const affects = (...changed: string[]) => (section: string) =>
    changed.some((c) => c === section || c.startsWith(section + ".") || section.startsWith(c + "."));

  it("restarts when the server path changes", () => {
    assert.equal(configChangeAction(affects("pyo3-ls.server.path")), "restart");
  });
  it("notifies the server when rules or log level change", () => {
    assert.equal(configChangeAction(affects("pyo3-ls.select")), "notify");
    assert.equal(configChangeAction(affects("pyo3-ls.ignore")), "notify");
    assert.equal(configChangeAction(affects("pyo3-ls.logLevel")), "notify");
  });
  it("ignores trace and unrelated changes", () => {
    assert.equal(configChangeAction(affects("pyo3-ls.trace.server")), "none");
    assert.equal(configChangeAction(affects("editor.fontSize")), "none");
  });
});
