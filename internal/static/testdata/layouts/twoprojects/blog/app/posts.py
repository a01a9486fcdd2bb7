from flask import Blueprint, session

bp = Blueprint("posts", __name__)


@bp.get("/")
def index():
    # The reader's last visit is kept in the session the key signs.
    return [session.get("last_seen")]
