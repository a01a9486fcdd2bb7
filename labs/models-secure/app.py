"""The warehouse API of labs/models done right: every read and write loads
the object with its owner (others get 404). Otherwise the same: write bodies
declared only by models in the code:
a Flask-RESTful resource with reqparse arguments, a pydantic model and a
dataclass. A body that does not fit is refused with a message that names no
field, so only the code says what to send. Tokens are flask-jwt-extended
access tokens; Flask-RESTful turns a missing or bad token on its resources
into a 500 (no PROPAGATE_EXCEPTIONS), as it does in many real apps.

Must yield nothing.
"""
import os
import secrets
import sys
import threading
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, jsonify, request
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from flask_restful import Api, Resource, reqparse
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import BadRequest
from werkzeug.security import check_password_hash, generate_password_hash

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = os.environ.get("JWT_SECRET_KEY") or secrets.token_hex(32)
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=15)
jwt = JWTManager(app)
api = Api(app)

USERS = {
    "alice": generate_password_hash("alice-pw", method="pbkdf2:sha256:1000"),
    "bob": generate_password_hash("bob-pw", method="pbkdf2:sha256:1000"),
}
PARTS = {
    1: {"id": 1, "owner": "alice", "sku": "A-100", "stock": 4, "bin": "A7"},
    2: {"id": 2, "owner": "bob", "sku": "B-200", "stock": 9, "bin": "B2"},
}
ORDERS = {
    3: {"id": 3, "owner": "alice", "part_id": 1, "quantity": 2, "rush": False, "ship_to": {"street": "1 Main St", "zip": "10001"}},
    4: {"id": 4, "owner": "bob", "part_id": 2, "quantity": 1, "rush": True, "ship_to": {"street": "2 Side St", "zip": "20002"}},
}
SHIPMENTS = {
    5: {"id": 5, "owner": "alice", "carrier": "ups", "weight": 2.5, "insured": False},
    6: {"id": 6, "owner": "bob", "carrier": "dhl", "weight": 1.0, "insured": True},
}
next_id = [100]
lock = threading.Lock()
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="client")


def new_id():
    with lock:
        next_id[0] += 1
        return next_id[0]


def refuse_bad_body():
    return {"error": "request body rejected"}, 400


@app.post("/api/login")
def login():
    wait = throttle.retry_after(throttle.key())
    if wait:
        return jsonify(msg="Too many failed logins"), 429, {"Retry-After": str(wait)}
    data = request.get_json(silent=True) or {}
    user = data.get("username")
    if user not in USERS or not check_password_hash(USERS[user], str(data.get("password", ""))):
        throttle.fail(throttle.key())
        return jsonify(msg="Bad username or password"), 401
    return jsonify(access_token=create_access_token(identity=user))


@app.get("/health")
def health():
    return jsonify(status="ok")


# Flask-RESTful: reqparse arguments.
part_parser = reqparse.RequestParser()
part_parser.add_argument("sku", type=str, required=True, location="json")
part_parser.add_argument("stock", type=int, required=True, location="json")
part_parser.add_argument("bin", choices=("A7", "B2"), required=True, location="json")


class PartList(Resource):
    method_decorators = [jwt_required()]

    def get(self):
        me = get_jwt_identity()
        return {"parts": [p for p in PARTS.values() if p["owner"] == me]}

    def post(self):
        try:
            args = part_parser.parse_args()
        except BadRequest:
            return refuse_bad_body()
        part = {"id": new_id(), "owner": get_jwt_identity(), "sku": args["sku"], "stock": args["stock"], "bin": args["bin"]}
        PARTS[part["id"]] = part
        return part, 201


class Part(Resource):
    method_decorators = [jwt_required()]

    def __init__(self):
        self.reqparse = reqparse.RequestParser()
        self.reqparse.add_argument("stock", type=int, required=True, location="json")

    def get(self, part_id):
        part = PARTS.get(part_id)
        if part is None or part["owner"] != get_jwt_identity():
            return {"error": "no such part"}, 404
        return part

    def put(self, part_id):
        part = PARTS.get(part_id)
        if part is None or part["owner"] != get_jwt_identity():
            return {"error": "no such part"}, 404
        try:
            args = self.reqparse.parse_args()
        except BadRequest:
            return refuse_bad_body()
        part["stock"] = args["stock"]
        return part

    def delete(self, part_id):
        part = PARTS.get(part_id)
        if part is None or part["owner"] != get_jwt_identity():
            return {"error": "no such part"}, 404
        del PARTS[part_id]
        return "", 204


