from ._core import add
