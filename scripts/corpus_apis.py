#!/usr/bin/python3
"""Run authprobe against the API corpus (corpus/apis/*.yaml) and score it.

For each manifest: copy the pinned checkout to a scratch folder, write the
recipe's shim files there, start the API on a free loopback port, send the
seed requests, run `authprobe scan` with the manifest's config and
--allow-writes, then score the JSON result against the ground truth written
in the manifest before the first scan.

Never part of `make test`: it needs the checkouts (fetched by hand, see
corpus/apis/README.md) and Debian's Python packages.
"""
import argparse
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import yaml

# Which finding rules prove a ground-truth family. A truth item is found when
# a finding of one of these rules names its endpoint (or the item's endpoint
# is "*").
FAMILIES = {
    "bola": ["authz.bola", "authz.bola-write", "authz.collection-exposure"],
    "bfla": ["authz.bfla", "authz.bfla-method", "authz.privilege-by-registration"],
    "mass-assignment": ["authz.mass-assignment", "authz.privilege-by-registration"],
    "enumeration": ["account.user-enumeration", "account.user-enumeration-timing",
                    "account.registration-enumeration"],
    "public-leak": ["leak.credential-in-response", "leak.sensitive-data",
                    "authz.collection-exposure", "authz.missing-authentication",
                    "leak.other-principal-data"],
    "missing-auth": ["authz.missing-authentication", "authz.method-tampering"],
    "jwt": ["jwt."],
    "session": ["session."],
    "apikey": ["apikey."],
    "brute-force": ["apikey.no-bruteforce-protection"],
    "authn": ["authn.", "account.login-accepts-any-password"],
}


def norm_path(p):
    """/users/<int:id>, /users/{user_id} and /users/:id compare equal."""
    p = re.sub(r"<[^>]*>", "{}", p)
    p = re.sub(r"\{[^}]*\}", "{}", p)
    p = re.sub(r"/:[^/]+", "/{}", p)
    return p.rstrip("/") or "/"


def norm_ep(s):
    if s.strip() == "*":
        return "*"
    method, _, path = s.strip().partition(" ")
    return method.upper() + " " + norm_path(path)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, headers=None, timeout=5):
    data = None
    hdrs = dict(headers or {})
    if body is not None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def substitute(v, captured):
    """Replaces {cap:NAME} in config strings with values the seed captured."""
    if isinstance(v, dict):
        return {k: substitute(x, captured) for k, x in v.items()}
    if isinstance(v, list):
        return [substitute(x, captured) for x in v]
    if isinstance(v, str):
        return re.sub(r"\{cap:(\w+)\}", lambda mm: captured.get(mm.group(1), ""), v)
    return v


