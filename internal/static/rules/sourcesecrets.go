package rules

import "github.com/authprobe/authprobe/internal/static/flask"

// Secret is a signing secret written in the source (a JWT key, Flask's
// SECRET_KEY, an environment variable's default), where it is written and
// what it keys. A source-aware scan tries each as a signing key before it
// cracks anything.
type Secret struct {
	Value string
	File  string
	Line  int
	What  string
}

// Secrets returns the signing secrets the secret rules find in the
// project, in source order, each value once.
func Secrets(p *flask.Project) []Secret {
	ps := NewPass(p)
	runSecrets(ps)
	seen := map[string]bool{}
	var out []Secret
	for _, s := range ps.secrets {
		if !seen[s.Value] {
			seen[s.Value] = true
			out = append(out, s)
		}
	}
	return out
}
