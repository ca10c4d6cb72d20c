from .demo import *

__doc__ = demo.__doc__


def main():
    print(add(1, 2))
