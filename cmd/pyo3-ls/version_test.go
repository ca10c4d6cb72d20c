package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

func TestVersionFrom(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	rev := "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d"
	for _, tc := range []struct {
		main     string
		settings []debug.BuildSetting
		want     string
	}{
		{"v1.2.3", nil, "1.2.3"}, // go install ...@v1.2.3
		{"v0.0.0-20261130121314-1a2b3c4d5e6f", nil, "0.0.0-20261130121314-1a2b3c4d5e6f"}, // go install ...@master
		{"(devel)", nil, baseVersion + "-dev"},                                           // -buildvcs=false
		{"", nil, baseVersion + "-dev"},
		{"v0.0.0-20261130121314-1a2b3c4d5e6f+dirty", vcs(rev, "true"), baseVersion + "-dev (git 1a2b3c4d5e6f, modified)"},
		{"v0.0.0-20261130121314-1a2b3c4d5e6f", vcs(rev, "false"), baseVersion + "-dev (git 1a2b3c4d5e6f)"},
		{"(devel)", vcs(rev, "false"), baseVersion + "-dev (git 1a2b3c4d5e6f)"},
		{"v0.2.0", vcs(rev, "false"), "0.2.0 (git 1a2b3c4d5e6f)"}, // a tagged commit
	} {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/pyo3-ls/pyo3-ls", Version: tc.main}, Settings: tc.settings}
		if got := versionFrom(bi); got != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.main, tc.settings, got, tc.want)
		}
	}
}

// TestBinVersionFromCheckout clones this repository (a plain clone: Go
// stamps VCS information only where .git is a directory, not in a git
// worktree), builds the binary there with VCS stamping on, and checks that
// --version names the commit, then "modified" once a file is changed.
// A stress test: runs only with PYO3_LS_STRESS=1 (CI sets it).
func TestBinVersionFromCheckout(t *testing.T) {
	testenv.SkipUnlessStress(t, "clones the repository and builds twice")
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	clone := filepath.Join(t.TempDir(), "src")
	if out, err := exec.Command("git", "clone", "--quiet", "--no-hardlinks", strings.TrimSpace(string(top)), clone).CombinedOutput(); err != nil {
		t.Skipf("git clone: %v %s", err, out)
	}
	if src, _ := os.ReadFile(filepath.Join(clone, "cmd", "pyo3-ls", "version.go")); !strings.Contains(string(src), "func versionFrom") {
		t.Skip("HEAD's pyo3-ls predates versions from build info (a rebase in progress?)")
	}
	head, _ := exec.Command("git", "-C", clone, "rev-parse", "HEAD").Output()
	rev := strings.TrimSpace(string(head))[:12]
	build := func(args ...string) string {
		bin := filepath.Join(t.TempDir(), "pyo3-ls")
		cmd := exec.Command("go", append(append([]string{"build", "-trimpath"}, args...), "-o", bin, "./cmd/pyo3-ls")...) // -trimpath: the build cache serves the clone too
		cmd.Dir = clone
		cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=true")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v %s", err, out)
		}
		out, err := exec.Command(bin, "--version").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	got := build()
	if !strings.HasSuffix(got, "(git "+rev+")") || !strings.HasPrefix(got, "pyo3-ls ") {
		t.Errorf("clean checkout: --version %q, want the revision %s", got, rev)
	}
	if tag, err := exec.Command("git", "-C", clone, "describe", "--exact-match", "--tags").Output(); err != nil && got != "pyo3-ls "+baseVersion+"-dev (git "+rev+")" {
		t.Errorf("untagged checkout: %q", got)
	} else if err == nil {
		t.Logf("HEAD is tagged %s: %s", tag, got)
	}
	os.WriteFile(filepath.Join(clone, "README.md"), []byte("changed\n"), 0o644)
	if got := build(); !strings.HasSuffix(got, "(git "+rev+", modified)") {
		t.Errorf("modified checkout: --version %q", got)
	}
}

// TestVersionLinkTimeOverride: -X main.version (the wheel and .vsix builds;
// scripts/test-wheel.sh and editors/vscode/ci.sh check their binaries) wins.
func TestVersionLinkTimeOverride(t *testing.T) {
	defer func(v string) { version = v }(version)
	version = "9.8.7"
	if code, out, _ := runCLI(t, "", "--version"); code != 0 || out != "pyo3-ls 9.8.7\n" {
		t.Errorf("--version: %d %q", code, out)
	}
}

// TestPackagedVersionsAgree: the wheel (scripts/build-wheels) and the VS Code
// extension (package.json, whose version build-binaries.sh stamps into the
// bundled server) carry baseVersion.
func TestPackagedVersionsAgree(t *testing.T) {
	data, err := os.ReadFile("../../editors/vscode/package.json")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatal(err)
	}
	if pkg.Version != baseVersion {
		t.Errorf("editors/vscode/package.json version %q, baseVersion %q", pkg.Version, baseVersion)
	}
	script, _ := os.ReadFile("../../editors/vscode/scripts/build-binaries.sh")
	if !strings.Contains(string(script), "-X main.version=$version") {
		t.Error("build-binaries.sh does not stamp the extension's version into the server")
	}
	out, err := exec.Command("python3", "../../scripts/build-wheels", "--print-version").Output()
	if err != nil {
		t.Skipf("python3: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != baseVersion {
		t.Errorf("wheel version %q, baseVersion %q", got, baseVersion)
	}
}
