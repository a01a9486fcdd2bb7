def configure_api_from_blueprint(blueprint, route_tuples, decorators=None):
    """Registers (path, MethodView class) tuples on the blueprint."""
    view_funcs = {}
    for path, resource in route_tuples:
        view_func = view_funcs.get(resource)
        if view_func is None:
            view_func = resource.as_view(resource.__name__)
            for decorator in decorators or []:
                view_func = decorator(view_func)
            view_funcs[resource] = view_func
        blueprint.add_url_rule(path, view_func=view_func)
    return blueprint
