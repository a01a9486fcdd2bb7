#!/usr/bin/python3
"""List the route registrations of a Flask project from its syntax tree, the
first step of a route reference (corpus/flask-routes-ref.tsv): decorators
X.route/get/post/put/delete/patch/expose/api_route, non-decorator X.route(...)
calls (app.route("/")(view), flask-rest-jsonapi's api.route(Resource, ...)),
and X.add_url_rule / add_resource / add_org_resource / add_api /
register_api / add_namespace calls. Comments and docstrings never count
(they are not in the tree). Tests, docs, vendored and migration folders are
left out. The listing is then read: a helper's own body is not counted
apart, a table of views counts once per row, a connexion spec once per
operation, mounts (add_namespace, register_blueprint) are not routes.

    scripts/corpus-route-count.py DIR          # counts per kind
    scripts/corpus-route-count.py DIR -v       # and every site

Runs no project code; reads files only.
"""
import ast
import collections
import os
import sys

SKIP_DIRS = {"tests", "test", "testing", "docs", "doc", "node_modules", "site-packages", "vendor",
             "vendored", "_vendor", "migrations", "alembic"}
DECORATORS = {"route", "get", "post", "put", "delete", "patch", "expose", "api_route"}
CALLS = {"add_url_rule", "add_resource", "add_org_resource", "add_api", "register_api", "add_namespace"}


def sites_in(path, tree):
    decos = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            decos.update(id(d) for d in node.decorator_list)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for d in node.decorator_list:
                if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in DECORATORS:
                    arg = ast.unparse(d.args[0])[:60] if d.args else ""
                    yield d.lineno, "@%s.%s" % (ast.unparse(d.func.value), d.func.attr), arg
        if isinstance(node, ast.Call) and id(node) not in decos:
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else (f.id if isinstance(f, ast.Name) else None)
            recv = ast.unparse(f.value) + "." if isinstance(f, ast.Attribute) else ""
            if name == "route" and isinstance(f, ast.Attribute):
                yield node.lineno, "%sroute() call" % recv, ast.unparse(node)[:110]
            elif name in CALLS:
                yield node.lineno, "%s%s()" % (recv, name), ast.unparse(node)[:110]


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root, verbose = sys.argv[1], "-v" in sys.argv[2:]
    kinds, sites = collections.Counter(), []
    for dp, dns, fns in os.walk(root):
        dns[:] = sorted(d for d in dns if d not in SKIP_DIRS and not d.startswith("."))
        for fn in sorted(fns):
            if not fn.endswith(".py") or fn.startswith("test_") or fn == "conftest.py":
                continue
            p = os.path.join(dp, fn)
            rel = os.path.relpath(p, root)
            try:
                tree = ast.parse(open(p, encoding="utf-8", errors="replace").read())
            except SyntaxError as e:
                sites.append((rel, 0, "SYNTAX-ERROR (read it by hand)", str(e)[:60]))
                continue
            for line, kind, text in sites_in(p, tree):
                kinds[kind] += 1
                sites.append((rel, line, kind, text))
    for kind, n in kinds.most_common():
        print("%5d  %s" % (n, kind))
    print("total %d" % sum(kinds.values()))
    if verbose:
        for rel, line, kind, text in sites:
            print("%s:%d  %s  %s" % (rel, line, kind, text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
