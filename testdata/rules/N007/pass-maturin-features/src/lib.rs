//! A Rust library with optional Python bindings.

#[cfg(any(feature = "python", feature = "python-stubgen"))]
pub mod python;

pub fn add(a: i64, b: i64) -> i64 {
    a + b
}
