package report

import (
	"time"

	"github.com/authprobe/authprobe/internal/finding"
)

// hostile is what a malicious target could put in a response that ends up
// in evidence: markup, an ANSI escape, a bidi override, Markdown and XML
// metacharacters.
const hostile = "<script>alert(1)</script>\x1b[2J\u202eevil `|` ]]> </pre> {{.}} *bold* [x](http://evil.example)"

// fixture builds a rich result in Go (not from JSON), so that nil and empty
// slices, missing pointers and an unknown severity all reach the writers.
func fixture() *Result {
	r := New("http://127.0.0.1:5000", "0.1.0")
	r.StartedAt = time.Date(2026, 11, 28, 21, 4, 5, 0, time.FixedZone("CET", 3600))
	r.Stats = Stats{Requests: 412, Endpoints: 4, DurationMS: 3810, Files: 3, Lines: 640, Suppressed: 2}
	r.Endpoints = []Endpoint{
		{Method: "GET", Path: "/api/v1/reports", Source: "app.py:40", Policy: "jwt",
			Matrix: map[string]string{"anonymous": "rejected", "alice": "accepted", "bob": "accepted"}, Requests: 120},
		{Method: "GET", Path: "/api/v1/orders/{order_id}", Source: "app.py:88", Policy: "jwt",
			Matrix: map[string]string{"anonymous": "rejected", "alice": "accepted", "bob": "accepted"}, Requests: 96},
		{Method: "DELETE", Path: "/api/v1/admin/users/{id}", Policy: "role-restricted", Auth: []string{"jwt_required", "admin_required"},
			Matrix: map[string]string{"anonymous": "rejected", "alice": "accepted", "bob": "inconclusive"}, Requests: 30},
		{Method: "GET", Path: "/health", Policy: "public", Matrix: map[string]string{"anonymous": "accepted"}},
	}
	r.Findings = []finding.Finding{
		{
			Rule: "jwt.long-lifetime", Title: "Issued JWT lives too long", Severity: finding.Low,
			Confidence: finding.Firm, CWE: []string{"CWE-613"}, OWASP: []string{"API2:2023"},
			Message: "alice's token is valid for 30 days", Identity: "alice", Source: "dynamic",
			Remediation: "Issue access tokens for minutes, not days.",
		},
		{
			Rule: "jwt.signature-not-verified", Title: "JWT signature is not verified", Severity: finding.Critical,
			Confidence: finding.Confirmed, CWE: []string{"CWE-347"}, OWASP: []string{"API2:2023"},
			Endpoint: &finding.Endpoint{Method: "GET", Path: "/api/v1/reports"},
			Location: &finding.Location{File: "app.py", Line: 42, Column: 14, Snippet: `claims = jwt.decode(tok, options={"verify_signature": False})`},
			Message:  "a token with a tampered payload and the original signature was accepted",
			Evidence: &finding.Evidence{
				Curl:    "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.[redacted]' http://127.0.0.1:5000/api/v1/reports",
				Status:  200,
				Request: "GET /api/v1/reports HTTP/1.1\nHost: 127.0.0.1:5000\nAuthorization: Bearer eyJ…[redacted]",
				Proof:   "canary sub \"authprobe-canary-7\" reflected in the response: " + hostile,
				Control: "the same token with a wrong key was also accepted (status 200)",
				Token:   "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.[redacted]",
			},
			Remediation: "Call jwt.decode with the key and algorithms=[\"HS256\"]; never verify_signature False.",
			Identity:    "alice", Source: "both",
			Related: []finding.Location{{File: "auth/decorators.py", Line: 12}},
			Gate:    "source:auth/decorators.py:12",
			Instances: []finding.Instance{
				{Endpoint: &finding.Endpoint{Method: "GET", Path: "/api/v1/reports"}, Identity: "alice", Status: 200, Confirmed: true},
				{Endpoint: &finding.Endpoint{Method: "GET", Path: "/api/v1/exports"}, Identity: "alice", Status: 200, Confirmed: true},
				{Endpoint: &finding.Endpoint{Method: "GET", Path: "/api/v1/audit"}, Identity: "alice", Status: 200, Confirmed: true,
					Location: &finding.Location{File: "app.py", Line: 42}},
			},
		},
		{
			Rule: "authz.bola", Title: "Object-level authorization is missing (BOLA)", Severity: finding.High,
			Confidence: finding.Firm, CWE: []string{"CWE-639"}, OWASP: []string{"API1:2023"},
			Endpoint: &finding.Endpoint{Method: "GET", Path: "/api/v1/orders/{order_id}"},
			Message:  "bob read alice's order 1001; anonymous was denied",
			Evidence: &finding.Evidence{
				Curl:   "curl -H 'Authorization: Bearer eyJ…[redacted]' http://127.0.0.1:5000/api/v1/orders/1001",
				Status: 200, Proof: "bob's response is 98% similar to alice's; anonymous got 401",
			},
			Remediation: "Check that the object belongs to the caller: Order.query.filter_by(id=order_id, owner_id=current_user.id).first_or_404().",
			Identity:    "bob", Source: "dynamic",
		},
		{
			Rule: "py.jwt-unverified", Title: "jwt.decode called without verifying the signature", Severity: finding.Critical,
			Confidence: finding.Tentative, CWE: []string{"CWE-347"},
			Location:    &finding.Location{File: "legacy/tokens.py", Line: 7, Snippet: "jwt.decode(t, verify=False)"},
			Message:     "verify=False disables signature checks",
			Remediation: "Pass the key and algorithms=[\"HS256\"].", Source: "static",
		},
		{
			Rule: "apikey.in-query", Title: "API key accepted from the query string", Severity: finding.Medium,
			Confidence: finding.Confirmed, CWE: []string{"CWE-598"}, OWASP: []string{"API8:2023"},
			Endpoint:    &finding.Endpoint{Method: "GET", Path: "/api/v1/reports"},
			Message:     "the key was accepted as ?api_key= " + hostile,
			Evidence:    &finding.Evidence{Curl: "curl 'http://127.0.0.1:5000/api/v1/reports?api_key=sk_l…[redacted]'", Status: 200},
			Remediation: "Read API keys from a header only.", Identity: "partner", Source: "dynamic",
		},
		{
			Rule: "inventory.undocumented-endpoint", Title: "Endpoint is in the code but not in the spec", Severity: finding.Info,
			Confidence: finding.Firm, CWE: []string{"CWE-1059"}, OWASP: []string{"API9:2023"},
			Endpoint: &finding.Endpoint{Method: "DELETE", Path: "/api/v1/admin/users/{id}"},
			Location: &finding.Location{File: "admin.py", Line: 19},
			Message:  "DELETE /api/v1/admin/users/{id} is routed but not documented", Source: "static",
		},
		{
			Rule: "jwt.no-expiry", Title: "Issued JWT has no expiry", Severity: finding.Medium,
			Confidence: finding.Firm, CWE: []string{"CWE-613"}, OWASP: []string{"API2:2023"},
			Message: "bob's token has no exp claim", Identity: "bob", Source: "dynamic",
			Suppressed: BaselineReason, Remediation: "Issue tokens with a short exp.",
		},
		{
			Rule: "py.hardcoded-secret", Title: "Hard-coded JWT secret", Severity: finding.High,
			Confidence: finding.Firm, CWE: []string{"CWE-798"},
			Location: &finding.Location{File: "config.py", Line: 3}, Message: "JWT_SECRET_KEY is a literal",
			Suppressed: "ignore file: rotated in vault, see SEC-12 " + hostile + " (until 2027-01-31)", Source: "static",
		},
		{
			Rule: "custom.unknown", Title: "A rule from a newer version", Severity: "severe",
			Confidence: "likely", CWE: nil, OWASP: nil, Message: "unknown severity must still be shown",
		},
	}
	for i := range r.Findings {
		r.Findings[i].ComputeFingerprint()
	}
	r.NotRun = []string{"jwt.kid-sqli: needs --allow-writes", "authz.bfla: no privileged identity (role: admin)"}
	r.Warnings = []string{"legacy/broken.py:3: syntax error, file skipped", "GET /slow: 3 timeouts " + hostile}
	return r
}
