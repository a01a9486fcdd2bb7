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
    # A header or cookie value that makes the caller an admin, or names the
    # owner of a plain session, is the client-controlled identity rule.
    # Every name here is a catalog rule id, or a prefix ending in "." or "-"
    # that at least one catalog id starts with (corpus/families_test.go).
    "bfla": ["authz.bfla", "authz.bfla-method", "authn.client-controlled-identity"],
    "mass-assignment": ["authz.mass-assignment"],
    "enumeration": ["account.user-enumeration", "account.user-enumeration-timing",
                    "account.registration-enumeration"],
    "public-leak": ["leak.credential-in-response", "leak.sensitive-data",
                    "authz.collection-exposure", "authz.missing-authentication",
                    "leak.other-principal-data"],
    # A reset that takes a user name and a new password is a write without
    # any authentication of the account's owner.
    "missing-auth": ["authz.missing-authentication", "authz.method-tampering",
                     "account.reset-without-proof"],
    "jwt": ["jwt."],
    "session": ["session.", "authn.client-controlled-identity"],
    "apikey": ["apikey."],
    "brute-force": ["apikey.no-bruteforce-protection"],
    "authn": ["authn.", "account.login-accepts-any-password", "account.reset-"],
}


# The batch nobody may tune on yet: run only with --batch naming it.
FRESH_BATCH = "7"


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


MEDIUM_UP = ("medium", "high", "critical")


def rule_in(rule, rules):
    return any(rule == r or (r.endswith(".") and rule.startswith(r)) for r in rules)


def path_regex(template):
    """A regex matching a concrete URL path against a manifest endpoint's path."""
    parts = re.split(r"(<[^>]*>|\{[^}]*\}|:[A-Za-z_]\w*)", template.rstrip("/") or "/")
    rx = "".join("[^/]+" if (x.startswith(("<", "{", ":")) and len(x) > 1) else re.escape(x) for x in parts)
    return re.compile("^" + rx + "/?$")


EFFECT = re.compile(r"^effect: (\S+) (\S+) answered (\d+) and took effect")


def norm_template(path):
    """A path template with every placeholder as {} and no trailing slash."""
    return re.sub(r"(<[^>]*>|\{[^}]*\}|:[A-Za-z_]\w*)", "{}", path.rstrip("/") or "/")


def counted_writes(manifest):
    """The manifest's write endpoints that count: `writes:` less the ones
    `writes_never_sent:` names, writes the write guard never sends by design
    (one that acts on every user's objects at once, such as DELETE /items with
    no id; corpus/apis/README.md). They stay listed under `writes:`."""
    never = {norm_ep(w["endpoint"] if isinstance(w, dict) else w)
             for w in manifest.get("writes_never_sent") or []}
    return [w for w in manifest.get("writes") or [] if norm_ep(w) not in never]


def score_writes(manifest, transcript, result=None):
    """Each of the manifest's write endpoints as the scan's own coverage
    records it (the result's `writes`: what every phase sent the endpoint,
    and whether any answer was a 2xx or a proven effect); an endpoint the
    scan's inventory does not hold was not exercised. Results without
    `writes` (older builds) are scored from the transcript."""
    if result is not None and "writes" in result:
        rows = []
        cov = result.get("writes") or []
        for w in counted_writes(manifest):
            method, _, path = w.strip().partition(" ")
            want = norm_template(path)
            hit = [c for c in cov if c["endpoint"]["method"].upper() == method.upper()
                   and norm_template(c["endpoint"]["path"]) == want]
            rows.append({"endpoint": w, "sent": sum(c.get("sent", 0) for c in hit),
                         "ok": sum(c.get("succeeded", 0) for c in hit),
                         "exercised": any(c.get("exercised") for c in hit),
                         "effect": next((c["effect"] for c in hit if c.get("effect")), None),
                         "statuses": sorted({st for c in hit for st in c.get("statuses") or []}),
                         "known": bool(hit)})
        return rows
    return score_writes_transcript(manifest, transcript, result)


