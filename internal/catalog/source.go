package catalog

import "github.com/authprobe/authprobe/internal/finding"

// sourceEntries are the findings only the source-aware scan can make: they
// compare what the code declares with what the live API does.
var sourceEntries = []Entry{
	{
		ID: "authz.policy-mismatch", Kind: Joined, Severity: finding.High,
		Title: "Live endpoint is open although the code protects it",
		CWE:   []string{"CWE-306", "CWE-863"}, OWASP: []string{"API2:2023", "API5:2023"},
		Description: "The route's code applies an authentication decorator, hook or check, but the running API answered a request without credentials like an authenticated one: the protection is not wired the way the code suggests (a gate listing a stale endpoint name, a decorator applied after registration, a deployment running other code).",
		Remediation: "Protect routes with a decorator on the view itself (@jwt_required() / @require_api_key directly under @app.route), or gate by blueprint in before_request without lists of endpoint names; add a test that calls every route without credentials and expects 401.",
	},
	{
		ID: "inventory.undocumented-endpoint", Kind: Joined, Severity: finding.Low,
		Title: "Route is served but missing from the API spec",
		CWE:   []string{"CWE-1059"}, OWASP: []string{"API9:2023"},
		Description: "The code serves a route that the OpenAPI document does not describe: forgotten, debug or legacy endpoints escape reviews, gateways and scanners that trust the spec.",
		Remediation: "Describe every route in the spec (or generate the spec from the code, e.g. with flask-smorest or apispec), and remove routes that should not exist.",
	},
}
