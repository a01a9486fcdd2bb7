package source

import (
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// storeWrites are the calls that destroy or overwrite what an API
// stores, by the name the call ends with: SQLAlchemy's session delete,
// pymongo's delete and update methods, files removed. Adding a record (a
// GET that logs a visit) is left out: common, and it destroys nothing.
var storeWrites = map[string]bool{
	"session.delete": true,
	"delete_one":     true, "delete_many": true, "update_one": true, "update_many": true, "replace_one": true,
	"find_one_and_delete": true, "find_one_and_update": true, "find_one_and_replace": true,
	"os.remove": true, "os.unlink": true, "shutil.rmtree": true,
}

// sqlWrites start an SQL statement that destroys or overwrites data.
var sqlWrites = []string{"UPDATE", "DELETE", "DROP", "ALTER", "TRUNCATE", "REPLACE"}

// stateChange says where a handler destroys or overwrites stored state,
// "" when its own body shows no such call: a SQLAlchemy session delete, a
// query's .delete()/.update(), a pymongo delete or update, a file removed,
// or an execute() of an SQL DELETE, UPDATE, DROP, ... A GET whose handler
// does so is not safe to call (deleting a record by GET
// /report-closed/<id>).
func stateChange(def *python.Node, file string) string {
	if def == nil {
		return ""
	}
	found := ""
	def.Walk(func(n *python.Node) bool {
		if found != "" {
			return false
		}
		if n.Kind != "call" {
			return true
		}
		fn := n.ChildByField("function")
		if fn == nil {
			return true
		}
		name := fn.DottedName()
		attr := ""
		if fn.Kind == "attribute" {
			if a := fn.ChildByField("attribute"); a != nil {
				attr = a.Text()
			}
		}
		what := ""
		switch {
		case name != "" && (storeWrites[name] || storeWrites[lastTwo(name)]):
			what = lastTwo(name)
		case attr != "" && storeWrites[attr]:
			what = attr
		case (attr == "delete" || attr == "update") && strings.Contains(fn.ChildByField("object").Text(), "query"):
			what = "query." + attr // Model.query.filter_by(...).delete()
		case attr == "execute" || attr == "executemany" || attr == "executescript":
			if args := n.ChildByField("arguments"); args != nil && len(args.NamedChildren()) > 0 {
				if sql, ok := args.NamedChildren()[0].StringValue(); ok && writesSQL(sql) {
					what = attr + "(" + strings.Fields(sql)[0] + " ...)"
				}
			}
		}
		if what != "" {
			found = fmt.Sprintf("the handler calls %s at %s:%d", what, file, n.Line)
		}
		return found == ""
	})
	return found
}

// lastTwo is a dotted name's last two parts ("db.session.delete" →
// "session.delete").
func lastTwo(name string) string {
	parts := strings.Split(name, ".")
	if len(parts) <= 2 {
		return name
	}
	return strings.Join(parts[len(parts)-2:], ".")
}

func writesSQL(sql string) bool {
	f := strings.Fields(strings.ToUpper(sql))
	if len(f) == 0 {
		return false
	}
	for _, w := range sqlWrites {
		if f[0] == w {
			return true
		}
	}
	return false
}
