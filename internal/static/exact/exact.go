// Package exact asks Flask itself for a project's routes: an embedded
// Python helper imports the app in a subprocess (never serving a request)
// and reports its url_map, each view's source line, the before_request
// hooks and whether the security settings are set. It runs the project's
// code, so callers use it only when the user asks for it (--import).
package exact

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/procgroup"
)

// probe is the helper, split by concern; main.py runs the others in its
// namespace.
//
//go:embed probe/*.py
var probe embed.FS

// DefaultTimeout bounds one import of the app.
const DefaultTimeout = 60 * time.Second

// Options says how to import the app.
type Options struct {
	// Target is MODULE[:APP_OR_FACTORY]; empty finds the app (FLASK_APP,
	// wsgi.py, app.py, a package with create_app).
	Target string
	// Python is the interpreter; empty is python3.
	Python string
	// Timeout bounds the import; zero is DefaultTimeout.
	Timeout time.Duration
	// Env is added to the subprocess environment.
	Env []string
	// NoStubs turns off stand-ins (missing third-party modules, names an
	// installed library lacks, required environment variables): the
	// import fails on the first one, as a plain import would.
	NoStubs bool
	// Candidates are where the static model places the project's apps
	// (path/to/module.py or path/to/module.py:attr, a factory or an app
	// variable); tried after FLASK_APP and the usual root files, before
	// the files found by name.
	Candidates []string
}

// Wrapper is one layer a view or hook is wrapped in (a decorator that set
// __wrapped__), outermost first.
type Wrapper struct {
	Name string `json:"name"`
	File string `json:"file"`
	Line int    `json:"line"`
}

// Rule is one URL rule of app.url_map.
type Rule struct {
	Rule     string    `json:"rule"`
	Endpoint string    `json:"endpoint"`
	Methods  []string  `json:"methods"`
	File     string    `json:"file"`
	Line     int       `json:"line"`
	Wrappers []Wrapper `json:"wrappers"`
}

// Hook is one before_request function; Blueprint is "" for the app's.
type Hook struct {
	Blueprint string    `json:"blueprint"`
	Name      string    `json:"name"`
	File      string    `json:"file"`
	Line      int       `json:"line"`
	Wrappers  []Wrapper `json:"wrappers"`
}

// Blueprint is one registered blueprint.
type Blueprint struct {
	Name       string `json:"name"`
	URLPrefix  string `json:"url_prefix"`
	ImportName string `json:"import_name"`
}

// Setting is one security-relevant config key. Secret values are never
// read back: only Set, Length and EntropyBits; transport settings
// (JWT_TOKEN_LOCATION, JWT_HEADER_NAME, ...) carry their Value.
type Setting struct {
	Key         string  `json:"key"`
	Set         bool    `json:"set"`
	Length      int     `json:"length,omitempty"`
	EntropyBits float64 `json:"entropy_bits,omitempty"`
	Type        string  `json:"type,omitempty"`
	Value       any     `json:"value,omitempty"`
}

// Attempt is one candidate app that did not import, and why.
type Attempt struct {
	Target string `json:"target"`
	Error  string `json:"error"`
	Where  string `json:"where"`
}

// Inventory is what the framework reported.
type Inventory struct {
	// Target is the module and attribute the app came from ("app:app",
	// "wsgi:create_app()").
	Target     string      `json:"target"`
	Rules      []Rule      `json:"rules"`
	Blueprints []Blueprint `json:"blueprints"`
	Hooks      []Hook      `json:"hooks"`
	Config     []Setting   `json:"config"`
	Attempts   []Attempt   `json:"attempts"`
	Error      string      `json:"error"`
	// Stubbed are the third-party modules the interpreter lacked that
	// the helper replaced with permissive stand-ins to import the app
	// (never the project's own, flask or werkzeug).
	Stubbed []string `json:"stubbed"`
	// StubbedNames are names an installed library lacked (another
	// version than the project's) given to it as stand-ins
	// ("flask.escape").
	StubbedNames []string `json:"stubbed_names"`
	// EnvSet are environment variables the import required
	// (os.environ["X"]), set to placeholders of their kind, never a secret.
	EnvSet []string `json:"env_set"`
	// StubbedRouters are the stubbed modules that register routes
	// (flask_restx, flask_admin, ...): the url_map lacks their routes.
	StubbedRouters []string `json:"stubbed_routers"`
	// Replaced are installed libraries the project was written for
	// another version of (a call with arguments this one does not take),
	// replaced by stand-ins; they are among Stubbed too.
	Replaced []string `json:"replaced"`
	// Metadata are distributions whose package metadata was stood in for
	// (the project itself, not installed: importlib.metadata.version).
	Metadata []string `json:"metadata"`
	// ConfigSet are app config keys a library required (Flask-SQLAlchemy's
	// SQLALCHEMY_DATABASE_URI) that the project's config left empty, given
	// placeholders of their kind.
	ConfigSet []string `json:"config_set"`
}

