use pyo3::prelude::*;

#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("EXTRA", 1)?;
    Ok(())
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)?;
    register(m)?;
    Ok(())
}
