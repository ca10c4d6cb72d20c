from ._core import add, parse, Counter

__all__ = ["add", "parse", "Counter"]
