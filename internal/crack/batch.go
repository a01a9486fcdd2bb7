package crack

// Batch holds candidates packed end to end. Workers receive whole batches, so
// there is no channel operation and no allocation per guess; batches are
// reused for the whole run.
type Batch struct {
	buf  []byte
	ends []int32
}

// Batch limits: enough work per batch to amortise the hand-off, small enough
// that cancellation is prompt.
const (
	batchCount = 2048
	batchBytes = 64 << 10
)

// NewBatch returns an empty batch with the standard capacity.
func NewBatch() *Batch {
	return &Batch{buf: make([]byte, 0, batchBytes), ends: make([]int32, 0, batchCount)}
}

// Reset empties b, keeping its storage.
func (b *Batch) Reset() {
	b.buf = b.buf[:0]
	b.ends = b.ends[:0]
}

// Len is the number of candidates in b.
func (b *Batch) Len() int { return len(b.ends) }

// At returns candidate i; it aliases b's storage.
func (b *Batch) At(i int) []byte {
	start := int32(0)
	if i > 0 {
		start = b.ends[i-1]
	}
	return b.buf[start:b.ends[i]:b.ends[i]]
}

// Full reports whether b should not take more candidates.
func (b *Batch) Full() bool {
	return len(b.ends) >= batchCount || len(b.buf) >= batchBytes
}

// Add appends one candidate. A candidate longer than the remaining space is
// still accepted into an empty batch, so no candidate is ever unplaceable.
func (b *Batch) Add(w []byte) {
	b.buf = append(b.buf, w...)
	b.ends = append(b.ends, int32(len(b.buf)))
}
