package catalog

// staticEntries is owned by the static family; see catalog.go.
var staticEntries = []Entry{}
