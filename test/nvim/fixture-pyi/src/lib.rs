use pyo3::prelude::*;

/// Add two numbers.
#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// Parse a number.
#[pyfunction]
#[pyo3(name = "parse_int")]
fn parse(text: &str) -> PyResult<i64> {
    text.trim().parse().map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("{e}")))
}

#[pyclass]
struct Counter {
    value: i64,
}

#[pymethods]
impl Counter {
    #[new]
    #[pyo3(signature = (start = 0))]
    fn new(start: i64) -> Self {
        Counter { value: start }
    }

    fn incr(&mut self, by: i64) -> i64 {
        self.value += by;
        self.value
    }

    #[staticmethod]
    fn zero() -> Self {
        Counter { value: 0 }
    }

    #[getter]
    fn value(&self) -> i64 {
        self.value
    }
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_class::<Counter>()?;
    m.add("VERSION", "1.0")?;
    Ok(())
}
