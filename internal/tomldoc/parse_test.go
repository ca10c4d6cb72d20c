package tomldoc

const pyprojectSample = `[build-system]
requires = ["maturin>=1.5,<2.0"]
build-backend = "maturin"

[project]
name = "my-ext"
version = "0.1.0"
`
