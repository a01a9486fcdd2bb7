from flask import Flask


def create_app(settings=None):
    app = Flask(__name__)
    if settings:
        app.config.from_mapping(settings)

    @app.route("/ping")
    def ping():
        return "pong"

    install_views(app)
    from .commits import bp as commits_bp
    app.register_blueprint(commits_bp, url_prefix="/v1")
    return app


def install_views(app):
    # A closure over the enclosing helper's app: each table row is one rule,
    # built with % from a conditional, then extended with +=.
    def mount(view, name, rows, per_node=True, slash=True):
        view_func = view.as_view(name)
        for url, defaults in rows:
            rule = "/<int:node>/%s" % url if per_node else "/%s" % url
            if slash:
                rule += "/"
            if not per_node:
                defaults = dict(defaults or {}, node=1)
            app.add_url_rule(rule, defaults=defaults, view_func=view_func)

    from .views.home import HomeView
    home = HomeView.as_view("home")
    app.add_url_rule("/<int:node>/", view_func=home)
    app.add_url_rule("/", defaults=dict(node=1), view_func=home)

    from .views.jobs import JobsView, JobLogView
    mount(JobsView, "jobs", [
        ("jobs/<project>/<spider>", None),
        ("jobs/<project>", dict(spider=None)),
        ("jobs", dict(project=None, spider=None)),
    ])
    mount(JobLogView, "joblog", [("log/<job>", None)], slash=False)

    from .views.settings import SettingsView
    mount(SettingsView, "settings", [("settings", None)], per_node=False)
