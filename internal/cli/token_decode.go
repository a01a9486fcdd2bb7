package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/spf13/cobra"
)

// maxTokenInput bounds what `token decode -` reads from stdin.
const maxTokenInput = 1 << 20

func newTokenDecodeCmd(s IO) *cobra.Command {
	var format, nowFlag string
	cmd := &cobra.Command{
		Use:   "decode TOKEN",
		Short: "Decode and audit a JWT offline: header, claims, times, signature, hygiene issues",
		Long: "Decode a JWT (TOKEN, or - to read it from stdin) without verifying it, show exp/iat/nbf\n" +
			"as UTC times and relative to now, and list the token's hygiene issues (no expiry, long\n" +
			"lifetime, sensitive claims, unsigned). A \"Bearer \" prefix is accepted.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			now := time.Now().UTC()
			if nowFlag != "" {
				t, err := time.Parse(time.RFC3339, nowFlag)
				if err != nil {
					return usageErr("--now: %v", err)
				}
				now = t.UTC()
			}
			if format != "text" && format != "json" {
				return usageErr("--format %q: want text or json", format)
			}
			tok, err := readToken(s.In, args[0])
			if err != nil {
				return err
			}
			d := describe(tok, now)
			if format == "json" {
				return writeDecodedJSON(s.Out, tok, d)
			}
			return writeDecodedText(s.Out, tok, d)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&nowFlag, "now", "", "judge times as of this instant (RFC 3339) instead of the clock")
	return cmd
}

// readToken takes the token from arg, or from in when arg is "-", and parses
// it; surrounding whitespace (a pasted newline) is removed first.
func readToken(in io.Reader, arg string) (*jose.Token, error) {
	raw := arg
	if arg == "-" {
		b, err := io.ReadAll(io.LimitReader(in, maxTokenInput+1))
		if err != nil {
			return nil, usageErr("read token from stdin: %v", err)
		}
		if len(b) > maxTokenInput {
			return nil, usageErr("token on stdin is larger than %d bytes", maxTokenInput)
		}
		raw = string(b)
	}
	raw = strings.TrimSpace(raw)
	tok, err := jose.Parse(raw)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return tok, nil
}

// timeClaim is one of exp, iat, nbf rendered for people.
type timeClaim struct {
	Name     string `json:"-"`
	Value    any    `json:"value"`
	UTC      string `json:"utc,omitempty"`
	Relative string `json:"relative,omitempty"`
	Note     string `json:"note,omitempty"`
}

type issueView struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Title    string `json:"title"`
	Detail   string `json:"detail"`
}

type decoded struct {
	times  []timeClaim
	issues []issueView
}

func describe(tok *jose.Token, now time.Time) decoded {
	var d decoded
	for _, name := range []string{"exp", "iat", "nbf"} {
		v, ok := tok.Claims[name]
		if !ok {
			continue
		}
		tc := timeClaim{Name: name, Value: v}
		if at, ok := jose.NumericDate(v); ok {
			tc.UTC = at.Format("2006-01-02 15:04:05 UTC")
			tc.Relative = relative(now, at)
			tc.Note = timeNote(name, at, now)
		} else {
			tc.Note = "not a NumericDate"
		}
		d.times = append(d.times, tc)
	}
	for _, is := range jose.Audit(tok, now) {
		v := issueView{Rule: is.Rule, Detail: is.Detail, Severity: "unknown"}
		if e, ok := catalog.Lookup(is.Rule); ok {
			v.Severity, v.Title = string(e.Severity), e.Title
		}
		d.issues = append(d.issues, v)
	}
	return d
}

func relative(now, at time.Time) string {
	if at.Before(now) {
		return jose.Span(at, now) + " ago"
	}
	return "in " + jose.Span(now, at)
}

func timeNote(name string, at, now time.Time) string {
	switch {
	case name == "exp" && !at.After(now):
		return "expired"
	case name == "nbf" && at.After(now):
		return "not yet valid"
	case name == "iat" && at.After(now):
		return "issued in the future"
	}
	return ""
}

func writeDecodedText(w io.Writer, tok *jose.Token, d decoded) error {
	var b strings.Builder
	for _, part := range []struct {
		title string
		json  []byte
	}{{"Header", tok.HeaderJSON}, {"Claims", tok.PayloadJSON}} {
		var ind bytes.Buffer
		if err := json.Indent(&ind, bytes.TrimSpace(part.json), "  ", "  "); err != nil {
			return fmt.Errorf("indent %s: %w", strings.ToLower(part.title), err)
		}
		fmt.Fprintf(&b, "%s\n  %s\n", part.title, ind.String())
	}
	if len(d.times) > 0 {
		b.WriteString("Times\n")
		for _, tc := range d.times {
			fmt.Fprintf(&b, "  %s  %v", tc.Name, tc.Value)
			if tc.UTC != "" {
				fmt.Fprintf(&b, "  %s  (%s)", tc.UTC, tc.Relative)
			}
			if tc.Note != "" {
				fmt.Fprintf(&b, "  %s", tc.Note)
			}
			b.WriteString("\n")
		}
	}
	fmt.Fprintf(&b, "Signature\n  %d bytes, alg %q\n", len(tok.Sig), tok.Alg())
	b.WriteString("Issues\n")
	if len(d.issues) == 0 {
		b.WriteString("  none\n")
	}
	for _, is := range d.issues {
		fmt.Fprintf(&b, "  [%s] %s: %s\n    %s\n", is.Severity, is.Rule, is.Title, is.Detail)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeDecodedJSON(w io.Writer, tok *jose.Token, d decoded) error {
	times := map[string]timeClaim{}
	for _, tc := range d.times {
		times[tc.Name] = tc
	}
	issues := d.issues
	if issues == nil {
		issues = []issueView{}
	}
	out := struct {
		Header    json.RawMessage      `json:"header"`
		Claims    json.RawMessage      `json:"claims"`
		Times     map[string]timeClaim `json:"times"`
		Signature struct {
			Alg   string `json:"alg"`
			Bytes int    `json:"bytes"`
		} `json:"signature"`
		Issues []issueView `json:"issues"`
	}{Header: tok.HeaderJSON, Claims: tok.PayloadJSON, Times: times, Issues: issues}
	out.Signature.Alg, out.Signature.Bytes = tok.Alg(), len(tok.Sig)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
