package catalog

import "github.com/authprobe/authprobe/internal/finding"

// writesEntries are the findings of the write phase (--allow-writes): who
// may change or delete whose objects, and which fields a client may set.
var writesEntries = []Entry{
	{
		ID: "authz.bola-write", Kind: Probe, Severity: finding.High,
		Title: "Another identity can change or delete an object",
		CWE:   []string{"CWE-639"}, OWASP: []string{"API1:2023"},
		Description: "An object the scan created as one identity and that is shown to be owned (an owner field naming its creator, a read refused to the other identity, or an owner-scoped listing), or an account the scan registered, was changed (PUT/PATCH) or deleted by a second, ordinary identity, and reading it back as its owner showed the change (a password set by the other identity logs in) or answered not found: the write route checks that the caller is logged in, not that the object is theirs.",
		Remediation: "Load the object with its owner in the query and refuse others on every write, not only on reads: `note = Note.query.filter_by(id=note_id, owner_id=current_user.id).first_or_404()` before updating or deleting.",
	},
	{
		ID: "authz.mass-assignment", Kind: Probe, Severity: finding.High,
		Title: "Create or update stores fields a client must not set",
		CWE:   []string{"CWE-915"}, OWASP: []string{"API3:2023"},
		Description: "An object created or updated with privileged or read-only fields added to the body (is_admin, role, verified, approved, balance, the schema's readOnly properties), or an account's own record updated with fields its answers show but its update does not take (flags, counters, role), read back with the values sent: the route copies the request into the object wholesale.",
		Remediation: "Copy only the fields a client may set: `ALLOWED = {\"title\", \"body\", \"tags\"}; note.update({k: v for k, v in body.items() if k in ALLOWED})`, or validate the body with a schema (marshmallow `load_only`/`dump_only`, pydantic) that rejects unknown and read-only fields.",
	},
}
