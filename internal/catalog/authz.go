package catalog

// authzEntries is owned by the authz family; see catalog.go.
var authzEntries = []Entry{}
