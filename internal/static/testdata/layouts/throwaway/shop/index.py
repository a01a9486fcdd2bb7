import flask


def describe(blueprint):
    scratch = flask.Flask("scratch")
    scratch.config["SERVER_NAME"] = "localhost"
    scratch.register_blueprint(blueprint)
    return sorted(
        rule.rule
        for rule in scratch.url_map.iter_rules()
        if rule.endpoint.startswith(blueprint.name + ".")
    )
