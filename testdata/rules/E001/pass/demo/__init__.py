from ._core import add, parse_int, Counter, VERSION

__all__ = ["add", "parse_int", "Counter", "VERSION"]
