# Request handlers are classes; the blueprint below turns each into a view.
from flask import Blueprint, request


class RH:
    def process(self, **kwargs):
        return self._process(**kwargs)


def make_view(cls):
    def view(**kwargs):
        return cls().process(**kwargs)

    view.__name__ = cls.__name__
    view.view_class = cls
    return view


class HandlerBlueprint(Blueprint):
    def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
        if view_func is not None:
            view_func = make_view(view_func)
        super().add_url_rule(rule, endpoint, view_func, **options)
