#!/usr/bin/python3
"""Which route registrations of a Flask project sit in modules its entry
point imports: the second step of a route reference
(corpus/flask-routes-ref.tsv), after scripts/corpus-route-count.py.

Starting from the given entry modules (dotted names relative to DIR, such as
"app" or "application"), follows every import it can resolve to a file of
the project (absolute, relative, and a bare name beside the importing file
as Python 2 code imports), and prints each file with route registrations
that no import reaches: their blueprints may still be registered some other
way (importlib, entry points, a plugin loader), so the listing is read, not
trusted. A file that starts with a UTF-8 byte-order mark is read without it.

    scripts/corpus-route-reach.py DIR app            # app/__init__.py and what it imports
    scripts/corpus-route-reach.py DIR application wsgi

Runs no project code; reads files only.
"""
import ast
import collections
import os
import re
import subprocess
import sys

SKIP_DIRS = {"node_modules", "site-packages", "venv"}


def modules(root):
    """Dotted module name -> file path (relative to root)."""
    mods = {}
    for dp, dns, fns in os.walk(root):
        dns[:] = sorted(d for d in dns if d not in SKIP_DIRS and not d.startswith("."))
        for fn in fns:
            if fn.endswith(".py"):
                rel = os.path.relpath(os.path.join(dp, fn), root)
                mod = rel[:-3].replace(os.sep, ".")
                if mod.endswith(".__init__"):
                    mod = mod[: -len(".__init__")]
                mods[mod] = rel
    return mods


def imported(root, rel):
    """Every dotted name a file imports (and name.attr for from-imports)."""
    try:
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as fh:
            tree = ast.parse(fh.read().lstrip("\ufeff"))
    except SyntaxError:
        return set()
    pkg = rel[:-3].replace(os.sep, ".")
    base = pkg[: -len(".__init__")] if rel.endswith("__init__.py") else pkg.rpartition(".")[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = base.split(".") if base else []
                if node.level > 1:
                    parts = parts[: len(parts) - (node.level - 1)]
                mod = ".".join(parts + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            names.add(mod)
            names.update(mod + "." + a.name for a in node.names)
    return names


def reached(root, mods, entries):
    """The modules the entries import, transitively (parents included)."""
    seen, todo = set(), list(entries)
    while todo:
        m = todo.pop()
        if m in seen or m not in mods:
            continue
        seen.add(m)
        parts = m.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))
        here = os.path.dirname(mods[m]).replace(os.sep, ".")
        for name in imported(root, mods[m]):
            for cand in (name, here + "." + name if here else None):
                if cand and cand in mods:
                    todo.append(cand)
    return seen


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, entries = sys.argv[1], sys.argv[2:]
    counter = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus-route-count.py")
    out = subprocess.run([sys.executable, counter, root, "-v"], capture_output=True, text=True).stdout
    per = collections.Counter()
    for line in out.splitlines():
        mm = re.match(r"^(\S+\.py):\d+\s+(\S+)", line)
        if mm:
            per[(mm.group(1), mm.group(2))] += 1
    mods = modules(root)
    seen = reached(root, mods, entries)
    inside, outside = collections.Counter(), collections.Counter()
    for (rel, kind), n in sorted(per.items()):
        mod = rel[:-3].replace(os.sep, ".")
        if mod.endswith(".__init__"):
            mod = mod[: -len(".__init__")]
        if mod in seen:
            inside[kind] += n
        else:
            outside[kind] += n
            print("not reached: %s  %s x%d" % (rel, kind, n))
    print("reached %d, not reached %d (entries: %s)" % (sum(inside.values()), sum(outside.values()),
                                                        ", ".join(entries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
