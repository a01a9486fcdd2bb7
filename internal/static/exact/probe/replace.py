# Replacing an installed library of another version than the project's,
# with the installed libraries built on it (flask_sqlalchemy on a
# sqlalchemy 1.4 that a 2.0 model chokes): kept real, they would hand the
# project objects of the replaced version. Part of the exact-mode helper
# (main.py runs it in its namespace).


def dependents(top):
    """Installed libraries (not the project's, not flask or werkzeug) whose
    loaded modules hold a module or object of top."""
    def of_top(v):
        n = v.__name__ if isinstance(v, type(sys)) else getattr(v, "__module__", None)
        return isinstance(n, str) and (n == top or n.startswith(top + "."))
    out = []
    for name, mod in list(sys.modules.items()):
        if mod is None or name == top or name.startswith(top + "."):
            continue
        lib = installed_library(name)
        if not lib or lib == top or lib in out or lib in STUBBED:
            continue
        try:
            if any(of_top(v) for v in list(vars(mod).values())):
                out.append(lib)
        except Exception:
            continue
    return out


def replace_library(lib, e):
    """Stand in for lib and the installed libraries built on it; each is
    reported among the replaced libraries."""
    for l in [lib] + dependents(lib):
        STUBBED.append(l)
        REPLACED.append(l)
        forget_modules(l)
    note("replacing installed %s, another version than the project's: %s" % (lib, str(e)[:200]))
