# What the helper reports of the imported app: view locations unwrapped,
# hooks, and settings by length and entropy, never by value. Part of the
# exact-mode helper (main.py runs it in its namespace).

def rel(path):
    try:
        path = os.path.abspath(path)
    except Exception:
        return ""
    if path.startswith(ROOT + os.sep):
        return os.path.relpath(path, ROOT).replace(os.sep, "/")
    return ""


def location(fn):
    target = getattr(fn, "view_class", None) or fn
    try:
        target = inspect.unwrap(target)
    except Exception:
        pass
    try:
        f = inspect.getsourcefile(target)
        _, line = inspect.getsourcelines(target)
    except Exception:
        code = getattr(target, "__code__", None)
        if code is None:
            return "", 0
        f, line = code.co_filename, code.co_firstlineno
    return rel(f or ""), line


def wrappers(fn):
    """The layers a view is wrapped in, outermost first, through __wrapped__."""
    out = []
    seen = set()
    while fn is not None and id(fn) not in seen and len(out) < 32:
        seen.add(id(fn))
        inner = getattr(fn, "__wrapped__", None)
        if inner is None:
            break
        code = getattr(fn, "__code__", None)
        out.append({"name": getattr(fn, "__module__", "") + "." + getattr(fn, "__qualname__", "?"),
                    "file": rel(code.co_filename) if code else "",
                    "line": code.co_firstlineno if code else 0})
        fn = inner
    return out


def entropy(s):
    if not s:
        return 0.0
    counts = {}
    for ch in s:
        counts[ch] = counts.get(ch, 0) + 1
    h = -sum(c / len(s) * math.log2(c / len(s)) for c in counts.values())
    return round(h * len(s), 1)


def config(app):
    out = []
    for key in sorted(app.config):
        if not (key == "SECRET_KEY" or key.startswith("JWT_") or key in SHOWN or "SECRET" in key
                or key.endswith("_API_KEY") or key.endswith("_PASSWORD")):
            continue
        v = app.config[key]
        item = {"key": key, "set": v is not None and v != "" and v != b""}
        if isinstance(v, str) and v in PLACEHOLDERS:
            # Set from a variable the helper filled in: not the project's.
            out.append({"key": key, "set": False, "type": "placeholder of exact mode"})
            continue
        if key in SHOWN:
            item["value"] = v if isinstance(v, (str, bool, int, float, list)) or v is None else str(v)
            if isinstance(v, (tuple, set, frozenset)):
                item["value"] = sorted(str(x) for x in v)
        elif isinstance(v, (str, bytes)):
            s = v.decode("latin-1") if isinstance(v, bytes) else v
            item["length"] = len(s)
            item["entropy_bits"] = entropy(s)
        elif v is not None:
            item["type"] = type(v).__name__
        out.append(item)
    return out


def hooks(app):
    out = []
    for scope, fns in sorted(app.before_request_funcs.items(), key=lambda kv: kv[0] or ""):
        for fn in fns:
            f, line = location(fn)
            out.append({"blueprint": scope or "", "name": getattr(fn, "__qualname__", "?"),
                        "file": f, "line": line, "wrappers": wrappers(fn)})
    return out