def score_writes_transcript(manifest, transcript, result=None):
    """Which of the manifest's write endpoints the scan sent a request to that
    was answered 2xx (any identity, anonymous included), from the transcript;
    or that answered otherwise (a form's 302 to its page) and took effect as
    the scan proved by reading the change back (its "effect: METHOD /path
    answered N and took effect: ..." warning, an endpoint of its inventory)."""
    proven = {}
    for w in (result or {}).get("warnings") or []:
        mm = EFFECT.match(w)
        if mm:
            proven.setdefault((mm.group(1).upper(), path_regex(mm.group(2)).pattern), int(mm.group(3)))
    rows = []
    for w in counted_writes(manifest):
        method, _, path = w.strip().partition(" ")
        rx = path_regex(path)
        hit = [t for t in transcript
               if t.get("Method", "").upper() == method.upper()
               and rx.match(urllib.parse.urlsplit(t.get("URL", "")).path)]
        ok = [t for t in hit if 200 <= (t.get("Status") or 0) < 300]
        effect = proven.get((method.upper(), rx.pattern))
        rows.append({"endpoint": w, "sent": len(hit), "ok": len(ok),
                     "exercised": bool(ok) or (effect is not None and bool(hit)),
                     "effect": effect,
                     "statuses": sorted({t.get("Status") or 0 for t in hit})})
    return rows


NOTE = re.compile(r"^identity (\S+): (?:token|key) sent as (\S+(?: \{token\})?) \((.*)$")


def norm_use(u):
    """'bearer' and 'header:Authorization:Bearer {token}' compare equal;
    header names compare case-insensitively."""
    u = (u or "").strip()
    if u.lower() in ("bearer", "header:authorization:bearer {token}", "header:authorization:bearer"):
        return "header:authorization:bearer {token}"
    kind, _, rest = u.partition(":")
    if kind == "header":
        name, _, val = rest.partition(":")
        if val.strip() == "{token}":
            val = ""  # "header:X:{token}" is the bare token, "header:X"
        return "header:" + name.lower() + ":" + val
    return u


def score_transport(manifest, result):
    """Whether the scan inferred, without use:, where each login identity's
    token travels, and where each key configured without a place
    (api_key: {value: ...}) goes: the manifest's `transport:` (a login.use
    value) against the scan's "token sent as" and "key sent as" notes.
    Identities with use:, headers: or a placed api_key are not inferred and
    not counted."""
    want = manifest.get("transport")
    if not want:
        return []
    ids = ((manifest.get("scan") or {}).get("config") or {}).get("identities") or {}
    notes = {}
    for w in result.get("warnings") or []:
        mm = NOTE.match(w)
        if mm:
            notes[mm.group(1)] = (mm.group(2), mm.group(3))
    rows = []
    for name, ident in ids.items():
        login = (ident or {}).get("login") or {}
        key = (ident or {}).get("api_key")
        unplaced = key is not None and not (isinstance(key, dict) and any(key.get(k) for k in ("header", "query", "cookie")))
        if not unplaced and (not login.get("token") or login.get("use")):
            continue
        got, why = notes.get(name, ("", ""))
        rows.append({"identity": name, "want": want, "got": got,
                     "inferred": bool(got) and norm_use(got) == norm_use(want),
                     "why": why.split(";")[0]})
    return rows


