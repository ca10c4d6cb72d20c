from ._core import Counter
