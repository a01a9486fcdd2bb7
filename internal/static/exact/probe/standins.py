# What gets an import past a missing environment: which failure a
# stand-in fixes (fix) and how: names an installed library lacks,
# libraries of another version, environment variables, package metadata.
# Part of the exact-mode helper (main.py runs it in its namespace).

STUBBED_NAMES = []  # "module.name" given to an installed library that lacks it
ENV_SET = []  # environment variables the import required, set to placeholders


def fix(e, apply=True):
    """Whether a stand-in gets the import past e (and, with apply, install
    it): a missing third-party module, a name an installed library lacks
    (another version than the project's), or a required environment
    variable. Each is reported; the project's own code is never stubbed."""
    if os.environ.get("AUTHPROBE_NO_STUBS") == "1":
        return False
    if len(STUBBED) + len(STUBBED_NAMES) + len(ENV_SET) + len(DISTS) >= MAX_STUBS:
        return False
    dist = missing_distribution(e)
    if dist:
        # (PackageNotFoundError is a ModuleNotFoundError: first.)
        if apply:
            if not DISTS:
                stand_in_metadata()
            DISTS.append(dist)
            note("package metadata of %s stood in for (the project is not installed)" % dist)
        return True
    if isinstance(e, ModuleNotFoundError):
        target = stub_for(e)
        if target is None:
            return False
        if apply:
            STUBBED.append(target)
            if target.split(".")[0] in ROUTERS:
                ROUTERS_STUBBED.append(target)
            note("stubbing missing module " + target)
        return True
    if isinstance(e, ImportError):
        m = re.match(r"cannot import name '([^']+)' from '([^']+)'", str(e))
        if not m or "partially initialized" in str(e):
            return False
        return give_name(sys.modules.get(m.group(2)), m.group(1), apply)
    if isinstance(e, AttributeError) and isinstance(getattr(e, "obj", None), type(sys)):
        return give_name(e.obj, getattr(e, "name", None) or "", apply)
    if isinstance(e, NameError) and not isinstance(e, AttributeError):
        return star_name(e, apply)
    lib = mismatched_library(e)
    if lib and lib not in STUBBED:
        if apply:
            STUBBED.append(lib)
            REPLACED.append(lib)
            forget_modules(lib)
            note("replacing installed %s, another version than the project's: %s" % (lib, str(e)[:200]))
        return True
    key = missing_env(e)
    if key and key not in ENV_SET and key not in os.environ:
        if apply:
            ENV_SET.append(key)
            os.environ[key] = placeholder(key)
            note("setting required environment variable " + key)
        return True
    return fix_env_line(e, apply)


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
    if not (isinstance(e, (TypeError, AttributeError)) or choked) or isinstance(e, ImportError):
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


DISTS = []  # distributions whose metadata is stood in for (not installed)


def missing_distribution(e):
    """The distribution an import asked the metadata of when the project is
    not installed (importlib.metadata.version("app"), pkg_resources'
    get_distribution / require): PackageNotFoundError, DistributionNotFound."""
    name = type(e).__name__
    if name == "PackageNotFoundError":
        d = (e.args[0] if e.args else "") or getattr(e, "name", "")
    elif name == "DistributionNotFound":
        req = e.args[0] if e.args else None
        d = getattr(req, "project_name", None) or getattr(req, "name", None) or str(req or "")
    else:
        return None
    d = str(d).split()[0] if str(d).strip() else ""
    if not d or d in DISTS:
        return None
    return d


class _Dist:
    """What a distribution's metadata is asked for at import."""
    version = "0"
    project_name = key = ""

    def __init__(self, name):
        self.project_name = self.key = name

    def __getattr__(self, name):
        return _stub_class("distribution." + name)()


def stand_in_metadata():
    """importlib.metadata and pkg_resources answer for the distributions
    in DISTS (the project itself, not installed where it is imported)."""
    import importlib.metadata as md
    real_version, real_dist = md.version, md.distribution

    def version(name):
        return "0" if name in DISTS else real_version(name)

    def distribution(name):
        return _Dist(name) if name in DISTS else real_dist(name)
    md.version, md.distribution = version, distribution
    try:
        import pkg_resources
    except Exception:
        return
    real_get, real_require = pkg_resources.get_distribution, pkg_resources.require

    def get_distribution(req):
        n = str(req).split("=")[0].split("<")[0].split(">")[0].strip()
        return _Dist(n) if n in DISTS else real_get(req)

    def require(*reqs):
        if all(str(r).split("=")[0].split("<")[0].split(">")[0].strip() in DISTS for r in reqs):
            return []
        return real_require(*reqs)
    pkg_resources.get_distribution, pkg_resources.require = get_distribution, require


