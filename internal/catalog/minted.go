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
