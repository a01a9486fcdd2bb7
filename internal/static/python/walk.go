package python

import "sort"

// Walk visits n and its descendants in source order; fn returning false
// skips the node's children. A subtree is a contiguous run of its file's
// preorder array, so the walk allocates nothing.
func (n *Node) Walk(fn func(*Node) bool) {
	if n == nil {
		return
	}
	nodes := n.File.nodes
	for i, end := n.index(), n.subtreeEnd(); i < end; {
		if fn(&nodes[i]) {
			i++
		} else {
			i = nodes[i].subtreeEnd()
		}
	}
}

// Visit calls fn for the file's nodes of the given kinds, in source order
// (nodes starting at the same byte in the order of kinds).
func (f *File) Visit(fn func(*Node), kinds ...string) {
	if len(kinds) == 1 {
		for _, n := range f.byKind[kinds[0]] {
			fn(n)
		}
		return
	}
	// Each kind's list is in preorder, so in source order: merge them.
	if f.unsorted {
		f.visitSorted(fn, kinds) // ranges out of order (never seen): sort
		return
	}
	lists := make([][]*Node, 0, len(kinds))
	for _, k := range kinds {
		if l := f.byKind[k]; len(l) > 0 {
			lists = append(lists, l)
		}
	}
	for {
		best := -1
		for i, l := range lists {
			if len(l) > 0 && (best < 0 || l[0].Start < lists[best][0].Start) {
				best = i
			}
		}
		if best < 0 {
			return
		}
		fn(lists[best][0])
		lists[best] = lists[best][1:]
	}
}

// visitSorted is Visit by a stable sort of all the kinds' nodes.
func (f *File) visitSorted(fn func(*Node), kinds []string) {
	var all []*Node
	for _, k := range kinds {
		all = append(all, f.byKind[k]...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Start < all[j].Start })
	for _, n := range all {
		fn(n)
	}
}
