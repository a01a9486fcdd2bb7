"""Blueprints reached through star re-exports: an attribute of a plainly
imported package whose __init__ star-imports the subpackage that imports
the blueprint, and a bare name a star import brings in."""
from flask import Flask

import parts
from parts.reports import *  # noqa: F401,F403

app = Flask(__name__)
parts.users_bp.register_blueprint(parts.keys_bp, url_prefix="/<int:user_id>/keys")
app.register_blueprint(parts.users_bp, url_prefix="/users")
app.register_blueprint(reports_bp, url_prefix="/reports")  # noqa: F405
