package exact

// What an import reports: the app's rules, hooks and settings, how each
// candidate failed, and the stand-ins it ran with.

import (
	"fmt"
	"strings"
)

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

// StandIns says in one phrase what the import ran with in place of the
// project's real environment ("" when nothing).
func (inv *Inventory) StandIns() string {
	var parts []string
	if n := len(inv.Stubbed); n > 0 {
		parts = append(parts, fmt.Sprintf("stubbed: %d modules: %s", n, strings.Join(inv.Stubbed, ", ")))
	}
	if n := len(inv.Replaced); n > 0 {
		parts = append(parts, fmt.Sprintf("installed libraries of another version replaced: %s", strings.Join(inv.Replaced, ", ")))
	}
	if n := len(inv.StubbedNames); n > 0 {
		parts = append(parts, fmt.Sprintf("stubbed names: %s", strings.Join(inv.StubbedNames, ", ")))
	}
	if n := len(inv.StubbedRouters); n > 0 {
		parts = append(parts, fmt.Sprintf("route-registering extensions stubbed: %s, so the routes they register are the static model's", strings.Join(inv.StubbedRouters, ", ")))
	}
	if n := len(inv.Metadata); n > 0 {
		parts = append(parts, fmt.Sprintf("package metadata stood in for: %s", strings.Join(inv.Metadata, ", ")))
	}
	if n := len(inv.EnvSet); n > 0 {
		parts = append(parts, fmt.Sprintf("environment set: %s", strings.Join(inv.EnvSet, ", ")))
	}
	if n := len(inv.ConfigSet); n > 0 {
		parts = append(parts, fmt.Sprintf("app config set: %s", strings.Join(inv.ConfigSet, ", ")))
	}
	return strings.Join(parts, "; ")
}
