from importlib import import_module

native = import_module('demo.lambda')
