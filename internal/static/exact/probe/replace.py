# Installed libraries of another version than the project's: which
# library an error shows it (mismatched_library), and replacing it with the
# installed libraries built on it (flask_sqlalchemy on a sqlalchemy 1.4
# that a 2.0 model chokes): kept real, they would hand the project objects
# of the replaced version. Part of the exact-mode helper
# (main.py runs it in its namespace).

REPLACED = []  # installed libraries replaced: another version than the project's


def installed_library(modname):
    """The top-level name of an installed third-party module (not the
    project's, not Flask's core, not the standard library), or None."""
    top = (modname or "").split(".")[0]
    mod = sys.modules.get(top)
    f = getattr(mod, "__file__", None) or ""
    if not top or top in NEVER_STUB or top in sys.stdlib_module_names or isinstance(mod, _StubModule):
        return None
    if not f or os.path.abspath(f).startswith(ROOT + os.sep) or not ("site-packages" in f or "dist-packages" in f):
        return None
    return top


def mismatched_library(e):
    """The installed library a TypeError or AttributeError shows the
    project was written for another version of: the error is raised inside
    it, or it is a call of one of its callables with arguments it does not
    take (Babel.init_app() got an unexpected keyword argument), or an
    attribute its object lacks ('Babel' object has no attribute
    'localeselector')."""
    # Or any error whose message shows the library choked on a stand-in.
    choked = "authprobe_stub" in str(e) or "authprobe-stub" in str(e)
    # Or an error of the library's own kind raised inside it (sqlalchemy's
    # ArgumentError at a model its version cannot map).
    own = installed_library(getattr(type(e), "__module__", "")) is not None
    if not (isinstance(e, (TypeError, AttributeError)) or choked or own) or isinstance(e, ImportError):
        return None
    frames = []
    tb = e.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    if not frames:
        return None
    # The library the project's code called last: the frame after the
    # innermost project frame (flask_sqlalchemy, when the error is raised
    # deeper, in the sqlalchemy it drives).
    ours = [i for i, fr in enumerate(frames) if rel(fr.f_code.co_filename)]
    if ours and ours[-1] + 1 < len(frames):
        for fr in frames[ours[-1] + 1:]:
            lib = installed_library(fr.f_globals.get("__name__", ""))
            if lib:
                return lib
        return None
    frame = frames[-1]
    if not ours:
        return installed_library(frame.f_globals.get("__name__", ""))
    if isinstance(e, AttributeError):
        obj = getattr(e, "obj", None)
        if obj is not None and not isinstance(obj, type(sys)):
            return installed_library(getattr(type(obj), "__module__", "")) or installed_library(getattr(obj, "__module__", "") if inspect.isclass(obj) else "")
        return None
    m = re.match(r"(\w+)(?:\.\w+)*\(\) (?:got an unexpected keyword argument|takes|missing \d+ required)", str(e))
    if not m:
        return None
    values = list(frame.f_locals.values()) + list(frame.f_globals.values())
    # so.relationship(...): a function reached through a module alias.
    values += [getattr(v, m.group(1)) for v in values if isinstance(v, type(sys)) and not isinstance(v, _StubModule)
               and inspect.isfunction(getattr(v, m.group(1), None))]
    for v in values:
        cls = v if inspect.isclass(v) else type(v)
        if getattr(cls, "__name__", "") == m.group(1) or (inspect.isfunction(v) and v.__name__ == m.group(1)):
            lib = installed_library(getattr(v if inspect.isfunction(v) else cls, "__module__", ""))
            if lib:
                return lib
    return None


def forget_modules(top):
    for name in list(sys.modules):
        if name == top or name.startswith(top + "."):
            sys.modules.pop(name, None)



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
