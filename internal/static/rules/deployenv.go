package rules

// Is the fallback what the shipped app runs with? A secret read as
// os.environ.get("SECRET_KEY", "literal") is the literal only where the
// environment leaves the variable unset. The deploy files say how the app
// is started (the deploy paths: a render.yaml service, a compose service,
// a Dockerfile no compose or render file builds, a Procfile, an App
// Engine app.yaml) and what each sets. A path replaces the fallback with
// a secret from outside the repository when it generates one (render's
// generateValue, app.json's generator), takes it from the host or the
// platform (compose "${NAME}", "${NAME:?}", a bare "- NAME"; render's
// sync: false, fromDatabase, fromService; app.json's required variable
// for a Procfile app). A value written in the repository (a compose
// default "${NAME:-x}", ENV in a Dockerfile, a committed env_file) is
// another published string: no replacement. Only when there is a path and
// every path replaces the variable is the fallback not what runs: a
// counter fact for the gate. Anything not seen keeps the finding.

import (
	"encoding/json"
	"path"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/authprobe/authprobe/internal/finding"
)

// deployPath is one way the deploy files start the app, and how it sets
// the variable asked about ("" when it does not replace it).
type deployPath struct {
	file, sets string
}

// deployPaths are the tree's deploy paths with what each does to name.
func (ps *Pass) deployPaths(name string) []deployPath {
	p := ps.Project
	var out []deployPath
	built := map[string]bool{} // Dockerfiles a compose or render file builds
	read := func(rel string) string {
		b, err := p.ReadFile(rel)
		if err != nil {
			return ""
		}
		return string(b)
	}
	var composes, dockers, procs, gae []string
	for _, rel := range p.Deploy {
		switch base := strings.ToLower(path.Base(rel)); {
		case strings.HasPrefix(base, "docker-compose") || strings.HasPrefix(base, "compose"):
			composes = append(composes, rel)
		case strings.HasPrefix(base, "dockerfile") || strings.HasSuffix(base, ".dockerfile") || base == "containerfile":
			dockers = append(dockers, rel)
		case base == "procfile":
			procs = append(procs, rel)
		case base == "app.yaml":
			gae = append(gae, rel)
		}
	}
	if src := read("render.yaml"); src != "" {
		var doc struct {
			Services []map[string]any `yaml:"services"`
		}
		if yaml.Unmarshal([]byte(src), &doc) == nil {
			for _, svc := range doc.Services {
				if df, ok := svc["dockerfilePath"].(string); ok {
					built[path.Clean(df)] = true
				}
				if !pythonService(svc) {
					continue
				}
				out = append(out, deployPath{file: "render.yaml", sets: renderSets(svc, name)})
			}
		}
	}
	for _, rel := range composes {
		var doc struct {
			Services map[string]map[string]any `yaml:"services"`
		}
		if yaml.Unmarshal([]byte(read(rel)), &doc) != nil {
			continue
		}
		for _, svn := range slices.Sorted(func(yield func(string) bool) {
			for k := range doc.Services {
				if !yield(k) {
					return
				}
			}
		}) {
			svc := doc.Services[svn]
			b, ok := svc["build"]
			if !ok {
				continue // an image the project does not build (a database)
			}
			df, ctx := "Dockerfile", "."
			switch b := b.(type) {
			case string:
				ctx = b
			case map[string]any:
				if c, ok := b["context"].(string); ok {
					ctx = c
				}
				if d, ok := b["dockerfile"].(string); ok {
					df = d
				}
			}
			built[path.Clean(path.Join(path.Dir(rel), ctx, df))] = true
			out = append(out, deployPath{file: rel + " service " + svn, sets: ps.composeSets(rel, svc, name)})
		}
	}
	for _, rel := range dockers {
		if built[path.Clean(rel)] || !runsPython.MatchString(read(rel)) {
			continue
		}
		out = append(out, deployPath{file: rel}) // ENV is a published value; docker run -e is not seen
	}
	for _, rel := range procs {
		out = append(out, deployPath{file: rel, sets: appJSONSets(read(path.Join(path.Dir(rel), "app.json")), name)})
	}
	for _, rel := range gae {
		out = append(out, deployPath{file: rel}) // env_variables are written in the file
	}
	return append(out, ps.systemdPaths(name)...)
}

// runsPython: a Dockerfile that starts the Python app.
var runsPython = regexp.MustCompile(`(?mi)^\s*(CMD|ENTRYPOINT)\b.*\b(python[0-9.]*|gunicorn|uwsgi|flask|waitress-serve|uvicorn|hypercorn)\b`)

