package flask

import (
	"strings"
)

// InternalPath is a URL prefix a reverse-proxy config shipped with the
// project keeps from outside clients: the evidence is the file and line.
type InternalPath struct {
	Prefix string
	File   string
	Line   int
	// Directive is what restricts it ("internal", "deny all").
	Directive string
}

// NginxInternal reads an nginx config and returns the prefix locations
// whose block refuses outside clients: "internal;" (only internal
// redirects such as auth_request reach it) or "deny all;" without an
// "allow" before it. Regular-expression locations are left out.
func NginxInternal(file string, src []byte) []InternalPath {
	var out []InternalPath
	type block struct {
		prefix string
		line   int
		allow  bool
	}
	var stack []block
	var stmt strings.Builder
	line, stmtLine := 1, 1
	text := string(src)
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch c {
		case '#':
			for i < len(text) && text[i] != '\n' {
				i++
			}
			line++
			stmt.WriteByte(' ')
			continue
		case '\n':
			line++
			stmt.WriteByte(' ')
			continue
		case '{':
			f := strings.Fields(stmt.String())
			b := block{line: stmtLine}
			if len(f) >= 2 && f[0] == "location" {
				switch {
				case len(f) == 2 && strings.HasPrefix(f[1], "/"):
					b.prefix = f[1]
				case len(f) == 3 && (f[1] == "=" || f[1] == "^~") && strings.HasPrefix(f[2], "/"):
					b.prefix = f[2]
				}
			}
			stack = append(stack, b)
			stmt.Reset()
			continue
		case '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			stmt.Reset()
			continue
		case ';':
			f := strings.Fields(stmt.String())
			stmt.Reset()
			if len(stack) == 0 || stack[len(stack)-1].prefix == "" || len(f) == 0 {
				continue
			}
			top := &stack[len(stack)-1]
			directive := strings.Join(f, " ")
			switch {
			case f[0] == "allow":
				top.allow = true
			case directive == "internal" || directive == "deny all" && !top.allow:
				out = append(out, InternalPath{Prefix: top.prefix, File: file, Line: line, Directive: directive})
			}
			continue
		}
		if stmt.Len() == 0 || strings.TrimSpace(stmt.String()) == "" {
			stmtLine = line
		}
		stmt.WriteByte(c)
	}
	return out
}

// InternalAt returns the proxy restriction that covers a Flask rule, if any.
func (p *Project) InternalAt(rule string) (InternalPath, bool) {
	for _, ip := range p.Internal {
		pre := strings.TrimSuffix(ip.Prefix, "/")
		if pre == "" {
			continue // the whole site: that is a deployment choice, not a route's
		}
		if rule == pre || strings.HasPrefix(rule, pre+"/") {
			return ip, true
		}
	}
	return InternalPath{}, false
}
