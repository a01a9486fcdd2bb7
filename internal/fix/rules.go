package fix

import "strings"

// fixers lists, per rule, the mechanical fixes to try at the cause line,
// in order; the first that recognises the code there makes the edits.
// Static (py.*) and dynamic rules that share a cause share fixers.
var fixers = map[string][]fixer{
	"jwt.signature-not-verified":          {fixDecode},
	"py.jwt-unverified":                   {fixDecode},
	"py.jwt-unverified-claims":            {fixDecode},
	"authz.weaker-credential-wins":        {fixDecode},
	"jwt.alg-none":                        {fixNoneBranch, fixDecode},
	"py.jwt-alg-none":                     {fixNoneBranch, fixDecode},
	"jwt.alg-not-pinned":                  {fixAuthlibDecode, fixDecode},
	"py.jwt-no-algorithms":                {fixAuthlibDecode, fixDecode},
	"py.jwt-alg-mixed":                    {fixAuthlibDecode, fixMixedBranch, fixDecode},
	"jwt.alg-confusion":                   {fixAuthlibDecode, fixMixedBranch, fixDecode},
	"py.jwt-alg-from-header":              {fixDecode},
	"jwt.expired-accepted":                {fixAuthlibDecode, fixDecode},
	"py.jwt-exp-not-verified":             {fixDecode},
	"py.jwt-claim-not-verified":           {fixDecode},
	"jwt.nbf-ignored":                     {fixDecode},
	"jwt.iat-future-accepted":             {fixDecode},
	"jwt.aud-not-validated":               {fixDecode},
	"jwt.iss-not-validated":               {fixDecode},
	"jwt.missing-exp-accepted":            {fixDecode, fixRequireExp},
	"py.jwt-exp-not-required":             {fixDecode},
	"jwt.signature-stripped":              {fixOptionalSignature},
	"py.jwt-signature-optional":           {fixOptionalSignature},
	"jwt.blank-secret":                    {fixEmptyKey, fixSecret},
	"py.jwt-empty-secret":                 {fixEmptyKey, fixSecret},
	"jwt.weak-secret":                     {fixSecret},
	"session.weak-secret":                 {fixSecret},
	"py.jwt-weak-secret":                  {fixSecret},
	"py.jwt-hardcoded-secret":             {fixSecret},
	"py.flask-hardcoded-secret-key":       {fixSecret},
	"py.flask-weak-secret-key":            {fixSecret},
	"jwt.token-in-query":                  {fixQuerySource},
	"py.jwtx-token-in-query":              {fixQuerySource},
	"py.credential-in-query":              {fixQuerySource},
	"apikey.in-query":                     {fixQuerySource},
	"jwt.no-expiry":                       {fixLifetime, fixNoExpiry},
	"py.jwt-no-expiry":                    {fixNoExpiry},
	"py.jwtx-no-expiry":                   {fixLifetime},
	"jwt.long-lifetime":                   {fixLifetime, fixLongLifetime},
	"py.jwt-long-lifetime":                {fixLifetime, fixLongLifetime},
	"jwt.sensitive-claims":                {fixSensitiveClaim},
	"py.jwt-sensitive-claims":             {fixSensitiveClaim},
	"py.jwtx-csrf-off":                    {fixCSRF},
	"py.apikey-case-folded":               {fixFolding},
	"py.flask-debug":                      {fixDebug},
	"py.jwtx-verify-type-off":             {fixVerifyType},
	"session.refresh-as-access":           {fixVerifyType, fixTokenType},
	"session.access-at-refresh":           {fixVerifyType},
	"py.authlib-claims-not-validated":     {fixAuthlibDecode},
	"py.auth-fail-open":                   {fixFailOpen},
	"py.hardcoded-api-key":                {fixHardcodedKey},
	"apikey.empty-accepted":               {fixKeyCompare},
	"py.apikey-empty-key":                 {fixKeyCompare},
	"py.apikey-timing-compare":            {fixKeyCompare},
	"apikey.variant-accepted":             {fixKeyCompare, fixFolding},
	"authz.missing-authentication":        {fixRouteAuth, fixStaleGate},
	"py.gate-stale-endpoint":              {fixStaleGate},
	"py.route-missing-auth":               {fixRouteAuth},
	"authz.method-tampering":              {fixRouteAuth},
	"apikey.no-bruteforce-protection":     {fixThrottle},
	"authz.bfla":                          {fixRoleCheck},
	"authz.bola":                          {fixOwnership, fixPathCaller},
	"leak.other-principal-data":           {fixPathCaller, fixRouteAuth},
	"jwt.jwk-header-trusted":              {fixHeaderKey},
	"jwt.jku-trusted":                     {fixHeaderKey},
	"jwt.jku-fetched":                     {fixHeaderKey},
	"jwt.x5u-trusted":                     {fixHeaderKey},
	"jwt.x5u-fetched":                     {fixHeaderKey},
	"jwt.kid-traversal":                   {fixKidPath},
	"py.jwt-kid-path":                     {fixKidPath},
	"account.user-enumeration":            {fixLoginEnumeration},
	"account.user-enumeration-timing":     {fixLoginEnumeration},
	"authn.client-controlled-identity":    {fixClientIdentity, fixClientRole},
	"authz.mass-assignment":               {fixMassAssignment},
	"account.reset-token-guessable":       {fixPredictableToken},
	"account.reset-token-reusable":        {fixReusableResetToken},
	"apikey.predictable-token":            {fixPredictableToken},
	"jwt.invalid-signature-accepted":      {fixCacheKey},
	"jwt.kid-sqli":                        {fixKidSQL},
	"session.logout-not-revoked":          {fixRevocation, fixRevocationVerifier},
	"session.password-change-not-revoked": {fixRevocation, fixRevocationVerifier},
	"py.jwt-kid-sql":                      {fixKidSQL},
	"authz.bola-write":                    {fixOwnership},
	"authz.bfla-method":                   {fixRoleCheck},
	"leak.sensitive-data":                 {fixLeak},
	"authz.collection-exposure":           {fixCollection},
	"inventory.undocumented-endpoint":     {fixUndocumented},
	"session.fixation":                    {fixFixation},
	"jwt.psychic-signature":               {fixPsychic},
}

// designReasons say, per rule family, why no mechanical patch exists:
// the fix is a decision about the application, not a line to change.
var designReasons = []struct{ prefix, why string }{
	{"authz.policy-mismatch", "the live deployment differs from the code; redeploy, then scan again"},
	{"apikey.invalid-accepted", "the gate accepts any key: its logic needs a person"},
	{"account.", "account lifecycle (reset, enumeration, password change) needs application changes"},
	{"leak.", "which data a response may carry is application logic"},
	{"jwt.forged-privilege", "a consequence of another finding: fixing its cause closes it"},
	{"jwt.unsigned-token-issued", "the issuer signs with alg none: which key to sign with needs a person"},
	{"transport.", "HTTPS is a deployment setting, not a code change"},
	{"inventory.", "the spec and the routes disagree: document or remove the route"},
}

// fixersFor returns the fixers of a rule, or why it has none.
func fixersFor(rule string) ([]fixer, string) {
	if fs, ok := fixers[rule]; ok {
		return fs, ""
	}
	for _, d := range designReasons {
		if strings.HasPrefix(rule, d.prefix) {
			return nil, "no mechanical fix: " + d.why
		}
	}
	return nil, "no mechanical fix is known for " + rule
}
