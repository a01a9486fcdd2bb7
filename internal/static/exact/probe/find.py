# Which modules may hold the app and importing them: FLASK_APP, the
# usual files, the static model's candidates, each retried past what a
# stand-in fixes. Part of the exact-mode helper (main.py runs it in its
# namespace).

APP_FILES = ("wsgi", "app", "application", "main", "run", "server", "api", "manage", "autoapp", "webapp", "asgi")
SKIP_DIRS = {"tests", "test", "docs", "doc", "examples", "example", "node_modules", "venv", ".venv", "migrations", "build", "dist"}


def call_factory(mod, expr):
    """MODULE:create_app('testing', debug=False) as Flask's CLI reads it:
    a factory of the module called with literal arguments."""
    import ast
    node = ast.parse(expr, mode="eval").body
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise LookupError("%s is not a call of a factory with literal arguments" % expr)
    args = [ast.literal_eval(a) for a in node.args]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    made = getattr(mod, node.func.id)(*args, **kwargs)
    if is_app(made):
        return made, expr
    inner = getattr(made, "app", None)
    if is_app(inner):
        return inner, expr + ".app"
    raise LookupError("%s did not return a Flask app" % expr)


def candidates():
    """Modules that may hold the app, most likely first: FLASK_APP, the
    usual file names at the root, then files and packages up to three
    directories down (src/ layouts included) whose text makes a Flask app
    or defines create_app."""
    if TARGET:
        return [TARGET]
    out = []
    env = os.environ.get("FLASK_APP", "")
    if env:
        mod = env.split(":")[0]
        if mod.endswith(".py"):
            mod = mod[:-3].replace("/", ".")
        out.append(mod + (":" + env.split(":", 1)[1] if ":" in env else ""))
    for name in APP_FILES:
        if os.path.exists(os.path.join(ROOT, name + ".py")) or os.path.isfile(os.path.join(ROOT, name, "__init__.py")):
            out.append(name)
    # Where the static model places the project's apps: the module that
    # makes or holds one, or the factory that returns it (path:attr).
    for c in os.environ.get("AUTHPROBE_CANDIDATES", "").split("\n"):
        if c.strip():
            mod = module_of_file(c.strip())
            if mod and mod not in out:
                out.append(mod)
    deeper = []
    for base in (ROOT, os.path.join(ROOT, "src")):
        if not os.path.isdir(base):
            continue
        for dirpath, dirs, files in os.walk(base):
            depth = os.path.relpath(dirpath, base).count(os.sep) + (0 if dirpath == base else 1)
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith(".") and depth < 3)
            for f in sorted(files):
                stem = f[:-3]
                if not f.endswith(".py") or (stem not in APP_FILES and stem != "__init__") or (dirpath == base and stem != "__init__"):
                    continue
                path = os.path.join(dirpath, f)
                try:
                    with open(path, encoding="utf-8", errors="replace") as fh:
                        text = fh.read(200000)
                except OSError:
                    continue
                # A module that makes the app, or one that imports it and
                # registers its routes (from .core.app import app, api).
                if "Flask(" not in text and "def create_app" not in text and not (
                        "import" in text and ("register_blueprint(" in text or ".add_resource(" in text or ".add_url_rule(" in text)):
                    continue
                rel_mod = os.path.relpath(path, base)[:-3].replace(os.sep, ".")
                if rel_mod.endswith(".__init__"):
                    rel_mod = rel_mod[: -len(".__init__")]
                score = (depth, 0 if "def create_app" in text or "app = Flask(" in text else 1)
                deeper.append((score, base, rel_mod))
    for _, base, mod in sorted(deeper):
        if base not in sys.path:
            sys.path.append(base)
        if mod not in out:
            out.append(mod)
    return out[:12]


BASES = {}  # candidate -> the directory its imports resolve from


