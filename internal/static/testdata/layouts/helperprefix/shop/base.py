from flask import Blueprint, abort, request

VERSION = "v2"


def guard():
    if request.headers.get("X-Api-Key") != "k":
        abort(401)


def make_section(name, base="/api", sub=None):
    prefix = "%s/%s/%s" % (base, VERSION, name)
    if sub:
        prefix = prefix + "/" + sub
    section = Blueprint(name, __name__, url_prefix=prefix)
    section.before_request(guard)
    return section
