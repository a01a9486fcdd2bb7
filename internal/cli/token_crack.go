package cli

import (
	"cmp"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/internal/crack"
)

type crackFlags struct {
	wordlists    []string
	mask         string
	charsets     [4]string
	increment    bool
	incrementMin int
	rules        bool
	noBuiltin    bool
	workers      int
	timeLimit    time.Duration
	format       string
	showSecrets  bool
}

func newTokenCrackCmd(s IO) *cobra.Command {
	f := &crackFlags{}
	cmd := &cobra.Command{
		Use:   "crack TOKEN|COOKIE",
		Short: "Recover a weak HMAC secret offline (HS256/384/512 JWT or Flask session cookie)",
		Long: `Recover the secret of an HS256/HS384/HS512 JWT or the SECRET_KEY of a Flask
session cookie, offline, on every core. The input kind is detected.

Candidates, in this order: the built-in list of well-known default and
tutorial secrets (unless --no-builtin), each --wordlist (a file, or - for
stdin; streamed, any size), with --rules the same words again with case,
leetspeak and appended digit/year/symbol mutations, then --mask.

Masks use hashcat syntax: ?l ?u ?d ?s ?a ?h ?H ?b, custom charsets ?1..?4
defined with -1..-4, ?? for a literal '?', any other character literally.

The secret is printed on stdout. Progress, rate and ETA go to stderr when it
is a terminal. Exit status: 0 secret found, 1 not found (candidates exhausted
or --time-limit reached), 2 bad input or flags.`,
		Example: `  authprobe token crack eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo
  authprobe token crack --wordlist rockyou.txt --rules "$JWT"
  authprobe token crack --no-builtin --mask '?1?1?1?d?d' -1 '?l?u' --increment "$COOKIE"
  cat words.txt | authprobe token crack --wordlist - --format json "$JWT"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCrack(cmd.Context(), s, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.wordlists, "wordlist", nil, "wordlist file, or - for stdin (repeatable)")
	fl.StringVar(&f.mask, "mask", "", "hashcat-style mask, e.g. '?u?l?l?l?d?d'")
	for i := range f.charsets {
		n := strconv.Itoa(i + 1)
		fl.StringVarP(&f.charsets[i], "custom-charset"+n, n, "", "custom charset ?"+n+" for --mask, e.g. '?l?d_'")
	}
	fl.BoolVar(&f.increment, "increment", false, "try every mask length from --increment-min up")
	fl.IntVar(&f.incrementMin, "increment-min", 1, "shortest length with --increment")
	fl.BoolVar(&f.rules, "rules", false, "also try case, leetspeak and appended digit/year/symbol mutations of every word")
	fl.BoolVar(&f.noBuiltin, "no-builtin", false, "skip the built-in list of known default secrets")
	fl.IntVar(&f.workers, "workers", 0, "guessing goroutines (default: one per core)")
	fl.DurationVar(&f.timeLimit, "time-limit", 0, "give up after this long, e.g. 30s (default: no limit)")
	fl.StringVar(&f.format, "format", "text", "output format: text or json")
	// The recovered secret is this command's output, so it is never
	// redacted; the flag is accepted because every other command has it.
	fl.BoolVar(&f.showSecrets, "show-secrets", false, "accepted for symmetry with the other commands: the recovered secret is always printed")
	return cmd
}

func runCrack(ctx context.Context, s IO, arg string, f *crackFlags) error {
	if f.format != "text" && f.format != "json" {
		return usageErr("unknown --format %q (want text or json)", f.format)
	}
	if f.workers < 0 || f.timeLimit < 0 {
		return usageErr("--workers and --time-limit must not be negative")
	}
	target, err := crack.Parse(arg)
	if err != nil {
		return usageErr("%v", err)
	}
	src, closeAll, err := crackSource(s, f)
	if err != nil {
		return err
	}
	defer closeAll()

	if f.timeLimit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeLimit)
		defer cancel()
	}
	opt := crack.Options{Workers: f.workers}
	prog := newProgress(s.Err)
	if prog != nil {
		opt.Progress = prog.crackStatus
	}
	res, err := crack.Crack(ctx, target, src, opt)
	prog.done()
	stopped := ""
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		stopped = "time limit reached"
	case errors.Is(err, context.Canceled):
		stopped = "interrupted"
	case err != nil:
		return usageErr("%v", err)
	}
	if err := writeCrackResult(s, f.format, target, res, stopped); err != nil {
		return err
	}
	if !res.Found {
		return &ExitError{Code: ExitFindings, Err: fmt.Errorf("secret not found (%s): %d guesses in %s, %.0f guesses/s",
			cmp.Or(stopped, "candidates exhausted"), res.Tried, res.Elapsed.Round(time.Millisecond), res.Rate)}
	}
	return nil
}

// crackSource assembles the candidates in the documented order. Files are
// opened twice with --rules: once plain, once for the rules pass.
func crackSource(s IO, f *crackFlags) (crack.Source, func(), error) {
	var files []*os.File
	closeAll := func() {
		for _, fh := range files {
			fh.Close()
		}
	}
	fail := func(err error) (crack.Source, func(), error) {
		closeAll()
		return nil, nil, err
	}
	var plain, mutated []crack.Source
	if !f.noBuiltin {
		plain = append(plain, crack.Builtin())
		mutated = append(mutated, crack.Builtin())
	}
	stdinUsed := false
	for _, path := range f.wordlists {
		if path == "-" {
			if stdinUsed {
				return fail(usageErr("--wordlist - given twice: stdin can be read once"))
			}
			stdinUsed = true
			// Stdin streams once: with --rules it goes to the rules pass,
			// whose first guess for every word is the word itself.
			if f.rules {
				mutated = append(mutated, crack.Wordlist(s.In))
			} else {
				plain = append(plain, crack.Wordlist(s.In))
			}
			continue
		}
		for pass := 0; pass < 2 && (pass == 0 || f.rules); pass++ {
			fh, err := os.Open(path)
			if err != nil {
				return fail(usageErr("wordlist: %v", err))
			}
			files = append(files, fh)
			if pass == 0 {
				plain = append(plain, crack.Wordlist(fh))
			} else {
				mutated = append(mutated, crack.Wordlist(fh))
			}
		}
	}
	srcs := plain
	if f.rules {
		srcs = append(srcs, crack.WithRules(crack.Chain(mutated...)))
	}
	switch {
	case f.mask != "":
		m, err := crack.Mask(f.mask, crack.MaskOptions{Custom: f.charsets, Increment: f.increment, IncrementMin: f.incrementMin})
		if err != nil {
			return fail(usageErr("%v", err))
		}
		srcs = append(srcs, m)
	case f.increment:
		return fail(usageErr("--increment needs --mask"))
	}
	if len(srcs) == 0 {
		return fail(usageErr("no candidates: --no-builtin needs --wordlist or --mask"))
	}
	return crack.Chain(srcs...), closeAll, nil
}

type crackJSON struct {
	Kind      string  `json:"kind"`
	Found     bool    `json:"found"`
	Secret    *string `json:"secret,omitempty"`
	SecretHex *string `json:"secret_hex,omitempty"`
	Known     bool    `json:"known_default"`
	Tried     uint64  `json:"tried"`
	ElapsedMS int64   `json:"elapsed_ms"`
	Rate      float64 `json:"rate"`
	Stopped   string  `json:"stopped,omitempty"`
}

func writeCrackResult(s IO, format string, t *crack.Target, res crack.Result, stopped string) error {
	if format == "json" {
		out := crackJSON{Kind: t.Kind().String(), Found: res.Found, Known: res.Known, Tried: res.Tried,
			ElapsedMS: res.Elapsed.Milliseconds(), Rate: res.Rate, Stopped: stopped}
		if res.Found {
			sec, hx := string(res.Secret), hex.EncodeToString(res.Secret)
			out.Secret, out.SecretHex = &sec, &hx
		}
		enc := json.NewEncoder(s.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if !res.Found {
		return nil
	}
	if printable(res.Secret) {
		fmt.Fprintf(s.Out, "%s\n", res.Secret)
	} else {
		fmt.Fprintf(s.Out, "%q\n", res.Secret)
	}
	known := ""
	if res.Known {
		known = "; it is a publicly known default secret"
	}
	fmt.Fprintf(s.Err, "%s secret found after %d guesses in %s (%.0f guesses/s)%s\n",
		t.Kind(), res.Tried, res.Elapsed.Round(time.Millisecond), res.Rate, known)
	return nil
}

// printable reports whether b can be printed as is: valid text, no control
// characters, no surrounding spaces (the empty secret prints quoted).
func printable(b []byte) bool {
	if len(b) == 0 || !utf8.Valid(b) || b[0] == ' ' || b[len(b)-1] == ' ' {
		return false
	}
	for _, r := range string(b) {
		if !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}
