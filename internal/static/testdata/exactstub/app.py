# Imports third-party modules the interpreter lacks (exact mode stubs
# them): an extension, a decorator, a base class, a registry iterated at
# import.
from flask import Flask

import authprobe_absent_ext
from authprobe_absent_lib import cached, registry
from authprobe_absent_lib.contrib import BaseView

from shop.views import bp

app = Flask(__name__)
ext = authprobe_absent_ext.Extension(app)
for plugin in registry.plugins:
    plugin.setup(app)


class ItemsView(BaseView):
    def listing(self):
        return "items"


view = ItemsView()


@cached(timeout=60)
@ext.limit("10/minute")
def items():
    return view.listing()


app.add_url_rule("/items", "items", items, methods=["GET", "POST"])
app.register_blueprint(bp)
