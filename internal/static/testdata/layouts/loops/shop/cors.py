def with_cors(blueprint):
    @blueprint.after_request
    def allow(response):
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    return blueprint
