from flask import Blueprint

blueprint = Blueprint("notes", __name__, url_prefix="/notes")


@blueprint.route("/<int:note_id>", methods=["GET", "DELETE"])
def note(note_id):
    return str(note_id)
