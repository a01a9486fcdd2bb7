package fix

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// TestMassAssignment: the fields the finding proved (its Fields, never its
// message) are kept out of what the handler stores.
func TestMassAssignment(t *testing.T) {
	for _, c := range []struct {
		name      string
		fields    []string
		src, want string
	}{
		{"a filtered comprehension excludes the proven field", []string{"approved"},
			"@app.post(\"/api/notes\")  # <-\ndef create():\n    note = {\"id\": 1, \"approved\": False}\n    note.update({k: v for k, v in data.items() if k not in (\"id\", \"owner\")})\n    return note\n",
			"@app.post(\"/api/notes\")\ndef create():\n    note = {\"id\": 1, \"approved\": False}\n    note.update({k: v for k, v in data.items() if k not in (\"id\", \"owner\", \"approved\")})\n    return note\n"},
		{"a flag read from the request; the fields it never names stay", []string{"admin", "is_admin", "role"},
			"@app.post(\"/api/users\")  # <-\ndef register():\n    body = request.get_json() or {}\n    check(body, \"email\")\n    USERS[1] = {\"email\": body[\"email\"], \"admin\": bool(body.get(\"admin\"))}\n    return 1\n",
			"@app.post(\"/api/users\")\ndef register():\n    body = request.get_json() or {}\n    check(body, \"email\")\n    USERS[1] = {\"email\": body[\"email\"], \"admin\": False}\n    return 1\n"},
		{"the whole body merged over the owner the server set", []string{"username"},
			"@app.post(\"/api/posts\")  # <-\ndef post():\n    data = {\"username\": g.user[\"username\"]}\n    data.update(request.get_json(silent=True) or {})\n    return data\n",
			"@app.post(\"/api/posts\")\ndef post():\n    data = {\"username\": g.user[\"username\"]}\n    data.update({k: v for k, v in (request.get_json(silent=True) or {}).items() if k not in (\"username\",)})\n    return data\n"},
		{"a merge through a local name", []string{"owner", "role"},
			"@app.patch(\"/api/me\")  # <-\ndef me():\n    body = request.json\n    g.user.update(body)\n    return g.user\n",
			"@app.patch(\"/api/me\")\ndef me():\n    body = request.json\n    g.user.update({k: v for k, v in body.items() if k not in (\"owner\", \"role\")})\n    return g.user\n"},
		{"columns taken from the body's keys", []string{"is_paid"},
			"@app.post(\"/api/bills\")  # <-\ndef add_bill():\n    doc = request.get_json() or {}\n    doc[\"owner\"] = g.user\n    cols = [c for c in doc if c.isidentifier()]\n    insert(cols, [doc[c] for c in cols])\n    return \"\", 201\n",
			"@app.post(\"/api/bills\")\ndef add_bill():\n    doc = request.get_json() or {}\n    doc[\"owner\"] = g.user\n    cols = [c for c in doc if c.isidentifier() and c not in (\"is_paid\",)]\n    insert(cols, [doc[c] for c in cols])\n    return \"\", 201\n"},
		{"a copy of the body's items", []string{"role"},
			"@app.put(\"/api/me\")  # <-\ndef put_me():\n    ME.update({k: v for k, v in request.json.items()})\n    return ME\n",
			"@app.put(\"/api/me\")\ndef put_me():\n    ME.update({k: v for k, v in request.json.items() if k not in (\"role\",)})\n    return ME\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pl, _ := planWith(t, finding.Finding{Rule: "authz.mass-assignment", Fields: c.fields}, map[string]string{"app.py": c.src})
			if fx := pl.Fixes[0]; !fx.Patched {
				t.Fatalf("not patched: %s", fx.Reason)
			}
			if got := string(pl.New["app.py"]); got != c.want {
				t.Errorf("patched:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

// TestMassAssignmentRefused: no patch when the message names fields but
// Fields does not, when the handler names a proven field in a shape the
// fix does not know, or takes none of them in a shape it sees.
func TestMassAssignmentRefused(t *testing.T) {
	for _, c := range []struct {
		name, msg string
		fields    []string
		src, why  string
	}{
		{"fields only in the message", "registration accepts admin: its token claims admin", nil,
			"@app.post(\"/u\")  # <-\ndef reg():\n    USERS[1] = {\"admin\": bool(body.get(\"admin\"))}\n", "does not name the fields"},
		{"a proven field read another way", "", []string{"admin", "role"},
			"@app.post(\"/u\")  # <-\ndef reg():\n    body = request.json\n    USERS[1] = {\"admin\": bool(body.get(\"admin\")), \"role\": body.get(\"role\", \"user\")}\n", "reads \"role\""},
		{"no field taken in a known shape", "", []string{"admin"},
			"@app.post(\"/u\")  # <-\ndef reg():\n    store(request.json)\n", "names none of admin"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pl, _ := planWith(t, finding.Finding{Rule: "authz.mass-assignment", Message: c.msg, Fields: c.fields}, map[string]string{"app.py": c.src})
			if fx := pl.Fixes[0]; fx.Patched || !strings.Contains(fx.Reason, c.why) {
				t.Errorf("patched %v, reason %q, want it unpatched with %q", fx.Patched, fx.Reason, c.why)
			}
		})
	}
}
