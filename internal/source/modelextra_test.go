package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/authprobe/authprobe/internal/static"
)

// TestBodiesModelPlusHandlerReads: a handler that builds a model from the
// request's body and reads other fields itself sends both — the field it
// pops off before building a dataclass (pw = data.pop("password");
// User(**data)), and one it subscripts beside a pydantic model
// (data["captcha"]; Signup.model_validate(data)). Without those fields the
// sign-up answers 500 (KeyError) or 400 and the account checks never run.
func TestBodiesModelPlusHandlerReads(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"models.py": `from dataclasses import dataclass

from pydantic import BaseModel


@dataclass
class User:
    name: str
    email: str


class Signup(BaseModel):
    username: str
    email: str
`,
		"app.py": `from flask import Flask, request
from models import User, Signup

app = Flask(__name__)


@app.post("/api/signup")
def sign_up():
    data = request.get_json()
    password = data.pop("password")
    user = User(**data)
    user.password = password
    return {}, 201


@app.post("/v2/register")
def register():
    data = request.get_json()
    if data["captcha"] != "ok":
        return {"error": "captcha"}, 400
    s = Signup.model_validate(data)
    return {}, 201
`,
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	proj, _, err := static.Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got := Bodies(proj)
	for ep, want := range map[string][]string{
		"POST /api/signup":  {"name", "email", "password"},
		"POST /v2/register": {"username", "email", "captcha"},
	} {
		b, ok := got[ep]
		if !ok {
			t.Fatalf("%s: no body; got %v", ep, got)
		}
		for _, f := range want {
			if _, ok := b.Value[f]; !ok {
				t.Errorf("%s: body %v lacks %q", ep, b.Value, f)
			}
		}
	}
	if v := got["POST /v2/register"].Value["captcha"]; v != "ok" {
		t.Errorf("captcha = %v, want the literal the handler requires", v)
	}
}
