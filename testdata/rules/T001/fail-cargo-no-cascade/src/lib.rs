use pyo3::prelude::*;

#[pymodule]
fn my_pkg(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