def score(manifest, result):
    findings = result.get("findings") or []
    truth = manifest.get("truth") or []
    matched = set()
    rows = []
    for t in truth:
        # An item may narrow its family to the rules that prove it (`rules:`),
        # so that "*" items of one family (a weak secret, tokens that never
        # expire) are not all matched by whichever finding of the family came.
        rules = t.get("rules") or FAMILIES.get(t["family"], [])
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
    # Two targets built from different commits of one repository name their
    # own folder (`checkout:`); otherwise the folder is owner+name.
    checkout = os.path.join(args.corpus, m.get("checkout") or m["repo"].replace("/", "+"))
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
    out = {"name": name, "split": m["split"], "batch": int(m.get("batch", 1)),
           "control": is_control(m), "repo": m["repo"], "work": work}
    try:
        if not wait_ready(base + run.get("ready", "/"), proc):
            out["error"] = "did not start (see %s/server.log)" % work
            return out
        captured = {}
        for item in run.get("seed") or []:
            line = item if isinstance(item, str) else item["request"]
            method, _, rest = line.partition(" ")
            p, _, body = rest.partition(" ")
            # A seed item may carry headers (with values captured earlier):
            # an account created by an administrator's token.
            seed_hdrs = substitute(item.get("headers") or {}, captured) if isinstance(item, dict) else {}
            st, hdrs, data = http(method, base + p, body or None, headers=seed_hdrs)
            out.setdefault("seeded", []).append("%d %s" % (st, line.split(" {")[0]))
            if st >= 500:
                out["error"] = "seed %s answered %d" % (line, st)
                return out
            for var, where in (item.get("capture") or {}).items() if isinstance(item, dict) else []:
                captured[var] = capture(where, hdrs, data)
        if args.startup_only:
            # The ready path and every seed answered: say with what, so a
            # recipe check needs no scan.
            st, _, _ = http("GET", base + run.get("ready", "/"))
            out["seeded"] = ["%d GET %s (ready)" % (st, run.get("ready", "/"))] + out.get("seeded", [])
            # Each configured login, once, as the scan would send it.
            ids = ((m.get("scan") or {}).get("config") or {}).get("identities") or {}
            for iname, ident in ids.items():
                login = (ident or {}).get("login")
                if not login:
                    continue
                # The login's own headers go too (a Basic credential that
                # buys a token).
                lhdrs = dict(login.get("headers") or {})
                if login.get("form"):
                    lhdrs["Content-Type"] = "application/x-www-form-urlencoded"
                    lst, _, ldata = http(login.get("method", "POST"), base + login["url"],
                                         urllib.parse.urlencode(login["form"]), headers=lhdrs)
                else:
                    lst, _, ldata = http(login.get("method", "POST"), base + login["url"], login.get("json") or {},
                                         headers=lhdrs)
                ok = lst < 300
                if ok and login.get("token"):
                    try:
                        v = json.loads(ldata)
                        for k in login["token"].split("."):
                            v = v[k]
                        ok = bool(v)
                    except (ValueError, KeyError, TypeError):
                        ok = False
                out["seeded"].append("login %s %d%s" % (iname, lst, "" if ok else " (no token)"))
            # Captured values are credentials: say only whether each was found.
            for var in sorted(captured):
                out["seeded"].append("captured %s %s" % (var, "yes" if captured[var] else "EMPTY"))
            out["started"] = True
            return out
        scan = m.get("scan") or {}
        cfg = substitute(dict(scan.get("config") or {}), captured)
        cfg["target"] = base
        cfgpath = os.path.join(work, "authprobe.yaml")
        with open(cfgpath, "w") as fh:
            yaml.safe_dump(cfg, fh)
        resjson = os.path.join(work, "result.json")
        trpath = os.path.join(work, "transcript.jsonl")
        extra = [a.replace("{dir}", rundir).replace("{url}", base) for a in scan.get("args") or []]
        argv = [args.authprobe, "scan", base, "-c", cfgpath, "--allow-writes", "-o", resjson,
                "--quiet", "--fail-on", "none", "--time-budget", args.budget,
                "--transcript", trpath] + extra
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
        transcript = []
        if os.path.exists(trpath):
            with open(trpath) as fh:
                for line in fh:
                    try:
                        transcript.append(json.loads(line))
                    except ValueError:
                        pass
        out["writes"] = score_writes(m, transcript, result)
        out["transport"] = score_transport(m, result)
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


def is_control(m):
    """A negative control: a secure build or a real API with no known
    weakness (`control: true`, or an empty truth)."""
    return bool(m.get("control")) or not (m.get("truth") or [])


def selected(m, split, batch, only):
    """Whether a manifest runs for --split, --batch and --only, and why not
    when a named target is left out. Naming a target is not enough for a
    held-out one (its half must be asked for) nor for one of the fresh batch
    (its number must be): nobody runs them by accident."""
    b = str(m.get("batch", 1))
    if only and m["name"] not in only:
        return False, ""
    if b == FRESH_BATCH and batch != FRESH_BATCH:
        return False, (f"{m['name']}: batch {FRESH_BATCH}; skipped (pass --batch {FRESH_BATCH} to run it)"
                       if only else "")
    if only and m["split"] == "held-out" and split == "tuning":
        return False, f"{m['name']}: held-out; skipped (pass --split held-out or --split all to run it)"
    if not only and split != "all" and m["split"] != split:
        return False, ""
    if not only and batch != "all" and b != batch:
        return False, ""
    return True, ""


