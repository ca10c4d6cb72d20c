#[cfg(feature = "python")]
use pyo3::prelude::*;

pub fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[cfg(feature = "python")]
#[pymodule]
fn demo(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(py_add, m)?)?;
    Ok(())
}

#[cfg(feature = "python")]
#[pyfunction]
fn py_add(a: i64, b: i64) -> i64 {
    add(a, b)
}
