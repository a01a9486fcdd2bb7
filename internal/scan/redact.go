package scan

import (
	"reflect"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/report"
)

// redactResult hides every credential, and every value derived from one,
// in every string of the result before any writer sees it: messages,
// evidence, warnings and notes as well as the fields checks redact
// themselves. With --show-secrets the redactor passes everything.
func redactResult(res *report.Result, r *httpx.Redactor) {
	if r == nil || r.Show {
		return
	}
	redactValue(reflect.ValueOf(res).Elem(), r, 0)
}

func redactValue(v reflect.Value, r *httpx.Redactor, depth int) {
	if depth > 32 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			if s := v.String(); s != "" {
				if red := r.String(s); red != s {
					v.SetString(red)
				}
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			redactValue(v.Elem(), r, depth+1)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				redactValue(v.Field(i), r, depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			redactValue(v.Index(i), r, depth+1)
		}
	case reflect.Map:
		if v.IsNil() || v.Type().Elem().Kind() != reflect.String {
			// Maps of other values (matrices) hold verdicts, not secrets.
			return
		}
		for _, k := range v.MapKeys() {
			s := v.MapIndex(k).String()
			if red := r.String(s); red != s {
				v.SetMapIndex(k, reflect.ValueOf(red).Convert(v.Type().Elem()))
			}
		}
	}
}