def ensure_packages(manifests):
    """Installs the Debian packages the selected recipes name (apt-get, as root)."""
    want = sorted({p for m in manifests for p in (m.get("run") or {}).get("packages") or []})
    missing = [p for p in want if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
    if not missing:
        return True
    if os.geteuid() != 0:
        print("missing Debian packages (install them as root): " + " ".join(missing))
        return False
    cp = subprocess.run(["apt-get", "install", "-y", "-qq"] + missing,
                        env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    return cp.returncode == 0


def wait_ready(url, proc, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            return False
        try:
            http("GET", url, timeout=2)
            return True
        except Exception:
            time.sleep(0.3)
    return False


def finding_endpoints(f):
    eps = []
    if f.get("endpoint"):
        eps.append(f["endpoint"])
    for inst in f.get("instances") or []:
        if inst.get("endpoint"):
            eps.append(inst["endpoint"])
    return {e["method"].upper() + " " + norm_path(e["path"]) for e in eps}


def rule_in(rule, rules):
    return any(rule == r or (r.endswith(".") and rule.startswith(r)) for r in rules)


def score(manifest, result):
    findings = result.get("findings") or []
    truth = manifest.get("truth") or []
    matched = set()
    rows = []
    for t in truth:
        rules = FAMILIES.get(t["family"], [])
        want = norm_ep(t["endpoint"])
        hit = None
        for i, f in enumerate(findings):
            if not rule_in(f.get("rule", ""), rules):
                continue
            if want == "*" or want in finding_endpoints(f):
                hit = i
                matched.add(i)
        rows.append({"id": t["id"], "family": t["family"], "endpoint": t["endpoint"],
                     "http": bool(t.get("http", True)), "found": hit is not None,
                     "rule": findings[hit]["rule"] if hit is not None else ""})
    # A finding that proves no documented weakness is unmatched: either a
    # false positive or a weakness the docs do not name; benchmarks.md says
    # which after reading the proof.
    # Static findings (`py.*`, from --source) prove nothing over HTTP: they
    # are counted apart, never as matches or false positives.
    unmatched = [{"rule": f.get("rule"), "endpoint": sorted(finding_endpoints(f)),
                  "severity": f.get("severity")}
                 for i, f in enumerate(findings)
                 if i not in matched and not f.get("rule", "").startswith("py.")]
    return rows, unmatched


def run_target(path, args):
    m = yaml.safe_load(open(path))
    name = m["name"]
    checkout = os.path.join(args.corpus, m["repo"].replace("/", "+"))
    if not os.path.isdir(checkout):
        return {"name": name, "error": "checkout missing: " + checkout}
    work = tempfile.mkdtemp(prefix="authprobe-corpus-")
    dst = os.path.join(work, "app")
    shutil.copytree(checkout, dst, symlinks=True)
    run = m["run"]
    rundir = os.path.join(dst, run.get("dir", "."))
    for rel, text in (run.get("files") or {}).items():
        fp = os.path.join(rundir, rel)
        os.makedirs(os.path.dirname(fp), exist_ok=True)
        with open(fp, "w") as fh:
            fh.write(text)
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.update({k: str(v) for k, v in (run.get("env") or {}).items()})
    cmd = run["cmd"].replace("{port}", str(port))
    log = open(os.path.join(work, "server.log"), "w")
    proc = subprocess.Popen(cmd, shell=True, cwd=rundir, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    out = {"name": name, "split": m["split"], "repo": m["repo"], "work": work}
    try:
        if not wait_ready(base + run.get("ready", "/"), proc):
            out["error"] = "did not start (see %s/server.log)" % work
            return out
        captured = {}
        for item in run.get("seed") or []:
            line = item if isinstance(item, str) else item["request"]
            method, _, rest = line.partition(" ")
            p, _, body = rest.partition(" ")
            st, hdrs, data = http(method, base + p, body or None)
            if st >= 500:
                out["error"] = "seed %s answered %d" % (line, st)
                return out
            for var, where in (item.get("capture") or {}).items() if isinstance(item, dict) else []:
                kind, _, key = where.partition(":")
                if kind == "header":
                    captured[var] = hdrs.get(key, "")
                else:
                    captured[var] = str(json.loads(data).get(key, ""))
        if args.startup_only:
            out["started"] = True
            return out
        scan = m.get("scan") or {}
        cfg = substitute(dict(scan.get("config") or {}), captured)
        cfg["target"] = base
        cfgpath = os.path.join(work, "authprobe.yaml")
        with open(cfgpath, "w") as fh:
            yaml.safe_dump(cfg, fh)
        resjson = os.path.join(work, "result.json")
        extra = [a.replace("{dir}", rundir).replace("{url}", base) for a in scan.get("args") or []]
        transcript = os.path.join(work, "transcript.jsonl")
        argv = [args.authprobe, "scan", base, "-c", cfgpath, "--allow-writes", "-o", resjson,
                "--transcript", transcript,
                "--quiet", "--fail-on", "none", "--time-budget", args.budget] + extra
        t0 = time.time()
        cp = subprocess.run(argv, capture_output=True, text=True)
        out["seconds"] = round(time.time() - t0, 1)
        out["exit"] = cp.returncode
        if not os.path.exists(resjson):
            out["error"] = "no result: " + cp.stderr.strip()[-400:]
            return out
        result = json.load(open(resjson))
        out["requests"] = (result.get("stats") or {}).get("requests", 0)
        out["accounts"] = result.get("accounts") or []
        out["truth"], out["unmatched"] = score(m, result)
        # The write endpoints the scan knew: every one its --dry-run plan
        # names (run after the scan: the plan sends nothing).
        dry = subprocess.run([args.authprobe, "scan", base, "-c", cfgpath, "--allow-writes", "--dry-run",
                              "--quiet"] + extra, capture_output=True, text=True)
        with open(os.path.join(work, "plan.txt"), "w") as fh:
            fh.write(dry.stdout + dry.stderr)
        out["writes"] = writes_exercised(dry.stdout, transcript)
        out["transport"] = [w for w in result.get("warnings") or [] if ": token sent as " in w]
        return out
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
        log.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def writes_exercised(plan, transcript):
    """Write endpoints named by the --dry-run plan and whether each got a
    2xx in the transcript: {"METHOD /path": bool}. A template's
    placeholders match one path segment."""
    eps = sorted(set(re.findall(r"\b(POST|PUT|PATCH|DELETE) (/[^\s,;:()']*)", plan)))
    pats = []
    for method, path in eps:
        rx = "^" + re.sub(r"\\\{[^/]*?\\\}|<[^/]*?>", "[^/]+", re.escape(path)) + "/?$"
        pats.append((method, path, re.compile(rx)))
    ok = {"%s %s" % (m, p): False for m, p in eps}
    if not os.path.exists(transcript):
        return ok
    for line in open(transcript):
        try:
            e = json.loads(line)
        except ValueError:
            continue
        if e.get("Status", 0) // 100 != 2:
            continue
        path = urllib.parse.urlsplit(e["URL"]).path
        for method, p, rx in pats:
            if method == e["Method"] and rx.match(path):
                ok["%s %s" % (method, p)] = True
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--manifests", default="corpus/apis")
    ap.add_argument("--corpus", default=os.environ.get("AUTHPROBE_API_CORPUS", "/work/corpus/apis"))
    ap.add_argument("--authprobe", default="bin/authprobe")
    ap.add_argument("--split", choices=["tuning", "held-out", "all"], default="tuning")
    ap.add_argument("--only", default="", help="comma-separated target names")
    ap.add_argument("--budget", default="180s", help="authprobe --time-budget per target")
    ap.add_argument("--keep", action="store_true", help="keep scratch folders (results, logs)")
    ap.add_argument("-o", "--output", default="", help="write the scores as JSON here")
    ap.add_argument("--startup-only", action="store_true",
                    help="start each target and send its seed requests, scan nothing (checks recipes without looking at results)")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    chosen = []
    for path in sorted(glob.glob(os.path.join(args.manifests, "*.yaml"))):
        m = yaml.safe_load(open(path))
        if only and m["name"] not in only:
            continue
        if not only and args.split != "all" and m["split"] != args.split:
            continue
        chosen.append((path, m))
    if not ensure_packages([m for _, m in chosen]):
        return 2
    results = []
    for path, _ in chosen:
        r = run_target(path, args)
        results.append(r)
        report(r)
    total(results)
    if args.output:
        with open(args.output, "w") as fh:
            json.dump(results, fh, indent=1)
    return 0 if all("error" not in r for r in results) else 1


def report(r):
    if "error" in r:
        print("%-28s %-8s ERROR %s" % (r["name"], r.get("split", ""), r["error"]))
        return
    if r.get("started"):
        print("%-28s %-8s started and seeded" % (r["name"], r["split"]))
        return
    http_rows = [t for t in r["truth"] if t["http"]]
    found = sum(t["found"] for t in http_rows)
    print("%-28s %-8s found %d/%d (HTTP-provable)  unmatched %d  requests %d  %.1fs  accounts %d"
          % (r["name"], r["split"], found, len(http_rows), len(r["unmatched"]),
             r["requests"], r["seconds"], len(r["accounts"])))
    writes = r.get("writes") or {}
    done = sorted(k for k, v in writes.items() if v)
    print("    writes exercised with a 2xx: %d/%d" % (len(done), len(writes)))
    for k in sorted(writes):
        if not writes[k]:
            print("      not exercised: %s" % k)
    for t in r.get("transport") or []:
        print("    transport: %s" % t)
    for t in r["truth"]:
        mark = "found " if t["found"] else ("missed" if t["http"] else "n/a   ")
        print("    %s %-16s %-40s %s" % (mark, t["family"], t["endpoint"], t["rule"]))
    for u in r["unmatched"]:
        print("    unmatched %s %s %s" % (u["rule"], u["severity"], ", ".join(u["endpoint"])))


def total(results):
    ok = [r for r in results if "error" not in r and not r.get("started")]
    rows = [t for r in ok for t in r["truth"] if t["http"]]
    found = sum(t["found"] for t in rows)
    print("TOTAL targets %d (errors %d)  found %d/%d  unmatched %d  requests %d  %.1fs"
          % (len(results), sum("error" in r for r in results), found, len(rows),
             sum(len(r["unmatched"]) for r in ok), sum(r["requests"] for r in ok),
             sum(r["seconds"] for r in ok)))


if __name__ == "__main__":
    sys.exit(main())
