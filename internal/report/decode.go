package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/authprobe/authprobe/internal/finding"
)

// Load reads a saved result from path, or from stdin when path is "-".
func Load(path string, stdin io.Reader) (*Result, error) {
	if path != "-" {
		return ReadJSON(path)
	}
	return DecodeJSON(stdin, "stdin")
}

// DecodeJSON reads a result from r and checks its schema; name is used in
// errors.
func DecodeJSON(r io.Reader, name string) (*Result, error) {
	var res Result
	dec := json.NewDecoder(r)
	if err := dec.Decode(&res); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if res.Schema != Schema {
		return nil, fmt.Errorf("%s: schema %q, want %q", name, res.Schema, Schema)
	}
	if res.Findings == nil {
		res.Findings = []finding.Finding{}
	}
	if res.Endpoints == nil {
		res.Endpoints = []Endpoint{}
	}
	return &res, nil
}
