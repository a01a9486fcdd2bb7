from flask import Blueprint

bp = Blueprint("commits", __name__)


def _commit_routes(prefix, kind):
    # The same views declared once per call, under the caller's prefix.
    @bp.route(f"{prefix}/commits", methods=["GET", "POST"], endpoint=f"commits_{kind}")
    def commits(entity_id):
        return []

    @bp.get(prefix + "/commits/<commit_id>", endpoint="commit_" + kind)
    def commit(entity_id, commit_id):
        return {}


_commit_routes("/datasets/<entity_id>", "datasets")
_commit_routes("/folders/<entity_id>", "folders")
