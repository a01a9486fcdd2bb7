from flask import Blueprint, session

bp = Blueprint("notes", __name__, url_prefix="/notes")


@bp.get("/")
def notes():
    return {"user": session.get("user_id"), "notes": []}
