package catalog

import "github.com/authprobe/authprobe/internal/finding"

// clientIdentityEntries are the live checks of who the caller is taken to
// be: a value the client sets and nothing verifies.
var clientIdentityEntries = []Entry{
	{
		ID: "authn.client-controlled-identity", Kind: Probe, Severity: finding.Critical,
		Title: "The caller's identity is taken from a value the client sets",
		CWE:   []string{"CWE-290", "CWE-639"}, OWASP: api2,
		Description: "The API decides who the caller is from a header (X-User-Id, a username header, X-Forwarded-User), a plain unsigned cookie or a query parameter that any client can set, and verifies it against nothing the client cannot forge. Sending another user's identifier is enough to be served their data, and sending a value the code treats as privileged (\"admin\") opens what everyone else is refused.",
		Remediation: "Derive the caller from a verified credential only: a session or token the server signed (flask-jwt-extended's `get_jwt_identity()`, `flask.session` with a strong SECRET_KEY). Never read the user from `request.headers.get(\"X-User-Id\")` or `request.cookies.get(\"user\")`; if a trusted proxy sets such a header, strip it at the proxy and accept it only over an authenticated channel (a shared secret or mTLS checked with `hmac.compare_digest`).",
	},
}
