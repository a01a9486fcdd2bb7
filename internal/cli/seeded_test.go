package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

func init() {
	labHooks["catalog"] = append(labHooks["catalog"], labHook{"seeded-records-untouched", testSeededUntouched})
}

// testSeededUntouched (TestLabs/catalog/seeded-records-untouched): the
// scan's writes (anonymous probes, identity probes, effect proofs) act on
// records the scan made or on ids nobody has, never on the API's own
// records: the two seeded products read back exactly as the lab started
// them, although PUT /api/products/{product_id}/label relabels anything
// without a key and the public list shows both ids.
func testSeededUntouched(t *testing.T, lab *labtest.Lab, _ *report.Result, _ string) {
	resp, err := http.Get(lab.URL + "/api/products")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var doc struct {
		Products []struct {
			ID    int    `json:"id"`
			Name  string `json:"name"`
			Label string `json:"label"`
		} `json:"products"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("product list: %v: %s", err, data)
	}
	want := map[int]string{1: "kettle", 2: "teapot"}
	seen := 0
	for _, p := range doc.Products {
		name, ok := want[p.ID]
		if !ok {
			continue
		}
		seen++
		if p.Name != name || p.Label != "kitchen" {
			t.Errorf("seeded product %d changed by the scan: %+v", p.ID, p)
		}
	}
	if seen != len(want) {
		t.Errorf("seeded products missing after the scan: %s", data)
	}
}
