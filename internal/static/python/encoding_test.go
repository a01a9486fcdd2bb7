package python

import (
	"strings"
	"testing"
)

func TestDecodeLatin1(t *testing.T) {
	src := []byte("# -*- coding: latin-1 -*-\nSECRET = \"caf\xe9-cl\xe9\"\n")
	got := string(Decode(src))
	if !strings.Contains(got, `"café-clé"`) || strings.Count(got, "\n") != 2 {
		t.Fatalf("decoded %q", got)
	}
	utf := []byte("# coding: utf-8\nx = \"café\"\n")
	if string(Decode(utf)) != string(utf) {
		t.Fatal("UTF-8 changed")
	}
	third := []byte("\n\n# coding: latin-1\nx = \"\xe9\"\n")
	if string(Decode(third)) != string(third) {
		t.Fatal("a declaration on line 3 does not count")
	}
}
