# Stand-ins for modules the interpreter lacks: the permissive stub
# classes and modules, the meta-path finder, and what is the project's
# own (never stubbed). Part of the exact-mode helper (main.py runs it in
# its namespace).

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
