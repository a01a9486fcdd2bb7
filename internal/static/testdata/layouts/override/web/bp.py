import types

import flask
from flask.blueprints import BlueprintSetupState


class PrefixedSetupState(BlueprintSetupState):
    """Flask's own add_url_rule of a registration, overridden: a template."""

    def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
        if rule.startswith("/static"):
            super().add_url_rule(rule, endpoint, view_func, **options)
        else:
            super().add_url_rule(rule, endpoint, view_func, **options)


class Blueprint(flask.Blueprint):
    """Overrides route(): its own add_url_rule calls are a template, the
    decorated views are the registrations."""

    def make_setup_state(self, app, options, first_registration=False):
        return PrefixedSetupState(self, app, options, first_registration)

    def route(self, rule, **options):
        def wrapper(func_or_cls):
            endpoint = str(options.pop("endpoint", func_or_cls.__name__))
            if isinstance(func_or_cls, types.FunctionType):
                self.add_url_rule(rule, endpoint, func_or_cls, **options)
            else:
                self.add_url_rule(rule, view_func=func_or_cls.as_view(endpoint), **options)
            return func_or_cls

        return wrapper
