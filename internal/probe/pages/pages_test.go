package pages

import (
	"testing"
)

const grid = `<!DOCTYPE html><html><body>
<form action="/generate" method="POST"><input type="text" name="name" required><input type="hidden" name="csrf_token" value="tok-1"><button type="submit">Go</button></form>
<div class="keys-grid">
  <div class="key-card"><div class="key-info"><h3>alice</h3><code>k-1</code></div>
    <form action="/revoke/1" method="POST"><button type="submit">Revoke</button></form></div>
  <div class="key-card"><div class="key-info"><h3>authprobe-mark</h3><code>k-7</code></div>
    <form action="/revoke/7" method="POST"><button type="submit">Revoke</button></form>
    <form action="/keys/7/rename" method="post"><input name="name" value="authprobe-mark"><textarea name="note">hi</textarea>
      <select name="scope"><option value="read">r</option><option value="write">w</option></select>
      <input type="checkbox" name="active" value="yes"><input type="file" name="logo"></form></div>
  <div class="key-card"><div class="key-info"><h3>bobby</h3></div>
    <form action="/revoke/2" method="POST"><button>Revoke</button></form></div>
</div></body></html>`

// TestAround: the forms of the card that shows the mark, not its
// neighbours' nor the page's create form; a table row's too; and none
// when the record has no form of its own while other records do.
func TestAround(t *testing.T) {
	fs := Around([]byte(grid), "http://127.0.0.1:5000/", "authprobe-mark")
	if len(fs) != 2 || fs[0].Action != "http://127.0.0.1:5000/revoke/7" || fs[0].Method != "POST" || fs[1].Action != "http://127.0.0.1:5000/keys/7/rename" {
		t.Fatalf("card forms: %+v", fs)
	}
	rn := fs[1]
	if rn.Fields["name"] != "authprobe-mark" || rn.Fields["note"] != "hi" || rn.Fields["scope"] != "read" || rn.Fields["active"] != "yes" || len(rn.Files) != 1 || rn.Files[0] != "logo" {
		t.Fatalf("fields: %+v", rn)
	}
	table := `<table><tbody><tr><td>one</td><td><form method="post" action="del/3"></form></td></tr>
<tr><td>authprobe-row</td><td>x</td><td><form method="post" action="del/9"></form></td></tr></tbody></table>`
	if fs := Around([]byte(table), "http://h/notes/", "authprobe-row"); len(fs) != 1 || fs[0].Action != "http://h/notes/del/9" {
		t.Fatalf("row forms: %+v", fs)
	}
	orphan := `<ul><li>authprobe-lone</li><li>two <form method="post" action="/del/2"></form></li><li>three <form method="post" action="/del/3"></form></li></ul>`
	if fs := Around([]byte(orphan), "http://h/", "authprobe-lone"); fs != nil {
		t.Fatalf("a record with no form of its own got its neighbours': %+v", fs)
	}
	if fs := Around([]byte(grid), "http://h/", "authprobe-absent"); fs != nil {
		t.Fatalf("no mark, forms %+v", fs)
	}
	all := Forms([]byte(grid), "http://h/")
	if len(all) != 5 || all[0].Fields["csrf_token"] != "tok-1" || all[0].Fields["name"] != "" {
		t.Fatalf("forms: %+v", all)
	}
	if !IsHTML([]byte(grid)) || IsHTML([]byte(`{"a": "<div>"}`)) {
		t.Fatal("IsHTML")
	}
}
