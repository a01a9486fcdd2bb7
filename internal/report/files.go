package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/authprobe/authprobe/internal/finding"
)

// WriteFiles writes r to every path, each in the format of its extension
// (the -o flag). Every extension is checked before anything is written, and
// each file is replaced atomically (written beside it, then renamed), so an
// interrupted run never leaves a half-written report.
func WriteFiles(r *Result, paths []string, opt Options) error {
	writers := make([]Writer, len(paths))
	for i, p := range paths {
		w, err := ForOutput(p, opt.Format)
		if err != nil {
			return err
		}
		writers[i] = w
	}
	for i, p := range paths {
		w := writers[i]
		render := func(out io.Writer) error { return w(out, r, opt) }
		write := WriteAtomic
		if Device(p) {
			write = writeDevice
		}
		if err := write(p, render); err != nil {
			return err
		}
	}
	return nil
}

// writeDevice renders into a device or pipe in place: replacing it, as
// WriteAtomic does a file, would put a regular file where /dev/null was.
func writeDevice(path string, render func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := render(f); err != nil {
		f.Close()
		return fmt.Errorf("render %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteAtomic renders into a file beside path, then renames it over path,
// so readers never see half a file; a render that fails leaves path as it
// was. The render streams to disk (a large result is not held twice).
func WriteAtomic(path string, render func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := render(bw); err != nil {
		tmp.Close()
		return fmt.Errorf("render %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

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
