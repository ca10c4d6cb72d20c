from demo._core import double, triple, helper
from . import util
