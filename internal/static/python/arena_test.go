//go:build cgo

package python

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// shape is a tree written out node by node (kind, field, span, line,
// child count, flags), hashed: what a parse must reproduce.
type treeShape struct {
	nodes int
	sum   uint64
}

func shape(f *File) treeShape {
	h := fnv.New64a()
	var s treeShape
	var buf []byte
	f.Root.Walk(func(n *Node) bool {
		buf = append(buf[:0], n.Kind...)
		buf = append(buf, 0)
		buf = append(buf, n.Field()...)
		buf = binary.LittleEndian.AppendUint64(buf, uint64(n.Start)<<32|uint64(n.End))
		buf = binary.LittleEndian.AppendUint64(buf, uint64(n.Line)<<32|uint64(len(n.Children()))<<2)
		buf = append(buf, n.flagByte())
		h.Write(buf)
		s.nodes++
		return true
	})
	s.sum = h.Sum64()
	return s
}

func (n *Node) flagByte() byte {
	var b byte
	if n.Named() {
		b |= 1
	}
	if n.Missing() {
		b |= 2
	}
	return b
}

// arenaSources are small, odd and large sources; the large one needs more
// than the largest arena chunk, so the arena grows past it and gives it back.
func arenaSources() []string {
	var big strings.Builder
	for i := 0; big.Len() < 1<<20; i++ {
		fmt.Fprintf(&big, "@bp.route(\"/r%[1]d/<int:i>\", methods=[\"GET\"])\ndef v%[1]d(i):\n    d = {\"k\": [i, f\"{i}x\", 'y' \"z\"]}\n    return jsonify(d) if i > %[1]d else abort(401)\n\n", i)
	}
	return []string{treeSrc, "", "x = (", "\x00\xff\xfe", big.String(), "if x:\n\tpass\n  else", treeSrc + treeSrc}
}

// Trees parsed one after another in a reused arena, and on several
// threads at once, are the trees a fresh parser builds; and the arena gives
// a large file's memory back once the next file is parsed.
func TestArenaReuse(t *testing.T) {
	srcs := arenaSources()
	want := make([]treeShape, len(srcs))
	for i, src := range srcs {
		want[i] = shape(parse(t, src))
		if want[i].nodes == 0 {
			t.Fatalf("source %d: empty tree", i)
		}
	}
	if want[4].nodes < 100_000 {
		t.Fatalf("large source: %d nodes", want[4].nodes)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := NewParser()
			if err != nil {
				errs <- err
				return
			}
			defer p.Close()
			for round := range 2 {
				for k := range srcs {
					i := (k + w + round) % len(srcs) // each worker in its own order
					f, err := p.Parse(context.Background(), "x.py", []byte(srcs[i]))
					if err != nil {
						errs <- err
						return
					}
					if got := shape(f); got != want[i] {
						errs <- fmt.Errorf("worker %d round %d source %d: %d nodes (hash %x), want %d (%x)", w, round, i, got.nodes, got.sum, want[i].nodes, want[i].sum)
						return
					}
					if p.arenaSize(false) > 16<<20 {
						errs <- fmt.Errorf("worker %d: arena holds %d bytes between files", w, p.arenaSize(false))
						return
					}
				}
			}
			if p.arenaSize(true) <= 16<<20 {
				errs <- fmt.Errorf("worker %d: the large file took %d bytes of arena: the test does not reach past one chunk", w, p.arenaSize(true))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// A parse leaves nothing allocated behind in libc: the grammar's scanner
// state, which does not come from the arena, is freed with each parser.
// glibc reports the main arena only, so the test runs itself again with
// every thread on that arena.
func TestParseLeavesNothing(t *testing.T) {
	if os.Getenv("AP_LEAK_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestParseLeavesNothing$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "AP_LEAK_CHILD=1", "MALLOC_ARENA_MAX=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestParseLeavesNothing") {
			t.Fatalf("%v\n%s", err, out)
		}
		if strings.Contains(string(out), "--- SKIP") {
			t.Skipf("%s", out)
		}
		return
	}
	if libcInUse() < 0 {
		t.Skip("libc does not report its allocations on this platform")
	}
	p, err := NewParser()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	src := []byte("def f(x):\n    if x:\n        return '''a\n'''\n    return f\"{x}\"\n")
	parseN := func(n int) {
		for range n {
			if _, err := p.Parse(context.Background(), "x.py", src); err != nil {
				t.Fatal(err)
			}
		}
	}
	parseN(100) // libc's own first allocations
	before := libcInUse()
	parseN(5000)
	if grew := libcInUse() - before; grew > 16<<10 {
		t.Fatalf("5000 parses left %d bytes allocated in libc", grew)
	}
}
