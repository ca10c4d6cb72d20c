package facts

import (
	"sort"

	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

// Maturin facts, read from github.com/PyO3/maturin at v1.14.1 and checked
// against the maturin-1.16.0 crate by scripts/update-facts (generated.json)
// (src/pyproject_toml.rs struct ToolMaturin and friends, maturin.schema.json,
// src/compile.rs, src/bridge/detection.rs, src/auditwheel/platform_tag.rs).

// MaturinSetsExtensionModuleEnv is the first maturin version that sets
// PYO3_BUILD_EXTENSION_MODULE=1 for pyo3 builds (src/compile.rs; absent in
// v1.9.3, present in v1.9.4).
var MaturinSetsExtensionModuleEnv = versions.MustParseVersion("1.9.4")

// MaturinRequirement is the build requirement pyo3-ls suggests in messages
// and fixes: the first maturin that sets PYO3_BUILD_EXTENSION_MODULE
// (MaturinSetsExtensionModuleEnv), below the next major.
const MaturinRequirement = "maturin>=1.9.4,<2.0"

// MaturinKnown is the maturin release MaturinKeys was read from.
var MaturinKnown = versions.MustParseVersion("1.16.0")

// Value types used in KeySpec.Type.
const (
	TypeString             = "string"
	TypeBool               = "bool"
	TypeArrayOfString      = "array of string"
	TypeTable              = "table"
	TypeArrayOfTable       = "array of table"
	TypeArrayStringOrTable = "array of (string or table)"
	TypeStringOrArray      = "string or array of string"
	TypeTableOfTables      = "table of tables" // keys are free-form (target triples)
)

// KeySpec describes one key of [tool.maturin] (or of one of its sub-tables).
type KeySpec struct {
	// Type is one of the Type* constants.
	Type string
	// Enum lists the accepted string values (or, when EnumStrict is false,
	// the usual ones, for completion).
	Enum []string
	// EnumStrict: maturin rejects values outside Enum when it reads
	// pyproject.toml ("pyproject.toml at … is invalid").
	EnumStrict bool
	// Doc is one or two sentences for hovers: what it does, the default.
	Doc string
	// Aliases are other spellings serde accepts for the same key.
	Aliases []string
	// Keys are the keys of the table, or of each table entry for the
	// array-of-table types.
	Keys map[string]KeySpec
	// Required lists keys of Keys that must be present.
	Required []string
	// Values describes each value of a TypeTableOfTables (target.<triple>).
	Values *KeySpec
}

var platformCIKeys = map[string]KeySpec{
	"runner":              {Type: TypeString, Doc: "GitHub Actions runner override for this platform."},
	"manylinux":           {Type: TypeString, Doc: "manylinux/musllinux version for the build container, e.g. \"auto\", \"2_28\", \"musllinux_1_2\"."},
	"container":           {Type: TypeString, Doc: "Container image to build in."},
	"docker-options":      {Type: TypeString, Doc: "Extra docker options."},
	"rust-toolchain":      {Type: TypeString, Doc: "Rust toolchain to install, e.g. \"stable\" or \"nightly\"."},
	"rustup-components":   {Type: TypeString, Doc: "Rustup components to install."},
	"before-script-linux": {Type: TypeString, Doc: "Script run before the build on Linux."},
	"args":                {Type: TypeString, Doc: "Extra arguments passed to maturin for this platform."},
}

func platformCI(doc string) KeySpec {
	keys := map[string]KeySpec{
		"targets": {Type: TypeArrayOfString, Doc: "Target architectures to build, e.g. [\"x86_64\", \"aarch64\"]. Mutually exclusive with `target`."},
	}
	target := KeySpec{Type: TypeArrayOfTable, Doc: "Detailed per-target configuration, a list of tables with `arch` and the platform keys. Mutually exclusive with `targets`.",
		Keys: map[string]KeySpec{"arch": {Type: TypeString, Doc: "Target architecture, e.g. \"x86_64\", \"aarch64\"."}}, Required: []string{"arch"}}
	for k, s := range platformCIKeys {
		keys[k] = s
		target.Keys[k] = s
	}
	keys["target"] = target
	return KeySpec{Type: TypeTable, Doc: doc, Keys: keys}
}

var globPatternKeys = map[string]KeySpec{
	"path":       {Type: TypeString, Doc: "A glob, relative to the directory of pyproject.toml (or to the crate's OUT_DIR with `from = \"out-dir\"`)."},
	"format":     {Type: TypeStringOrArray, Enum: []string{"sdist", "wheel"}, EnumStrict: true, Doc: "Where the pattern applies: \"sdist\", \"wheel\" or both as a list. Required unless `from` is given."},
	"from":       {Type: TypeString, Enum: []string{"out-dir"}, EnumStrict: true, Doc: "Take files from a crate's build-script OUT_DIR (wheel only); requires `to`."},
	"to":         {Type: TypeString, Doc: "Directory inside the wheel to put the OUT_DIR files in, e.g. \"my_package/\"."},
	"crate_name": {Type: TypeString, Doc: "Crate whose OUT_DIR is used (default: the root crate). Spelled with an underscore: `crate-name` is ignored."},
}

// MaturinKeys are the keys of [tool.maturin] in maturin 1.16. maturin
// ignores unknown keys silently (ToolMaturin has no deny_unknown_fields).
var MaturinKeys = map[string]KeySpec{
	"module-name": {Type: TypeString, Doc: "Python import name of the extension, may be dotted (`pkg._core`: extension `_core` inside package `pkg`). Default: Cargo `[lib] name`, else `[project] name`, else the crate name."},
	"include": {Type: TypeArrayStringOrTable, Keys: globPatternKeys, Required: []string{"path"},
		Doc: "Extra files to include: glob strings (sdist and wheel), `{ path, format }` tables, or `{ path, from = \"out-dir\", to }` tables. Patterns are relative to the directory of pyproject.toml (then to python-source)."},
	"exclude": {Type: TypeArrayStringOrTable, Keys: globPatternKeys, Required: []string{"path"},
		Doc: "Files to leave out: glob strings or `{ path, format }` tables, relative to the directory of pyproject.toml."},
	"bindings": {Type: TypeString, Enum: []string{"pyo3", "pyo3-ffi", "cffi", "uniffi", "bin"}, EnumStrict: true,
		Doc: "Binding type. Default: detected from the dependencies (pyo3/pyo3-ffi, uniffi, else cffi for a cdylib or bin for a binary). maturin 1.16 rejects other values (\"unknown variant\"); up to 1.15 any other value was treated as pyo3 bindings."},
	"compatibility": {Type: TypeString, Aliases: []string{"manylinux"},
		Enum: []string{"pypi", "linux", "off", "manylinux2014", "manylinux_2_17", "manylinux_2_28", "manylinux_2_34", "musllinux_1_1", "musllinux_1_2"},
		Doc:  "Platform tag policy: `pypi`, `linux`/`off` (native tag), `manylinux1`/`2010`/`2014`, `manylinux_X_Y` or `X_Y`, `musllinux_X_Y` (case-insensitive). Default: decided by auditwheel (musllinux_1_2 on musl targets). `manylinux` is an old alias."},
	"auditwheel": {Type: TypeString, Enum: []string{"repair", "check", "warn", "skip"}, EnumStrict: true,
		Doc: "What auditwheel does: repair (default on Linux), check, warn (default on macOS/Windows) or skip."},
	"skip-auditwheel": {Type: TypeBool, Doc: "Skip the auditwheel check (same as auditwheel = \"skip\"). Default false."},
	"strip":           {Type: TypeBool, Doc: "Strip the library for minimum file size. Default false."},
	"sdist-generator": {Type: TypeString, Enum: []string{"cargo", "git"}, EnumStrict: true,
		Doc: "How the sdist file list is made: `cargo` (cargo package --list, default) or `git` (git ls-files)."},
	"python-source":   {Type: TypeString, Doc: "Directory holding the Python package (`<python-source>/<module_name>/__init__.py`). Default: the project root."},
	"python-packages": {Type: TypeArrayOfString, Doc: "Extra top-level Python packages (directories beside the main one) to ship in the wheel."},
	"data":            {Type: TypeString, Doc: "Directory copied as the wheel's .data directory (subdirectories data, scripts, headers, purelib, platlib). Default: `<module_name>.data` if it exists."},
	"targets": {Type: TypeArrayOfTable, Required: []string{"name"}, Doc: "Cargo targets to build, as `{ name, kind }` tables. Default: detected.",
		Keys: map[string]KeySpec{
			"name": {Type: TypeString, Doc: "Target name as given in Cargo.toml or derived from the file name."},
			"kind": {Type: TypeString, Enum: []string{"bin", "cdylib", "dylib", "lib", "rlib", "staticlib"}, EnumStrict: true, Doc: "Crate type of the target, e.g. \"bin\" or \"cdylib\"."},
		}},
	"target": {Type: TypeTableOfTables, Doc: "Per-target-triple settings: `[tool.maturin.target.<triple>]`.",
		Values: &KeySpec{Type: TypeTable, Doc: "Settings for one Rust target triple.", Keys: map[string]KeySpec{
			"macos-deployment-target": {Type: TypeString, Aliases: []string{"macosx-deployment-target"}, Doc: "MACOSX_DEPLOYMENT_TARGET used when the environment does not set it, e.g. \"11.0\"."},
		}}},
	"profile":          {Type: TypeString, Doc: "Cargo profile to build with. Default: release (dev for `maturin develop`)."},
	"editable-profile": {Type: TypeString, Doc: "Cargo profile for editable installs; falls back to `profile`."},
	"features": {Type: TypeArrayStringOrTable, Required: []string{"feature"},
		Doc: "Cargo features to enable: names, or `{ feature, python-version, python-implementation }` tables enabled only for matching interpreters. Replaced (not merged) by --features on the command line.",
		Keys: map[string]KeySpec{
			"feature":               {Type: TypeString, Doc: "The Cargo feature to enable, e.g. \"pyo3/abi3-py311\"."},
			"python-version":        {Type: TypeString, Doc: "PEP 440 specifiers the target Python version must satisfy, e.g. \">=3.11\"."},
			"python-implementation": {Type: TypeString, Enum: []string{"cpython", "pypy", "graalpy"}, Doc: "Python implementation name the interpreter must have (compared case-insensitively)."},
		}},
	"all-features":        {Type: TypeBool, Doc: "Activate all features of the crate (cargo --all-features)."},
	"no-default-features": {Type: TypeBool, Doc: "Do not activate the `default` feature (cargo --no-default-features)."},
	"manifest-path":       {Type: TypeString, Doc: "Path to the Cargo.toml to build, relative to pyproject.toml. Default: Cargo.toml beside pyproject.toml."},
	"frozen":              {Type: TypeBool, Doc: "Require Cargo.lock and cache to be up to date (cargo --frozen)."},
	"locked":              {Type: TypeBool, Doc: "Require Cargo.lock to be up to date (cargo --locked)."},
	"config":              {Type: TypeArrayOfString, Doc: "Cargo configuration overrides (cargo --config KEY=VALUE)."},
	"unstable-flags":      {Type: TypeArrayOfString, Doc: "Unstable (nightly-only) Cargo flags (cargo -Z)."},
	"rustc-args":          {Type: TypeArrayOfString, Doc: "Extra arguments passed to rustc."},
	"use-base-python":     {Type: TypeBool, Doc: "Use the base Python executable instead of the venv's in PEP 517 builds, avoiding needless rebuilds. Default false."},
	"sbom": {Type: TypeTable, Doc: "Software bill of materials settings.", Keys: map[string]KeySpec{
		"rust":       {Type: TypeBool, Doc: "Generate a CycloneDX SBOM for the Rust crates. Default true."},
		"auditwheel": {Type: TypeBool, Doc: "Generate an SBOM for the shared libraries auditwheel repair grafts. Default true when repair copies libraries."},
		"include":    {Type: TypeArrayOfString, Doc: "Extra SBOM files to put in .dist-info/sboms."},
	}},
	"include-import-lib":   {Type: TypeBool, Doc: "Ship the Windows import library (.dll.lib) in the wheel. Default false."},
	"pgo-command":          {Type: TypeString, Doc: "Command run in a virtualenv with the instrumented wheel to collect PGO profiles, e.g. \"python -m pytest tests/benchmarks\"; required by --pgo."},
	"pgo-dependency-group": {Type: TypeString, Doc: "Dependency group installed before PGO profile generation (maturin 1.16+). Default: dev."},
	"generate-ci": {Type: TypeTable, Doc: "Settings for `maturin generate-ci`.", Keys: map[string]KeySpec{
		"github": {Type: TypeTable, Doc: "Settings for the generated GitHub Actions workflow.", Keys: map[string]KeySpec{
			"pytest":                 {Type: TypeBool, Doc: "Run pytest in the workflow."},
			"zig":                    {Type: TypeBool, Doc: "Use zig for cross compilation."},
			"skip-attestation":       {Type: TypeBool, Doc: "Skip artifact attestation."},
			"trusted-publishing":     {Type: TypeBool, Doc: "Publish with PyPI trusted publishing (OpenID Connect) instead of an API token."},
			"publishing-environment": {Type: TypeString, Doc: "GitHub Actions environment of the release job."},
			"args":                   {Type: TypeString, Doc: "Extra arguments passed to maturin on every platform."},
			"linux":                  platformCI("Linux (manylinux) builds."),
			"musllinux":              platformCI("musllinux builds."),
			"windows":                platformCI("Windows builds."),
			"macos":                  platformCI("macOS builds."),
			"emscripten":             platformCI("Emscripten builds."),
			"android":                platformCI("Android builds."),
		}},
	}},
}

// MaturinKey finds the spec for a key path below [tool.maturin], e.g.
// ("module-name"), ("sbom", "rust"), ("target", "x86_64-apple-darwin",
// "macos-deployment-target"), ("targets", "kind"), ("features",
// "python-version"), ("generate-ci", "github", "linux", "target", "arch").
// Array-of-table keys are addressed without an index; aliases resolve to
// their key. ok is false for an unknown key.
func MaturinKey(path ...string) (KeySpec, bool) {
	keys := MaturinKeys
	var spec KeySpec
	for i := 0; i < len(path); i++ {
		s, ok := lookupKey(keys, path[i])
		if !ok {
			return KeySpec{}, false
		}
		spec = s
		if s.Type == TypeTableOfTables && s.Values != nil {
			if i+1 == len(path) {
				return spec, true
			}
			i++ // the free-form key (target triple)
			spec = *s.Values
		}
		keys = spec.Keys
	}
	return spec, len(path) > 0
}

func lookupKey(keys map[string]KeySpec, name string) (KeySpec, bool) {
	if s, ok := keys[name]; ok {
		return s, true
	}
	for _, s := range keys {
		for _, a := range s.Aliases {
			if a == name {
				return s, true
			}
		}
	}
	return KeySpec{}, false
}

// SortedKeys returns the key names of a table spec (or of MaturinKeys when
// keys is nil), sorted, for completion and suggestions.
func SortedKeys(keys map[string]KeySpec) []string {
	if keys == nil {
		keys = MaturinKeys
	}
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
