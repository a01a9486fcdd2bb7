package labtest

import (
	"strconv"
	"strings"
)

// The settings of every test that scans a lab, in one place.
//
// A new lab test starts its lab with Start (or StartEnv), which runs it with
// ThrottleEnv, and builds its scan command with ScanArgs:
//
//	lab := labtest.Start(t, "jwt")
//	args := labtest.ScanArgs([]string{"scan", lab.URL, "-c", lab.Config(), "-o", out})
//	code := cli.Run(ctx, args, nil, &stdout, &stderr)
//
// A scan --targets file takes the same values from TargetDefaults. A test
// that checks a lab's own throttling as shipped (429 within 30 failed
// logins) starts it with StartDefaults instead.

// ThrottleEnv tunes the failure throttle every lab shares
// (labs/_lib/labthrottle.py) for scans: the limit is above the refusals a
// whole scan's other checks provoke on one route (about 60 today, twice
// that for the two scans one lab process serves), so calibration never
// trips a lockout and no answer is an inconclusive 429; the brute-force
// check sends more attempts than the limit (ScanFlags), so it still meets
// its 429 wherever the lab throttles. A lockout lasts one second.
var ThrottleEnv = []string{
	"LAB_THROTTLE_LIMIT=150",
	"LAB_THROTTLE_WINDOW=600",
	"LAB_THROTTLE_LOCKOUT=1",
}

// BruteforceAttempts is the brute-force series a test scan sends: more than
// LAB_THROTTLE_LIMIT, so a throttled route answers 429 before it ends.
const BruteforceAttempts = 200

// ScanFlags are the flags every test scan runs with, each unless the test
// sets it itself:
//   - --rate 0: no client-side pacing (labs are local);
//   - --crack-masks short: offline recovery stops after the built-in list,
//     the rules and the short masks, a fixed amount of work rather than a
//     wall-clock budget (the scan's default; stated so a test never depends
//     on it);
//   - --bruteforce-attempts: see BruteforceAttempts.
var ScanFlags = []string{
	"--rate", "0",
	"--crack-masks", "short",
	"--bruteforce-attempts", strconv.Itoa(BruteforceAttempts),
}

// ScanArgs adds ScanFlags to the arguments of a scan command (args[0] is
// "scan"), each flag only when args do not set it; other commands are
// returned unchanged.
func ScanArgs(args []string) []string {
	if len(args) == 0 || args[0] != "scan" {
		return args
	}
	out := append([]string(nil), args...)
	for i := 0; i < len(ScanFlags); i += 2 {
		if !hasFlag(args, ScanFlags[i]) {
			out = append(out, ScanFlags[i], ScanFlags[i+1])
		}
	}
	return out
}

// TargetDefaults is the "defaults:" mapping of a scan --targets file with
// the values of ScanFlags, for tests that scan a fleet of labs.
func TargetDefaults(extra string) string {
	d := "rate: 0, crack-masks: short, bruteforce-attempts: " + strconv.Itoa(BruteforceAttempts)
	if extra != "" {
		d += ", " + extra
	}
	return "{" + d + "}"
}

func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}
