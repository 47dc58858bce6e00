package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"

	"github.com/physbias/physbias/energy"
	"github.com/physbias/physbias/internal/plotting"
)

func init() {
	register(40, "energy", "energy: RBM on 3×3 bars and stripes, persistent CD vs CD-1 against the best log-likelihood", runEnergy)
}

// runEnergy trains two RBMs with 16 hidden units on the 14 images of 3×3
// bars and stripes for 10,000 updates each, by CD-1 and by persistent CD
// (learning rate falling linearly from 0.1 to 0.001), and tracks their
// exact log-likelihood (by enumeration) against the best possible, −log 14.
// go run ./examples/energy runs the MNIST RBM with AIS and the 2-D
// densities.
func runEnergy(out string) error {
	data, err := energy.BarsAndStripes(3)
	if err != nil {
		return err
	}
	best := -math.Log(float64(len(data)))
	const steps, chunk = 10000, 500
	lr := func(step int) float64 { return 0.1 + (0.001-0.1)*float64(step)/float64(steps) }
	var curves []plotting.Series
	final := map[bool]float64{}
	for _, pcd := range []bool{false, true} {
		m, err := energy.New(energy.Config{Visible: 9, Hidden: 16, Seed: 1})
		if err != nil {
			return err
		}
		name := "CD-1"
		if pcd {
			name = "persistent CD (100 chains)"
		}
		s := plotting.Series{Name: name}
		for done := 0; done < steps; done += chunk {
			tc := energy.TrainConfig{Steps: chunk, LR: lr(done), FinalLR: lr(done + chunk - 1), BatchSize: len(data), Persistent: pcd, Seed: uint64(done + 2)}
			if pcd {
				tc.Chains = 100
			}
			if _, err := m.Train(context.Background(), data, tc); err != nil {
				return err
			}
			z, err := m.LogPartition()
			if err != nil {
				return err
			}
			ll, err := m.LogLikelihood(data, z)
			if err != nil {
				return err
			}
			s.X, s.Y = append(s.X, float64(done+chunk)), append(s.Y, ll)
			final[pcd] = ll
		}
		curves = append(curves, s)
	}
	fmt.Printf("   exact log-likelihood (nats) after %d updates: persistent CD %.3f, CD-1 %.3f; best possible −log 14 = %.3f\n", steps, final[true], final[false], best)
	fmt.Printf("   gap to the best: persistent CD %.3f, CD-1 %.3f\n", best-final[true], best-final[false])
	curves = append(curves, plotting.Series{Name: "best possible (−log 14)", X: []float64{0, steps}, Y: []float64{best, best}, Dashed: true})
	path := filepath.Join(out, "energy-bars-stripes.png")
	if err := plotting.Lines(path, plotting.Figure{Title: "RBM (9 visible, 16 hidden) on 3×3 bars and stripes",
		XLabel: "parameter updates", YLabel: "exact log-likelihood per image (nats)", LegendBottom: true}, curves...); err != nil {
		return err
	}
	fmt.Println("   wrote", path)
	return nil
}
