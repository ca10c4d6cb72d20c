from ._core import double as twice, Missing
