use pyo3::prelude::*;

#[pymodule]
mod demo {
    use pyo3::prelude::*;

    #[pyfunction]
    fn add(a: i64, b: i64) -> i64 {
        a + b
    }

    #[pymodule]
    mod sub {}
}
