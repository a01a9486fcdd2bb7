package fix

import (
	"strings"
	"testing"
)

// ownerCases: the owner check the code makes elsewhere on the same store.
var ownerCases = []fixerCase{
	{"owner field of the create handler, identity from flask-jwt-extended", "authz.bola-write", `@app.get("/api/notes")
@jwt_required()
def list_notes():
    user = get_jwt_identity()
    return jsonify(notes=[n for n in NOTES.values() if n["owner"] == user])


@app.post("/api/notes")
@jwt_required()
def create_note():
    note = {"id": 1, "owner": get_jwt_identity(), "title": request.json["title"]}
    NOTES[note["id"]] = note
    return jsonify(note), 201


@app.put("/api/notes/<int:note_id>")  # <-
@jwt_required()
def update_note(note_id):
    note = NOTES.get(note_id)
    if note is None:
        return jsonify(error="not found"), 404
    note.update(request.json)
    return jsonify(note)
`, `@app.get("/api/notes")
@jwt_required()
def list_notes():
    user = get_jwt_identity()
    return jsonify(notes=[n for n in NOTES.values() if n["owner"] == user])


@app.post("/api/notes")
@jwt_required()
def create_note():
    note = {"id": 1, "owner": get_jwt_identity(), "title": request.json["title"]}
    NOTES[note["id"]] = note
    return jsonify(note), 201


@app.put("/api/notes/<int:note_id>")
@jwt_required()
def update_note(note_id):
    note = NOTES.get(note_id)
    if note is None or note["owner"] != get_jwt_identity():
        return jsonify(error="not found"), 404
    note.update(request.json)
    return jsonify(note)
`},
	{"an ownership predicate", "authz.bola-write", `def mine(obj):
    return obj is not None and obj["tenant"] == g.tenant


@app.get("/customers")
@tenant_token
def customers():
    return jsonify([c for c in CUSTOMERS.values() if mine(c)])


@app.post("/debit")  # <-
@tenant_token
def debit():
    customer = CUSTOMERS.get(request.json.get("customer_id"))
    if customer is None:
        return refuse("No such customer.")
    customer["balance"] -= 1
    return jsonify(ok=True)
`, `def mine(obj):
    return obj is not None and obj["tenant"] == g.tenant


@app.get("/customers")
@tenant_token
def customers():
    return jsonify([c for c in CUSTOMERS.values() if mine(c)])


@app.post("/debit")
@tenant_token
def debit():
    customer = CUSTOMERS.get(request.json.get("customer_id"))
    if customer is None or not mine(customer):
        return refuse("No such customer.")
    customer["balance"] -= 1
    return jsonify(ok=True)
`},
}

// hookCase: routes guarded by a before_request hook, none decorated: the
// list route's owner filter is the check the item route lacks.
var hookCase = fixerCase{"routes left to a before_request hook", "authz.bola", `@app.before_request
def gate():
    g.account = ACCOUNTS.get(request.headers.get("X-Key", ""))
    if g.account is None:
        return jsonify(error="forbidden"), 403


@app.get("/api/orders")
def orders():
    return jsonify([o for o in ORDERS.values() if o["account"] == g.account])


@app.get("/api/orders/<int:oid>")  # <-
def order(oid):
    o = ORDERS.get(oid)
    if o is None:
        return jsonify(error="not found"), 404
    return jsonify(o)
`, `@app.before_request
def gate():
    g.account = ACCOUNTS.get(request.headers.get("X-Key", ""))
    if g.account is None:
        return jsonify(error="forbidden"), 403


@app.get("/api/orders")
def orders():
    return jsonify([o for o in ORDERS.values() if o["account"] == g.account])


@app.get("/api/orders/<int:oid>")
def order(oid):
    o = ORDERS.get(oid)
    if o is None or o["account"] != g.account:
        return jsonify(error="not found"), 404
    return jsonify(o)
`}

// resourceCase: a Flask-RESTful Resource's method lacks the owner check
// its class's other method makes under the same method_decorators.
var resourceCase = fixerCase{"a Resource method", "authz.bola-write", `class Doc(Resource):
    method_decorators = [jwt_required()]

    def get(self, doc_id):
        d = DOCS.get(doc_id)
        if d is None or d["author"] != get_jwt_identity():
            return {"error": "no such doc"}, 404
        return d

    def patch(self, doc_id):
        d = DOCS.get(doc_id)  # <-
        if d is None:
            return {"error": "no such doc"}, 404
        d["title"] = request.json["title"]
        return d
`, `class Doc(Resource):
    method_decorators = [jwt_required()]

    def get(self, doc_id):
        d = DOCS.get(doc_id)
        if d is None or d["author"] != get_jwt_identity():
            return {"error": "no such doc"}, 404
        return d

    def patch(self, doc_id):
        d = DOCS.get(doc_id)
        if d is None or d["author"] != get_jwt_identity():
            return {"error": "no such doc"}, 404
        d["title"] = request.json["title"]
        return d
`}

