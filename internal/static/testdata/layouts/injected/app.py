# A loader runs every page module with a blueprint injected into its
# namespace as `manager`; the pages use the name without binding it.
import sys
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

from flask import Blueprint, Flask

app = Flask(__name__)


def register_page(page_path):
    page_name = page_path.stem.removesuffix("_app")
    module_name = "pages." + page_name
    spec = spec_from_file_location(module_name, page_path)
    page = module_from_spec(spec)
    page.app = app
    page.manager = Blueprint(page_name, module_name)
    sys.modules[module_name] = page
    spec.loader.exec_module(page)
    app.register_blueprint(page.manager, url_prefix="/v1")


for path in sorted((Path(__file__).parent / "pages").glob("*_app.py")):
    register_page(path)