// ErrNoApp is wrapped by Import when no app could be imported.
var ErrNoApp = errors.New("exact mode: no Flask app imported")

// Import runs the helper on dir. A project that does not import gives an
// error wrapping ErrNoApp that says why for each candidate tried.
func Import(ctx context.Context, dir string, opts Options) (*Inventory, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("exact mode: %w", err)
	}
	python := opts.Python
	if python == "" {
		python = "python3"
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	helper, err := writeHelper()
	if err != nil {
		return nil, fmt.Errorf("exact mode: helper: %w", err)
	}
	defer os.RemoveAll(helper)
	// The import runs in a scratch copy: the checkout is never written.
	root, err := scratchCopy(abs)
	if err != nil {
		return nil, fmt.Errorf("exact mode: %w", err)
	}
	defer os.RemoveAll(root)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	args := []string{"-B", filepath.Join(helper, "main.py"), root}
	if opts.Target != "" {
		args = append(args, opts.Target)
	}
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Dir = root
	// Its own process group: a cancelled run (SIGINT, SIGTERM, the time
	// limit) stops what the import started too (threads' subprocesses, a
	// reloader), and nothing of the group outlives the import.
	procgroup.Isolate(cmd, true)
	cmd.Cancel = func() error { return procgroup.Terminate(cmd) }
	defer procgroup.Reap(cmd)
	cmd.Env = append(append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1"), opts.Env...)
	if opts.NoStubs {
		cmd.Env = append(cmd.Env, "AUTHPROBE_NO_STUBS=1")
	}
	if len(opts.Candidates) > 0 {
		cmd.Env = append(cmd.Env, "AUTHPROBE_CANDIDATES="+strings.Join(opts.Candidates, "\n"))
	}
	cmd.Stdin = nil
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 2 * time.Second
	runErr := cmd.Run()
	if errors.Is(ctx.Err(), context.Canceled) {
		return nil, fmt.Errorf("exact mode: import stopped: %w", context.Canceled)
	}
	if ctx.Err() == context.DeadlineExceeded {
		what := "importing the app"
		if i := strings.LastIndex(stderr.String(), "authprobe-probe: trying "); i >= 0 {
			what = "importing " + strings.TrimSpace(strings.SplitN(stderr.String()[i+len("authprobe-probe: trying "):], "\n", 2)[0])
		}
		return nil, fmt.Errorf("%w: %s took longer than %s (it may connect to a service or serve at import)", ErrNoApp, what, timeout)
	}
	var inv Inventory
	if err := json.Unmarshal(stdout.Bytes(), &inv); err != nil {
		msg := lastLine(stderr.String())
		if runErr != nil {
			return nil, fmt.Errorf("%w: %s %s: %v: %s", ErrNoApp, python, "helper", runErr, msg)
		}
		return nil, fmt.Errorf("%w: unreadable helper output: %v", ErrNoApp, err)
	}
	if inv.Error != "" {
		return &inv, fmt.Errorf("%w: %s", ErrNoApp, inv.Why())
	}
	return &inv, nil
}

// Why says in one line why no app was imported.
func (inv *Inventory) Why() string {
	if len(inv.Attempts) == 0 {
		return inv.Error
	}
	var parts []string
	for _, a := range inv.Attempts {
		s := a.Target + ": " + a.Error
		if a.Where != "" {
			s += " (at " + a.Where + ")"
		}
		parts = append(parts, s)
	}
	return inv.Error + "; tried " + strings.Join(parts, "; ")
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

// Served lists the rules but Flask's own static file routes.
func (inv *Inventory) Served() []Rule {
	var out []Rule
	for _, r := range inv.Rules {
		// Flask's own static file rule, the app's or a blueprint's.
		if (r.Endpoint == "static" || strings.HasSuffix(r.Endpoint, ".static")) && strings.HasSuffix(r.Rule, "<path:filename>") {
			continue
		}
		out = append(out, r)
	}
	return out
}

// writeHelper writes the helper's files into a new temporary directory.
func writeHelper() (string, error) {
	dir, err := os.MkdirTemp("", "authprobe-probe-")
	if err != nil {
		return "", err
	}
	parts, err := probe.ReadDir("probe")
	if err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	for _, p := range parts {
		data, err := probe.ReadFile("probe/" + p.Name())
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, p.Name()), data, 0o600)
		}
		if err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	return dir, nil
}
