package cargo

import (
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

func parse(t *testing.T, src string) *tomldoc.Document {
	t.Helper()
	doc, err := tomldoc.Parse([]byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

const manifest = `[package]
name = "my-crate"
version.workspace = true

[lib]
crate_type = ["cdylib", "rlib"]
path = "rust/lib.rs"

[[bin]]
name = "tool"

[dependencies]
py = { package = "pyo3", version = "0.23", features = ["abi3-py39"], default-features = false }
serde = "1"
numpy = { workspace = true, optional = true }

[target.'cfg(windows)'.dependencies]
winapi = "0.3"

[dev-dependencies]
pyo3 = { version = "0.23", features = ["auto-initialize"] }

[build-dependencies.cc]
version = "1"

[features]
default = ["fast"]
fast = ["py/abi3-py310"]

[profile.dist]
inherits = "release"

[package.metadata.maturin]
name = "old"
`

func TestManifestModel(t *testing.T) {
	m := FromDoc("Cargo.toml", parse(t, manifest))
	if m.Name == nil || m.Name.Value != "my-crate" || !m.VersionWorkspace || m.Version != nil {
		t.Errorf("package: name %v version %v workspace %v", m.Name, m.Version, m.VersionWorkspace)
	}
	if got := m.EffectiveLibName(); got != "my_crate" {
		t.Errorf("EffectiveLibName = %q", got)
	}
	if !m.HasCrateType("cdylib") || !m.HasCrateType("rlib") || m.LibPath == nil || m.LibPath.Value != "rust/lib.rs" {
		t.Errorf("lib: %+v %+v", m.CrateTypes, m.LibPath)
	}
	if len(m.Bins) != 1 {
		t.Errorf("bins = %d", len(m.Bins))
	}
	pyo3 := m.FindDeps("pyo3")
	if len(pyo3) != 2 {
		t.Fatalf("FindDeps(pyo3) = %d, want the renamed normal one and the dev one", len(pyo3))
	}
	py := pyo3[0]
	if py.Key != "py" || py.Kind != Normal || py.Version.Value != "0.23" || py.DefaultFeatures || len(py.Features) != 1 || py.Features[0].Value != "abi3-py39" {
		t.Errorf("renamed dep = %+v", py)
	}
	src := []byte(manifest)
	if got := string(src[py.KeyRange.Start:py.KeyRange.End]); got != "py" {
		t.Errorf("KeyRange covers %q", got)
	}
	if got := string(src[py.Features[0].Range.Start:py.Features[0].Range.End]); got != `"abi3-py39"` {
		t.Errorf("feature range covers %q", got)
	}
	if pyo3[1].Kind != Dev {
		t.Errorf("second pyo3 should be the dev-dependency")
	}
	if d := m.DepByKey("numpy"); d == nil || !d.Workspace || !d.Optional {
		t.Errorf("numpy = %+v", d)
	}
	var win *Dep
	for i := range m.Deps {
		if m.Deps[i].Key == "winapi" {
			win = &m.Deps[i]
		}
	}
	if win == nil || win.Target != "cfg(windows)" {
		t.Errorf("target-specific dependency = %+v", win)
	}
	if cc := m.FindDeps("cc"); len(cc) != 1 || cc[0].Kind != Build || cc[0].Version.Value != "1" {
		t.Errorf("build dependency from a [build-dependencies.cc] table = %+v", cc)
	}
	if f := m.Features["fast"]; f == nil || len(f.Enables) != 1 || f.Enables[0].Value != "py/abi3-py310" {
		t.Errorf("features = %+v", m.Features)
	}
	if m.Profiles["dist"] == nil || m.MetadataMaturin == nil {
		t.Errorf("profiles %v metadata %v", m.Profiles, m.MetadataMaturin)
	}
}

func TestWorkspaceModel(t *testing.T) {
	m := FromDoc("Cargo.toml", parse(t, `[workspace]
members = ["crates/*", "py"]
exclude = ["crates/old"]
[workspace.package]
version = "1.2.3"
[workspace.dependencies]
pyo3 = { version = "0.25", features = ["extension-module"] }
`))
	if m.Workspace == nil || len(m.Members) != 2 || len(m.Exclude) != 1 || m.WorkspacePackage == nil {
		t.Fatalf("workspace = %+v", m)
	}
	d := m.WorkspaceDep("pyo3")
	if d == nil || d.Version.Value != "0.25" || d.Features[0].Value != "extension-module" {
		t.Errorf("workspace dep = %+v", d)
	}
}

func TestLock(t *testing.T) {
	var b strings.Builder
	b.WriteString("version = 4\n\n")
	pkg := func(name, version, source string, deps ...string) {
		b.WriteString("[[package]]\nname = \"" + name + "\"\nversion = \"" + version + "\"\n")
		if source != "" {
			b.WriteString("source = \"" + source + "\"\n")
		}
		if len(deps) > 0 {
			b.WriteString("dependencies = [\n")
			for _, d := range deps {
				b.WriteString(" \"" + d + "\",\n")
			}
			b.WriteString("]\n")
		}
		b.WriteString("\n")
	}
	reg := "registry+https://github.com/rust-lang/crates.io-index"
	pkg("demo", "0.1.0", "", "helper", "pyo3 0.25.1")
	pkg("helper", "0.1.0", "", "pyo3 0.24.2")
	pkg("pyo3", "0.24.2", reg)
	pkg("pyo3", "0.25.1", reg)
	pkg("unrelated", "1.0.0", "", "pyo3 0.22.0")
	pkg("pyo3", "0.22.0", reg)
	l := LockFromDoc("Cargo.lock", parse(t, b.String()))
	if len(l.Versions("pyo3")) != 3 {
		t.Errorf("Versions(pyo3) = %v", l.Versions("pyo3"))
	}
	var got []string
	for _, p := range l.Reachable("demo") {
		if p.Name == "pyo3" {
			got = append(got, p.Version)
		}
	}
	if len(got) != 2 || !(got[0] == "0.24.2" || got[1] == "0.24.2") || !(got[0] == "0.25.1" || got[1] == "0.25.1") {
		t.Errorf("pyo3 reachable from demo = %v, want 0.24.2 and 0.25.1 (not 0.22.0)", got)
	}
	src := b.String()
	for _, p := range l.Packages {
		if !strings.HasPrefix(src[p.Range.Start:p.Range.End], "[[package]]") {
			t.Errorf("package range does not cover its header: %q", src[p.Range.Start:p.Range.End])
		}
	}
}
