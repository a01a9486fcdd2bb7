package catalog

import "github.com/authprobe/authprobe/internal/finding"

// CWEKnownDefault is added to a weak-secret finding when the recovered
// secret is a publicly known default (documentation, tutorial, framework).
const CWEKnownDefault = "CWE-798"

// jwtKeyEntries are the live checks that recover or bypass the signing key:
// weak secrets, the claim-validation matrix a signing capability unlocks,
// and key attacks that need no secret at all.
var jwtKeyEntries = []Entry{
	{
		ID: "jwt.weak-secret", Kind: Probe, Severity: finding.Critical,
		Title: "JWT signing secret is weak",
		CWE:   []string{"CWE-521"}, OWASP: api2,
		Description: "The HMAC secret that signs the identity's token was recovered offline from the token alone, with a list of common and default secrets: anyone holding one token can mint tokens for any user and any claim.",
		Remediation: "Sign with a random secret of at least 32 bytes kept out of the code: app.config[\"JWT_SECRET_KEY\"] = os.environ[\"JWT_SECRET_KEY\"] generated with secrets.token_urlsafe(48); rotate it now, since every token signed with the old one is forgeable. Prefer RS256/ES256 when several services verify tokens.",
	},
	{
		ID: "session.weak-secret", Kind: Probe, Severity: finding.Critical,
		Title: "Flask SECRET_KEY is weak",
		CWE:   []string{"CWE-521"}, OWASP: api2,
		Description: "The Flask SECRET_KEY that signs the session cookie was recovered offline from the cookie: anyone can write any session (log in as any user, set any flag the app keeps in the session).",
		Remediation: "Set a random key from the environment and never a literal: app.config[\"SECRET_KEY\"] = os.environ[\"SECRET_KEY\"], generated with python -c 'import secrets; print(secrets.token_hex(32))'. Rotating it logs every user out, which is what you want now.",
	},
	{
		ID: "jwt.expired-accepted", Kind: Probe, Severity: finding.High,
		Title: "Expired JWT is accepted",
		CWE:   []string{"CWE-613"}, OWASP: api2,
		Description: "A correctly signed token whose exp lies a day in the past was accepted: a leaked or logged-out token stays valid forever.",
		Remediation: "Keep expiry verification on: jwt.decode(token, key, algorithms=[\"HS256\"]) verifies exp by default; remove options={\"verify_exp\": False} and keep any leeway to seconds (leeway=30).",
	},
	{
		ID: "jwt.missing-exp-accepted", Kind: Probe, Severity: finding.Medium,
		Title: "JWT without exp is accepted",
		CWE:   []string{"CWE-613"}, OWASP: api2,
		Description: "A correctly signed token without an exp claim was accepted although the API issues tokens with one: any token minted without expiry (by a bug, a test tool or a leaked key) never expires.",
		Remediation: "Require the claim when decoding: jwt.decode(token, key, algorithms=[\"HS256\"], options={\"require\": [\"exp\", \"iat\", \"sub\"]}); PyJWT only checks exp when it is present.",
	},
	{
		ID: "jwt.nbf-ignored", Kind: Probe, Severity: finding.Low,
		Title: "JWT not-before (nbf) is ignored",
		CWE:   []string{"CWE-345"}, OWASP: api2,
		Description: "A correctly signed token whose nbf lies a day in the future was accepted: tokens issued for later use (scheduled jobs, delegated access) work immediately.",
		Remediation: "Do not disable the check: remove options={\"verify_nbf\": False} from jwt.decode; PyJWT verifies nbf by default.",
	},
	{
		ID: "jwt.iat-future-accepted", Kind: Probe, Severity: finding.Low,
		Title: "JWT issued in the future is accepted",
		CWE:   []string{"CWE-345"}, OWASP: api2,
		Description: "A correctly signed token whose iat lies a day in the future was accepted: a token minted with a skewed or forged clock outlives its intended lifetime, and revocation by issue time (\"tokens issued before the password change\") can be dodged.",
		Remediation: "Keep options={\"verify_iat\": True} (the PyJWT 2.x default) and reject iat later than now plus a small leeway in hand-written checks.",
	},
	{
		ID: "jwt.iss-not-validated", Kind: Probe, Severity: finding.Medium,
		Title: "JWT issuer (iss) is not validated",
		CWE:   []string{"CWE-345"}, OWASP: api2,
		Description: "A correctly signed token with a wrong or missing iss was accepted although the API's tokens name their issuer: tokens minted by another issuer that shares the key (staging, another tenant, a partner) are honoured.",
		Remediation: "Pass the expected issuer and require it: jwt.decode(token, key, algorithms=[\"HS256\"], issuer=\"https://auth.example.com\", options={\"require\": [\"iss\"]}); with flask-jwt-extended set JWT_DECODE_ISSUER.",
	},
	{
		ID: "jwt.aud-not-validated", Kind: Probe, Severity: finding.Medium,
		Title: "JWT audience (aud) is not validated",
		CWE:   []string{"CWE-345"}, OWASP: api2,
		Description: "A correctly signed token with a wrong or missing aud was accepted although the API's tokens name their audience: a token meant for another service signed by the same issuer works here.",
		Remediation: "Verify the audience: jwt.decode(token, key, algorithms=[\"HS256\"], audience=\"billing-api\", options={\"require\": [\"aud\"]}); never options={\"verify_aud\": False}. With flask-jwt-extended set JWT_DECODE_AUDIENCE.",
	},
	{
		ID: "jwt.alg-not-pinned", Kind: Probe, Severity: finding.Low,
		Title: "JWT algorithm is not pinned",
		CWE:   []string{"CWE-347", "CWE-327"}, OWASP: api2,
		Description: "A token re-signed with the same key under another algorithm of the family (HS256 to HS384/HS512, RS256 to RS384/PS256) was accepted: the verifier lets the token choose its algorithm, the precondition of algorithm-confusion attacks.",
		Remediation: "Accept exactly the algorithm you issue: jwt.decode(token, key, algorithms=[\"HS256\"]), never a list built from the token header or jwt.algorithms.get_default_algorithms().",
	},
	{
		ID: "jwt.forged-privilege", Kind: Probe, Severity: finding.Critical,
		Title: "Forged JWT claims grant privileges",
		CWE:   []string{"CWE-269", "CWE-347"}, OWASP: []string{"API5:2023", "API2:2023"},
		Description: "With the signing secret recovered by attack (never with one the owner configured: holding the key is then by design), a token forged with elevated claims (role, admin, scope, groups) was accepted and the response showed data the identity does not get with its own token.",
		Remediation: "Fix the key weakness reported with this finding first. Then do not take privileges from the token alone for sensitive operations: look the user's role up server-side (current_user.role from the database) or at least keep roles in tokens signed with a strong, rotated key.",
	},
	{
		ID: "jwt.alg-confusion", Kind: Probe, Severity: finding.Critical,
		Title: "JWT algorithm confusion: HMAC with the public key is accepted",
		CWE:   []string{"CWE-347", "CWE-327"}, OWASP: api2,
		Description: "A token re-declared HS256 and signed with the API's public RSA/EC key (published in its JWKS or certificate) as the HMAC secret was accepted: the verifier takes the algorithm from the token and anyone can forge tokens.",
		Remediation: "Pin the asymmetric algorithm: jwt.decode(token, public_key, algorithms=[\"RS256\"]). PyJWT 2.x refuses PEM keys as HMAC secrets; remove hand-written verifiers that dispatch on header[\"alg\"] with one key for every algorithm.",
	},
	{
		ID: "jwt.jwk-header-trusted", Kind: Probe, Severity: finding.Critical,
		Title: "JWT verified with the key embedded in its own header",
		CWE:   []string{"CWE-347"}, OWASP: api2,
		Description: "A token signed with authprobe's own key and carrying that key in its jwk header was accepted: the verifier trusts whatever key the token brings (CVE-2018-0114 class).",
		Remediation: "Verify only with keys you hold: look the key up by kid in your own JWKS (jwt.PyJWKClient(JWKS_URL).get_signing_key_from_jwt(token)) and ignore header jwk members.",
	},
	{
		ID: "jwt.jku-fetched", Kind: Probe, Severity: finding.Medium,
		Title: "JWT jku header URL is fetched",
		CWE:   []string{"CWE-918"}, OWASP: []string{"API2:2023", "API7:2023"},
		Description: "The API fetched a key set from the URL in a token's jku header, chosen by whoever sends the token: a server-side request forgery primitive, and one step from trusting the fetched keys.",
		Remediation: "Never fetch keys from URLs in the token: configure the JWKS URL on the server (PyJWKClient(\"https://auth.example.com/.well-known/jwks.json\")) and ignore jku, or compare it with an exact allowlist before any request.",
	},
	{
		ID: "jwt.jku-trusted", Kind: Probe, Severity: finding.Critical,
		Title: "JWT verified with a key set from its own jku URL",
		CWE:   []string{"CWE-347"}, OWASP: api2,
		Description: "A token signed with authprobe's key and pointing its jku header at a key set authprobe served was accepted: anyone can forge tokens by hosting a JWKS.",
		Remediation: "Verify with keys from a JWKS URL configured on the server only (jwt.PyJWKClient(JWKS_URL)); ignore the token's jku.",
	},
	{
		ID: "jwt.x5u-fetched", Kind: Probe, Severity: finding.Medium,
		Title: "JWT x5u header URL is fetched",
		CWE:   []string{"CWE-918"}, OWASP: []string{"API2:2023", "API7:2023"},
		Description: "The API fetched a certificate from the URL in a token's x5u header, chosen by whoever sends the token: a server-side request forgery primitive, and one step from trusting the certificate.",
		Remediation: "Do not dereference x5u from tokens; pin the signing certificate or public key in configuration and verify with jwt.decode(token, pinned_key, algorithms=[\"RS256\"]).",
	},
	{
		ID: "jwt.x5u-trusted", Kind: Probe, Severity: finding.Critical,
		Title: "JWT verified with a certificate from its own x5u URL",
		CWE:   []string{"CWE-347", "CWE-295"}, OWASP: api2,
		Description: "A token signed with authprobe's key and pointing its x5u header at a self-signed certificate authprobe served was accepted: anyone can forge tokens by hosting a certificate.",
		Remediation: "Verify with a pinned key or certificate from configuration; never build the verification key from a URL the token names.",
	},
	{
		ID: "jwt.kid-traversal", Kind: Probe, Severity: finding.Critical,
		Title: "JWT kid is used as a file path (path traversal)",
		CWE:   []string{"CWE-22", "CWE-347"}, OWASP: api2,
		Description: "A token whose kid points outside the key directory (../../dev/null) and signed with that file's content (the empty key) was accepted: the verifier reads the key from a path the token chooses.",
		Remediation: "Treat kid as an identifier, not a path: look it up in a dict of known keys ({\"2026-01\": key}) and reject unknown ids; never os.path.join(KEY_DIR, kid). Refuse empty HMAC keys.",
	},
	{
		ID: "jwt.kid-sqli", Kind: Probe, Severity: finding.Critical,
		Title: "JWT kid is injected into a SQL query",
		CWE:   []string{"CWE-89", "CWE-347"}, OWASP: api2,
		Description: "A token whose kid carries a SQL UNION returning a key of authprobe's choosing, signed with that key, was accepted: the key lookup concatenates kid into SQL, which forges tokens and exposes the database.",
		Remediation: "Bind kid as a parameter: db.execute(\"SELECT secret FROM signing_keys WHERE kid = ?\", (kid,)); better, keep keys in a dict loaded at start and reject unknown kids.",
	},
	{
		ID: "jwt.psychic-signature", Kind: Probe, Severity: finding.Critical,
		Title: "ECDSA JWT with a zero signature is accepted (psychic signature)",
		CWE:   []string{"CWE-347"}, OWASP: api2,
		Description: "An ES256/384/512 token whose signature is r = s = 0 was accepted: the ECDSA verifier skips the range check on r and s (CVE-2022-21449 class), so any token verifies.",
		Remediation: "Verify ECDSA with a maintained library (jwt.decode(token, public_key, algorithms=[\"ES256\"]) on python-cryptography) instead of hand-written curve arithmetic, which must reject r or s outside [1, n-1].",
	},
}
