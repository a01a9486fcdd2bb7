from flask import Blueprint

seed = Blueprint("seed", __name__)


@seed.route("/seed", methods=["POST"])
def run_seed():
    return "seeded"
