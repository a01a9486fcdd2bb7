package catalog

import "github.com/authprobe/authprobe/internal/finding"

var api2 = []string{"API2:2023"}

// jwtEntries are the live checks of how an API verifies JWT signatures and of
// the hygiene of the tokens it issues.
var jwtEntries = []Entry{
	{
		ID: "jwt.signature-not-verified", Kind: Probe, Severity: finding.Critical,
		Title: "JWT signature is not verified",
		CWE:   []string{"CWE-347"}, OWASP: api2,
		Description: "A token whose payload was changed while its original signature was kept was accepted: anyone can rewrite any claim (subject, role, expiry).",
		Remediation: "Verify every token with its key and a pinned algorithm list: jwt.decode(token, key, algorithms=[\"HS256\"]). Remove options={\"verify_signature\": False} (PyJWT 1.x: verify=False) and never use jwt.get_unverified_claims or decode(..., verify=False) results for authentication.",
	},
	{
		ID: "jwt.invalid-signature-accepted", Kind: Probe, Severity: finding.Critical,
		Title: "JWT with an invalid signature is accepted",
		CWE:   []string{"CWE-347"}, OWASP: api2,
		Description: "A token with the original header and payload but a random signature was accepted: the signature is computed or compared wrongly, or not at all.",
		Remediation: "Let the JWT library verify the signature (jwt.decode with the key and algorithms=[...]) instead of hand-rolled checks; compare MACs with hmac.compare_digest over the whole signature.",
	},
	{
		ID: "jwt.signature-stripped", Kind: Probe, Severity: finding.Critical,
		Title: "JWT without a signature is accepted",
		CWE:   []string{"CWE-347"}, OWASP: api2,
		Description: "A token with an empty or null signature segment was accepted: a verifier that treats a missing signature as nothing to check lets anyone forge tokens.",
		Remediation: "Reject tokens whose signature segment is empty; use jwt.decode(token, key, algorithms=[\"HS256\"]) from PyJWT 2.x, which does, instead of splitting the token by hand.",
	},
	{
		ID: "jwt.alg-none", Kind: Probe, Severity: finding.Critical,
		Title: "JWT with alg \"none\" is accepted",
		CWE:   []string{"CWE-347", "CWE-327"}, OWASP: api2,
		Description: "An unsigned token declaring alg none (in some casing) was accepted: the verifier lets the token choose its own algorithm.",
		Remediation: "Pin the accepted algorithms on the server: jwt.decode(token, key, algorithms=[\"HS256\"]); never pass algorithms taken from the token header and never include \"none\".",
	},
	{
		ID: "jwt.blank-secret", Kind: Probe, Severity: finding.Critical,
		Title: "JWT signed with an empty HMAC key is accepted",
		CWE:   []string{"CWE-347", "CWE-521"}, OWASP: api2,
		Description: "A token signed with HS256 and an empty secret was accepted: the server's key is empty, typically an unset environment variable read with a \"\" default.",
		Remediation: "Fail at start-up when the signing key is missing: app.config[\"JWT_SECRET_KEY\"] = os.environ[\"JWT_SECRET_KEY\"] (no default), and reject keys shorter than 32 bytes.",
	},
	{
		ID: "jwt.token-in-query", Kind: Probe, Severity: finding.Medium,
		Title: "JWT accepted from the query string",
		CWE:   []string{"CWE-598"}, OWASP: api2,
		Description: "The API accepts the bearer token as a URL query parameter: tokens in URLs end up in proxy and server logs, browser history and Referer headers.",
		Remediation: "Read tokens only from the Authorization header: with flask-jwt-extended set JWT_TOKEN_LOCATION = [\"headers\"]; in hand-written decorators do not fall back to request.args.",
	},
	{
		ID: "jwt.no-expiry", Kind: Probe, Severity: finding.Medium,
		Title: "Issued JWT has no expiry",
		CWE:   []string{"CWE-613"}, OWASP: api2,
		Description: "The identity's token carries no exp claim: a leaked token stays valid forever.",
		Remediation: "Issue tokens with a short exp: jwt.encode({..., \"exp\": now + timedelta(minutes=15)}, key, algorithm=\"HS256\"); with flask-jwt-extended keep JWT_ACCESS_TOKEN_EXPIRES a timedelta, never False; and require it when decoding: options={\"require\": [\"exp\"]}.",
	},
	{
		ID: "jwt.long-lifetime", Kind: Probe, Severity: finding.Low,
		Title: "Issued JWT lives longer than 24 hours",
		CWE:   []string{"CWE-613"}, OWASP: api2,
		Description: "The identity's token is valid for more than a day: a stolen token stays useful long after the session it belonged to.",
		Remediation: "Keep access tokens short-lived (minutes) and use refresh tokens for long sessions: JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15).",
	},
	{
		ID: "jwt.sensitive-claims", Kind: Probe, Severity: finding.High,
		Title: "Issued JWT carries sensitive data",
		CWE:   []string{"CWE-312"}, OWASP: []string{"API3:2023"},
		Description: "The identity's token payload, which is only base64url-encoded and readable by anyone holding it, contains a password, password hash, secret or card number.",
		Remediation: "Put only identifiers and authorization data in tokens (sub, roles); look everything else up on the server. Remove password, hash and secret fields from the payload passed to jwt.encode / create_access_token(additional_claims=...).",
	},
	{
		ID: "jwt.unsigned-token-issued", Kind: Probe, Severity: finding.High,
		Title: "Issued JWT is unsigned",
		CWE:   []string{"CWE-347", "CWE-327"}, OWASP: api2,
		Description: "The API issued the identity a token with alg none or an empty signature: the API itself treats unsigned tokens as valid.",
		Remediation: "Sign every token: jwt.encode(payload, key, algorithm=\"HS256\") with a strong key, never algorithm=None or \"none\".",
	},
}
