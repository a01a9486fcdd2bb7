package catalog

import "github.com/authprobe/authprobe/internal/finding"

// apikeyEntries are the live checks of how an API checks its API keys, of
// throttling of failed attempts, and of credentials exposed in responses or
// in transit.
var apikeyEntries = []Entry{
	{
		ID: "apikey.invalid-accepted", Kind: Probe, Severity: finding.Critical,
		Title: "Random API key is accepted",
		CWE:   []string{"CWE-287"}, OWASP: api2,
		Description: "A random key of the same shape as the identity's key was accepted where a request without a key is refused: the check only tests that a key is present (or its format), not that it is a known key.",
		Remediation: "Look the key up and compare it with hmac.compare_digest: `if not provided or not any(hmac.compare_digest(provided, k) for k in API_KEYS): abort(401)`; never accept a key because it is present or well-formed.",
	},
	{
		ID: "apikey.empty-accepted", Kind: Probe, Severity: finding.Critical,
		Title: "Empty API key is accepted",
		CWE:   []string{"CWE-287"}, OWASP: api2,
		Description: "The key header or parameter sent with an empty value was accepted. The usual cause is a key list read as os.environ.get(\"API_KEYS\", \"\").split(\",\"), whose trailing comma or unset variable puts \"\" among the valid keys.",
		Remediation: "Filter empty entries when loading keys and refuse empty input: `API_KEYS = [k.strip() for k in os.environ[\"API_KEYS\"].split(\",\") if k.strip()]`, and `if not provided: abort(401)` before comparing.",
	},
	{
		ID: "apikey.variant-accepted", Kind: Probe, Severity: finding.High,
		Title: "Altered API key is accepted",
		CWE:   []string{"CWE-287", "CWE-178"}, OWASP: api2,
		Description: "A variant of a valid key — case changed, surrounding whitespace, a prefix or truncation of it, or the key with characters added — was accepted: the comparison normalises or matches partially (lower(), strip(), startswith, `in`), which shrinks the key space an attacker has to search.",
		Remediation: "Compare the exact bytes: `hmac.compare_digest(provided.encode(), known.encode())`; do not lower(), strip() or prefix-match keys. Generate keys with secrets.token_urlsafe(32) so that no normalisation is ever needed.",
	},
	{
		ID: "apikey.in-query", Kind: Probe, Severity: finding.Medium,
		Title: "API key accepted in the query string",
		CWE:   []string{"CWE-598"}, OWASP: api2,
		Description: "The API key, which the API expects in a header, was also accepted as a URL query parameter: keys in URLs end up in access logs, proxy logs, browser history and Referer headers.",
		Remediation: "Read the key from the header only: `request.headers.get(\"X-API-Key\")`, without a `request.args.get(\"api_key\")` fallback; give clients that cannot set headers a separate, short-lived token instead.",
	},
	{
		ID: "apikey.sequential-keys", Kind: Probe, Severity: finding.Critical,
		Title: "API keys are minted from a counter",
		CWE:   []string{"CWE-330", "CWE-340"}, OWASP: api2,
		Description: "Two identities' keys differ only in a number a few steps apart, and the key one step further along that sequence, which no identity was given, was accepted: anyone holding one key can derive other clients' keys.",
		Remediation: "Mint keys from a cryptographic random source, never from a counter, a timestamp or a hash of one: `secrets.token_urlsafe(32)`; store only a hash of each key and rotate every key minted so far.",
	},
	{
		ID: "apikey.no-bruteforce-protection", Kind: Probe, Severity: finding.Medium,
		Title: "No protection against credential guessing",
		CWE:   []string{"CWE-307"}, OWASP: api2,
		Description: "A series of failed attempts (invalid API keys, or wrong passwords on a login request) was answered without any throttling: no 429, no lockout, no Retry-After or RateLimit headers, and the valid credential still worked afterwards. Keys and passwords can be guessed at the speed of the network.",
		Remediation: "Throttle failed authentication per client and per route, e.g. with Flask-Limiter: `@limiter.limit(\"10/minute\", deduct_when=lambda r: r.status_code in (401, 403))` on the login view and the key-checking decorator, answering 429 with Retry-After.",
	},
	{
		ID: "leak.credential-in-response", Kind: Probe, Severity: finding.High,
		Title: "Credential exposed in a response",
		CWE:   []string{"CWE-200"}, OWASP: []string{"API2:2023", "API3:2023"},
		Description: "A response body contains a credential: the caller's own token or key echoed back (a debug or echo endpoint), or a secret in a well-known format (cloud, payment or source-hosting keys, private keys). Anything that logs, caches or displays the response leaks it.",
		Remediation: "Never return credentials: redact Authorization, X-API-Key and Cookie before echoing headers (`{k: \"[redacted]\" if k.lower() in SENSITIVE else v for k, v in request.headers.items()}`), remove debug endpoints from production builds, and keep secrets out of serialised objects.",
	},
	{
		ID: "leak.sensitive-data", Kind: Probe, Severity: finding.High,
		Title: "Passwords, hashes or secrets served to the wrong caller",
		CWE:   []string{"CWE-200", "CWE-359"}, OWASP: []string{"API3:2023"},
		Description: "A response carries password, password-hash, token or key fields that the caller has no business seeing: served to anonymous callers, or other users' records served to an identity (a debug or export endpoint dumping the user table). Hashes are cracked offline; tokens and keys are used as they are.",
		Remediation: "Serialise users through an explicit allow-list of fields (a marshmallow schema or `{\"id\": u.id, \"username\": u.username}`), never `u.__dict__` or the ORM row; remove debug endpoints from production builds and put every remaining one behind authentication and an admin role.",
	},
	{
		ID: "leak.other-principal-data", Kind: Probe, Severity: finding.Medium,
		Title: "Other users' identity data served without authentication",
		CWE:   []string{"CWE-200", "CWE-359"}, OWASP: []string{"API3:2023"},
		Description: "A request without any credential was answered with the e-mail addresses, ids or user names of the scan's identities (the values they log in with, carry in their tokens or see on their own profile): anyone can list the API's users, the first step of password spraying, phishing and id guessing. Role or admin flags beside them tell an attacker whom to aim at.",
		Remediation: "Put the endpoint behind authentication, or serve a public view through an explicit allow-list of fields that leaves out e-mails and internal ids (`{\"display_name\": u.display_name}`); never serialise the user row.",
	},
	{
		ID: "transport.cleartext-credentials", Kind: Probe, Severity: finding.High,
		Title: "Credentials accepted over plain HTTP",
		CWE:   []string{"CWE-319"}, OWASP: api2,
		Description: "The API accepted credentials over unencrypted HTTP on a non-loopback address: tokens, keys and passwords cross the network in clear text.",
		Remediation: "Serve the API over HTTPS only and redirect or refuse plain HTTP before authentication: terminate TLS at the proxy, set `app.config[\"PREFERRED_URL_SCHEME\"] = \"https\"`, use Flask-Talisman (force_https=True) and send Strict-Transport-Security.",
	},
}
