package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/static"
)

// TestTokenHints: the JWT settings of a config class (the realworld
// layout: a settings module read with from_object) and of app.config.
func TestTokenHints(t *testing.T) {
	cases := []struct {
		files map[string]string
		want  []string
	}{
		{map[string]string{
			"settings.py": "class Config(object):\n    SECRET_KEY = 'x'\n    JWT_AUTH_HEADER_PREFIX = 'Token'\n    JWT_HEADER_TYPE = 'Token'\n",
			"app.py":      "from flask import Flask\nfrom flask_jwt_extended import JWTManager\napp = Flask(__name__)\napp.config.from_object('settings.Config')\nJWTManager(app)\n",
		}, []string{"header:Authorization:Token {token}"}},
		{map[string]string{
			"app.py": "from flask import Flask\napp = Flask(__name__)\napp.config['JWT_TOKEN_LOCATION'] = ['cookies', 'query_string']\napp.config['JWT_QUERY_STRING_NAME'] = 'token'\n",
		}, []string{"cookie:access_token_cookie", "query:token"}},
		{map[string]string{
			"app.py": "from flask import Flask\napp = Flask(__name__)\napp.config['JWT_TOKEN_LOCATION'] = ['query_string', 'headers']\n",
		}, []string{"bearer", "query:jwt"}},
		{map[string]string{
			"app.py": "from flask import Flask\napp = Flask(__name__)\napp.config['JWT_HEADER_NAME'] = 'X-Auth'\napp.config['JWT_HEADER_TYPE'] = ''\n",
		}, []string{"header:X-Auth"}},
		{map[string]string{
			"app.py": "from flask import Flask\napp = Flask(__name__)\napp.config['JWT_SECRET_KEY'] = 'k'\n",
		}, nil},
	}
	for i, c := range cases {
		dir := t.TempDir()
		for name, text := range c.files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		proj, _, err := static.Analyze(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range TokenHints(proj) {
			got = append(got, h.Use)
			if !strings.Contains(h.Why, ".py:") {
				t.Errorf("case %d: %s: why %q names no line", i, h.Use, h.Why)
			}
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("case %d: hints %q, want %q", i, got, c.want)
		}
	}
}
