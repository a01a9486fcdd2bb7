# The arguments the project itself calls a factory with: its own call
# sites (create_app('dev') in a script, create_app(ProductionConfig) in a
# run file, create_app(os.getenv("FLASK_CONFIG", "dev"))), tried before
# the generic guesses. Part of the exact-mode helper (main.py runs it in
# its namespace).

SITE_FILES_MAX = 400  # project files read for call sites
SITE_ARGS_MAX = 6  # distinct argument lists tried


def site_value(node, scopes):
    """The value of a call-site argument: a literal, an environment read's
    default (os.getenv("K", "dev")), or a name or dotted name bound in one
    of scopes (the factory's globals, the call site's module when it is
    already imported). Raises LookupError when it has none."""
    import ast
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    if isinstance(node, ast.Call):
        f = node.func
        fname = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
        if fname in ("getenv", "get") and len(node.args) == 2:
            return site_value(node.args[1], scopes)
        raise LookupError("a call")
    parts = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        raise LookupError("not a name")
    for scope in scopes:
        if node.id in scope:
            v = scope[node.id]
            for p in parts:
                v = getattr(v, p)
            return v
    raise LookupError("unbound name " + node.id)


def project_files():
    for dirpath, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith(".") and d != "site-packages")
        for f in sorted(files):
            if f.endswith(".py"):
                yield os.path.join(dirpath, f)


def site_args(fn, name):
    """Argument lists (args, kwargs, shown) of the project's calls of the
    factory named name, each with every argument's value known."""
    import ast
    out, seen = [], set()
    for i, path in enumerate(project_files()):
        if i >= SITE_FILES_MAX or len(out) >= SITE_ARGS_MAX:
            break
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read(400000)
            if name + "(" not in text:
                continue
            tree = ast.parse(text)
        except (SyntaxError, ValueError, OSError, RecursionError):
            continue
        mod = sys.modules.get(module_name_of(path)) if module_name_of(path) else None
        scopes = [fn.__globals__] + ([vars(mod)] if mod is not None else [])
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = getattr(node, "func", None)
            callee = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if callee != name or not (node.args or node.keywords):
                continue
            try:
                args = [site_value(a, scopes) for a in node.args if not isinstance(a, ast.Starred)]
                kwargs = {k.arg: site_value(k.value, scopes) for k in node.keywords if k.arg}
            except Exception:
                continue
            shown_args = ", ".join([ast.unparse(a) for a in node.args] + ["%s=%s" % (k.arg, ast.unparse(k.value)) for k in node.keywords if k.arg])
            if shown_args in seen:
                continue
            seen.add(shown_args)
            out.append((args, kwargs, "%s(%s) as %s:%d calls it" % (name, shown_args, rel(path), node.lineno)))
    return out


def module_name_of(path):
    r = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
    return r[: -len(".__init__")] if r.endswith(".__init__") else r
