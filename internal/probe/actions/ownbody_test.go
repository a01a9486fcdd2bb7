package actions

import (
	"reflect"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	register "github.com/authprobe/authprobe/internal/probe/accounts"
)

// A body that takes an account's own credentials gets those of the
// account the scan registered: its e-mail from a JSON registration
// (POST /rotate-key), or its user name from a form registration with the
// current password only, the new one left as the body had it (a second
// shape); a body without a password field is not one.
func TestWithOwnCredentials(t *testing.T) {
	jsonAcc := &register.Account{Name: "account-1", User: "ap-1a2b", Password: "Pw-1!x",
		Request: &httpx.Request{Body: []byte(`{"email": "ap-1a2b@example.com", "password": "Pw-1!x"}`)}}
	got, ok := withOwnCredentials(map[string]any{"email": "user@example.com", "password": "authprobe"}, jsonAcc)
	if want := map[string]any{"email": "ap-1a2b@example.com", "password": "Pw-1!x"}; !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("rotate-key body = %v %v, want %v", got, ok, want)
	}
	formAcc := &register.Account{Name: "account-2", User: "ap-9z", Password: "Pw-2!y",
		Request: &httpx.Request{Body: []byte(`username=ap-9z&password=Pw-2%21y`)}}
	got, ok = withOwnCredentials(map[string]any{"username": "x", "current_password": "x", "new_password": "N3w!"}, formAcc)
	if want := map[string]any{"username": "ap-9z", "current_password": "Pw-2!y", "new_password": "N3w!"}; !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("form account body = %v %v, want %v", got, ok, want)
	}
	if _, ok := withOwnCredentials(map[string]any{"email": "a@b", "quantity": 2}, jsonAcc); ok {
		t.Error("a body without a password field took the account's credentials")
	}
}