def capture(where, headers, body):
    """A seed's captured value: "header:NAME", "json:KEY", or "re:PATTERN"
    (group 1 of the pattern in the body, else the whole match; for a value
    only an HTML page shows, such as a key listed on a dashboard)."""
    kind, _, key = where.partition(":")
    if kind == "header":
        return headers.get(key, "")
    if kind == "re":
        mm = re.search(key, body.decode("utf-8", "replace"))
        if not mm:
            return ""
        return mm.group(1) if mm.groups() else mm.group(0)
    return str(json.loads(body).get(key, ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--manifests", default="corpus/apis")
    ap.add_argument("--corpus", default=os.environ.get("AUTHPROBE_API_CORPUS", "/work/corpus/apis"))
    ap.add_argument("--authprobe", default="bin/authprobe")
    ap.add_argument("--split", choices=["tuning", "held-out", "all"], default="tuning")
    ap.add_argument("--batch", choices=["1", "2", "3", "4", "5", "6", "7", "all"], default="all",
                    help="which batch of targets (manifest `batch:`, 1 when absent); "
                    "'all' leaves out the fresh batch " + FRESH_BATCH + ", which runs only when named")
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
        ok, why = selected(m, args.split, args.batch, only)
        if why:
            print(why, file=sys.stderr)
        if not ok:
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
    tag = "%s b%s" % (r.get("split", ""), r.get("batch", ""))
    if "error" in r:
        print("%-28s %-11s ERROR %s" % (r["name"], tag, r["error"]))
        return
    if r.get("started"):
        print("%-28s %-11s started and seeded: %s" % (r["name"], tag, "; ".join(r.get("seeded", []))))
        return
    http_rows = [t for t in r["truth"] if t["http"]]
    found = sum(t["found"] for t in http_rows)
    w = r.get("writes") or []
    tr = r.get("transport") or []
    print("%-28s %-11s found %d/%d (HTTP-provable)  %s %d  writes 2xx %d/%d  transport %d/%d  requests %d  %.1fs  accounts %d"
          % (r["name"], tag, found, len(http_rows),
             "FP (control)" if r.get("control") else "unmatched", len(r["unmatched"]),
             sum(x["exercised"] for x in w), len(w), sum(x["inferred"] for x in tr), len(tr),
             r["requests"], r["seconds"], len(r["accounts"])))
    for t in r["truth"]:
        mark = "found " if t["found"] else ("missed" if t["http"] else "n/a   ")
        print("    %s %-16s %-40s %s" % (mark, t["family"], t["endpoint"], t["rule"]))
    for u in r["unmatched"]:
        print("    unmatched %s %s %s" % (u["rule"], u["severity"], ", ".join(u["endpoint"])))
    for x in w:
        print("    write %s %-40s sent %d, 2xx %d %s%s" % ("ok  " if x["exercised"] else "MISS", x["endpoint"],
                                                        x["sent"], x["ok"], x["statuses"],
                                                        (" (answered %d, effect read back)" % x["effect"] if x.get("effect") and not x["ok"] else "")
                                                        + (" (not in the scan's inventory)" if x.get("known") is False else "")))
    for x in tr:
        print("    transport %s %-10s want %s got %s (%s)" % ("ok  " if x["inferred"] else "MISS", x["identity"],
                                                            x["want"], x["got"] or "-", x["why"]))


def total(results):
    """One line per (split, batch) and one for all: recall on HTTP-provable
    truth items, false positives on negative controls, unmatched findings
    elsewhere, write endpoints exercised with a 2xx, token transports
    inferred, requests and seconds."""
    groups = {}
    for r in results:
        groups.setdefault((r.get("split", "?"), r.get("batch", 1)), []).append(r)
    keys = sorted(groups, key=lambda k: (str(k[1]), k[0]))
    if len(keys) > 1:
        keys.append(None)
    for k in keys:
        rs = results if k is None else groups[k]
        ok = [r for r in rs if "error" not in r and not r.get("started")]
        rows = [t for r in ok if not r.get("control") for t in r["truth"] if t["http"]]
        found = sum(t["found"] for t in rows)
        ctl = [r for r in ok if r.get("control")]
        fp = sum(len(r["unmatched"]) for r in ctl)
        fp_med = sum(1 for r in ctl for u in r["unmatched"] if u.get("severity") in MEDIUM_UP)
        unm = sum(len(r["unmatched"]) for r in ok if not r.get("control"))
        w = [x for r in ok for x in r.get("writes") or []]
        tr = [x for r in ok for x in r.get("transport") or []]
        label = "TOTAL" if k is None else "TOTAL %s batch %s" % k
        pct = (" (%.0f%%)" % (100.0 * found / len(rows))) if rows else ""
        wpct = (" (%.0f%%)" % (100.0 * sum(x["exercised"] for x in w) / len(w))) if w else ""
        print("%-26s targets %d (errors %d)  recall %d/%d%s  FP on %d controls %d (medium+ %d)  unmatched %d  "
              "writes 2xx %d/%d%s  transport %d/%d  requests %d  %.1fs"
              % (label, len(rs), sum("error" in r for r in rs), found, len(rows), pct, len(ctl), fp, fp_med, unm,
                 sum(x["exercised"] for x in w), len(w), wpct, sum(x["inferred"] for x in tr), len(tr),
                 sum(r["requests"] for r in ok), sum(r["seconds"] for r in ok)))


if __name__ == "__main__":
    sys.exit(main())
