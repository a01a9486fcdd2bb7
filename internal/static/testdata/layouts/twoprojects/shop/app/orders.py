from flask import Blueprint
from flask_jwt_extended import jwt_required

bp = Blueprint("orders", __name__)


@bp.get("/")
@jwt_required()
def index():
    return []
