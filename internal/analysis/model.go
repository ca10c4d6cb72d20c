package analysis

import (
	"sync"

	"github.com/pyo3-ls/pyo3-ls/internal/model"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// The rules read the project model (internal/model): these names keep the
// rule code short and are the same types.
type (
	Location    = model.Location
	ModuleName  = model.ModuleName
	PyModule    = model.PyModule
	PyO3Dep     = model.PyO3Dep
	FeatureRef  = model.FeatureRef
	PyO3Version = model.PyO3Version
	FeatureUse  = model.FeatureUse
	Abi3        = model.Abi3
	Boundary    = model.Boundary
	Layout      = model.Layout
)

// ProjectInfo is the project model plus what the rules cache per run.
type ProjectInfo struct {
	*model.Project

	maturinOnce sync.Once
	maturin     []maturinFinding
}

func newInfo(p *project.Project) *ProjectInfo { return &ProjectInfo{Project: model.New(p)} }

// Inspect returns the project model the rules read (module name,
// #[pymodule]s, the pyo3 dependency, bindings...) for editor features such
// as hovers and go-to-definition. It runs no rule.
func Inspect(p *project.Project) *ProjectInfo { return newInfo(p) }

// maturinFindings walks [tool.maturin] once for T002, M003 and M004.
func (in *ProjectInfo) maturinFindings() []maturinFinding {
	in.maturinOnce.Do(func() {
		if pp := in.Snapshot.Pyproject; pp != nil && pp.Maturin != nil {
			in.maturin = walkMaturin(pp.Path, pp.Doc.Src, pp.Maturin.Value)
		}
	})
	return in.maturin
}
