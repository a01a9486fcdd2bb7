# App configuration a library requires at init_app and the project sets
# from a variable nobody set ("Either 'SQLALCHEMY_DATABASE_URI' or
# 'SQLALCHEMY_BINDS' must be set."): the first key the message names is
# given a placeholder of its kind when the app's config holds nothing for
# it, on every app the retried import makes. Part of the exact-mode helper
# (main.py runs it in its namespace).

CONFIG_SET = {}  # key -> placeholder, applied where the config holds None
CONFIG_KEY = re.compile(r"""['"`]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"`]""")
CONFIG_REQUIRED = re.compile(r"(?i)\b(must be set|is required|are required|required|missing|not set|not configured)\b")


def fix_config_key(e, apply):
    """Whether a placeholder for a config key e's message requires gets
    the import past e: e is raised inside an installed library (not the
    project's code) and names the key."""
    if not CONFIG_REQUIRED.search(str(e)):
        return False
    tb = traceback.extract_tb(e.__traceback__)
    if not tb or rel(tb[-1].filename):
        return False
    for key in CONFIG_KEY.findall(str(e)):
        if re.search(r"SECRET|KEY|TOKEN|PASSW|JWT|SALT", key):
            return False  # a security setting is reported as the project has it, never filled in
        if key in CONFIG_SET:
            return False  # given once already: the message is not about its absence
        if apply:
            CONFIG_SET[key] = placeholder(key)
            note("setting app.config[%r], which %s requires, to a placeholder" % (key, type(e).__name__))
        return True
    return False


def config_class(base):
    """Flask's Config, answering a key given a placeholder with it when
    the project's config holds nothing (or None) for it."""
    class Config(base):
        def _fill(self, key):
            if key in CONFIG_SET and dict.get(self, key) is None:
                dict.__setitem__(self, key, CONFIG_SET[key])

        def __getitem__(self, key):
            self._fill(key)
            return base.__getitem__(self, key)

        def get(self, key, default=None):
            self._fill(key)
            return base.get(self, key, default)

        def setdefault(self, key, default=None):
            v = base.setdefault(self, key, default)
            if v is None and key in CONFIG_SET:
                self._fill(key)
                return dict.get(self, key)
            return v

        def __contains__(self, key):
            self._fill(key)
            return base.__contains__(self, key)
    return Config
