package flows_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/physbias/physbias/flows"
)

func TestBadInput(t *testing.T) {
	nan := []float64{1, math.NaN(), 2, 3}
	ok := []float64{1, 2, 3, 4}
	nhf := must[*flows.NHF](t)(flows.NewNHF(2, flows.NHFConfig{Hidden: []int{4}, Leapfrog: 2}))
	nvp := must[*flows.RealNVP](t)(flows.NewRealNVP(2, flows.RealNVPConfig{Layers: 2, Hidden: []int{4}}))
	ctx := context.Background()
	for _, c := range []struct {
		name string
		err  error
		want error
	}{
		{"RealNVP odd dimension", second(flows.NewRealNVP(3, flows.RealNVPConfig{})), flows.ErrInput},
		{"RealNVP dimension 0", second(flows.NewRealNVP(0, flows.RealNVPConfig{})), flows.ErrInput},
		{"RealNVP negative layers", second(flows.NewRealNVP(2, flows.RealNVPConfig{Layers: -1})), flows.ErrInput},
		{"RealNVP empty hidden", second(flows.NewRealNVP(2, flows.RealNVPConfig{Hidden: []int{}})), flows.ErrInput},
		{"NHF dimension 0", second(flows.NewNHF(0, flows.NHFConfig{})), flows.ErrInput},
		{"NHF negative step size", second(flows.NewNHF(2, flows.NHFConfig{StepSize: -0.1})), flows.ErrInput},
		{"NHF infinite step size", second(flows.NewNHF(2, flows.NHFConfig{StepSize: math.Inf(1)})), flows.ErrInput},
		{"NHF NaN step size", second(flows.NewNHF(2, flows.NHFConfig{StepSize: math.NaN()})), flows.ErrInput},
		{"NHF negative leapfrog", second(flows.NewNHF(2, flows.NHFConfig{Leapfrog: -3})), flows.ErrInput},
		{"NHF zero-width layer", second(flows.NewNHF(2, flows.NHFConfig{Hidden: []int{0}})), flows.ErrInput},
		{"NHF NaN data", second(nhf.Train(ctx, nan, flows.TrainConfig{Steps: 1})), flows.ErrNotFinite},
		{"RealNVP NaN data", second(nvp.Train(ctx, nan, flows.TrainConfig{Steps: 1})), flows.ErrNotFinite},
		{"RealNVP Inf data", second(nvp.LogProb([]float64{1, math.Inf(-1)})), flows.ErrNotFinite},
		{"NHF ragged data", second(nhf.Train(ctx, ok[:3], flows.TrainConfig{Steps: 1})), flows.ErrInput},
		{"NHF empty data", second(nhf.LogProb(nil)), flows.ErrInput},
		{"batch larger than data", second(nvp.Train(ctx, ok, flows.TrainConfig{BatchSize: 3})), flows.ErrInput},
		{"negative LR", second(nvp.Train(ctx, ok, flows.TrainConfig{LR: -1})), flows.ErrInput},
		{"negative steps", second(nvp.Train(ctx, ok, flows.TrainConfig{Steps: -1})), flows.ErrInput},
		{"negative weight decay", second(nvp.Train(ctx, ok, flows.TrainConfig{WeightDecay: -1})), flows.ErrInput},
		{"LogJoint p too short", second(nhf.(*flows.NHF).LogJoint(ok, ok[:2])), flows.ErrInput},
		{"Bound k = 0", second(nhf.(*flows.NHF).Bound(ok, 0, 1)), flows.ErrInput},
		{"Sample n = 0", second(nvp.Sample(0, 1)), flows.ErrInput},
		{"density Sample n = 0", second(flows.TwoMoons.Sample(0, 1)), flows.ErrInput},
		{"unknown density", second(flows.Density(9).Sample(5, 1)), flows.ErrInput},
		{"density NaN point", second(flows.Checkerboard.LogProb([]float64{math.NaN(), 0})), flows.ErrNotFinite},
		{"zero-value NHF", second(new(flows.NHF).LogProb(ok)), flows.ErrZeroValue},
		{"zero-value RealNVP", new(flows.RealNVP).Save(&bytes.Buffer{}), flows.ErrZeroValue},
		{"nil NHF", second((*flows.NHF)(nil).Sample(3, 1)), flows.ErrZeroValue},
	} {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: error %v, want one matching %v", c.name, c.err, c.want)
		} else if !strings.HasPrefix(c.err.Error(), "flows: ") || strings.Count(c.err.Error(), "flows:") != 1 {
			t.Errorf("%s: message %q should start with \"flows: \" once", c.name, c.err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// A corrupted, truncated or foreign file is ErrCorrupt, never a panic.
func TestLoadCorrupt(t *testing.T) {
	m := must[*flows.NHF](t)(flows.NewNHF(2, flows.NHFConfig{Hidden: []int{4}, Leapfrog: 2}))
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	cases := map[string][]byte{
		"empty":     nil,
		"foreign":   []byte("hello, this is not a model file at all, not even close......"),
		"truncated": good[:len(good)/2],
		"one byte":  good[:1],
	}
	for _, i := range []int{0, 20, len(good) / 2, len(good) - 1} {
		b := append([]byte(nil), good...)
		b[i] ^= 0x40
		cases["flipped byte "+itoa(i)] = b
	}
	for name, b := range cases {
		_, err := flows.Load(bytes.NewReader(b))
		if !errors.Is(err, flows.ErrCorrupt) {
			t.Errorf("%s: error %v, want ErrCorrupt", name, err)
		} else if strings.Count(err.Error(), "flows:") != 1 {
			t.Errorf("%s: message %q should say \"flows:\" once", name, err)
		}
	}
	if _, err := flows.Load(bytes.NewReader(good)); err != nil {
		t.Errorf("the good file: %v", err)
	}
}

func itoa(i int) string {
	s := ""
	for {
		s = string(rune('0'+i%10)) + s
		if i /= 10; i == 0 {
			return s
		}
	}
}

// Training stops with ErrNotFinite, naming the step, when the loss
// overflows (finite data of size 1e200, whose square is +Inf).
func TestTrainNotFinite(t *testing.T) {
	x := gaussian(64, 2, 1)
	x[5] = 1e200
	m := must[*flows.RealNVP](t)(flows.NewRealNVP(2, flows.RealNVPConfig{Layers: 2, Hidden: []int{4}}))
	h, err := m.Train(context.Background(), x, flows.TrainConfig{Steps: 50, BatchSize: 64})
	if !errors.Is(err, flows.ErrNotFinite) || !strings.Contains(err.Error(), "step") {
		t.Fatalf("error %v after %d steps, want ErrNotFinite naming the step", err, h.Steps)
	}
	t.Logf("%v", err)
}