// pythonService: a render.yaml web service that runs the Python app (a
// worker or cron job serves no request: no session to forge there).
func pythonService(svc map[string]any) bool {
	if t, _ := svc["type"].(string); t != "web" {
		return false
	}
	env, _ := svc["env"].(string)
	if rt, ok := svc["runtime"].(string); ok {
		env = rt
	}
	start, _ := svc["startCommand"].(string)
	return env == "python" || runsPython.MatchString("CMD "+start)
}

// renderSets says how a render.yaml service sets name from outside the
// repository, or "".
func renderSets(svc map[string]any, name string) string {
	vars, _ := svc["envVars"].([]any)
	for _, v := range vars {
		m, _ := v.(map[string]any)
		if m["key"] != name {
			continue
		}
		switch {
		case m["generateValue"] == true:
			return "render.yaml generates it (generateValue)"
		case m["sync"] == false:
			return "render.yaml leaves it to the dashboard (sync: false)"
		case m["fromDatabase"] != nil || m["fromService"] != nil || m["fromGroup"] != nil:
			return "render.yaml takes it from another resource"
		}
	}
	return ""
}

// composeVar: "${NAME}", "${NAME:?msg}" (from the host, required) but not
// "${NAME:-default}".
var composeVar = regexp.MustCompile(`^\$\{?([A-Za-z_][A-Za-z0-9_]*)(:?\?[^}]*)?\}?$`)

// composeSets says how a compose service sets name from the host, or "".
func (ps *Pass) composeSets(rel string, svc map[string]any, name string) string {
	switch env := svc["environment"].(type) {
	case []any:
		for _, e := range env {
			s, _ := e.(string)
			k, v, has := strings.Cut(s, "=")
			if k != name {
				continue
			}
			if !has {
				return rel + " passes it from the host"
			}
			if m := composeVar.FindStringSubmatch(v); m != nil {
				return rel + " takes it from the host (" + v + ")"
			}
		}
	case map[string]any:
		if v, ok := env[name]; ok {
			s, _ := v.(string)
			if v == nil {
				return rel + " passes it from the host"
			}
			if composeVar.MatchString(s) {
				return rel + " takes it from the host (" + s + ")"
			}
		}
	}
	return ""
}

// appJSONSets: a Heroku app.json declares name for the operator to set or
// generates it.
func appJSONSets(src, name string) string {
	var doc struct {
		Env map[string]json.RawMessage `json:"env"`
	}
	if src == "" || json.Unmarshal([]byte(src), &doc) != nil {
		return ""
	}
	raw, ok := doc.Env[name]
	if !ok {
		return ""
	}
	var v struct {
		Generator string `json:"generator"`
		Value     string `json:"value"`
		Required  *bool  `json:"required"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	switch {
	case v.Generator == "secret":
		return "app.json generates it"
	case v.Value == "" && (v.Required == nil || *v.Required):
		return "app.json has the operator set it"
	}
	return ""
}

// refuteDeployed records, on the finding just reported (a literal that is
// the fallback of the environment variable name), that every deploy path
// replaces the variable with a secret from outside the repository.
func (ps *Pass) refuteDeployed(before int, name string) {
	if len(ps.Findings) == before || name == "" {
		return
	}
	paths := ps.deployPaths(name)
	if len(paths) == 0 || ps.dotenvWins(name) {
		return
	}
	var how []string
	for _, d := range paths {
		if d.sets == "" {
			return
		}
		how = append(how, d.sets)
	}
	slices.Sort(how)
	f := &ps.Findings[len(ps.Findings)-1]
	ps.refute(before, finding.Step{Location: *f.Location, Note: "the fallback is not what the shipped app runs with: every deploy path sets " +
		name + " from outside the repository (" + strings.Join(slices.Compact(how), "; ") + ")"})
}

// dotenvWins: load_dotenv(override=True) lets a committed .env beside the
// loading module (or above it) replace what the platform sets; when that
// file sets name, the published value is what runs.
func (ps *Pass) dotenvWins(name string) bool {
	line := regexp.MustCompile(`(?m)^\s*(export\s+)?` + regexp.QuoteMeta(name) + `\s*=`)
	for _, c := range ps.Calls {
		if c.Q != "dotenv.load_dotenv" {
			continue
		}
		if on, known := ps.Project.Eval(c.Arg(-1, "override")).Truthy(); !known || !on {
			continue
		}
		for dir := path.Dir(c.Module.File.Path); ; dir = path.Dir(dir) {
			if b, err := ps.Project.ReadFile(path.Join(dir, ".env")); err == nil && line.Match(b) {
				return true
			}
			if dir == "." || dir == "/" || dir == "" {
				break
			}
		}
	}
	return false
}
