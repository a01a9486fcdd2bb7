package jose_test

import (
	"fmt"
	"time"

	"github.com/authprobe/authprobe/internal/jose"
)

func ExampleToken_Tampered() {
	tok, err := jose.Parse("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJ1c2VyIn0.c2ln")
	if err != nil {
		panic(err)
	}
	forged, _ := tok.Tampered(map[string]any{"role": "admin"})
	t2, _ := jose.Parse(forged)
	fmt.Println(string(t2.PayloadJSON), t2.Signature == tok.Signature)
	// Output: {"sub":"alice","role":"admin"} true
}

func ExampleAlgNone() {
	tok, _ := jose.Parse("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.c2ln")
	for _, v := range jose.AlgNone(tok, map[string]any{"sub": "root"})[:2] {
		fmt.Println(v.Name, v.Token)
	}
	// Output:
	// alg-none/empty-signature eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJyb290In0.
	// alg-none/original-signature eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJyb290In0.c2ln
}

func ExampleSetClaims() {
	out, _ := jose.SetClaims([]byte(`{"sub":"alice", "exp":1700000000,"role":"user"}`), map[string]any{"role": "admin", "admin": true}, "exp")
	fmt.Println(string(out))
	// Output: {"sub":"alice","role":"admin","admin":true}
}

func ExampleAudit() {
	tok, _ := jose.Parse(jose.Assemble([]byte(`{"alg":"HS256"}`),
		[]byte(`{"sub":"alice","iat":1764000000,"exp":1764604800,"user":{"pwd_hash":"$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"}}`), "c2ln"))
	for _, is := range jose.Audit(tok, time.Unix(1764000000, 0)) {
		fmt.Printf("%s: %s\n", is.Rule, is.Detail)
	}
	// Output:
	// jwt.long-lifetime: exp - iat is 7d, over 24 hours
	// jwt.sensitive-claims: readable by anyone holding the token: "user.pwd_hash" (its value looks like a password hash)
}
