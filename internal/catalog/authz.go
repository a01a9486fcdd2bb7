package catalog

import "github.com/authprobe/authprobe/internal/finding"

// authzEntries are the findings of the auth matrix: who gets in where, with
// which credential, by which method, to whose objects.
var authzEntries = []Entry{
	{
		ID: "authz.missing-authentication", Kind: Probe, Severity: finding.High,
		Title: "Endpoint serves data without authentication",
		CWE:   []string{"CWE-306"}, OWASP: api2,
		Description: "A request without any credential was served where authentication is expected: the spec declares a security requirement, the sibling routes are all gated, or the path is an administrative one. Typical cause: a before_request gate listing endpoint names, one of them stale after a rename, or a decorator forgotten on one view.",
		Remediation: "Put the check on the view itself (@key_required / @jwt_required()) rather than in a list of endpoint names, or make the gate deny by default: in before_request, allow only an explicit set of public endpoints (`if request.endpoint in PUBLIC: return None`) and authenticate everything else.",
	},
	{
		ID: "authz.weaker-credential-wins", Kind: Probe, Severity: finding.Critical,
		Title: "A weaker credential opens the endpoint",
		CWE:   []string{"CWE-287"}, OWASP: api2,
		Description: "The endpoint accepts more than one kind of credential and one path of the check is weaker than the other: any value in Authorization: Bearer, or a forged or invalid JWT, gets in where a valid API key or token is required.",
		Remediation: "Verify every credential path with the same rigour and fail closed: in a key-or-token decorator call jwt.decode(token, key, algorithms=[\"HS256\"]) and return 401 on jwt.InvalidTokenError instead of falling back to {}; never accept a bearer because it is present; refuse a request that carries an invalid credential of either kind.",
	},
	{
		ID: "authz.method-tampering", Kind: Probe, Severity: finding.High,
		Title: "Authentication bypassed with another HTTP method",
		CWE:   []string{"CWE-285"}, OWASP: []string{"API5:2023"},
		Description: "The endpoint refuses an anonymous GET but serves the same resource to an anonymous request with another method (HEAD, OPTIONS, a write method) or with a method-override header (X-HTTP-Method-Override): the check is tied to request.method instead of the route.",
		Remediation: "Authenticate in a decorator or before_request hook that runs for every method of the route, never `if request.method == \"GET\": check()`; do not honour X-HTTP-Method-Override, or apply it before authentication; let Flask answer OPTIONS itself (provide_automatic_options) without running the view.",
	},
	{
		ID: "authz.bola", Kind: Probe, Severity: finding.High,
		Title: "Broken object level authorization (another user's object is readable)",
		CWE:   []string{"CWE-639"}, OWASP: []string{"API1:2023"},
		Description: "An identity read an object that belongs to another identity by putting its id in the path: the endpoint authenticates the caller but does not check that the object is theirs. Proven with three principals: the owner reads it, another identity reads the same object, an anonymous request is refused.",
		Remediation: "Scope every lookup to the caller: `Order.query.filter_by(id=order_id, user_id=g.claims[\"user_id\"]).first_or_404()`, and answer 404 (not 403) for objects of others so that ids cannot be enumerated.",
	},
	{
		ID: "authz.collection-exposure", Kind: Probe, Severity: finding.High,
		Title: "A list shows its caller other users' objects",
		CWE:   []string{"CWE-639", "CWE-200"}, OWASP: []string{"API1:2023", "API3:2023"},
		Description: "An authenticated collection endpoint answered an identity with objects whose owner field names another identity (its token's subject, login name or profile id): the list query is not scoped to the caller, so every user reads every other user's records without even guessing an id.",
		Remediation: "Filter every list by the caller: `Note.query.filter_by(user_id=get_jwt_identity())`, never `Note.query.all()`; serve all-users views only behind an admin role check.",
	},
	{
		ID: "authz.bfla-method", Kind: Probe, Severity: finding.High,
		Title: "Broken function level authorization by method (one method skips the role check)",
		CWE:   []string{"CWE-285"}, OWASP: []string{"API5:2023"},
		Description: "Two methods of one path disagree about who may call them: one refuses an identity (while serving another, so the credential is good and a role is checked), the other serves the same identity. Typically the GET view is role-restricted and the POST, PUT or DELETE view of the same resource only checks the token.",
		Remediation: "Enforce the role on every method of the resource: put the role decorator on each view function (or on the Flask-RESTful Resource's method_decorators), or check it in a blueprint before_request that runs for every method.",
	},
	{
		ID: "authz.bfla", Kind: Probe, Severity: finding.High,
		Title: "Broken function level authorization (non-admin reaches an admin function)",
		CWE:   []string{"CWE-285"}, OWASP: []string{"API5:2023"},
		Description: "A non-privileged identity reached a function reserved for administrators (by the scan policy, or by an administrative path that the admin identity reaches): the endpoint checks that the token is valid but not the caller's role.",
		Remediation: "Check the role on every privileged view: an @admin_required decorator that, after verifying the token, returns 403 unless `g.claims.get(\"role\") == \"admin\"`; with flask-jwt-extended use get_jwt()[\"role\"]; group admin views in a blueprint whose before_request enforces it.",
	},
}
