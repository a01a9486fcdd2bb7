from flask import Blueprint, render_template
from conduit.auth import login_required

blueprint = Blueprint("user", __name__, url_prefix="/users", static_folder="../static")


@blueprint.route("/")
@login_required
def members():
    return render_template("users/members.html")


@blueprint.route("/<int:user_id>/settings", methods=["GET", "POST"])
@login_required
def settings(user_id):
    return render_template("users/settings.html", user_id=user_id)
