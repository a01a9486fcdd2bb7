import types

import flask


class Blueprint(flask.Blueprint):
    """Overrides route(): its own add_url_rule calls are a template, the
    decorated views are the registrations."""

    def route(self, rule, **options):
        def wrapper(func_or_cls):
            endpoint = str(options.pop("endpoint", func_or_cls.__name__))
            if isinstance(func_or_cls, types.FunctionType):
                self.add_url_rule(rule, endpoint, func_or_cls, **options)
            else:
                self.add_url_rule(rule, view_func=func_or_cls.as_view(endpoint), **options)
            return func_or_cls

        return wrapper
