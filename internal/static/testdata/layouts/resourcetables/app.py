# Flask-RESTful resources registered from tables: lists of dicts (and
# dict(...) calls) handed to a helper that makes a blueprint and its Api
# per call (returned as a tuple), finds each class by module and class
# name (getattr(import_module(mod), name) in a second helper), fixes the
# rule with startswith, and registers the blueprint under the call's
# name; sections imported by name from a tuple; a class-attribute table
# of (class name, rule) and a comprehension over a function returning a
# literal, with getattr on the module itself.
from svc.api import build

app = build()
