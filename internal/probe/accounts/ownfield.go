package accounts

import (
	"strconv"

	"github.com/authprobe/authprobe/internal/probe/principal"
)

// ownRecordField is the value the account's own record (its registration
// answer, the record that names it) holds under the parameter's own name
// ({member_no} from {"member_no": 104, "handle": ...}), "" when none: the
// API says there what it knows the account by, whatever the field is
// called. The GET of the filled path must still answer the account.
func ownRecordField(acc *Account, name string) string {
	rec := record(acc.Answer, acc)
	want := principal.Norm(name)
	for k, x := range rec {
		if principal.Norm(k) != want {
			continue
		}
		switch t := x.(type) {
		case string:
			return t
		case float64:
			if t == float64(int64(t)) {
				return strconv.FormatInt(int64(t), 10)
			}
		}
	}
	return ""
}
