"""Route table of corpus-routes.sh: one row per project, totals per half and
batch, then every registration the static model missed, with its reason.

Where corpus/flask-routes-ref.tsv holds a reference count for a project
(registrations counted by reading, written before any static result was
seen), the row also shows resolved / reference."""
import glob
import json
import os
import re
import sys

out, split = sys.argv[1], sys.argv[2]
batch = sys.argv[3] if len(sys.argv) > 3 else "all"
REF = {}
_ref = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus", "flask-routes-ref.tsv")
if os.path.exists(_ref):
    with open(_ref) as fh:
        head = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            row = dict(zip(head, line.rstrip("\n").split("\t")))
            if row.get("reference", "").isdigit():
                REF[row["repo"]] = int(row["reference"])
# What a reader greps for: route decorators, add_url_rule, add_resource,
# @expose, plugin route decorators.
REG = re.compile(r"^\s*@[\w.]+\.(route|get|post|put|patch|delete)\(\s*[\"'fr]|\.add_url_rule\(|\.add_resource\(|^\s*@expose\(")
TEST = re.compile(r"(^|/)(tests?|testing)/|(^|/)test_[^/]*\.py$|_test\.py$|(^|/)conftest\.py$")


def grep(root):
    hits = set()
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("node_modules", "venv", ".venv", "site-packages")]
        for f in files:
            if not f.endswith(".py"):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if TEST.search(rel):
                continue
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    for i, line in enumerate(fh, 1):
                        if REG.search(line) and "def " not in line:
                            hits.add((rel, i))
            except OSError:
                pass
    return hits


rows, misses = [], []
tots = {}
for meta_path in sorted(glob.glob(os.path.join(out, "*.meta.json"))):
    meta = json.load(open(meta_path))
    if split != "all" and meta["split"] != split:
        continue
    mb = str(meta.get("batch", 1))
    if batch != "all" and mb != batch:
        continue
    if mb == "7" and batch != "7":
        # The fresh batch is shown only when asked for by number.
        continue
    tot = tots.setdefault((meta["split"], mb), {"seen": 0, "resolved": 0, "ref": 0, "ref_resolved": 0,
                                               "exact_served": 0, "exact_placed": 0})
    if meta.get("absent"):
        rows.append(f"| {meta['repo']} | {meta['split']} | {mb} | absent | | | | | |")
        continue
    base = meta_path[: -len(".meta.json")]
    try:
        st = json.load(open(base + ".static.json"))
    except (OSError, ValueError):
        rows.append(f"| {meta['repo']} | {meta['split']} | {mb} | error | | | | | |")
        continue
    d = st.get("diagnostics") or {}
    seen, resolved = d.get("routes_seen", 0), d.get("routes_resolved", 0)
    for u in d.get("unresolved") or []:
        loc = u["location"]
        misses.append((meta["repo"], f"{loc['file']}:{loc['line']}", u["reason"]))
    hits = len(grep(meta["dir"]))
    exact = "-"
    try:
        ex = json.load(open(base + ".exact.json"))
        ed = ex.get("diagnostics") or {}
        if ed.get("mode") == "exact":
            # Ground truth where the project imports (stubs included): the
            # endpoints Flask serves, and how many the static model placed.
            np = ed.get("not_placed") or []
            served = len(ex.get("endpoints") or [])
            stub = ed.get("stubbed") or []
            tot["exact_served"] += served
            tot["exact_placed"] += served - len(np)
            exact = f"imported: {served - len(np)}/{served} served endpoints placed statically"
            if stub:
                exact += f" (stubbed: {len(stub)} modules)"
            for u in np:
                misses.append((meta["repo"], f"{u['location']['file']}:{u['location']['line']}", "exact: " + u["reason"]))
        else:
            exact = "not imported: " + (ed.get("mode_note") or "")[:90].replace("|", "/")
    except (OSError, ValueError):
        pass
    tot["seen"] += seen
    tot["resolved"] += resolved
    pct = 100.0 * resolved / seen if seen else 100.0
    ref = ""
    if meta["repo"] in REF:
        tot["ref"] += REF[meta["repo"]]
        tot["ref_resolved"] += resolved
        ref = f"{resolved}/{REF[meta['repo']]}"
    rows.append(f"| {meta['repo']} | {meta['split']} | {mb} | {resolved}/{seen} | {pct:.1f}% | {ref} | {hits} | {st['stats'].get('lines', 0)} | {exact} |")

print(f"## Routes, {split} half, batch {batch}\n")
print("| project | half | batch | resolved/seen | % | resolved/reference | grep hits | lines | exact mode |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(r)
for (sp, b), tot in sorted(tots.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    pct = 100.0 * tot["resolved"] / tot["seen"] if tot["seen"] else 0
    ref = f"{tot['ref_resolved']}/{tot['ref']}" if tot["ref"] else ""
    ex = f"exact ground truth: {tot['exact_placed']}/{tot['exact_served']} served endpoints placed statically" if tot["exact_served"] else ""
    print(f"| **total {sp}, batch {b}** | | | {tot['resolved']}/{tot['seen']} | {pct:.1f}% | {ref} | | | {ex} |")
print(f"\n### Every registration not resolved ({split}, batch {batch})\n")
for repo, loc, why in misses:
    print(f"- {repo} `{loc}`: {why}")