api.add_resource(PartList, "/api/parts")
api.add_resource(Part, "/api/parts/<int:part_id>")


# pydantic.
class Address(BaseModel):
    street: str
    zip: str


class OrderIn(BaseModel):
    part_id: int
    quantity: int
    rush: bool = False
    ship_to: Address


def order_out(order_id, owner, o):
    return {"id": order_id, "owner": owner, **o.dict()}


@app.get("/api/orders")
@jwt_required()
def list_orders():
    me = get_jwt_identity()
    return jsonify(orders=[o for o in ORDERS.values() if o["owner"] == me])


@app.post("/api/orders")
@jwt_required()
def create_order():
    try:
        order = OrderIn(**(request.get_json(silent=True) or {}))
    except (ValidationError, TypeError):
        return jsonify(error="order rejected"), 422
    oid = new_id()
    ORDERS[oid] = order_out(oid, get_jwt_identity(), order)
    return jsonify(ORDERS[oid]), 201


@app.get("/api/orders/<int:order_id>")
@jwt_required()
def get_order(order_id):
    o = ORDERS.get(order_id)
    if o is None or o["owner"] != get_jwt_identity():
        return jsonify(error="no such order"), 404
    return jsonify(o)


@app.put("/api/orders/<int:order_id>")
@jwt_required()
def replace_order(order_id):
    o = ORDERS.get(order_id)
    if o is None or o["owner"] != get_jwt_identity():
        return jsonify(error="no such order"), 404
    data = request.get_json(silent=True) or {}
    try:
        order = OrderIn.parse_obj(data)
    except ValidationError:
        return jsonify(error="order rejected"), 422
    ORDERS[order_id] = order_out(order_id, o["owner"], order)
    return jsonify(ORDERS[order_id])


@app.delete("/api/orders/<int:order_id>")
@jwt_required()
def delete_order(order_id):
    o = ORDERS.get(order_id)
    if o is None or o["owner"] != get_jwt_identity():
        return jsonify(error="no such order"), 404
    del ORDERS[order_id]
    return "", 204


# A dataclass.
@dataclass
class ShipmentIn:
    carrier: str
    weight: float
    insured: bool = False


@app.get("/api/shipments")
@jwt_required()
def list_shipments():
    me = get_jwt_identity()
    return jsonify(shipments=[s for s in SHIPMENTS.values() if s["owner"] == me])


@app.post("/api/shipments")
@jwt_required()
def create_shipment():
    try:
        s = ShipmentIn(**request.get_json(silent=True))
    except TypeError:
        return jsonify(error="shipment rejected"), 400
    if not isinstance(s.carrier, str) or isinstance(s.weight, bool) or not isinstance(s.weight, (int, float)):
        return jsonify(error="shipment rejected"), 400
    sid = new_id()
    SHIPMENTS[sid] = {"id": sid, "owner": get_jwt_identity(), "carrier": s.carrier, "weight": s.weight, "insured": s.insured}
    return jsonify(SHIPMENTS[sid]), 201


@app.get("/api/shipments/<int:shipment_id>")
@jwt_required()
def get_shipment(shipment_id):
    s = SHIPMENTS.get(shipment_id)
    if s is None or s["owner"] != get_jwt_identity():
        return jsonify(error="no such shipment"), 404
    return jsonify(s)


@app.delete("/api/shipments/<int:shipment_id>")
@jwt_required()
def delete_shipment(shipment_id):
    s = SHIPMENTS.get(shipment_id)
    if s is None or s["owner"] != get_jwt_identity():
        return jsonify(error="no such shipment"), 404
    del SHIPMENTS[shipment_id]
    return "", 204


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
