package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// definesName reports whether the module defines or assigns name at top level.
func definesName(f *python.File, name string) bool {
	for _, st := range f.Root.NamedChildren() {
		n := st
		if n.Kind == "decorated_definition" {
			n = n.ChildByField("definition")
		}
		if n == nil {
			continue
		}
		if (n.Kind == "function_definition" || n.Kind == "class_definition") && n.ChildByField("name").Text() == name {
			return true
		}
		if n.Kind == "expression_statement" && strings.HasPrefix(strings.TrimSpace(n.Text()), name+" =") {
			return true
		}
	}
	return false
}

// helperPos is where the limiter goes: above the module's first top-level
// function or class (below the imports and the app), else at the end.
func helperPos(f *python.File) int {
	for _, st := range f.Root.NamedChildren() {
		switch st.Kind {
		case "function_definition", "class_definition", "decorated_definition":
			at := lineStart(f.Src, st.Start)
			// Comments right above it belong to it.
			for at > 0 {
				prev := lineStart(f.Src, at-1)
				if !strings.HasPrefix(strings.TrimSpace(string(f.Src[prev:at])), "#") {
					break
				}
				at = prev
			}
			return at
		}
	}
	return len(f.Src)
}

// throttleHelper is the limiter added to a module, with the imports it
// needs that the module lacks.
func throttleHelper(f *python.File) string {
	var imports []string
	for _, m := range []string{"functools", "os", "threading", "time"} {
		if !importsModule(f, m) {
			imports = append(imports, "import "+m)
		}
	}
	if !importsModule(f, "flask") {
		imports = append(imports, "import flask")
	}
	var b strings.Builder
	if len(imports) > 0 {
		b.WriteString(strings.Join(imports, "\n") + "\n")
	}
	b.WriteString("from werkzeug.exceptions import HTTPException as _AuthHTTPException\n\n")
	b.WriteString(throttleCode)
	b.WriteString("\n\n")
	return b.String()
}

// importsModule reports whether the module has a top-level `import NAME`.
func importsModule(f *python.File, name string) bool {
	for _, st := range f.Root.NamedChildren() {
		if st.Kind != "import_statement" {
			continue
		}
		for _, c := range st.NamedChildren() {
			if c.Text() == name {
				return true
			}
		}
	}
	return false
}

// throttleCode is the limiter: failed attempts counted per client and
// endpoint; at the limit the client is locked out for a while (429 and
// Retry-After), then counting starts afresh.
const throttleCode = `# Failed authentication is throttled per client and endpoint: AUTH_FAILURE_LIMIT
# refusals within AUTH_FAILURE_WINDOW seconds lock the client out of that
# endpoint for AUTH_LOCKOUT_SECONDS (429 with Retry-After).
AUTH_FAILURE_LIMIT = int(os.environ.get("AUTH_FAILURE_LIMIT", "10"))
AUTH_FAILURE_WINDOW = float(os.environ.get("AUTH_FAILURE_WINDOW", "60"))
AUTH_LOCKOUT_SECONDS = float(os.environ.get("AUTH_LOCKOUT_SECONDS", "5"))
_auth_failures = {}
_auth_locked_until = {}
_auth_lock = threading.Lock()


def _count_failure(key):
    with _auth_lock:
        now = time.monotonic()
        recent = [t for t in _auth_failures.get(key, []) if now - t < AUTH_FAILURE_WINDOW]
        recent.append(now)
        _auth_failures[key] = recent
        if len(recent) >= AUTH_FAILURE_LIMIT:
            _auth_locked_until[key] = now + AUTH_LOCKOUT_SECONDS
            _auth_failures[key] = []


def limit_failures(view=None, statuses=(401, 403), every=False):
    """Answers 429 to a client locked out of the endpoint; counts its refused
    attempts (answers with one of statuses, or every attempt with every=True)."""
    if view is None:
        return functools.partial(limit_failures, statuses=statuses, every=every)

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = (flask.request.remote_addr, flask.request.endpoint or flask.request.path)
        with _auth_lock:
            wait = _auth_locked_until.get(key, 0) - time.monotonic()
        if wait > 0:
            return {"error": "too many failed attempts, retry later"}, 429, {"Retry-After": str(int(wait) + 1)}
        try:
            rv = view(*args, **kwargs)
        except _AuthHTTPException as e:
            if every or e.code in statuses:
                _count_failure(key)
            raise
        if rv is None:  # a before_request gate that let the request through
            return rv
        status = getattr(rv, "status_code", None)
        if status is None and isinstance(rv, tuple) and len(rv) > 1 and isinstance(rv[1], int):
            status = rv[1]
        if every or status in statuses:
            _count_failure(key)
        return rv

    return wrapper`
