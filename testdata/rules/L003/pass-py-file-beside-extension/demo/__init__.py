from ._core import *

__doc__ = _core.__doc__
