from functools import wraps

from flask import Blueprint, g, redirect, url_for

web = Blueprint("web", __name__)


def redirect_to(endpoint, **values):
    return redirect(url_for(endpoint, **values))


# A web app's login check: the refusal is a redirect to the login form.
def login_required(func):
    @wraps(func)
    def wrapper(*args, **kwargs):
        if not g.user.authenticated:
            return redirect_to("web.login_form")
        return func(*args, **kwargs)

    return wrapper


@web.route("/login")
def login_form():
    return "form"


@web.route("/manage/settings")
@login_required
def manage_settings():
    return "settings"
