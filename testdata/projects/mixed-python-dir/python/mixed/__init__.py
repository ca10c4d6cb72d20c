from ._mixed import add
