from flask import Blueprint


def make_blueprint(cfg):
    bp = Blueprint("billing", __name__)

    @bp.route("/invoices")
    def invoices():
        return {"invoices": []}

    return bp
