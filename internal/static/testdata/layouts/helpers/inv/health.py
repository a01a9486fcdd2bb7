def ping():
    return "pong"


def register(app, prefix):
    app.add_url_rule(f"{prefix}/ping", "ping", ping)
