package labtest

import (
	"sync"
	"testing"
)

// Spec names a lab to start and the extra environment of its process.
type Spec struct {
	Name string
	Env  []string
}

// StartMany starts every lab of specs at once, as StartEnv does each, and
// returns them in the order of specs once all answer: a fleet of labs
// starts in the time of its slowest member, not of their sum.
func StartMany(t testing.TB, specs []Spec) []*Lab {
	t.Helper()
	for _, s := range specs {
		skipShort(t, s.Name)
	}
	labs := make([]*Lab, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	for i, s := range specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dir, m, err := prepare(s.Name)
			if err == nil {
				labs[i], err = launch(t, s.Name, dir, m, append(append([]string(nil), ThrottleEnv...), s.Env...))
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return labs
}
