package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/static"
)

// TestFastAPICredentialReads: where a FastAPI app's dependency gates read
// the credential are placements before the code's other reads, a header
// before a cookie before the query string: the key schemes by their name=,
// a Header parameter by its alias (or its name with hyphens), bearer for
// the bearer schemes. A scheme nothing gates with (auto_error=False and
// no refusal) and a view's own query parameters are none.
func TestFastAPICredentialReads(t *testing.T) {
	cases := []struct {
		name, app string
		want      []string
	}{
		{"query and header schemes, one dependency", `from fastapi import FastAPI, HTTPException, Security
from fastapi.security.api_key import APIKeyHeader, APIKeyQuery
q = APIKeyQuery(name="api_key", auto_error=False)
h = APIKeyHeader(name="api_key", auto_error=False)
KEYS = {"k"}
def key(a: str = Security(q), b: str = Security(h)):
    if a in KEYS or b in KEYS:
        return a or b
    raise HTTPException(status_code=403, detail="no")
app = FastAPI()
@app.get("/data")
def data(k=Security(key)):
    return {}
`, []string{"header:api_key", "query:api_key"}},
		{"header parameter and bearer", `from typing import Annotated
import jwt
from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException
from fastapi.security import OAuth2PasswordBearer
oauth2 = OAuth2PasswordBearer(tokenUrl="token")
def tenant(x_tenant_key: str = Header(...)):
    if x_tenant_key != "t":
        raise HTTPException(401)
def user(token: Annotated[str, Depends(oauth2)]):
    return jwt.decode(token, "s", algorithms=["HS256"])
router = APIRouter(dependencies=[Depends(tenant)])
@router.get("/me")
def me(u=Depends(user)):
    return u
app = FastAPI()
app.include_router(router)
`, []string{"bearer", "header:x-tenant-key"}},
		{"no gate: optional scheme, query data", `from fastapi import FastAPI, HTTPException, Query, Security
from fastapi.security import APIKeyHeader
h = APIKeyHeader(name="X-Key", auto_error=False)
def maybe(k: str = Security(h)):
    return k
app = FastAPI()
@app.get("/search")
def search(q: str = Query(None), k=Security(maybe)):
    if q == "secret":
        raise HTTPException(status_code=403, detail="not this")
    return []
`, nil},
	}
	for _, c := range cases {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.py"), []byte(c.app), 0o600); err != nil {
			t.Fatal(err)
		}
		proj, _, err := static.Analyze(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range CredentialReads(proj) {
			got = append(got, h.Use)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// TestFastAPICredentialReadsFromSettings: the name a key travels under is
// often a setting, taken at its default: a settings class's field read
// through its instance in another module (APIKeyQuery/Header/Cookie with
// name=settings.API_KEY_NAME), a getenv default given to a Header
// parameter's alias. A setting with no default names no place.
func TestFastAPICredentialReadsFromSettings(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"settings class field, three schemes", map[string]string{
			"app/__init__.py": "",
			"app/config.py": `from pydantic_settings import BaseSettings
class Settings(BaseSettings):
    API_KEY: str
    API_KEY_NAME: str = 'access_token'
settings = Settings()
`,
			"app/main.py": `from fastapi import Depends, FastAPI, HTTPException, Security
from fastapi.security.api_key import APIKeyCookie, APIKeyHeader, APIKeyQuery
from app.config import settings
q = APIKeyQuery(name=settings.API_KEY_NAME, auto_error=False)
h = APIKeyHeader(name=settings.API_KEY_NAME, auto_error=False)
c = APIKeyCookie(name=settings.API_KEY_NAME, auto_error=False)
async def key(a: str = Security(q), b: str = Security(h), d: str = Security(c)):
    if a == settings.API_KEY:
        return a
    elif b == settings.API_KEY:
        return b
    elif d == settings.API_KEY:
        return d
    raise HTTPException(status_code=403, detail="no")
app = FastAPI()
@app.get("/secure")
async def secure(k=Depends(key)):
    return "ok"
`}, []string{"header:access_token", "cookie:access_token", "query:access_token"}},
		{"getenv default as a Header alias", map[string]string{"main.py": `import os
from fastapi import Depends, FastAPI, Header, HTTPException
KEY_HEADER = os.getenv("KEY_HEADER", "X-Service-Key")
def guard(key: str = Header(None, alias=KEY_HEADER)):
    if key != os.environ["SERVICE_KEY"]:
        raise HTTPException(401)
app = FastAPI()
@app.post("/jobs")
def jobs(k=Depends(guard)):
    return {}
`}, []string{"header:X-Service-Key"}},
		{"no default: no place", map[string]string{"main.py": `import os
from fastapi import Depends, FastAPI, HTTPException, Security
from fastapi.security import APIKeyHeader
h = APIKeyHeader(name=os.getenv("KEY_HEADER"))
def guard(k: str = Security(h)):
    if k != "s":
        raise HTTPException(403)
app = FastAPI()
@app.get("/x")
def x(k=Depends(guard)):
    return {}
`}, nil},
	}
	for _, c := range cases {
		dir := t.TempDir()
		for name, text := range c.files {
			path := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		proj, _, err := static.Analyze(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range CredentialReads(proj) {
			got = append(got, h.Use)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
