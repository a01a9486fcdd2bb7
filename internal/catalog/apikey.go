package catalog

// apikeyEntries is owned by the apikey family; see catalog.go.
var apikeyEntries = []Entry{}
