# Registration helpers whose parameters have defaults, called without
# them: a function's url/methods/prefix defaults, a decorator factory's
# url default, a route helper's base default, a helper looping over a
# default tuple of urls, and a registry object whose constructor's
# default base (Registry(bp) with def __init__(self, bp, base="/v1"))
# its method reads as self.base.
from flask import Flask

from svc import plain, registry

app = Flask(__name__)
app.register_blueprint(plain.bp, url_prefix="/plain")
app.register_blueprint(registry.bp, url_prefix="/registry")
