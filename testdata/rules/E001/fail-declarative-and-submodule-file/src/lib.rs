use pyo3::prelude::*;

#[pyfunction]
fn helper() -> i64 {
    1
}

#[pyfunction]
fn double(x: i64) -> i64 {
    2 * x
}

#[pymodule]
mod _core {
    use pyo3::prelude::*;

    #[pymodule_export]
    use super::double;

    #[pyfunction]
    fn triple(x: i64) -> i64 {
        3 * x
    }
}
