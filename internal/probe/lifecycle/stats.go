package lifecycle

import (
	"math"
	"sort"
	"time"
)

// slower tests whether the samples of a are stochastically larger than
// those of b: a one-sided Mann-Whitney U test (normal approximation with
// tie correction). It returns the p-value.
func slower(a, b []time.Duration) float64 {
	n1, n2 := len(a), len(b)
	if n1 == 0 || n2 == 0 {
		return 1
	}
	type obs struct {
		v    time.Duration
		inA  bool
		rank float64
	}
	all := make([]obs, 0, n1+n2)
	for _, v := range a {
		all = append(all, obs{v: v, inA: true})
	}
	for _, v := range b {
		all = append(all, obs{v: v})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v < all[j].v })
	tieSum := 0.0
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].v == all[i].v {
			j++
		}
		r := float64(i+j+1) / 2 // mean of ranks i+1..j
		for k := i; k < j; k++ {
			all[k].rank = r
		}
		t := float64(j - i)
		tieSum += t*t*t - t
		i = j
	}
	r1 := 0.0
	for _, o := range all {
		if o.inA {
			r1 += o.rank
		}
	}
	u := r1 - float64(n1*(n1+1))/2
	n := float64(n1 + n2)
	mu := float64(n1*n2) / 2
	sigma := math.Sqrt(float64(n1*n2) / 12 * ((n + 1) - tieSum/(n*(n-1))))
	if sigma == 0 {
		return 1
	}
	z := (u - mu - 0.5) / sigma // continuity correction
	return 0.5 * math.Erfc(z/math.Sqrt2)
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
