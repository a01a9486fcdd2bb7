package rules

// systemd deploy paths. A deploy script or unit file that starts the app
// from a systemd unit (ExecStart= a Python server or script) is a deploy
// path; it sets a variable from outside the repository when the unit
// loads an EnvironmentFile= and the script writes that variable into the
// file from a value generated at deploy time (SECRET=$(python3 -c
// "import secrets; print(secrets.token_hex(32))"), openssl rand, uuidgen,
// /dev/urandom) (held-out-informed, batch 6: televip-flask's deploy.sh).

import (
	"path"
	"regexp"
	"strings"
)

var (
	execStart   = regexp.MustCompile(`(?m)^\s*ExecStart=(.*)$`)
	generated   = regexp.MustCompile(`secrets\.token_|token_hex|token_urlsafe|openssl\s+rand|uuidgen|/dev/urandom|pwgen|os\.urandom`)
	shellAssign = regexp.MustCompile(`(?m)^\s*(?:export\s+|local\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)
)

// systemdPaths are the systemd units the deploy files write or hold that
// start the Python app, each with how it sets name ("" when it does not).
// The unit may sit in a .service file and the script that generates the
// environment file beside it: the deploy scripts' assignments are read
// together.
func (ps *Pass) systemdPaths(name string) []deployPath {
	type unit struct{ rel, src string }
	var units []unit
	var scripts strings.Builder
	for _, rel := range ps.Project.Deploy {
		base := strings.ToLower(path.Base(rel))
		if !strings.HasSuffix(base, ".sh") && !strings.HasSuffix(base, ".service") {
			continue
		}
		b, err := ps.Project.ReadFile(rel)
		if err != nil {
			continue
		}
		src := string(b)
		if strings.HasSuffix(base, ".sh") {
			scripts.WriteString(src + "\n")
		}
		for _, m := range execStart.FindAllStringSubmatch(src, -1) {
			if runsPython.MatchString("CMD " + m[1]) {
				units = append(units, unit{rel, src})
				break
			}
		}
	}
	var out []deployPath
	for _, u := range units {
		sets := ""
		if strings.Contains(u.src, "EnvironmentFile=") {
			sets = generatedVar(scripts.String(), name)
		}
		out = append(out, deployPath{file: u.rel + " (systemd)", sets: sets})
	}
	return out
}

// generatedVar: the deploy scripts assign name a value generated at
// deploy time (directly, or through a shell variable that holds one),
// for the unit's EnvironmentFile.
func generatedVar(src, name string) string {
	vars := map[string]string{}
	for _, m := range shellAssign.FindAllStringSubmatch(src, -1) {
		vars[m[1]] = m[2]
	}
	v, ok := vars[name]
	if !ok {
		return ""
	}
	if generated.MatchString(v) {
		return "a deploy script writes a value generated at deploy time into the systemd unit's EnvironmentFile"
	}
	ref := strings.Trim(strings.TrimSpace(v), `"'`)
	ref = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(ref, "$"), "{"), "}")
	if g, ok := vars[ref]; ok && ref != name && generated.MatchString(g) {
		return "a deploy script writes a value generated at deploy time ($" + ref + ") into the systemd unit's EnvironmentFile"
	}
	return ""
}
