# Finding the app in an imported module: instances, factories called
# with guessed arguments, and the guard that keeps the app from serving.
# Part of the exact-mode helper (main.py runs it in its namespace).

def forget_project_modules():
    """Drop the project's modules a failed attempt left half imported."""
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, "__file__", None) or ""
        # Namespace packages (no __init__.py) have no file: their path.
        try:
            ns = getattr(mod, "__path__", None)
            # A namespace path's raw entries: iterating recomputes it
            # from a parent that may be gone.
            paths = [f] if f else [str(x) for x in (getattr(ns, "_path", ns) or [])]
        except Exception:
            paths = []
        if any(x and os.path.abspath(x).startswith(ROOT + os.sep) for x in paths):
            sys.modules.pop(name, None)


class NotServed(RuntimeError):
    """Raised where the app would start serving (app.run at import)."""


def no_serve(*_a, **_k):
    raise NotServed("authprobe exact mode does not serve requests")


class _Extensions(dict):
    """app.extensions when stand-ins are on: a stubbed extension's
    init_app registers nothing, so app.extensions["mail"] is a stand-in
    (reported) instead of a KeyError."""

    def __missing__(self, key):
        STUBBED_NAMES.append("app.extensions[%r]" % (key,))
        return _stub_class("extensions." + str(key))()


def guard():
    try:
        import flask
        flask.Flask.run = no_serve
        if os.environ.get("AUTHPROBE_NO_STUBS") != "1":
            real_init = flask.Flask.__init__

            def init(self, *a, **k):
                real_init(self, *a, **k)
                self.extensions = _Extensions(self.extensions)
            flask.Flask.__init__ = init
            flask.Flask.config_class = config_class(flask.Flask.config_class)
    except Exception:
        pass
    try:
        import werkzeug.serving
        werkzeug.serving.run_simple = no_serve
    except Exception:
        pass


def is_app(obj):
    try:
        import flask
        return isinstance(obj, flask.Flask)
    except Exception:
        return False


def app_from(mod, attr):
    """The app named by attr in mod, or found there: an instance, else a
    factory called without arguments."""
    if attr and "(" in attr:
        return call_factory(mod, attr)
    names = [attr] if attr else ["app", "application"]
    for name in names:
        expr = name[:-2] if name.endswith("()") else name
        obj = getattr(mod, expr, None)
        if obj is None:
            continue
        if is_app(obj):
            if not served_rules(obj) and not attr:
                # An app whose routes a factory of the module adds
                # (app = Flask(...) at module level, create_app() fills it).
                for fname in ("create_app", "make_app", "build_app", "get_app"):
                    fn = getattr(mod, fname, None)
                    if inspect.isfunction(fn):
                        try:
                            made, how = call_guessing(fn, fname)
                        except Exception as e:
                            if fix(e, apply=False):
                                raise
                            continue
                        if is_app(made) and served_rules(made):
                            return made, how
            return obj, name
        # A Connexion/other wrapper holding the Flask app.
        inner = getattr(obj, "app", None)
        if is_app(inner):
            return inner, name + ".app"
        if inspect.isfunction(obj):
            made, how = call_guessing(obj, expr)
            if is_app(made):
                return made, how
            inner = getattr(made, "app", None)
            if is_app(inner):
                return inner, how + ".app"
    if attr:
        raise LookupError("%s has no Flask app or factory named %s" % (mod.__name__, attr))
    for name, obj in sorted(vars(mod).items()):
        if is_app(obj):
            return obj, name
    for name in ("create_app", "make_app", "build_app", "get_app"):
        fn = getattr(mod, name, None)
        if callable(fn):
            made, how = call_guessing(fn, name)
            if is_app(made):
                return made, how
    raise LookupError("%s defines no Flask app and no create_app/make_app factory" % mod.__name__)


# Values tried for a factory's required parameters, in order: None (a
# config object read with from_object), then the usual config names.
GUESSES = (None, "default", "development", "testing", "production")


def new_app(fn):
    import flask
    return flask.Flask(getattr(fn, "__module__", None) or "app")


def shown(v):
    return "Flask(...)" if is_app(v) else repr(v)


def call_guessing(fn, name):
    """Call a factory without arguments; when it requires some, call it
    with each guess in turn for every required parameter. Returns what it
    made and how it was called (create_app('development'))."""
    try:
        return fn(), name + "()"
    except Exception as e:
        if fix(e, apply=False):
            raise
        # The project's own calls of the factory first (its scripts and
        # run files say which configuration it is built with).
        for args, kwargs, how in site_args(fn, name):
            try:
                made = fn(*args, **kwargs)
            except Exception as e2:
                if fix(e2, apply=False):
                    raise
                continue
            if is_app(made) and served_rules(made) or is_app(getattr(made, "app", None)):
                return made, how
        if not isinstance(e, TypeError) or "required" not in str(e) or "argument" not in str(e):
            raise
        first = e
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        raise first
    pos = [p for p in params if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    kw = [p for p in params if p.default is p.empty and p.kind == p.KEYWORD_ONLY]
    tried = []
    for g in GUESSES:
        # A parameter named for the app (init_app(app), create_app(application))
        # gets a new Flask app; the others the guess.
        args = [new_app(fn) if "app" in p.name else g for p in pos]
        kwargs = {p.name: new_app(fn) if "app" in p.name else g for p in kw}
        how = "%s(%s)" % (name, ", ".join([shown(a) for a in args] + ["%s=%s" % (k, shown(v)) for k, v in kwargs.items()]))
        try:
            made = fn(*args, **kwargs)
        except Exception as e:
            if fix(e, apply=False):
                raise
            tried.append("%s: %s: %s" % (how, type(e).__name__, str(e)[:80]))
            continue
        if is_app(made) and served_rules(made) or is_app(getattr(made, "app", None)):
            return made, how
        tried.append("%s: made no app serving routes" % how)
    raise TypeError("%s; with guessed arguments: %s" % (first, "; ".join(tried)))
