# A project module with its own add_resource: static asset bundles, not
# Flask-RESTful resources (an Api is an object, never a module).
BUNDLES = {}


def add_resource(path, name):
    BUNDLES[name] = path
