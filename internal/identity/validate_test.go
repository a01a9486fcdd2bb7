package identity

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	target, _ := url.Parse("http://127.0.0.1:5000/api")
	const secret = "s3cr3t-value-123"
	for _, tc := range []struct {
		name string
		id   *Identity
		ok   bool
	}{
		{"bearer", &Identity{Name: "a", Base: Creds{Bearer: "eyJ.x.y"}}, true},
		{"header", &Identity{Name: "a", Base: Creds{Headers: map[string]string{"X-API-Key": secret}}}, true},
		{"header name with a space", &Identity{Name: "a", Base: Creds{Headers: map[string]string{"Bad Header": secret}}}, false},
		{"header value with CR/LF", &Identity{Name: "a", Base: Creds{Headers: map[string]string{"X-Key": secret + "\r\nX-Evil: 1"}}}, false},
		{"bearer with LF", &Identity{Name: "a", Base: Creds{Bearer: secret + "\n"}}, false},
		{"bearer with a scheme", &Identity{Name: "a", Base: Creds{Bearer: "Token " + secret}}, false},
		{"cookie with semicolon", &Identity{Name: "a", Base: Creds{Cookies: map[string]string{"s": secret + "; admin=1"}}}, false},
		{"login relative", &Identity{Name: "a", Login: &Login{URL: "/login"}}, true},
		{"login same host", &Identity{Name: "a", Login: &Login{URL: "http://127.0.0.1:5000/login"}}, true},
		{"login off host", &Identity{Name: "a", Login: &Login{URL: "http://evil.example/login"}}, false},
		{"login other port", &Identity{Name: "a", Login: &Login{URL: "http://127.0.0.1:5001/login"}}, false},
		{"login port 99999", &Identity{Name: "a", Login: &Login{URL: "http://127.0.0.1:99999/login"}}, false},
		{"login ftp", &Identity{Name: "a", Login: &Login{URL: "ftp://127.0.0.1:5000/login"}}, false},
	} {
		err := tc.id.Validate(target)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if err != nil && (!errors.Is(err, ErrInvalid) || strings.Contains(err.Error(), secret)) {
			t.Errorf("%s: %v (want ErrInvalid, no value)", tc.name, err)
		}
	}
}
