package actions

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/entropy"
)

// Limits of the pattern search: counters up to maxCounter, timestamps
// within timeWindow of now (seconds and milliseconds).
const (
	maxCounter = 1 << 20
	timeWindow = 24 * time.Hour
	// minBits is the least entropy a minted credential may carry.
	minBits = 64
)

// predictable says how a run of minted values can be predicted: "" when
// no pattern was found. Values must all differ.
func predictable(values []string) string {
	seen := map[string]bool{}
	for _, v := range values {
		if seen[v] {
			return fmt.Sprintf("the same value was minted twice (%d values)", len(values))
		}
		seen[v] = true
	}
	if why := sequential(values); why != "" {
		return why
	}
	if why := hashedCounter(values, time.Now()); why != "" {
		return why
	}
	if bits := entropyBits(values); bits < minBits {
		return fmt.Sprintf("each value carries at most %.0f bits (%d characters from an alphabet of %d), below %d", bits, len(values[0]), entropy.Alphabet(values...), minBits)
	}
	return ""
}

// sequential: the values are a common prefix and a number that grows by
// a constant step.
func sequential(values []string) string {
	prefix := commonPrefix(values)
	// Keep the prefix off the number's leading digits.
	for len(prefix) > 0 && prefix[len(prefix)-1] >= '0' && prefix[len(prefix)-1] <= '9' {
		prefix = prefix[:len(prefix)-1]
	}
	var nums []int64
	for _, v := range values {
		n, err := strconv.ParseInt(strings.TrimPrefix(v, prefix), 10, 64)
		if err != nil {
			return ""
		}
		nums = append(nums, n)
	}
	step := nums[1] - nums[0]
	if step == 0 || step > 1000 || step < -1000 {
		return ""
	}
	for i := 2; i < len(nums); i++ {
		if nums[i]-nums[i-1] != step {
			return ""
		}
	}
	return fmt.Sprintf("sequential: prefix %q and a number that grows by %d each time", prefix, step)
}

// hashedCounter: each value is the hex MD5, SHA-1 or SHA-256 of a small
// counter, or of a Unix time (seconds or milliseconds) near now.
func hashedCounter(values []string, now time.Time) string {
	v0 := strings.ToLower(values[0])
	var name string
	var h func() hash.Hash
	switch len(v0) {
	case 32:
		name, h = "MD5", md5.New
	case 40:
		name, h = "SHA-1", sha1.New
	case 64:
		name, h = "SHA-256", sha256.New
	default:
		return ""
	}
	if _, err := hex.DecodeString(v0); err != nil {
		return ""
	}
	find := func(lo, hi int64) (int64, bool) {
		hh := h()
		sum := make([]byte, 0, 32)
		want, _ := hex.DecodeString(v0)
		for n := lo; n < hi; n++ {
			hh.Reset()
			hh.Write(strconv.AppendInt(nil, n, 10))
			if string(hh.Sum(sum[:0])) == string(want) {
				return n, true
			}
		}
		return 0, false
	}
	kind := "a counter"
	n, ok := find(0, maxCounter)
	if !ok {
		s := now.Unix()
		n, ok = find(s-int64(timeWindow/time.Second), s+60)
		kind = "the Unix time in seconds"
	}
	if !ok {
		return ""
	}
	// The others follow: a later counter or time, each found close after.
	matched := 1
	for _, v := range values[1:] {
		want, err := hex.DecodeString(strings.ToLower(v))
		if err != nil {
			break
		}
		hh := h()
		for m := n; m < n+100000; m++ {
			hh.Reset()
			hh.Write(strconv.AppendInt(nil, m, 10))
			if string(hh.Sum(nil)) == string(want) {
				matched, n = matched+1, m
				break
			}
		}
	}
	if matched < len(values) {
		return fmt.Sprintf("the first value is the %s of %s (%d), %d of %d values follow it", name, kind, n, matched, len(values))
	}
	return fmt.Sprintf("each value is the hex %s of %s: the last is %s(%q)", name, kind, name, strconv.FormatInt(n, 10))
}

// entropyBits bounds what a value can carry: length × log2(alphabet).
func entropyBits(values []string) float64 {
	return entropy.Bits(len(values[0]), values...)
}

func commonPrefix(values []string) string {
	p := values[0]
	for _, v := range values[1:] {
		for !strings.HasPrefix(v, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}
