use pyo3::prelude::*;

macro_rules! python_module {
    ($name:ident) => {
        #[pymodule]
        fn $name(_m: &Bound<'_, PyModule>) -> PyResult<()> {
            Ok(())
        }
    };
}

python_module!(demo);
