package flows_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/physbias/physbias/flows"
)

// FuzzLoad feeds Load arbitrary bytes, seeded with valid NHF and RealNVP
// files: it must return a model or an error matching ErrCorrupt, never
// panic.
func FuzzLoad(f *testing.F) {
	nhf, err := flows.NewNHF(2, flows.NHFConfig{Hidden: []int{3}, Leapfrog: 1})
	if err != nil {
		f.Fatal(err)
	}
	nvp, err := flows.NewRealNVP(2, flows.RealNVPConfig{Layers: 1, Hidden: []int{3}})
	if err != nil {
		f.Fatal(err)
	}
	for _, m := range []flows.Flow{nhf, nvp} {
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := flows.Load(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, flows.ErrCorrupt) {
				t.Fatalf("error %v does not match ErrCorrupt", err)
			}
			return
		}
		if _, err := m.LogProb([]float64{0.5, -0.5}); err != nil {
			t.Fatalf("a loaded model fails: %v", err)
		}
	})
}
