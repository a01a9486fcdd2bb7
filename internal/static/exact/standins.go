package exact

import (
	"fmt"
	"strings"
)

// StandIns says in one phrase what the import ran with in place of the
// project's real environment ("" when nothing).
func (inv *Inventory) StandIns() string {
	var parts []string
	if n := len(inv.Stubbed); n > 0 {
		parts = append(parts, fmt.Sprintf("stubbed: %d modules: %s", n, strings.Join(inv.Stubbed, ", ")))
	}
	if n := len(inv.Replaced); n > 0 {
		parts = append(parts, fmt.Sprintf("installed libraries of another version replaced: %s", strings.Join(inv.Replaced, ", ")))
	}
	if n := len(inv.StubbedNames); n > 0 {
		parts = append(parts, fmt.Sprintf("stubbed names: %s", strings.Join(inv.StubbedNames, ", ")))
	}
	if n := len(inv.StubbedRouters); n > 0 {
		parts = append(parts, fmt.Sprintf("route-registering extensions stubbed: %s, so the routes they register are the static model's", strings.Join(inv.StubbedRouters, ", ")))
	}
	if n := len(inv.Metadata); n > 0 {
		parts = append(parts, fmt.Sprintf("package metadata stood in for: %s", strings.Join(inv.Metadata, ", ")))
	}
	if n := len(inv.EnvSet); n > 0 {
		parts = append(parts, fmt.Sprintf("environment set: %s", strings.Join(inv.EnvSet, ", ")))
	}
	if n := len(inv.ConfigSet); n > 0 {
		parts = append(parts, fmt.Sprintf("app config set: %s", strings.Join(inv.ConfigSet, ", ")))
	}
	return strings.Join(parts, "; ")
}
