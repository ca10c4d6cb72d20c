use python::prelude::*;

mod util;

#[pymodule]
#[pyo3(name = "renamed")]
fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
    util::register(m)
}
