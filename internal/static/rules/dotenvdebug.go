package rules

// `flask run` loads .flaskenv and .env (python-dotenv installed) from the
// directory it runs in, before it reads FLASK_DEBUG: a committed
// FLASK_DEBUG=1 there turns the Werkzeug debugger on in every container a
// shipped Dockerfile starts with `flask run`. The deploy path is the
// evidence: a Dockerfile whose command is `flask run` without
// --no-debug/--no-debugger, that copies the file into the image (COPY . or
// the file by name, and no .dockerignore pattern leaving it out), sets no
// FLASK_DEBUG of its own (the process environment wins over dotenv), and
// a requirements or pyproject file beside it or at the root naming
// python-dotenv (without it flask run loads no file).

import (
	"path"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
)

// dotenvDebug reports FLASK_DEBUG set true in a dotenv file a shipped
// `flask run` container loads.
func dotenvDebug(ps *Pass) {
	p := ps.Project
	read := func(rel string) string {
		b, err := p.ReadFile(rel)
		if err != nil {
			return ""
		}
		return string(b)
	}
	for _, rel := range p.Deploy {
		base := strings.ToLower(path.Base(rel))
		if !strings.HasPrefix(base, "dockerfile") && !strings.HasSuffix(base, ".dockerfile") && base != "containerfile" {
			continue
		}
		dir := path.Dir(rel)
		join := func(name string) string {
			if dir == "." {
				return name
			}
			return dir + "/" + name
		}
		df := read(rel)
		cmd, line, copies := dockerCommand(df)
		if line == 0 || !flaskRunDebuggable(cmd) || strings.Contains(df, "FLASK_DEBUG") {
			continue
		}
		if !dotenvInstalled(strings.Join([]string{read(join("requirements.txt")), read("requirements.txt"), read(join("pyproject.toml")), read("pyproject.toml")}, "\n")) {
			continue
		}
		ignore := read(join(".dockerignore"))
		for _, name := range []string{".flaskenv", ".env"} {
			if !copies(name) || dockerIgnored(ignore, name) {
				continue
			}
			envRel := join(name)
			n, val := dotenvValue(read(envRel), "FLASK_DEBUG")
			if n == 0 || !flaskTruthy(val) {
				continue
			}
			loc := finding.Location{File: envRel, Line: n, Snippet: "FLASK_DEBUG=" + val}
			run := finding.Location{File: rel, Line: line, Snippet: strings.TrimSpace(cmd)}
			flow := []finding.Step{{Location: loc, Role: "source", Note: "FLASK_DEBUG set to a true value in a committed dotenv file"},
				{Location: run, Role: "step", Note: "the shipped image starts the app with flask run, which loads " + name + " (python-dotenv is a requirement)"},
				{Location: run, Role: "sink", Note: "Werkzeug's development server with its interactive debugger on"}}
			ps.ReportAt("py.flask-debug", loc, finding.Firm, "FLASK_DEBUG in "+envRel+" turns on the Werkzeug debugger of the container "+rel+" starts with flask run", flow, nil)
		}
	}
}

// dockerCommand is a Dockerfile's last CMD or ENTRYPOINT (the one that
// runs), its line, and whether the image copies a file of the build
// context's top directory by name.
func dockerCommand(df string) (string, int, func(string) bool) {
	var cmd string
	var line int
	var srcs []string
	for i, l := range strings.Split(df, "\n") {
		f := strings.Fields(strings.TrimSpace(l))
		if len(f) < 2 {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "CMD", "ENTRYPOINT":
			cmd, line = strings.Join(f[1:], " "), i+1
		case "COPY", "ADD":
			args := f[1:]
			for len(args) > 0 && strings.HasPrefix(args[0], "--") {
				args = args[1:]
			}
			if len(args) > 1 {
				srcs = append(srcs, args[:len(args)-1]...)
			}
		}
	}
	copies := func(name string) bool {
		for _, s := range srcs {
			s = strings.TrimPrefix(strings.TrimSuffix(s, "/"), "./")
			if s == "." || s == "" || s == name {
				return true
			}
		}
		return false
	}
	return cmd, line, copies
}

// flaskRunDebuggable: the command is `flask run` (shell or exec form) and
// does not switch the debugger off.
func flaskRunDebuggable(cmd string) bool {
	c := strings.NewReplacer("[", " ", "]", " ", "\"", " ", "'", " ", ",", " ").Replace(cmd)
	f := strings.Fields(c)
	run := false
	for i := 0; i+1 < len(f); i++ {
		if path.Base(f[i]) == "flask" && f[i+1] == "run" {
			run = true
		}
	}
	return run && !strings.Contains(c, "--no-debug")
}

// dotenvInstalled: a requirements or pyproject text names python-dotenv.
func dotenvInstalled(reqs string) bool {
	return requirementNames(reqs)["python-dotenv"]
}

// dockerIgnored: a .dockerignore pattern leaves the top-level file out.
func dockerIgnored(ignore, name string) bool {
	out := false
	for _, l := range strings.Split(ignore, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		neg := strings.HasPrefix(l, "!")
		pat := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(l, "!"), "/"), "**/")
		if ok, _ := path.Match(strings.TrimSuffix(pat, "/"), name); ok {
			out = !neg
		}
	}
	return out
}

// dotenvValue is the line and value of key in a dotenv text (the last
// assignment, as python-dotenv keeps it); 0 when absent.
func dotenvValue(text, key string) (int, string) {
	line, val := 0, ""
	for i, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "export "))
		k, v, ok := strings.Cut(l, "=")
		if !ok || strings.TrimSpace(k) != key {
			continue
		}
		v = strings.TrimSpace(v)
		if c := strings.Index(v, " #"); c >= 0 {
			v = strings.TrimSpace(v[:c])
		}
		line, val = i+1, strings.Trim(v, "\"'")
	}
	return line, val
}

// flaskTruthy is Flask's get_debug_flag: set and not 0, false or no.
func flaskTruthy(v string) bool {
	switch strings.ToLower(v) {
	case "", "0", "false", "no":
		return false
	}
	return true
}
