package source

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/authprobe/authprobe/internal/static"
)

// TestClassAttributeParsers: a reqparse parser kept as a class attribute
// (the Flask-RESTful course shape) gives its body whether the handler
// reaches it as Items.parser or self.parser; a parser of the same name in
// another class or inside another method is not mixed in.
func TestClassAttributeParsers(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"items.py": `from flask_restful import Resource, reqparse


class Items(Resource):
    parser = reqparse.RequestParser()
    parser.add_argument("name", type=str, required=True, help="include name field")
    parser.add_argument("price", type=float, required=True)

    def post(self, name):
        data = Items.parser.parse_args()
        return data, 201


class Trip(Resource):
    parser = reqparse.RequestParser()
    parser.add_argument("destination", type=str, required=True)
    parser.add_argument("seats", type=int, required=True)

    def put(self, trip_id):
        data = self.parser.parse_args()
        return data

    def helper(self):
        parser = reqparse.RequestParser()
        parser.add_argument("unrelated")
        return parser
`,
		"app.py": `from flask import Flask
from flask_restful import Api
from items import Items, Trip

app = Flask(__name__)
api = Api(app)
api.add_resource(Items, "/items/<string:name>")
api.add_resource(Trip, "/trips/<int:trip_id>")
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
	want := map[string]string{
		"POST /items/{name}":   `{"name":"authprobe","price":1.5}`,
		"PUT /trips/{trip_id}": `{"destination":"authprobe","seats":1}`,
	}
	for route, w := range want {
		b, ok := got[route]
		if !ok {
			t.Errorf("%s: no body (got %v)", route, got)
			continue
		}
		enc, _ := json.Marshal(b.Value)
		if string(enc) != w {
			t.Errorf("%s: body %s, want %s", route, enc, w)
		}
	}
}
