package actions

import "strings"

func holds(m map[string]any, marker string) bool {
	for _, v := range m {
		if s, ok := v.(string); ok && s == marker {
			return true
		}
	}
	return false
}

// recordID is a record's "id", else its one field named like an id.
func recordID(m map[string]any) string {
	if m == nil {
		return ""
	}
	if s, ok := scalar(m["id"]); ok {
		return s
	}
	found := ""
	for k, v := range m {
		if s, ok := scalar(v); ok && idName(strings.ToLower(k)) {
			if found != "" {
				return ""
			}
			found = s
		}
	}
	return found
}

// credentialField: a field the caller proves itself with (a login,
// registration or reset form), never marked and never left open.
func credentialField(k string) bool {
	n := strings.ToLower(k)
	for _, c := range []string{"password", "passwd", "pwd", "secret", "otp", "passcode"} {
		if strings.Contains(n, c) {
			return true
		}
	}
	return credentialName(k)
}
