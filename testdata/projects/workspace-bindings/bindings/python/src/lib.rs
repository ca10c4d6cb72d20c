use pyo3::prelude::*;

#[pymodule]
mod fastthing {
    use pyo3::prelude::*;

    #[pyfunction]
    fn add(a: i64, b: i64) -> i64 {
        core::add(a, b)
    }

    #[pymodule]
    mod sub {
        #[pymodule_export]
        use super::add;
    }
}
