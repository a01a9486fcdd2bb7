//go:build !cgo

package python

import "context"

// Parser is unavailable without cgo; NewParser says so.
type Parser struct{}

// NewParser returns ErrNoCgo: the tree-sitter parser is C code.
func NewParser() (*Parser, error) { return nil, ErrNoCgo }

// Close does nothing.
func (ps *Parser) Close() {}

// Parse returns ErrNoCgo.
func (ps *Parser) Parse(ctx context.Context, path string, src []byte) (*File, error) {
	return nil, ErrNoCgo
}
