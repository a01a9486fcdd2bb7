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
// (data["captcha"]; Signup.model_validate(data)) — and a SQLAlchemy model
// built from it (Account(**payload), Note(**request.json)) gives its
// required columns. Without those fields the
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
		"orm.py": `from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from typing import Optional


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"
    id = Column(Integer, primary_key=True)
    name = Column(String, nullable=False)
    last_name: str = Column(String(80), nullable=False)
    bio = Column(String)
    role = Column(String, nullable=False, default="user")
    password_hash = Column(String, nullable=True)


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[Optional[str]] = mapped_column()
    pinned: Mapped[bool] = mapped_column()
`,
		"app.py": `from flask import Flask, request
from models import User, Signup
from orm import Account, Note

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


@app.post("/accounts")
def new_account():
    payload = request.get_json()
    secret = payload.pop("password")
    acc = Account(**payload)
    acc.password = secret
    return {}, 201


@app.post("/notes")
def new_note():
    n = Note(**request.json)
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
		"POST /accounts":    {"name", "last_name", "password"},
		"POST /notes":       {"title", "pinned"},
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
	// Only the columns a row must be given: not the key, a defaulted or
	// nullable column, nor an Optional one.
	for ep, absent := range map[string][]string{
		"POST /accounts": {"id", "bio", "role", "password_hash"},
		"POST /notes":    {"id", "body"},
	} {
		for _, f := range absent {
			if _, ok := got[ep].Value[f]; ok {
				t.Errorf("%s: body %v has %q, not a required column", ep, got[ep].Value, f)
			}
		}
	}
	if v := got["POST /notes"].Value["pinned"]; v != true {
		t.Errorf("pinned = %v, want a boolean (its column's kind)", v)
	}
	if v := got["POST /v2/register"].Value["captcha"]; v != "ok" {
		t.Errorf("captcha = %v, want the literal the handler requires", v)
	}
}
