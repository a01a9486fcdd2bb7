"""A plugin host in the style of OctoPrint: methods marked with
BlueprintPlugin.route are served under /plugin/<identifier>."""
from flask import Blueprint


class BlueprintPlugin:
    identifier = ""

    @staticmethod
    def route(rule, **options):
        def decorator(f):
            f._rules = getattr(f, "_rules", []) + [(rule, options)]
            return f

        return decorator

    def get_blueprint(self):
        bp = Blueprint(self.identifier, __name__)
        for name in dir(type(self)):
            f = getattr(self, name)
            for rule, options in getattr(f, "_rules", []):
                bp.add_url_rule(rule, name, f, **options)
        return bp
