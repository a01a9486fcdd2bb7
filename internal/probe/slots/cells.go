package slots

// Variants of the auth matrix's cells (probe.Cell.Variant). The engine
// sends them; checks read them.
const (
	// CellAnonymous: no credential at all.
	CellAnonymous = "anonymous"
	// CellIdentity: an identity's credentials, as calibrated.
	CellIdentity = "identity"
	// CellOnly: one credential of a multi-credential identity alone.
	CellOnly = "only"
	// CellGarbage: "Authorization: Bearer <garbage>" and nothing else.
	CellGarbage = "garbage-bearer"
	// CellForgedJWT: an identity's JWT re-signed with a random key, alone.
	CellForgedJWT = "jwt-forged"
	// CellBadKey: an identity's API key replaced by a random one, alone.
	CellBadKey = "key-invalid"
	// CellPlusBadKey: an identity's valid credentials plus an invalid key.
	CellPlusBadKey = "plus-key-invalid"
	// CellPlusForged: an identity's valid credentials plus a forged JWT.
	CellPlusForged = "plus-jwt-forged"
	// CellCombined: a JWT identity's and a key identity's credentials together.
	CellCombined = "combined"
)
