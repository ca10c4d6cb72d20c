from .demo_native import *

__doc__ = demo_native.__doc__
