package probe

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
