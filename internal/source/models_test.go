package source

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/authprobe/authprobe/internal/static"
)

// TestBodiesFromModels: a body declared by a model — reqparse arguments,
// a flask-restx model in @expect (nested, inherited, a list of models, an
// enum), a pydantic model built from the request (nested, Optional,
// Literal, an Enum, a subclass), a dataclass, a flask-pydantic parameter,
// a JSON Schema dict jsonschema.validate checks the request against —
// becomes a body with a value of each field's type, through one mechanism
// (bodyOf); arguments read from the query string are not body fields, and
// an ORM base class called BaseModel is not pydantic's.
func TestBodiesFromModels(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"restful.py": `from flask_restful import Resource, reqparse, inputs

parser = reqparse.RequestParser()
parser.add_argument("sku", type=str, required=True, help="sku required")
parser.add_argument("stock", type=int, required=True, location="json")
parser.add_argument("fragile", type=inputs.boolean, location=("json", "values"))
parser.add_argument("tags", action="append")
parser.add_argument("page", type=int, location="args")

login = reqparse.RequestParser()
login.add_argument("username", location="form")
login.add_argument("password", location="form")


class Parts(Resource):
    def post(self):
        args = parser.parse_args()
        return args, 201


class Bins(Resource):
    def __init__(self):
        self.reqparse = reqparse.RequestParser()
        self.reqparse.add_argument("zone", choices=("A", "B"), required=True)
        self.reqparse.add_argument("weight", type=float)

    def put(self, bin_id):
        return self.reqparse.parse_args()


class Login(Resource):
    def post(self):
        return login.parse_args()
`,
		"restx.py": `from flask_restx import Namespace, Resource, fields

ns = Namespace("orders")
address = ns.model("Address", {"street": fields.String(required=True), "zip": fields.String})
base = ns.model("Base", {"note": fields.String, "id": fields.Integer(readonly=True)})
order = ns.inherit("Order", base, {
    "quantity": fields.Integer(required=True),
    "price": fields.Float,
    "rush": fields.Boolean,
    "ship_to": fields.Nested(address),
    "lines": fields.List(fields.Nested(address)),
    "status": fields.String(enum=["new", "paid"]),
    "due": fields.Date,
    "contact": fields.String,
})


@ns.route("/orders")
class Orders(Resource):
    @ns.expect(order, validate=True)
    def post(self):
        return {}, 201
`,
		"models.py": `from dataclasses import dataclass, field
from enum import Enum
from typing import List, Literal, Optional

from pydantic import BaseModel, EmailStr


class Kind(str, Enum):
    BOOK = "book"
    DVD = "dvd"


class Dim(BaseModel):
    width: int
    height: int


class ItemBase(BaseModel):
    name: str
    owner_id: str


class ItemIn(ItemBase):
    price: float
    count: Optional[int] = None
    kind: Kind
    mode: Literal["fast", "slow"] = "fast"
    email: EmailStr
    dims: List[Dim] = []
    main: Dim
    flags: list[str] = []


@dataclass
class Shipment:
    carrier: str
    weight: float
    insured: bool = False
    _cache: dict = field(default_factory=dict)
`,
		"orm.py": `from sqlalchemy.orm import DeclarativeBase, Mapped


class BaseModel(DeclarativeBase):
    pass


class Appeal(BaseModel):
    text: Mapped[str]
    user_id: Mapped[int]
`,
		"app.py": `from flask import Flask, request
from flask_restful import Api
from flask_restx import Api as XApi
from flask_pydantic import validate
from restful import Parts, Bins, Login
from restx import ns
from jsonschema import validate, ValidationError
from models import ItemIn, Shipment, Dim
from orm import Appeal

app = Flask(__name__)
api = Api(app)
api.add_resource(Parts, "/api/parts")
api.add_resource(Bins, "/api/bins/<int:bin_id>")
api.add_resource(Login, "/api/login")
xapi = XApi(app)
xapi.add_namespace(ns, path="/x")


@app.post("/api/items")
def create_item():
    item = ItemIn(**request.get_json())
    return item.dict(), 201


@app.put("/api/items/<int:item_id>")
def replace_item(item_id):
    data = request.get_json(force=True)
    item = ItemIn.model_validate(data)
    return item.dict()


@app.post("/api/shipments")
def ship():
    s = Shipment(**request.json)
    return {"ok": True}, 201


@app.post("/api/dims")
@validate()
def dims(body: Dim):
    return body.dict()


post_schema = {
    "type": "object",
    "properties": {
        "text": {"type": "string"},
        "stars": {"type": "integer"},
        "visibility": {"type": "string", "enum": ["public", "private"]},
        "author": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}},
    },
    "required": ["text"],
}


@app.post("/api/post")
def new_post():
    data = {"username": current_user()}
    data.update(request.get_json())
    try:
        validate(data, post_schema)
    except ValidationError:
        return {"error": "invalid schema"}, 400
    return {}, 201


@app.post("/api/appeals")
def appeal():
    a = Appeal(**request.json)
    return {}, 201


@app.post("/api/copy")
def copy():
    d = Dim(**{"width": 1, "height": 2})
    return {"title": request.json["title"]}
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	proj, _, err := static.Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got := Bodies(proj)
	enc := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	want := map[string]string{
		"POST /api/parts":        `{"fragile":false,"sku":"authprobe","stock":1,"tags":[]}`,
		"PUT /api/bins/{bin_id}": `{"weight":1.5,"zone":"A"}`,
		"POST /api/login":        `{"password":"Authprobe-pw-1","username":"authprobe"}`,
		"POST /x/orders": `{"contact":"authprobe","due":"2026-01-01","lines":[{"street":"authprobe","zip":"authprobe"}],"note":"authprobe",` +
			`"price":1.5,"quantity":1,"rush":false,"ship_to":{"street":"authprobe","zip":"authprobe"},"status":"new"}`,
		"POST /api/items": `{"count":1,"dims":[{"height":1,"width":1}],"email":"authprobe@example.com","flags":[],"kind":"book",` +
			`"main":{"height":1,"width":1},"mode":"fast","name":"authprobe","owner_id":"1","price":1.5}`,
		"PUT /api/items/{item_id}": `{"count":1,"dims":[{"height":1,"width":1}],"email":"authprobe@example.com","flags":[],"kind":"book",` +
			`"main":{"height":1,"width":1},"mode":"fast","name":"authprobe","owner_id":"1","price":1.5}`,
		"POST /api/shipments": `{"carrier":"authprobe","insured":false,"weight":1.5}`,
		"POST /api/dims":      `{"height":1,"width":1}`,
		"POST /api/copy":      `{"title":"authprobe"}`,
		"POST /api/post":      `{"author":{"email":"authprobe@example.com"},"stars":1,"text":"authprobe","visibility":"public"}`,
	}
	for k, w := range want {
		b, ok := got[k]
		if !ok {
			t.Errorf("%s: no body", k)
			continue
		}
		if enc(b.Value) != w {
			t.Errorf("%s:\n got %s\nwant %s", k, enc(b.Value), w)
		}
	}
	if b, ok := got["POST /api/appeals"]; ok {
		t.Errorf("an ORM class named after BaseModel was read as a pydantic model: %s", enc(b.Value))
	}
	if !got["POST /api/login"].Form {
		t.Error("a parser reading the form only is not a form body")
	}
	if got["POST /api/parts"].Form {
		t.Error("a JSON parser is marked a form")
	}
}
