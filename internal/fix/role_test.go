package fix

import "testing"

// roleCases: a route gets the role check its siblings agree on.
var roleCases = []fixerCase{
	{"the other method's opening 403 guard", "authz.bfla-method", `@app.get("/api/admin/reports")
@login_required
def reports():
    if not g.user["is_admin"]:
        return jsonify(msg="admins only"), 403
    return jsonify(reports=REPORTS)


@app.post("/api/admin/reports")  # <-
@login_required
def add_report():
    REPORTS.append(1)
    return jsonify(ok=True)
`, `@app.get("/api/admin/reports")
@login_required
def reports():
    if not g.user["is_admin"]:
        return jsonify(msg="admins only"), 403
    return jsonify(reports=REPORTS)


@app.post("/api/admin/reports")
@login_required
def add_report():
    if not g.user["is_admin"]:
        return jsonify(msg="admins only"), 403
    REPORTS.append(1)
    return jsonify(ok=True)
`},
	{"the decorator the routes under the prefix carry", "authz.bfla", `@app.get("/api/admin/users")  # <-
@token_required
def admin_users():
    return jsonify(users=[])


@app.get("/api/admin/stats")
@admin_required
def admin_stats():
    return jsonify(orders=1)
`, `@app.get("/api/admin/users")
@admin_required
@token_required
def admin_users():
    return jsonify(users=[])


@app.get("/api/admin/stats")
@admin_required
def admin_stats():
    return jsonify(orders=1)
`},
}

func TestRoleCheck(t *testing.T) {
	for _, c := range roleCases {
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
}
