from flask import Blueprint


def make_portal(settings):
    portal = Blueprint("portal", __name__)
    prefix = f'{settings.read("web", "base_prefix")[1]}/portal'

    @portal.get(prefix)
    def home():
        return "portal"

    @portal.post(f"{prefix}/api/signin")
    def signin():
        return {"token": None}

    return portal
