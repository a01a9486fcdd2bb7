package source

import "slices"

// explains maps a dynamic rule to the static rules whose line causes it.
var explains = map[string][]string{
	"jwt.signature-not-verified":     {"py.jwt-unverified", "py.jwt-unverified-claims", "py.auth-fail-open"},
	"jwt.invalid-signature-accepted": {"py.auth-fail-open", "py.jwt-unverified"},
	"jwt.signature-stripped":         {"py.jwt-signature-optional", "py.jwt-unverified", "py.auth-fail-open"},
	"jwt.alg-none":                   {"py.jwt-alg-none", "py.jwt-alg-from-header", "py.jwt-no-algorithms"},
	"jwt.blank-secret":               {"py.jwt-empty-secret"},
	"jwt.token-in-query":             {"py.credential-in-query", "py.jwtx-token-in-query"},
	"jwt.no-expiry":                  {"py.jwt-no-expiry", "py.jwtx-no-expiry"},
	"jwt.long-lifetime":              {"py.jwt-long-lifetime"},
	"jwt.sensitive-claims":           {"py.jwt-sensitive-claims"},
	"jwt.unsigned-token-issued":      {"py.jwt-encode-alg-none"},
	"jwt.weak-secret":                {"py.jwt-weak-secret", "py.jwt-hardcoded-secret"},
	"session.weak-secret":            {"py.flask-weak-secret-key", "py.flask-hardcoded-secret-key"},
	"jwt.expired-accepted":           {"py.jwt-exp-not-verified", "py.jwt-large-leeway", "py.jwtx-no-expiry"},
	"jwt.missing-exp-accepted":       {"py.jwt-exp-not-required"},
	"jwt.nbf-ignored":                {"py.jwt-claim-not-verified"},
	"jwt.iat-future-accepted":        {"py.jwt-claim-not-verified"},
	"jwt.forged-privilege":           {"py.jwt-weak-secret", "py.jwt-hardcoded-secret"},
	"jwt.kid-traversal":              {"py.jwt-kid-path"},
	"jwt.kid-sqli":                   {"py.jwt-kid-sql"},
	"jwt.jwk-header-trusted":         {"py.jwt-key-from-header"},
	"jwt.jku-trusted":                {"py.jwt-key-from-header"},
	"jwt.x5u-trusted":                {"py.jwt-key-from-header"},
	"jwt.iss-not-validated":          {"py.jwt-claim-not-verified", "py.authlib-claims-not-validated"},
	"jwt.aud-not-validated":          {"py.jwt-claim-not-verified", "py.authlib-claims-not-validated"},
	"jwt.alg-not-pinned":             {"py.jwt-no-algorithms", "py.jwt-alg-mixed", "py.jwt-alg-from-header"},
	"jwt.alg-confusion":              {"py.jwt-alg-from-header", "py.jwt-alg-mixed", "py.jwt-no-algorithms"},
	"apikey.empty-accepted":          {"py.apikey-empty-key"},
	"apikey.variant-accepted":        {"py.apikey-case-folded", "py.apikey-timing-compare"},
	"apikey.invalid-accepted":        {"py.apikey-timing-compare", "py.auth-fail-open"},
	"apikey.in-query":                {"py.credential-in-query"},
	"authz.missing-authentication":   {"py.gate-stale-endpoint", "py.route-missing-auth", "py.jwtx-optional-sensitive"},
	"authz.weaker-credential-wins":   {"py.auth-fail-open", "py.jwt-unverified", "py.jwt-unverified-claims"},
	"authz.policy-mismatch":          {"py.gate-stale-endpoint", "py.route-missing-auth", "py.auth-decorator-order"},
	// A route gated only by a value the client sets reads no credential:
	// static analysis sees a route without authentication.
	"authn.client-controlled-identity": {"py.route-missing-auth"},
	"session.refresh-as-access":        {"py.jwtx-verify-type-off"},
	"session.access-at-refresh":        {"py.jwtx-verify-type-off"},
}

// projectWide rules explain a weakness from anywhere in the project (a
// secret is defined once, in a config module, not in the route).
var projectWide = map[string]bool{
	"jwt.weak-secret": true, "session.weak-secret": true, "jwt.blank-secret": true, "jwt.forged-privilege": true,
	"jwt.no-expiry": true, "jwt.long-lifetime": true, "jwt.sensitive-claims": true,
}

// ownCause dynamic rules pin the line that reads the value they abused
// (the check knows it); a static finding that explains them is merged but
// does not move them to its own line.
var ownCause = map[string]bool{"authn.client-controlled-identity": true}

// appWide static rules are about the app's configuration, which applies to
// every route (JWT_TOKEN_LOCATION, JWT_ACCESS_TOKEN_EXPIRES, the keys).
var appWide = map[string]bool{
	"py.jwtx-token-in-query": true, "py.jwtx-no-expiry": true, "py.jwtx-csrf-off": true, "py.jwtx-verify-type-off": true,
	"py.jwt-weak-secret": true, "py.jwt-hardcoded-secret": true,
	"py.flask-weak-secret-key": true, "py.flask-hardcoded-secret-key": true,
}

// Explains reports whether a static rule is a cause of a dynamic one.
func Explains(dyn, st string) bool { return slices.Contains(explains[dyn], st) }
