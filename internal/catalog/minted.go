package catalog

import "github.com/authprobe/authprobe/internal/finding"

// mintedEntries are the live checks of credentials the API itself issues
// (tokens and keys minted by a write endpoint).
var mintedEntries = []Entry{
	{
		ID: "apikey.predictable-token", Kind: Probe, Severity: finding.High,
		Title: "Minted tokens or keys are predictable",
		CWE:   []string{"CWE-330", "CWE-340"}, OWASP: api2,
		Description: "Tokens or API keys the API minted in a row follow a pattern anyone can continue: sequential values, a hash (MD5, SHA-1, SHA-256) of a counter or of the current time, or too few possible values (a short alphabet or length). Whoever mints one can compute the tokens minted before and after it, other tenants' included.",
		Remediation: "Mint credentials from the operating system's CSPRNG with at least 128 bits of entropy: `token = secrets.token_urlsafe(32)`; never hash a counter, a timestamp or an id, and store only a hash of the token (hmac.compare_digest on lookup).",
	},
}

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
