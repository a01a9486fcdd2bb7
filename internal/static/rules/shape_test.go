package rules

import (
	"testing"

	"github.com/authprobe/authprobe/internal/static/flask"
)

// TestSecretShaped: generated-looking values are secrets; names, header
// names, placeholders, UUIDs and regular expressions are not.
func TestSecretShaped(t *testing.T) {
	ps := &Pass{Project: &flask.Project{}, names: map[string]bool{"legacy_api_key_v1": true}}
	for s, want := range map[string]bool{
		"Zq8vN2xT7rLm4KpW9sYc3HdF6gJb1QeA":     true,
		"e951e5a1f4b94151b360f47edf596dd2":     true,
		"prod-7f3c9a1b5e8d2f40":                true,
		"H2jk9uKnhRmL6WPwh89zBezWvr":           true,
		"sk_live_4eC39HqLyjWDarjtT1zdp7dc":     true,
		"Content-Type":                         false,
		"X-Alerta-Loop":                        false,
		"legacy_api_key_v1":                    false,
		"v1Compatibility":                      false,
		"Qwen/Qwen3-Embedding-0.6B":            false,
		"OPENAI_API_KEY":                       false,
		"__CENSORED__":                         false,
		"AKIA[0-9A-Z]{16}":                     false,
		"03c51929-eeab-4d47-9dc0-c667f94c7d2d": false,
		"wewdsfewrfsfsdf":                      false,
		"your-api-key-here-1234567":            false,
		"application/x-www-form-urlencoded":    false,
		"maidalun1020/bce-reranker-base_v1":    false, // a model id: a user handle with a year-like number
	} {
		if got := ps.secretShaped(s); got != want {
			t.Errorf("secretShaped(%q) = %v, want %v", s, got, want)
		}
	}
}
