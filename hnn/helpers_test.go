package hnn

import (
	"context"
	"testing"
)

// paper returns sys's paper data set with the given seed.
func paper(sys System, seed uint64) DataConfig {
	c := sys.Paper
	c.Seed = seed
	return c
}

// steps returns the paper's training settings with n steps.
func steps(n int) TrainConfig {
	tc := PaperTrainConfig()
	tc.Steps = n
	return tc
}

// fit trains m on ds and fails the test on error.
func fit(t testing.TB, m *Model, ds *Dataset, tc TrainConfig) History {
	t.Helper()
	h, err := m.Train(context.Background(), ds, tc)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
