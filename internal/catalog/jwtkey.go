package catalog

// jwtKeyEntries is owned by the jwtkey family; see catalog.go.
var jwtKeyEntries = []Entry{}
