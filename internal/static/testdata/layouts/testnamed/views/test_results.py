from flask import Blueprint

bp = Blueprint("test_results", __name__)


@bp.route("/<int:sample_id>")
def result(sample_id):
    return {"sample": sample_id}


@bp.route("/<int:sample_id>", methods=["DELETE"])
def delete_result(sample_id):
    return "", 204
