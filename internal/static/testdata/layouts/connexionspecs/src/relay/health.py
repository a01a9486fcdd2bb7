def add_health_routes(app):
    @app.route("/__heartbeat__")
    def heartbeat():
        return "ok"

    @app.route("/__version__")
    def version():
        return "1"
