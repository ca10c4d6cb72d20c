from ._core import parse, add, count
