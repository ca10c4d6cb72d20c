package main

import (
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
)

// baseVersion is the release this source tree prepares. The PyPI wheel
// (scripts/build-wheels) and the VS Code extension (editors/vscode
// package.json, scripts/build-binaries.sh) are stamped with it; a test
// keeps the three equal.
const baseVersion = "0.1.0"

// version, when set at link time (-ldflags "-X main.version=..."), is
// printed as it is: the wheel and .vsix builds set it to their own version.
var version = ""

// Version is pyo3-ls's version:
//   - the -X main.version of a packaged build;
//   - the module version for `go install github.com/pyo3-ls/pyo3-ls/cmd/pyo3-ls@v1.2.3`
//     (1.2.3, or the pseudo-version of @master);
//   - for a build from a checkout, baseVersion-dev with the VCS revision and
//     whether the tree had uncommitted changes: "0.1.0-dev (git 1a2b3c4d5e6f, modified)";
//   - baseVersion-dev when the build carries neither (go build -buildvcs=false).
func Version() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return baseVersion + "-dev"
	}
	return versionFrom(bi)
}

var pseudoVersion = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`-(0\.)?\d{14}-[0-9a-f]{12}(\+dirty)?$`) })

func versionFrom(bi *debug.BuildInfo) string {
	var rev string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	mv := bi.Main.Version
	if rev == "" {
		if mv != "" && mv != "(devel)" {
			return strings.TrimPrefix(mv, "v") // go install ...@version
		}
		return baseVersion + "-dev"
	}
	// A checkout: since Go 1.24 Main.Version is a tag (v1.2.3) or a
	// pseudo-version derived from the revision, with +dirty when modified.
	base := baseVersion + "-dev"
	if mv != "" && mv != "(devel)" && !pseudoVersion().MatchString(mv) && !strings.HasSuffix(mv, "+dirty") {
		base = strings.TrimPrefix(mv, "v") // a tagged commit
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	state := ""
	if modified {
		state = ", modified"
	}
	return base + " (git " + rev + state + ")"
}
