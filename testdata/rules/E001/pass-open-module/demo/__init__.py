# register() receives the module: pyo3-ls cannot list what it adds, so EXTRA is not reported
from ._core import add, EXTRA
