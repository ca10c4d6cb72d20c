from ._core import add

try:
    from ._core import fast_path
except ImportError:
    fast_path = None

if False:
    from ._core import never


def lazy():
    from ._core import later
    return later
