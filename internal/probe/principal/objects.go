package principal

import (
	"encoding/json"
	"strings"
)

// ownerKeys name the fields of an object that may say whose it is. They
// are hints: an object is owned by a principal only when the field's value
// is one of that principal's values.
var ownerKeys = map[string]bool{
	"userid": true, "user": true, "username": true, "owner": true, "ownerid": true, "ownername": true,
	"author": true, "authorid": true, "authorname": true, "email": true, "createdby": true,
	"creator": true, "creatorid": true, "uid": true, "login": true, "accountid": true,
	"customerid": true, "memberid": true, "profileid": true, "postedby": true, "submittedby": true,
	"userlogin": true, "useremail": true, "owneremail": true, "sub": true,
}

// Object is one JSON object of an answer that has an owner-like field.
type Object struct {
	Fields map[string]any
	// OwnerKey and Owner are the owner field and its value.
	OwnerKey string
	Owner    any
}

// Objects returns the objects in body that carry an owner-like field with
// a scalar value, or a nested record ("user": {"id": 3}) with identity
// fields; each object once, with its first owner field.
func Objects(body []byte) []Object {
	var v any
	if len(body) == 0 || json.Unmarshal(body, &v) != nil {
		return nil
	}
	var out []Object
	walk(v, 0, func(m map[string]any) {
		for _, k := range sortedKeys(m) {
			if !ownerKeys[Norm(k)] {
				continue
			}
			if _, ok := scalar(m[k]); ok {
				out = append(out, Object{Fields: m, OwnerKey: k, Owner: m[k]})
				return
			}
			if sub, ok := m[k].(map[string]any); ok {
				for _, kk := range sortedKeys(sub) {
					if identityKeys[Norm(kk)] {
						if _, ok := scalar(sub[kk]); ok {
							out = append(out, Object{Fields: m, OwnerKey: k + "." + kk, Owner: sub[kk]})
							return
						}
					}
				}
			}
		}
	})
	return out
}

// Whose returns the self that owns o, or nil: the one whose values hold
// the owner field's value. A value two selves share decides nothing.
func Whose(o Object, selves []*Self) *Self {
	var found *Self
	for _, s := range selves {
		if s.Has(o.Owner) {
			if found != nil {
				return nil
			}
			found = s
		}
	}
	return found
}

// IDs returns the values of o that may address it in a path parameter
// named param: the field of that name first, then "id" and other *id
// fields, then the remaining short scalar fields (a title or slug can be
// the key). The owner field is not an id of the object unless the
// parameter is named after it (/users/{user_id} addresses the principal).
func (o Object) IDs(param string) []string {
	pn := Norm(param)
	var first, ids, rest []string
	for _, k := range sortedKeys(o.Fields) {
		if (k == o.OwnerKey || strings.HasPrefix(o.OwnerKey, k+".")) && Norm(k) != pn {
			continue
		}
		v, ok := scalar(o.Fields[k])
		if !ok || len(v) > 64 || strings.ContainsAny(v, "/?#") {
			continue
		}
		n := Norm(k)
		switch {
		case n == pn:
			first = append(first, v)
		case n == "id" || strings.HasSuffix(n, "id") && !ownerKeys[n]:
			ids = append(ids, v)
		case !ownerKeys[n] && !strings.ContainsAny(v, " \n"):
			rest = append(rest, v)
		}
	}
	return append(append(first, ids...), rest...)
}

// FirstObject returns the first JSON object of body, in a fixed order
// (depth first, keys sorted), for which match holds, or nil.
func FirstObject(body []byte, match func(map[string]any) bool) map[string]any {
	var v any
	if len(body) == 0 || json.Unmarshal(body, &v) != nil {
		return nil
	}
	var found map[string]any
	walk(v, 0, func(m map[string]any) {
		if found == nil && match(m) {
			found = m
		}
	})
	return found
}

// IsOwnerKey reports whether a field name may say whose an object is.
func IsOwnerKey(k string) bool { return ownerKeys[Norm(k)] }
