package catalog

import "github.com/authprobe/authprobe/internal/finding"

// lifecycleEntries are the live checks of the account and session
// lifecycle: logout, refresh, password change and reset, enumeration of
// accounts and session fixation.
var lifecycleEntries = []Entry{
	{
		ID: "session.logout-not-revoked", Kind: Probe, Severity: finding.Medium,
		Title: "Token still accepted after logout",
		CWE:   []string{"CWE-613"}, OWASP: api2,
		Description: "A token (or session) the scan obtained with a fresh login, logged out through the API's logout request, still opened a protected endpoint afterwards: logout only tells the client to forget the token, so a stolen token stays usable until it expires.",
		Remediation: "Revoke on logout: with flask-jwt-extended store the token's jti in a deny list (`BLOCKLIST.add(get_jwt()[\"jti\"])`) and register `@jwt.token_in_blocklist_loader` that returns `jwt_payload[\"jti\"] in BLOCKLIST`; with server-side sessions delete the session (`session.clear()`) rather than only the cookie.",
	},
	{
		ID: "session.password-change-not-revoked", Kind: Probe, Severity: finding.Medium,
		Title: "Tokens survive a password change",
		CWE:   []string{"CWE-613"}, OWASP: api2,
		Description: "A token issued before the account's password was changed still worked after the change: whoever stole a token keeps access after the owner changes the password to lock them out.",
		Remediation: "Give every account a token version (or password-changed-at time), put it in each token (`additional_claims={\"tv\": user.token_version}`), bump it on every password change or reset, and refuse tokens whose version is stale in `@jwt.token_in_blocklist_loader`.",
	},
	{
		ID: "session.refresh-as-access", Kind: Probe, Severity: finding.Medium,
		Title: "Refresh token accepted as an access token",
		CWE:   []string{"CWE-287"}, OWASP: api2,
		Description: "A long-lived refresh token was accepted where an access token is required: the short lifetime of access tokens protects nothing when the refresh token, which lives for weeks, opens the API directly.",
		Remediation: "Check the token type on every route: with flask-jwt-extended keep the default `@jwt_required()` (never `verify_type=False`); with hand-rolled tokens refuse any token whose `type` claim is not \"access\".",
	},
	{
		ID: "session.access-at-refresh", Kind: Probe, Severity: finding.Medium,
		Title: "Access token accepted at the refresh endpoint",
		CWE:   []string{"CWE-287", "CWE-613"}, OWASP: api2,
		Description: "The refresh request issued a new access token in exchange for an access token: a token that leaks can be renewed forever, and its expiry limits nothing.",
		Remediation: "Accept only refresh tokens at the refresh route: `@jwt_required(refresh=True)` with flask-jwt-extended (without `verify_type=False`), or check `claims[\"type\"] == \"refresh\"`.",
	},
	{
		ID: "session.fixation", Kind: Probe, Severity: finding.High,
		Title: "Session id not renewed at login",
		CWE:   []string{"CWE-384"}, OWASP: api2,
		Description: "A session cookie handed out before login was still the session after login and opened the account: an attacker who plants a session id in a victim's browser (a link, a sibling subdomain) is logged in as the victim once the victim logs in.",
		Remediation: "Start a new session at login: drop the old one and issue a new id (`session.clear()` and a new sid in the session interface, or Flask-Session's `session.regenerate()`); with Flask-Login call `session.clear()` before `login_user(user)`.",
	},
	{
		ID: "account.password-change-without-current", Kind: Probe, Severity: finding.Medium,
		Title: "Password change does not ask for the current password",
		CWE:   []string{"CWE-620"}, OWASP: api2,
		Description: "The password change request succeeded without the current password: anyone holding a token or an unattended session takes the account over for good by setting a password of their own.",
		Remediation: "Require and verify the current password before changing it: `if not check_password_hash(user.pw_hash, body[\"current_password\"]): abort(403)`, then revoke the account's other tokens.",
	},
	{
		ID: "account.user-enumeration", Kind: Probe, Severity: finding.Low,
		Title: "Answers tell existing accounts from unknown ones",
		CWE:   []string{"CWE-204"}, OWASP: api2,
		Description: "The login or password-reset request answered an existing account differently from a made-up one (status, message or length): an attacker learns which user names or e-mail addresses have accounts and focuses password guessing and phishing on them.",
		Remediation: "Answer every failure alike: one status and one message for a wrong password and an unknown user (`return jsonify(msg=\"Bad username or password\"), 401`), and for password resets `202 {\"msg\": \"if the account exists, a reset link is on its way\"}` whether or not it exists.",
	},
	{
		ID: "account.login-accepts-any-password", Kind: Probe, Severity: finding.Critical,
		Title: "The login accepts any user name and password",
		CWE:   []string{"CWE-287"}, OWASP: api2,
		Description: "A login as a user no account has, with a random password, returned a credential, and that credential was let into an endpoint that refuses anonymous requests: the login checks no password (a stub check_credentials, a comparison that is always true), so anyone is anyone.",
		Remediation: "Look the user up and verify the password against its stored hash before issuing anything: `user = User.query.filter_by(username=u).first(); if not user or not check_password_hash(user.password_hash, pw): return jsonify(msg=\"Bad username or password\"), 401`.",
	},
	{
		ID: "authn.default-credentials", Kind: Probe, Severity: finding.High,
		Title: "A user name and password written in the code log in",
		CWE:   []string{"CWE-798", "CWE-1392"}, OWASP: api2,
		Description: "The source writes a user name and password (an account made or stubbed with literals, a user table, a login that compares the request with literals), and logging in with them returned a credential that was let into an endpoint that refuses anonymous requests: anyone who reads the code, or guesses a common password, is that user.",
		Remediation: "Keep no account's password in the code: create accounts from configuration or a one-time setup step that forces a new password (`create_user(username, password=os.environ[\"ADMIN_PASSWORD\"])`), look users up in the user store and compare stored hashes, and remove stub users before shipping.",
	},
	{
		ID: "account.registration-enumeration", Kind: Probe, Severity: finding.Low,
		Title: "Registration tells taken names from free ones",
		CWE:   []string{"CWE-204"}, OWASP: api2,
		Description: "Registering a user name or e-mail that already has an account is answered differently (a status or an \"already exists\" message) from registering a new one: anyone can test which names have accounts, without a login attempt that lockouts or alerts would see.",
		Remediation: "Answer a registration alike whether or not the name is taken, and tell the owner by e-mail instead (`202 {\"msg\": \"check your inbox to finish signing up\"}`); where a taken user name must be shown, rate-limit the endpoint and require a CAPTCHA.",
	},
	{
		ID: "account.user-enumeration-timing", Kind: Probe, Severity: finding.Low,
		Title: "Response time tells existing accounts from unknown ones",
		CWE:   []string{"CWE-208", "CWE-204"}, OWASP: api2,
		Description: "Failed logins took measurably longer for an existing account than for a made-up one, over repeated interleaved samples (a one-sided Mann-Whitney test, twice): the password is only hashed when the user exists, so timing reveals which accounts exist.",
		Remediation: "Do the same work for unknown users: hash the submitted password against a dummy hash (`check_password_hash(USERS.get(name, DUMMY_HASH), password)`) before deciding, and throttle failed logins.",
	},
	{
		ID: "account.reset-token-in-response", Kind: Probe, Severity: finding.Critical,
		Title: "Password reset token returned in the response",
		CWE:   []string{"CWE-640"}, OWASP: api2,
		Description: "The password reset request returned the reset token to the caller, and the token reset the password: anyone can take over any account by asking for its reset.",
		Remediation: "Send the token only to the account's verified e-mail address or phone, and answer the request with a constant message: `return jsonify(msg=\"if the account exists, a reset link is on its way\"), 202`.",
	},
	{
		ID: "account.reset-without-proof", Kind: Probe, Severity: finding.Critical,
		Title: "Password reset needs no proof of identity",
		CWE:   []string{"CWE-640", "CWE-620"}, OWASP: api2,
		Description: "The password reset took a user name and a new password and nothing else (no token or code sent to the owner, no old password), without any credential, and the new password then signed the account in: anyone takes over any account by naming it.",
		Remediation: "Split the reset in two: a request that sends a single-use, expiring token to the account's verified address, and a confirmation that sets the password only with that token (`if not hmac.compare_digest(stored, request.json[\"token\"]): abort(403)`); never take the user from the request alone.",
	},
	{
		ID: "account.reset-token-reusable", Kind: Probe, Severity: finding.Medium,
		Title: "Password reset token can be used more than once",
		CWE:   []string{"CWE-640"}, OWASP: api2,
		Description: "A password reset token set the password a second time after it had been used: a token seen in a mailbox, a log or a browser history keeps working after the owner used it.",
		Remediation: "Make reset tokens single use: delete the token when it is spent (`RESETS.pop(token, None)`), and invalidate every outstanding token of the account when the password changes.",
	},
	{
		ID: "account.reset-token-guessable", Kind: Probe, Severity: finding.High,
		Title: "Password reset token is short enough to guess",
		CWE:   []string{"CWE-640", "CWE-330"}, OWASP: api2,
		Description: "The password reset token is a short code (a few digits or characters): with no throttling on the reset confirmation, its whole space can be tried for any account.",
		Remediation: "Use at least 128 random bits: `secrets.token_urlsafe(32)`; if a short code is needed for usability, bind it to the account, expire it within minutes and lock after a few failed attempts.",
	},
	{
		ID: "account.reset-token-no-expiry", Kind: Probe, Severity: finding.Medium,
		Title: "Password reset token never expires",
		CWE:   []string{"CWE-640", "CWE-613"}, OWASP: api2,
		Description: "The password reset token is a signed token without an expiry claim: an old reset link found in a mailbox or a log resets the password at any time.",
		Remediation: "Give reset tokens a short lifetime: `jwt.encode({\"sub\": user, \"exp\": now + timedelta(minutes=15), \"purpose\": \"reset\"}, key)`, or store their creation time and refuse old ones.",
	},
}
