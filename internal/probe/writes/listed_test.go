package writes

import "testing"

func TestMarkOfAndHolding(t *testing.T) {
	payload := map[string]any{"text": "authprobe-1a2b3c", "username": "tim", "title": "a longer title here"}
	m := markOf(payload, "username")
	if m == nil || m.key != "text" {
		t.Fatalf("markOf = %+v, want the value authprobe made (text)", m)
	}
	if markOf(map[string]any{"username": "timothy"}, "username") != nil {
		t.Error("the item parameter itself is never the mark")
	}
	list := []byte(`{"posts":[{"username":"tim","text":"other"},{"username":"tim","text":"authprobe-1a2b3c","date":"x"}]}`)
	rec := holding(list, m)
	if rec == nil || rec["date"] != "x" {
		t.Errorf("holding = %v, want the entry with the mark", rec)
	}
	if holding([]byte(`[{"text":"authprobe-other"}]`), m) != nil {
		t.Error("an entry without the mark is not the object")
	}
}
