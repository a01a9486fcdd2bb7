package inventory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// pruneYAMLOver is the size above which a YAML spec is pruned first.
const pruneYAMLOver = 1 << 20

// MaxSpecBytes bounds the size of a spec read from a file.
const MaxSpecBytes = 32 << 20

// Fetch reads a spec URL; the scan passes its scoped HTTP client.
type Fetch func(ctx context.Context, url string) ([]byte, error)

// LoadSpec reads a spec from a file path or an http(s) URL (through fetch)
// and parses it with FromSpec.
func LoadSpec(ctx context.Context, ref string, fetch Fetch) (*Inventory, error) {
	lower := strings.ToLower(ref)
	switch {
	case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://"):
		if fetch == nil {
			return nil, fmt.Errorf("spec %s: no way to fetch a URL", ref)
		}
		data, err := fetch(ctx, ref)
		if err != nil {
			return nil, fmt.Errorf("fetch spec %s: %w", ref, err)
		}
		return parseWithin(ctx, func() (*Inventory, error) { return FromSpec(data, ref) })
	case strings.Contains(ref, "://") && !strings.HasPrefix(lower, "file://"):
		return nil, fmt.Errorf("spec %s: only file paths and http(s) URLs are supported", ref)
	}
	path := ref
	if strings.HasPrefix(lower, "file://") {
		path = ref[len("file://"):]
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read spec %s: %w", ref, err)
	}
	data, err := readFile(path)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	root, self, err := specRoot(path)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	return parseWithin(ctx, func() (*Inventory, error) { return parseSpec(data, ref, &localFiles{root: root, self: self}) })
}

// parseWithin runs a parse under the scan's time budget: the parser itself
// cannot be stopped, but the scan does not wait for it past ctx.
func parseWithin(ctx context.Context, parse func() (*Inventory, error)) (*Inventory, error) {
	type result struct {
		inv *Inventory
		err error
	}
	done := make(chan result, 1)
	go func() {
		inv, err := parse()
		done <- result{inv, err}
	}()
	select {
	case r := <-done:
		return r.inv, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("parse spec: %w", context.Cause(ctx))
	}
}

// localFiles says where a spec read from a file lives, so that its
// references to files next to it can be followed.
type localFiles struct {
	root string   // resolved directory of the spec
	self *url.URL // the spec file
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSpecBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxSpecBytes {
		return nil, fmt.Errorf("%s: larger than %d MiB", path, MaxSpecBytes>>20)
	}
	return data, nil
}

// FromSpec parses an OpenAPI 3.x or Swagger 2.0 document, YAML or JSON, the
// version detected from its "openapi" or "swagger" field. location names the
// document in errors and warnings. References to other documents are never
// followed: a spec that needs them is an error (bundle it into one file).
// LoadSpec, given a file, also follows references to files in the same
// directory tree (OpenAPI 3 only).
func FromSpec(data []byte, location string) (*Inventory, error) {
	return parseSpec(data, location, nil)
}

func parseSpec(data []byte, location string, local *localFiles) (*Inventory, error) {
	return parseSpecOpt(data, location, local, true)
}

func parseSpecOpt(data []byte, location string, local *localFiles, mayPrune bool) (inv *Inventory, err error) {
	if location == "" {
		location = "spec"
	}
	defer func() {
		// kin-openapi is a large parser fed untrusted input: a panic in it
		// is a bad spec, not a crash of the scan.
		if r := recover(); r != nil {
			inv, err = nil, fmt.Errorf("%s: the OpenAPI parser failed on this document: %v", location, r)
		}
	}()
	if len(data) > MaxSpecBytes {
		return nil, fmt.Errorf("%s: larger than %d MiB", location, MaxSpecBytes>>20)
	}
	kind, version, numeric, err := detectVersion(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", location, err)
	}
	if numeric {
		// "swagger: 2.0" unquoted is a number, which kin-openapi refuses; it
		// is common enough in hand-written specs to accept.
		if data, err = quoteVersion(data); err != nil {
			return nil, fmt.Errorf("%s: %w", location, err)
		}
	}
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '{' {
		// YAML flow style also starts with '{': what does not stream as
		// JSON goes to the parser as it is.
		pruned, err := pruneJSON(data)
		switch {
		case errors.Is(err, ErrSpecLimit):
			return nil, fmt.Errorf("%s: %w", location, err)
		case err == nil:
			data = pruned
		}
	} else if mayPrune && len(data) > pruneYAMLOver {
		// A large block-style YAML spec is pruned line by line, so the
		// parser reads the routes only. Small ones go as they are.
		if pruned, ok := pruneYAML(data); ok {
			if inv, err := parseSpecOpt(pruned, location, local, false); err == nil {
				return inv, nil
			}
			// The pruning did not suit this document: read it whole.
		}
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	var doc *openapi3.T
	switch kind {
	case "swagger":
		if version != "2.0" {
			return nil, fmt.Errorf("%s: Swagger version %q is not supported (only 2.0)", location, version)
		}
		var doc2 openapi2.T
		if err := openapi2.UnmarshalFromData(data, &doc2); err != nil {
			return nil, fmt.Errorf("%s: not a valid Swagger 2.0 document: %w", location, err)
		}
		doc, err = openapi2conv.ToV3WithLoader(&doc2, loader, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: Swagger 2.0: %w", location, loadError(err))
		}
	default:
		if !strings.HasPrefix(version, "3.") && version != "3" {
			return nil, fmt.Errorf("%s: OpenAPI version %q is not supported (want 3.0, 3.1 or Swagger 2.0)", location, version)
		}
		if local != nil {
			loader.ReadFromURIFunc = localRefReader(local.root)
			doc, err = loader.LoadFromDataWithPath(data, local.self)
		} else {
			doc, err = loader.LoadFromData(data)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: OpenAPI %s: %w", location, version, loadError(err))
		}
	}
	inv = fromDoc(doc)
	if kind == "openapi" && doc.OpenAPIMajorMinor() == "" {
		inv.Warnings = append([]string{fmt.Sprintf("OpenAPI version %q is not one this parser knows; read as 3.x", version)}, inv.Warnings...)
	}
	for i, w := range inv.Warnings {
		inv.Warnings[i] = location + ": " + w
	}
	return inv, nil
}

// loadError explains kin-openapi's load errors that have a remedy.
func loadError(err error) error {
	var ext *openapi3.DisallowedExternalRefError
	if errors.As(err, &ext) {
		return fmt.Errorf("reference %q points to another document, which authprobe never fetches; bundle the spec into one file: %w", ext.Ref, err)
	}
	return err
}
