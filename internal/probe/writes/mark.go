package writes

import (
	"crypto/rand"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// markField is the field of body an update sets to a mark of the scan's
// own and reads back, and a maker of fresh marks for it: a string field
// (stringField) first, else a whole-number field that is not an id (a
// stock count, a quantity: marked with a random number); "" when there is
// none.
func markField(body map[string]any) (string, func() any) {
	if f := stringField(body); f != "" {
		return f, func() any { return "authprobe-" + random() }
	}
	payload := reqbody.Payload(body)
	keys := make([]string, 0, len(payload))
	for k := range payload {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		l := strings.ToLower(k)
		if l == "id" || strings.HasSuffix(l, "_id") || strings.HasSuffix(k, "Id") {
			continue
		}
		switch v := payload[k].(type) {
		case int, int64:
		case float64:
			if v != float64(int64(v)) {
				continue
			}
		default:
			continue
		}
		return k, func() any {
			b := make([]byte, 2)
			_, _ = rand.Read(b)
			return int64(100 + (int(b[0])<<8|int(b[1]))%900)
		}
	}
	return "", nil
}

// shown renders a field's value in a message: a string quoted, a number
// as it is.
func shown(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}
