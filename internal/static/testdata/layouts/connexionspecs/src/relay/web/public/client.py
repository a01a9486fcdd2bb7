import sys


def get_update(**url):
    return {"url": url}


def _bind(names, function):
    module = sys.modules[__name__]
    for name in names:
        setattr(module, name, function)


# One view served under several operationIds, bound by name at import.
_bind(["get_update_v1", "get_update_v2"], get_update)