func TestOwnership(t *testing.T) {
	for _, c := range append(ownerCases, hookCase, resourceCase) {
		t.Run(c.name, func(t *testing.T) {
			pl, _ := plan(t, c.rule, map[string]string{"app.py": c.src})
			fx := pl.Fixes[0]
			if !fx.Patched {
				t.Fatalf("not patched: %s", fx.Reason)
			}
			if got := string(pl.New["app.py"]); got != c.want {
				t.Errorf("patched:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
	// No route with the same auth shows the owner: listed, not guessed.
	src := "@app.get(\"/o/<int:i>\")  # <-\n@login_required\ndef get_o(i):\n    o = ORDERS.get(i)\n    if o is None:\n        abort(404)\n    return o\n"
	pl, _ := plan(t, "authz.bola", map[string]string{"app.py": src})
	if fx := pl.Fixes[0]; fx.Patched || !strings.Contains(fx.Reason, "owner field") {
		t.Errorf("patched without an observed owner: %+v", fx)
	}
	// A decorated route's check does not vouch for an undecorated one.
	src = strings.Replace(hookCase.src, "@app.get(\"/api/orders\")\n", "@app.get(\"/api/orders\")\n@login_required\n", 1)
	pl, _ = plan(t, "authz.bola", map[string]string{"app.py": src})
	if fx := pl.Fixes[0]; fx.Patched {
		t.Errorf("patched from a route guarded otherwise: %s", pl.New["app.py"])
	}
}

func TestOwnershipRewrite(t *testing.T) {
	common := `@app.post("/notes")
@login_required
def create():
    NOTES[1] = {"id": 1, "user_id": g.user["id"], "title": request.json["title"]}
    return "", 201


`
	cases := []struct{ name, src, want string }{
		{"pop then refuse", `@app.delete("/notes/<int:note_id>")  # <-
@login_required
def delete_note(note_id):
    if NOTES.pop(note_id, None) is None:
        return jsonify(error="not found"), 404
    return "", 204
`, `@app.delete("/notes/<int:note_id>")
@login_required
def delete_note(note_id):
    note = NOTES.get(note_id)
    if note is None or note["user_id"] != g.user["id"]:
        return jsonify(error="not found"), 404
    del NOTES[note_id]
    return "", 204
`},
		{"a direct read", `@app.get("/notes/<int:note_id>")  # <-
@login_required
def get_note(note_id):
    return jsonify(NOTES[note_id])
`, `@app.get("/notes/<int:note_id>")
@login_required
def get_note(note_id):
    note = NOTES.get(note_id)
    if note is None or note["user_id"] != g.user["id"]:
        abort(404)
    return jsonify(note)
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pl, _ := plan(t, "authz.bola", map[string]string{"app.py": common + c.src})
			if fx := pl.Fixes[0]; !fx.Patched {
				t.Fatalf("not patched: %s", fx.Reason)
			}
			got := strings.TrimPrefix(strings.TrimPrefix(string(pl.New["app.py"]), "from flask import abort\n"), common)
			if got != c.want {
				t.Errorf("patched:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

// TestOwnershipByKey: a store keyed by the caller's identity (the caller's
// own object is looked up by it elsewhere) checks the key looked up.
func TestOwnershipByKey(t *testing.T) {
	src := `@app.delete("/api/me")
@login_required
def delete_me():
    USERS.pop(g.user["username"], None)
    return "", 204


@app.delete("/api/users/<username>")  # <-
@login_required
def delete_user(username):
    target = USERS.get(username)
    if target is None:
        return jsonify(msg="not found"), 404
    del USERS[username]
    return "", 204
`
	pl, _ := plan(t, "authz.bola-write", map[string]string{"app.py": src})
	if fx := pl.Fixes[0]; !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	if got := string(pl.New["app.py"]); !strings.Contains(got, `    if target is None or username != g.user["username"]:`) {
		t.Errorf("patched:\n%s", got)
	}
}
