package inventory

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Default example values per parameter type, used when nothing better is known.
const (
	DefaultInteger = "1"
	DefaultNumber  = "1.0" // Flask's float converter requires the dot
	DefaultUUID    = "00000000-0000-4000-8000-000000000001"
	DefaultString  = "test"
	DefaultBoolean = "true"
)

// defaultExample is the value sent for a parameter of type typ when neither
// the spec nor the user gave one.
func defaultExample(typ string) string {
	switch typ {
	case "integer":
		return DefaultInteger
	case "number":
		return DefaultNumber
	case "uuid":
		return DefaultUUID
	case "boolean":
		return DefaultBoolean
	default:
		return DefaultString
	}
}

// guessParam builds a path parameter known only by its name (an --endpoint
// template, or a spec placeholder with no declaration). Names that say uuid
// or guid get a UUID; anything else gets "1", which both integer and string
// routes accept, whereas "test" would 404 on an integer route.
func guessParam(name string) Param {
	lower := strings.ToLower(name)
	switch {
	case strings.Contains(lower, "uuid") || strings.Contains(lower, "guid"):
		return Param{Name: name, In: "path", Type: "uuid", Example: DefaultUUID, Required: true}
	case lower == "id" || strings.HasSuffix(lower, "_id") || strings.HasSuffix(name, "Id") || strings.HasSuffix(lower, "-id"):
		return Param{Name: name, In: "path", Type: "integer", Example: DefaultInteger, Required: true}
	default:
		return Param{Name: name, In: "path", Type: "string", Example: DefaultInteger, Required: true}
	}
}

// exampleString renders a spec example value as it goes in a URL, reporting
// false for values that have no URL form (objects, nulls).
func exampleString(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		return formatFloat(x), true
	case float32:
		return formatFloat(float64(x)), true
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x), true
	case []any:
		parts := make([]string, 0, len(x))
		for _, item := range x {
			s, ok := exampleString(item)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ","), len(parts) > 0
	default:
		return "", false
	}
}

func formatFloat(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// fitLength cuts or pads s to lie within [minLen, maxLen] characters
// (maxLen < 0: no upper bound).
func fitLength(s string, minLen, maxLen int) string {
	if maxLen >= 0 && len(s) > maxLen {
		s = s[:maxLen]
	}
	if minLen > len(s) {
		minLen = min(minLen, 256)
		s += strings.Repeat("t", max(0, minLen-len(s)))
	}
	return s
}

// firstNonEmpty returns the first value of vs that renders.
func firstNonEmpty(vs ...any) (string, bool) {
	for _, v := range vs {
		if s, ok := exampleString(v); ok {
			return s, true
		}
	}
	return "", false
}
