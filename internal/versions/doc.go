// Package versions implements the two version languages a PyO3/maturin
// project mixes:
//
//   - Cargo SemVer versions and requirements (Version, Req), with the exact
//     semantics of the Rust `semver` crate 1.0.x that Cargo uses
//     (parse.rs/eval.rs of dtolnay/semver): bare "0.23" is a caret
//     requirement, partial versions compare only on the fields given,
//     and a pre-release version only matches when some comparator names the
//     same major.minor.patch with a pre-release.
//
//   - PEP 440 versions and specifiers (PyVersion, Specifiers), with the
//     semantics of the Rust `pep440_rs` crate 0.7.3, which maturin 1.14 uses
//     (directly and through the pyproject-toml crate) both to convert Cargo's
//     package.version and to parse requires-python.
//
// The behaviour of both was checked against the real crates (semver 1.0.28,
// pep440_rs 0.7.3) by a throw-away Rust program; the verified cases are the
// tables in the *_test.go files, so the tests do not need cargo.
package versions
