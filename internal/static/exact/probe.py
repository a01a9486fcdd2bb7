# authprobe exact mode: import a Flask app without serving it and print
# what the framework knows as one JSON document on stdout.
#
# usage: python3 probe.py ROOT [MODULE[:APP_OR_FACTORY]]
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


# Stubs for third-party modules the interpreter lacks. When importing the
# app fails with ModuleNotFoundError for a module that is not the
# project's own (nor flask/werkzeug), a permissive stand-in is installed
# for it through a meta-path finder and the import is retried; the
# inventory lists every stubbed module. A stub's attributes are classes
# that can be called, subclassed, iterated (empty), indexed and used as
# decorators (a decorator given a function or class hands it back), so
# the project's own views keep their code and lines.
STUBBED = []
# Never stubbed: Flask itself. The extensions that register routes are
# stubbed like other missing modules but named apart (ROUTERS_STUBBED): a
# stand-in drops their routes from the url_map, so the caller keeps the
# static model's routes the app then does not serve.
NEVER_STUB = {"flask", "werkzeug"}
ROUTERS = {"flask_restx", "flask_restplus", "flask_restful", "flask_smorest", "connexion", "flask_appbuilder",
           "flask_classful", "apiflask", "flask_admin", "flask_openapi3"}
ROUTERS_STUBBED = []
MAX_STUBS = 80


class _StubMeta(type):
    def __getattr__(cls, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _stub_class(cls.__name__ + "." + name)

    def __call__(cls, *args, **kwargs):
        # A decorator (with or without arguments) hands back what it wraps.
        if len(args) == 1 and not kwargs and (inspect.isfunction(args[0]) or inspect.isclass(args[0]) or inspect.ismethod(args[0])):
            if not _is_project_subclass(cls):
                return args[0]
        return type.__call__(cls, *args, **kwargs)

    def __iter__(cls):
        return iter(())

    def __len__(cls):
        return 0

    def __bool__(cls):
        return True

    def __getitem__(cls, key):
        return _stub_class(cls.__name__ + "[]")

    def __setitem__(cls, key, value):
        pass

    def __contains__(cls, item):
        return False

    def __add__(cls, other):
        return cls

    __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __and__ = __truediv__ = __add__

    def __or__(cls, other):
        return cls

    __ror__ = __or__

    def __lt__(cls, other):
        return False

    __gt__ = __le__ = __ge__ = __lt__

    def __fspath__(cls):
        return stub_path(cls.__name__)


class _Stub(metaclass=_StubMeta):
    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _stub_class(type(self).__name__ + "." + name)

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and not kwargs and (inspect.isfunction(args[0]) or inspect.isclass(args[0])):
            return args[0]
        return _stub_class(type(self).__name__ + "()")()

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __bool__(self):
        return True

    def __getitem__(self, key):
        return _stub_class(type(self).__name__ + "[]")()

    def __setitem__(self, key, value):
        pass

    def __contains__(self, item):
        return False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __fspath__(self):
        return stub_path(type(self).__name__)

    def __str__(self):
        return "authprobe-stub"

    def __int__(self):
        return 0

    # No __index__: os.stat() and friends would take a stand-in for file
    # descriptor 0 instead of the path __fspath__ gives.

    def __float__(self):
        return 0.0

    def __add__(self, other):
        return self

    __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __or__ = __ror__ = __and__ = __truediv__ = __add__

    def __lt__(self, other):
        return False

    __gt__ = __le__ = __ge__ = __lt__


def stub_path(name):
    """A stand-in used as a path (appdirs.user_data_dir()) is a path of its
    own in the scratch copy the import runs in: whatever the project
    writes there is removed with it, never written next to the checkout."""
    d = os.path.join(ROOT, ".authprobe-stubs")
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, re.sub(r"[^\w.-]+", "_", name)[:120])


def _stub_class(name):
    return _StubMeta(name, (_Stub,), {"__module__": "authprobe_stub"})


