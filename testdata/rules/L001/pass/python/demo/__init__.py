from .demo import *

__doc__ = demo.__doc__
