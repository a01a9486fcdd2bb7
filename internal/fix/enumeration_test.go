package fix

import (
	"strings"
	"testing"
)

// TestLoginTimingHandWritten: a login that refuses an unknown account
// before its own (hand-written) password check runs the same check
// against a dummy made by the function that makes the store's values, and
// answers as for a wrong password; a store filled by two functions is left.
func TestLoginTimingHandWritten(t *testing.T) {
	src := `import hashlib


def derive(pw):
    return hashlib.scrypt(pw.encode(), salt=b"s", n=2**14, r=8, p=1)


def verify(stored, pw):
    return hmac.compare_digest(stored, derive(pw))


ACCOUNTS = {"ann": derive("ann-pw")}


@app.post("/signin")  # <-
def signin():
    name, pw = request.json["name"], request.json["pw"]
    if name not in ACCOUNTS:
        return jsonify(error="unknown"), 404
    if not verify(ACCOUNTS[name], pw):
        return jsonify(error="bad credentials"), 401
    return jsonify(ok=True)
`
	pl, _ := plan(t, "account.user-enumeration-timing", map[string]string{"app.py": src})
	fx := pl.Fixes[0]
	if !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	got := string(pl.New["app.py"])
	for _, want := range []string{
		"import secrets\nimport hashlib\n",
		"_DUMMY_PASSWORD_HASH = derive(secrets.token_urlsafe(16))\n\n\n@app.post(\"/signin\")",
		"    if name not in ACCOUNTS:\n        verify(_DUMMY_PASSWORD_HASH, pw)  # the same cost as a known account's check\n        return jsonify(error=\"bad credentials\"), 401\n    if not verify(ACCOUNTS[name], pw):\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("patched:\n%s\nwant it to hold:\n%s", got, want)
		}
	}
	two := strings.Replace(src, `ACCOUNTS = {"ann": derive("ann-pw")}`, "ACCOUNTS = {\"ann\": derive(\"ann-pw\")}\nACCOUNTS[\"bo\"] = legacy(\"bo-pw\")\n\n\ndef legacy(pw):\n    return pw", 1)
	pl, _ = plan(t, "account.user-enumeration-timing", map[string]string{"app.py": two})
	if fx := pl.Fixes[0]; fx.Patched || !strings.Contains(fx.Reason, "one function") {
		t.Errorf("patched %v (%s), want unpatched: two makers", fx.Patched, fx.Reason)
	}
}

// TestLoginEnumerationConstantTime: a login comparing the stored password
// in constant time (no hash) answers an unknown account as a wrong
// password; the failure counting in the branch stays.
func TestLoginEnumerationConstantTime(t *testing.T) {
	src := "@app.post(\"/in/<uid>\")  # <-\ndef signin(uid):\n    rec = MEMBERS.get(uid)\n    if rec is None:\n        failures.add(ip())\n        return jsonify(error=\"no such member\"), 404\n    if not hmac.compare_digest(rec[\"secret\"], request.json[\"secret\"]):\n        failures.add(ip())\n        return jsonify(error=\"wrong secret\"), 401\n    return jsonify(ok=True)\n"
	want := "    if rec is None:\n        failures.add(ip())\n        return jsonify(error=\"wrong secret\"), 401\n"
	pl, _ := plan(t, "account.user-enumeration", map[string]string{"app.py": src})
	if fx := pl.Fixes[0]; !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	if got := string(pl.New["app.py"]); !strings.Contains(got, want) {
		t.Errorf("patched:\n%s\nwant it to hold:\n%s", got, want)
	}
}