def _build_class(func, name, *bases, **kwargs):
    """builtins.__build_class__ that drops stand-in bases when they clash
    with a real base's metaclass (class Model(StubMixin, db.Model)): the
    class is built on its real bases, as the project's code expects."""
    try:
        return _REAL_BUILD_CLASS(func, name, *bases, **kwargs)
    except TypeError as e:
        if "metaclass conflict" not in str(e) or not any(isinstance(b, _StubMeta) for b in bases):
            raise
        return _REAL_BUILD_CLASS(func, name, *[b for b in bases if not isinstance(b, _StubMeta)], **kwargs)


_REAL_BUILD_CLASS = __builtins__.__build_class__ if hasattr(__builtins__, "__build_class__") else __builtins__["__build_class__"]


def _is_project_subclass(cls):
    return any(not issubclass(type(c), _StubMeta) or c.__dict__.get("__module__") != "authprobe_stub"
               for c in cls.__mro__ if c not in (_Stub, object))


class _StubModule(type(sys)):
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        cls = _stub_class(self.__name__ + "." + name)
        # A lower-case name is a function or an object (a validator, a
        # decorator, a client), not a class: a callable stand-in instance.
        val = cls() if name[:1].islower() else cls
        setattr(self, name, val)
        return val


class _StubFinder:
    """Finds the modules chosen for stubbing (and their submodules)."""

    def find_spec(self, name, path=None, target=None):
        import importlib.machinery
        for s in STUBBED:
            if name == s or name.startswith(s + "."):
                return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        mod = _StubModule(spec.name)
        mod.__path__ = []
        mod.__all__ = []
        mod.__version__ = "0"
        return mod

    def exec_module(self, module):
        pass


def project_module(top):
    """Whether a top-level module name is the project's own: a file or
    package of that name under the root, src/, or a directory the helper
    put on sys.path for a candidate, or a package or module of that name
    anywhere in the tree (an import resolved from another base than the
    one tried must fail with its name, never be stubbed)."""
    bases = [ROOT, os.path.join(ROOT, "src")] + [p for p in sys.path if p.startswith(ROOT + os.sep)]
    for base in bases:
        if os.path.exists(os.path.join(base, top + ".py")) or os.path.isdir(os.path.join(base, top)):
            return True
    return top in project_names()


_PROJECT_NAMES = None


def project_names():
    """Names of the packages and modules anywhere in the tree but tests,
    docs and virtualenvs (walked once)."""
    global _PROJECT_NAMES
    if _PROJECT_NAMES is None:
        _PROJECT_NAMES = set()
        for dirpath, dirs, files in os.walk(ROOT):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".") and d != "site-packages"]
            if "__init__.py" in files:
                _PROJECT_NAMES.add(os.path.basename(dirpath))
            for f in files:
                if f.endswith(".py") and f != "__init__.py":
                    _PROJECT_NAMES.add(f[:-3])
    return _PROJECT_NAMES


def stub_for(e):
    """The module to stub for a ModuleNotFoundError, or None when it must
    not be stubbed (the project's own, flask/werkzeug, already stubbed)."""
    name = getattr(e, "name", None) or ""
    if os.environ.get("AUTHPROBE_NO_STUBS") == "1":
        return None
    if not isinstance(e, ModuleNotFoundError) or not name or len(STUBBED) >= MAX_STUBS:
        return None
    top = name.split(".")[0]
    if top in NEVER_STUB or project_module(top) or name.startswith("."):
        return None
    if any(name == s or name.startswith(s + ".") for s in STUBBED):
        return None
    # A missing submodule of an installed package: stub that submodule
    # only when its parent imports; else the top-level package.
    target = top
    if "." in name:
        try:
            importlib.import_module(name.rsplit(".", 1)[0])
            target = name
        except Exception:
            target = top
    return target


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
    return False


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
    except TypeError as e:
        if "required" not in str(e) or "argument" not in str(e):
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
           "metadata": sorted(set(DISTS))}
    if app is None:
        doc["error"] = "no importable Flask app" if attempts else "no app module found (FLASK_APP, wsgi.py, app.py, a package with create_app)"
        json.dump(doc, REAL_STDOUT)
        return
    rules = []
    for r in app.url_map.iter_rules():
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