def module_of_file(cand):
    """path/to/mod.py[:attr] as an importable module: its name from the
    directory above its outermost package (where Python finds it when the
    project runs it), which goes first on sys.path for that candidate."""
    path, _, attr = cand.partition(":")
    full = os.path.normpath(os.path.join(ROOT, path))
    if not full.startswith(ROOT + os.sep) or not full.endswith(".py") or not os.path.isfile(full):
        return ""
    d = os.path.dirname(full)
    parts = [os.path.basename(full)[:-3]]
    if parts[0] == "__init__":
        parts = []
    while d.startswith(ROOT + os.sep) and os.path.isfile(os.path.join(d, "__init__.py")):
        parts.insert(0, os.path.basename(d))
        d = os.path.dirname(d)
    if not parts:
        return ""
    mod = ".".join(parts) + (":" + attr if attr else "")
    BASES[mod] = d
    return mod


def import_keeping(name, holder):
    """import_module that keeps the module object in holder, so a module
    stopped by NotServed (app.run() at import) can still be read."""
    if name in sys.modules:
        return sys.modules[name]
    import importlib.util
    spec = importlib.util.find_spec(name)
    if name in sys.modules:
        # Importing the parent package imported it (pkg/__init__.py
        # imports pkg.config): that run is the one the app was built by.
        return sys.modules[name]
    if spec is None:
        raise ModuleNotFoundError("No module named %r" % name)
    module = importlib.util.module_from_spec(spec)
    holder["module"] = module
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def import_stubbing(mod_name, attr, holder):
    """Import the candidate and find its app; each failure a stand-in can
    get past (a missing module, a name an installed library lacks, a
    required environment variable) installs one and tries again."""
    while True:
        try:
            mod = import_keeping(mod_name, holder)
            app, found = app_from(mod, attr)
            return mod, app, found
        except Exception as e:
            if not fix(e):
                raise
            forget_project_modules()
            holder.clear()


def served_rules(app):
    """The app's rules but Flask's static file routes."""
    return [r for r in app.url_map.iter_rules()
            if not ((r.endpoint == "static" or r.endpoint.endswith(".static")) and r.rule.endswith("<path:filename>"))]


def load():
    for i, cand in enumerate(candidates()):
        mod_name, _, attr = cand.partition(":")
        print("authprobe-probe: trying " + cand, file=sys.__stderr__, flush=True)
        holder = {}
        if i > 0:
            # A half-imported package of another candidate must not stand
            # for this one's.
            forget_project_modules()
        base = BASES.get(cand)
        if base:
            if base in sys.path:
                sys.path.remove(base)
            sys.path.insert(0, base)
        try:
            mod, app, found = import_stubbing(mod_name, attr, holder)
            if not served_rules(app):
                # The app is made here but its routes are added by code
                # this import does not run (a main(), another module).
                attempts.append({"target": cand, "error": "imported %s:%s, which serves no route (its routes are added by code the import does not run)" % (mod_name, found), "where": ""})
                continue
            return app, mod_name + ":" + found
        except BaseException as e:  # SystemExit from argparse-driven scripts too
            if isinstance(e, KeyboardInterrupt):
                raise
            # app.run() at module level: the module stopped where it would
            # serve, with its routes registered.
            partial = holder.get("module")
            if isinstance(e, NotServed) and partial is not None:
                try:
                    app, found = app_from(partial, attr)
                    return app, mod_name + ":" + found
                except Exception:
                    pass
            if os.environ.get("AUTHPROBE_PROBE_DEBUG") == "1":
                traceback.print_exception(e, file=sys.__stderr__)
            why = (type(e).__name__ + ": " + str(e)).strip()[:500]
            if isinstance(e, SyntaxError) and rel(getattr(e, "filename", "") or ""):
                why += " (the project's code does not parse with Python %d.%d; if it targets a newer Python, give its interpreter with --python)" % sys.version_info[:2]
            attempts.append({"target": cand, "error": why, "where": where_failed(e)})
    return None, ""


def where_failed(e):
    if isinstance(e, SyntaxError) and rel(getattr(e, "filename", "") or ""):
        return "%s:%d" % (rel(e.filename), e.lineno or 0)
    tb = traceback.extract_tb(e.__traceback__)
    for fr in reversed(tb):
        if fr.filename.startswith(ROOT):
            return "%s:%d" % (rel(fr.filename), fr.lineno)
    return ""
