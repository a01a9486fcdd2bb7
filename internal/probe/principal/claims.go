package principal

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// notPrincipal are the *id claims that name a token, a session or a client,
// not the user.
var notPrincipal = map[string]bool{"jti": true, "sid": true, "sessionid": true, "clientid": true, "cid": true,
	"appid": true, "kid": true, "tokenid": true, "refreshid": true, "deviceid": true, "requestid": true}

// idClaim: a token claim whose name ends in id (public_id, user_uuid is
// not one) other than the token's, session's or client's own: the ids a
// token carries are how the API knows its user, whatever the name.
func idClaim(k string) bool {
	n := Norm(k)
	return len(n) > 2 && strings.HasSuffix(n, "id") && !notPrincipal[n]
}

// Claims decodes a JWT's payload without verifying it (nil when v is not
// a JWT).
func Claims(v string) map[string]any {
	v = strings.TrimPrefix(strings.TrimSpace(v), "Bearer ")
	parts := strings.Split(v, ".")
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "eyJ") {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}
