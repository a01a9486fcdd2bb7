# authprobe exact mode: import a Flask app without serving it and print
# what the framework knows as one JSON document on stdout.
#
# usage: python3 main.py ROOT [MODULE[:APP_OR_FACTORY]]
#
# It runs the project's code (module top level, the factory). It never
# prints a configuration value that may be secret: only whether a key is
# set, its length and its entropy; transport settings (JWT_TOKEN_LOCATION,
# JWT_HEADER_NAME, ...) are names, and are printed.
import importlib
import inspect
import json
import math
import os
import re
import sys
import traceback

ROOT = os.path.abspath(sys.argv[1])
TARGET = sys.argv[2] if len(sys.argv) > 2 else ""
# The app sees a bare command line, as under a WSGI server (an argparse
# run at import must not read the helper's arguments).
sys.argv = [os.path.join(ROOT, "app")]
REAL_STDOUT = sys.stdout
# The app's own prints must not mix with the JSON.
sys.stdout = sys.stderr
attempts = []

SHOWN = {
    "JWT_TOKEN_LOCATION", "JWT_HEADER_TYPE", "JWT_HEADER_NAME", "JWT_QUERY_STRING_NAME",
    "JWT_QUERY_STRING_VALUE_PREFIX", "JWT_ACCESS_COOKIE_NAME", "JWT_REFRESH_COOKIE_NAME",
    "JWT_ACCESS_COOKIE_PATH", "JWT_COOKIE_CSRF_PROTECT", "JWT_CSRF_IN_COOKIES",
    "JWT_ACCESS_CSRF_HEADER_NAME", "JWT_JSON_KEY", "JWT_REFRESH_JSON_KEY", "JWT_ALGORITHM",
    "JWT_DECODE_ALGORITHMS", "JWT_IDENTITY_CLAIM", "JWT_ACCESS_TOKEN_EXPIRES",
    "JWT_REFRESH_TOKEN_EXPIRES", "JWT_VERIFY_SUB", "JWT_DECODE_AUDIENCE", "JWT_DECODE_ISSUER",
    "JWT_ERROR_MESSAGE_KEY", "JWT_COOKIE_SECURE", "JWT_SESSION_COOKIE", "JWT_AUTH_HEADER_PREFIX",
    "JWT_AUTH_URL_RULE", "JWT_EXPIRATION_DELTA", "JWT_VERIFY", "JWT_VERIFY_EXPIRATION",
    "SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "WTF_CSRF_ENABLED", "LOGIN_DISABLED", "DEBUG", "TESTING",
}

# The helper's parts, by concern, run in this module's namespace (one set
# of globals, as one file would have): stand-in stubs, the failures they
# fix, finding the app, the candidates, and the report.
HERE = os.path.dirname(os.path.abspath(__file__))
for _part in ("stubs.py", "standins.py", "envline.py", "configkeys.py", "apps.py", "siteargs.py", "find.py", "report.py"):
    with open(os.path.join(HERE, _part), encoding="utf-8") as _fh:
        exec(compile(_fh.read(), os.path.join(HERE, _part), "exec"), globals())


def main():
    sys.path.insert(0, ROOT)
    os.chdir(ROOT)
    guard()
    if os.environ.get("AUTHPROBE_NO_STUBS") != "1":
        # First: a replaced installed library must not be found again.
        sys.meta_path.insert(0, _StubFinder())
        import builtins
        builtins.__build_class__ = _build_class
    app, target = load()
    doc = {"target": target, "attempts": attempts, "stubbed": sorted(set(STUBBED)),
           "stubbed_names": sorted(set(STUBBED_NAMES)), "env_set": sorted(set(ENV_SET)),
           "stubbed_routers": sorted(set(ROUTERS_STUBBED)), "replaced": sorted(set(REPLACED)),
           "metadata": sorted(set(DISTS)), "config_set": sorted(CONFIG_SET)}
    if app is None:
        doc["error"] = "no importable Flask app" if attempts else "no app module found (FLASK_APP, wsgi.py, app.py, a package with create_app)"
        json.dump(doc, REAL_STDOUT)
        return
    rules = []
    for r in app.url_map.iter_rules():
        if getattr(r, "build_only", False):
            continue  # only builds URLs: never matched, never served
        fn = app.view_functions.get(r.endpoint)
        f, line = location(fn) if fn is not None else ("", 0)
        rules.append({"rule": r.rule, "endpoint": r.endpoint,
                      "methods": sorted(m for m in (r.methods or ()) if m not in ("HEAD", "OPTIONS")),
                      "file": f, "line": line, "wrappers": wrappers(fn) if fn is not None else []})
    doc["rules"] = rules
    doc["blueprints"] = [{"name": n, "url_prefix": getattr(bp, "url_prefix", None) or "",
                          "import_name": getattr(bp, "import_name", "")}
                         for n, bp in sorted(app.blueprints.items())]
    doc["hooks"] = hooks(app)
    doc["config"] = config(app)
    json.dump(doc, REAL_STDOUT, default=str)


main()