def star_name(e, apply):
    """A NameError in a project module that star-imports a stand-in
    (from peewee import *): the stand-in exports that name on the next
    import."""
    name = getattr(e, "name", None)
    if not name:
        m = re.search(r"name '(\w+)' is not defined", str(e))
        name = m.group(1) if m else None
    tb = e.__traceback__
    path = None
    while tb is not None:
        if rel(tb.tb_frame.f_code.co_filename):
            path = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    if not name or not path:
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            src = fh.read(500000)
    except OSError:
        return False
    for mod in re.findall(r"(?m)^\s*from\s+([\w.]+)\s+import\s+\*", src):
        stub = sys.modules.get(mod)
        if isinstance(stub, _StubModule) and name not in stub.__all__:
            if apply:
                stub.__all__.append(name)
                getattr(stub, name)
                STUBBED_NAMES.append(mod + "." + name)
                note("stand-in %s exports %s (star import)" % (mod, name))
            return True
    return False


def give_name(mod, name, apply):
    """Give an installed library (not the project's, not a stand-in) the
    name the project imports from it, as a stand-in class."""
    if mod is None or not name or name.startswith("__") or isinstance(mod, _StubModule):
        return False
    f = getattr(mod, "__file__", None) or ""
    if f and os.path.abspath(f).startswith(ROOT + os.sep):
        return False
    full = mod.__name__ + "." + name
    if full in STUBBED_NAMES:
        return False
    if apply:
        STUBBED_NAMES.append(full)
        setattr(mod, name, _stub_class(full))
        note("stubbing %s, which the installed %s lacks" % (full, mod.__name__))
    return True


ENV_MESSAGE = re.compile(r"""(?i)(?:environment variable|env var|setting)s?\W+['"]?([A-Z][A-Z0-9_]{2,})['"]?\W+(?:is |was )?(?:not set|not found|not defined|missing|required|undefined)""")


ENV_NAMED = re.compile(r"\b([A-Z][A-Z0-9_]{3,})\b[^.]{0,20}?\b(?:environment variable|env var)")


def missing_env(e):
    """The environment variable an import failed for: a KeyError raised by
    os.environ[...] or a config library's "variable X not set" error."""
    if isinstance(e, KeyError) and e.args and isinstance(e.args[0], str):
        for fr in traceback.extract_tb(e.__traceback__):
            # os.py, or "<frozen os>" where the standard library is frozen.
            if fr.filename.endswith(("/os.py", "<frozen os>")) and fr.name == "__getitem__":
                return e.args[0]
        return None
    m = ENV_MESSAGE.search(str(e))
    if m:
        return m.group(1)
    # "You must set the REDASH_COOKIE_SECRET environment variable"
    m = ENV_NAMED.search(str(e))
    if m and re.search(r"(?i)\b(must|required|missing|not set|set the|please set)\b", str(e)):
        return m.group(1)
    return None


PLACEHOLDERS = {"authprobe-placeholder"}


def placeholder(key):
    """A value of the kind a variable's name asks for (never a secret)."""
    k = key.upper()
    if any(w in k for w in ("PORT", "TIMEOUT", "SIZE", "COUNT", "LIMIT", "DAYS", "SECONDS", "MINUTES",
                            "HOURS", "WORKERS", "TTL", "EXPIRES", "_MAX", "_MIN", "NUM_")):
        return "1"
    if any(w in k for w in ("URL", "URI", "DSN")):
        if any(w in k for w in ("DATABASE", "DB", "SQL", "POSTGRES", "MYSQL")):
            return "sqlite://"
        return "http://127.0.0.1:9"
    if k.endswith("HOST"):
        return "127.0.0.1"
    if k.endswith(("_ENABLED", "_DISABLED", "DEBUG")) or k.startswith(("ENABLE_", "DISABLE_", "USE_")):
        return "false"
    return "authprobe-placeholder"


def note(msg):
    print("authprobe-probe: " + msg, file=sys.__stderr__, flush=True)
