package probe

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
)

// Flows name the account and session lifecycle requests of an API when
// their paths do not say it (config flows:); every field is optional and
// what is left empty is discovered from the inventory.
type Flows struct {
	Logout         *FlowRequest `yaml:"logout"`
	Refresh        *FlowRequest `yaml:"refresh"`
	PasswordChange *FlowRequest `yaml:"password_change"`
	// ResetRequest asks for a reset (forgot password); ResetConfirm
	// spends its token on a new password.
	ResetRequest *FlowRequest `yaml:"reset_request"`
	ResetConfirm *FlowRequest `yaml:"reset_confirm"`
	// RefreshToken is the dot path of the refresh token in the login
	// response (default: refresh_token).
	RefreshToken string `yaml:"refresh_token"`
	// ResetToken is the dot path of a reset token in the reset request's
	// response, when the API returns one (default: any field named like a
	// token or code).
	ResetToken string `yaml:"reset_token"`
	// Hints map "METHOD /path" to a role the source code shows (refresh,
	// logout, login, password_change, reset_request, reset_confirm): set
	// by scan --source, not by the config.
	Hints map[string]string `yaml:"-"`
}

// FlowRequest is one lifecycle request. Body values may hold the
// placeholders {username}, {password}, {new_password}, {token}
// (a reset token) and {refresh_token}.
type FlowRequest struct {
	Method string            `yaml:"method"`
	URL    string            `yaml:"url"`
	JSON   map[string]any    `yaml:"json"`
	Form   map[string]string `yaml:"form"`
	// Token is the dot path of the token in the answer (refresh: the new
	// access token).
	Token string `yaml:"token"`
}

// Roles of lifecycle requests, as config flows: and source hints name them.
const (
	RoleLogout         = "logout"
	RoleRefresh        = "refresh"
	RolePasswordChange = "password_change"
	RoleResetRequest   = "reset_request"
	RoleResetConfirm   = "reset_confirm"
	RoleRegister       = "register"
	// RoleLogin is only ever a source hint: a route whose code checks a
	// password behind no credential gate.
	RoleLogin = "login"
)

// RoleOf names the lifecycle role a path suggests ("" for none). Paths
// that log out, refresh, change or reset passwords or register accounts
// change state whatever their method.
func RoleOf(path string) string {
	l := strings.ToLower(path)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(l, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("logout", "log-out", "log_out", "signout", "sign-out", "sign_out"):
		return RoleLogout
	case has("refresh"):
		return RoleRefresh
	case has("forgot", "forget", "recover"), has("reset") && has("request"):
		// A reset and a request, in any order or joint
		// (/reset-password/request, /auth/reset_password_request).
		return RoleResetRequest
	case has("password", "passwd") && has("reset", "confirm"):
		return RoleResetConfirm
	case has("reset") && has("password", "passwd", "confirm"):
		return RoleResetConfirm
	case has("password", "passwd"):
		return RolePasswordChange
	case has("register", "signup", "sign-up", "sign_up"):
		return RoleRegister
	}
	return ""
}

// Role is the lifecycle role of an endpoint: the one its code shows
// (Hints) when the source was read, else the one its path suggests
// (RoleOf, a hint). "" for none.
func (f Flows) Role(ep *inventory.Endpoint) string {
	if role := f.Hints[ep.Key()]; role != "" {
		return role
	}
	return RoleOf(ep.Path)
}

// loginWords name a login in a path's last segment, letters and digits
// only (/auth/sign-in, /api/token, /create_session, /authenticate).
var loginWords = []string{"login", "logon", "signin", "auth", "token", "session"}

// LoginPath: the path's last segment names a login. A hint, for when the
// code says nothing of the route (Flows.Hints decide first).
func LoginPath(path string) bool {
	last := Norm(path[strings.LastIndex(path, "/")+1:])
	return slices.ContainsFunc(loginWords, func(w string) bool { return strings.Contains(last, w) })
}

// Norm lowers a name and drops its separators: user_id, userId and
// user-id are all "userid", Sign-In is "signin".
func Norm(k string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		}
		return -1
	}, k)
}

// Reserved reports whether an endpoint belongs to a lifecycle flow: the
// generic checks never send it (a body-less POST to a logout endpoint
// revokes the very token the scan works with); the lifecycle checks
// drive it with bodies, on accounts they may change.
func Reserved(ep *inventory.Endpoint, f Flows) bool {
	role := f.Role(ep)
	switch ep.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		// A read named after a flow (GET /password-policy) is still a
		// read; only a GET that logs out changes state.
		if role == RoleLogout {
			return true
		}
	default:
		if role != "" {
			return true
		}
	}
	for _, r := range []*FlowRequest{f.Logout, f.Refresh, f.PasswordChange, f.ResetRequest, f.ResetConfirm} {
		if r != nil && urlPath(r.URL) == ep.Path && upperOr(r.Method, http.MethodPost) == ep.Method {
			return true
		}
	}
	return false
}

func upperOr(m, def string) string {
	if m == "" {
		return def
	}
	return strings.ToUpper(m)
}

func urlPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Path
}

// LogoutsAtLogin are the DELETE endpoints on a login's own path (DELETE
// /sessions beside POST /sessions, DELETE /api/tokens beside POST
// /api/tokens): the session or token the login made, ended — a logout
// whatever its path says.
func LogoutsAtLogin(inv *inventory.Inventory, logins []string) []*inventory.Endpoint {
	var out []*inventory.Endpoint
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if ep.Method == http.MethodDelete && slices.ContainsFunc(logins, func(l string) bool {
			return strings.TrimSuffix(l, "/") == strings.TrimSuffix(ep.Path, "/")
		}) {
			out = append(out, ep)
		}
	}
	return out
}

// PasswordUpdate reports whether ep is an update (PUT/PATCH) whose spec
// body carries a password field (Conduit's PUT /api/user with {"user":
// {"password": ...}}): a password change where the path does not say so,
// which the lifecycle checks drive and the write phase leaves alone.
func PasswordUpdate(inv *inventory.Inventory, ep *inventory.Endpoint) bool {
	if inv == nil || (ep.Method != http.MethodPut && ep.Method != http.MethodPatch) {
		return false
	}
	m, ok := inv.Bodies[ep.Key()].Value.(map[string]any)
	return ok && hasPasswordField(m, 0)
}

func hasPasswordField(m map[string]any, depth int) bool {
	for k, v := range m {
		l := strings.ToLower(k)
		if strings.Contains(l, "pass") || strings.Contains(l, "pwd") {
			return true
		}
		if sub, ok := v.(map[string]any); ok && depth < 4 && hasPasswordField(sub, depth+1) {
			return true
		}
	}
	return false
}
