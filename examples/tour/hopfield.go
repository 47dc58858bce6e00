package main

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/physbias/physbias/hopfield"
	"github.com/physbias/physbias/internal/plotting"
	"gonum.org/v1/gonum/mat"
)

func init() {
	register(30, "hopfield", "hopfield: classical (Hebbian) vs modern network, recall against load", runHopfield)
}

// runHopfield stores P random ±1 patterns of N = 200 units, cues each with
// 10% of its bits flipped and counts exact recalls (at least 200 cues per
// load, over several pattern sets), for loads P/N from 0.05 to 5: the
// classical network (Hebbian weights, asynchronous updates)
// collapses near its capacity 0.138 N (Amit, Gutfreund and Sompolinsky
// 1985); the modern one (Ramsauer et al. 2020, β = 1, one update) keeps
// recalling far beyond it. go run ./examples/hopfield runs the full curves
// and the MNIST digits.
func runHopfield(out string) error {
	const n, frac = 200, 0.1
	loads := []float64{0.05, 0.08, 0.11, 0.14, 0.17, 0.2, 0.3, 0.5, 1, 2, 5}
	var hx, hy, mx, my []float64
	fmt.Printf("   N = %d random ±1 patterns, 10%% of bits flipped; fraction recalled exactly\n", n)
	fmt.Printf("   %6s %10s %10s\n", "P/N", "classical", "modern")
	for _, a := range loads {
		p := int(a * n)
		trials := (200 + p - 1) / p
		var cOK, mOK, total int
		for t := 0; t < trials; t++ {
			c, m, err := recallBoth(n, p, frac, uint64(1000*p+t), a <= 0.5)
			if err != nil {
				return err
			}
			cOK, mOK, total = cOK+c, mOK+m, total+p
		}
		x := math.Log10(a)
		modern := float64(mOK) / float64(total)
		mx, my = append(mx, x), append(my, modern)
		if a > 0.5 { // the classical network recalls nothing there
			fmt.Printf("   %6.2f %10s %10.3f\n", a, "—", modern)
			continue
		}
		classical := float64(cOK) / float64(total)
		hx, hy = append(hx, x), append(hy, classical)
		fmt.Printf("   %6.2f %10.3f %10.3f\n", a, classical, modern)
	}
	path := filepath.Join(out, "hopfield-recall.png")
	if err := plotting.Lines(path, plotting.Figure{
		Title:  fmt.Sprintf("Exact recall vs load, N = %d, 10%% flipped (classical collapses near 0.138 N)", n),
		XLabel: "log10 of the load P/N (stored patterns per unit)", YLabel: "fraction recalled exactly",
		LegendBottom: true, // the modern curve runs along the top
	},
		plotting.Series{Name: "classical (Hebbian)", X: hx, Y: hy},
		plotting.Series{Name: "modern (β = 1, one update)", X: mx, Y: my},
		plotting.Series{Name: "P = 0.138 N", X: []float64{math.Log10(0.138), math.Log10(0.138)}, Y: []float64{0, 1}, Dashed: true},
	); err != nil {
		return err
	}
	fmt.Println("   wrote", path)
	return nil
}

// recallBoth stores p random patterns of n units, cues each with frac of
// its bits flipped, and returns how many the classical network (when
// withClassical) and the modern one recall exactly.
func recallBoth(n, p int, frac float64, seed uint64, withClassical bool) (classical, modern int, err error) {
	pats, err := hopfield.RandomPatterns(p, n, seed)
	if err != nil {
		return 0, 0, err
	}
	cues := make([][]int8, p)
	q := mat.NewDense(p, n, nil)
	xs := make([][]float64, p)
	for i, x := range pats {
		if cues[i], err = hopfield.Corrupt(x, frac, seed*7919+uint64(i)); err != nil {
			return 0, 0, err
		}
		q.SetRow(i, hopfield.Spins(cues[i]))
		xs[i] = hopfield.Spins(x)
	}
	if withClassical {
		net, err := hopfield.New(n)
		if err != nil {
			return 0, 0, err
		}
		if err := net.StoreHebbian(pats); err != nil {
			return 0, 0, err
		}
		for i, c := range cues {
			r, err := net.Recall(c, hopfield.RecallConfig{Seed: uint64(i)})
			if err != nil {
				return 0, 0, err
			}
			if o, _ := hopfield.Overlap(r.State, pats[i]); o == 1 {
				classical++
			}
		}
	}
	m, err := hopfield.NewModern(xs, 1)
	if err != nil {
		return 0, 0, err
	}
	upd, err := m.UpdateBatch(nil, q)
	if err != nil {
		return 0, 0, err
	}
	for i := range pats {
		if o, _ := hopfield.Overlap(hopfield.Signs(upd.RawRowView(i)), pats[i]); o == 1 {
			modern++
		}
	}
	return classical, modern, nil
}
