# Environment variables a failing line of the project reads: a config
# class evaluated at import (MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS",
# False).lower(), MAIL_DEBUG = int(os.environ.get("MAIL_DEBUG"))) fails on
# the unset variable's default, not with a KeyError. Part of the
# exact-mode helper (main.py runs it in its namespace).

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
