use pyo3::prelude::*;

#[pyfunction]
#[pyo3(signature = (data, /, strict = false, *, limit = None))]
fn parse(data: &str, strict: bool, limit: Option<usize>) -> usize {
    let _ = strict;
    limit.unwrap_or(data.len())
}

#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[pyfunction]
#[pyo3(signature = (*args, **kwargs))]
fn count(args: &Bound<'_, pyo3::types::PyTuple>, kwargs: Option<&Bound<'_, pyo3::types::PyDict>>) -> usize {
    args.len() + kwargs.map_or(0, |k| k.len())
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_function(wrap_pyfunction!(count, m)?)?;
    Ok(())
}
