package rules

// callsByAttr returns the calls x.name(...) of the project (the function
// an attribute named name), in the order of Calls. The index is built on
// first use: looking a method's calls up per method scanned every call of
// the project each time (ragflow, 229k lines: 60% of the analysis).
func (ps *Pass) callsByAttr(name string) []Call {
	if ps.byAttr == nil {
		ps.byAttr = map[string][]Call{}
		for _, c := range ps.Calls {
			if f := c.Node.ChildByField("function"); f != nil && f.Kind == "attribute" {
				a := f.ChildByField("attribute").Text()
				ps.byAttr[a] = append(ps.byAttr[a], c)
			}
		}
	}
	return ps.byAttr[name]
}
