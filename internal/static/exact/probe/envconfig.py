# Environment variables and app configuration the project expects: a
# variable required by os.environ[...] or a message (missing_env), one the
# failing line reads when the error is its unset default (a config class
# evaluated at import: MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS",
# False).lower()), and a config key an extension's init_app requires
# ("Either 'SQLALCHEMY_DATABASE_URI' or 'SQLALCHEMY_BINDS' must be set.").
# Part of the exact-mode helper (main.py runs it in its namespace).

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


ENV_READ = re.compile(r"""(?:environ\.get|getenv|environ\[|env\.str|env\.int|env\.bool)\(?\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")
ENV_NUMERIC = []  # variables set again to a number after int()/float() refused the placeholder


def env_line(e):
    """The variables the innermost project frame's line reads, when e is an
    error that line's use of their value raised (and the line's text)."""
    if not isinstance(e, (TypeError, AttributeError, ValueError)):
        return [], ""
    frames = [fr for fr in traceback.extract_tb(e.__traceback__) if rel(fr.filename)]
    if not frames:
        return [], ""
    line = frames[-1].line or ""
    return ENV_READ.findall(line), line


def fix_env_line(e, apply):
    """Set an unset variable the failing line reads to a placeholder; when
    int() or float() refused a placeholder set before, to "1". Each is
    reported like any required variable."""
    keys, _ = env_line(e)
    for key in keys:
        if key not in os.environ:
            if apply:
                ENV_SET.append(key)
                os.environ[key] = placeholder(key)
                note("setting environment variable %s, which %s reads at import" % (key, type(e).__name__))
            return True
    if isinstance(e, ValueError) and re.search(r"for (int|float)\(\)|could not convert", str(e)):
        for key in keys:
            if key in ENV_SET and key not in ENV_NUMERIC:
                if apply:
                    ENV_NUMERIC.append(key)
                    os.environ[key] = "1"
                    note("setting environment variable %s to a number" % key)
                return True
    return fix_config_key(e, apply)


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
