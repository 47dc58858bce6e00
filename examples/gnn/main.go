// Command gnn reproduces Cranmer et al. 2020's n-body experiment in small:
// an interaction network learns particle accelerations from springs and
// charges in 2-D (4 particles, 200 systems of 50 recorded states each), with
// three message regularizers: none ("standard", 100 message components), a
// bottleneck of message size = dimension, and L1 on 100 message components
// (weight 1e-2). The most significant message components are fitted
// linearly to the true pairwise forces (R²) and a small symbolic fit over
// candidate laws is run on the top one.
//
// The networks are smaller and train shorter than the paper's (two hidden
// layers of 64 softplus units, 6,000 Adam steps of 32 graphs, LR 1e-2 then
// 1e-3 for the last quarter; the paper: three of 300 ReLU units and many
// epochs), and masses are equal unless -mass-spread is set.
//
//	go run ./examples/gnn                 # springs and charges, plots in ./out
//	go run ./examples/gnn -only spring -steps 2000
//
// It writes gnn-<law>-messages.png (the top message components of the L1
// model against the linear fit of the true forces) and gnn-<law>-loss.png
// (training curves).
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/physbias/physbias/gnn"
	"github.com/physbias/physbias/internal/plotting"
)

var lossNames = map[gnn.Loss]string{gnn.MAE: "mae", gnn.MSE: "mse"}

type variant struct {
	name string
	msg  int // 0: the dimension (bottleneck)
	l1   float64
}

type result struct {
	v        variant
	testLoss float64
	fit      gnn.MessageFit
	law      gnn.Law
	hist     gnn.History
	msgs     [][]float64
}

func main() {
	out := flag.String("out", "out", "folder for the PNG plots")
	sims := flag.Int("sims", 200, "training systems per law (each gives -record states)")
	record := flag.Int("record", 50, "states recorded per system")
	steps := flag.Int("steps", 6000, "Adam steps per model")
	batch := flag.Int("batch", 32, "graphs per step (the paper: 64)")
	hidden := flag.String("hidden", "64,64", "hidden widths of each update network (the paper: 300,300,300)")
	msg := flag.Int("msg", 100, "message size of the standard and L1 models (the paper: 100)")
	only := flag.String("only", "", "run only this law: spring or charge")
	lr := flag.Float64("lr", 1e-2, "Adam's learning rate; the last quarter of the steps runs at a tenth of it")
	which := flag.String("variants", "standard,bottleneck,L1", "models to train")
	aug := flag.Float64("augment", 0, "σ of the random translation of each training graph's positions (the paper's code: 3); 0: none")
	keep := flag.Float64("keep", 0.9, "fraction of probe edges, by force magnitude from the smallest, used in the message fits (drops the softened close encounters)")
	l1 := flag.Float64("l1", 1e-2, "weight of the L1 model's message penalty (TrainConfig.MessageL1)")
	mass := flag.Float64("mass-spread", 0, "σ of the log-masses, exp(σ·N(0,1)); 0: equal masses")
	lossName := flag.String("loss", "mae", "training loss: mae (the paper's L1 loss) or mse")
	flag.Parse()
	var hs []int
	for _, s := range strings.Split(*hidden, ",") {
		var h int
		if _, err := fmt.Sscan(strings.TrimSpace(s), &h); err != nil || h < 1 {
			fail(fmt.Errorf("bad -hidden %q", *hidden))
		}
		hs = append(hs, h)
	}
	loss := gnn.MAE
	if *lossName == "mse" {
		loss = gnn.MSE
	} else if *lossName != "mae" {
		fail(fmt.Errorf("bad -loss %q", *lossName))
	}
	start := time.Now()
	for _, pot := range []gnn.Potential{gnn.Spring, gnn.Charge} {
		name := map[gnn.Potential]string{gnn.Spring: "spring", gnn.Charge: "charge"}[pot]
		if *only != "" && *only != name {
			continue
		}
		if err := run(*out, name, pot, *sims, *record, *steps, *batch, *msg, hs, *lr, *which, loss, *mass, *l1, *aug, *keep); err != nil {
			fail(err)
		}
	}
	fmt.Printf("\ntotal %.0fs\n", time.Since(start).Seconds())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gnn:", err)
	os.Exit(1)
}

func run(out, name string, pot gnn.Potential, sims, record, steps, batch, msg int, hidden []int, lr float64, which string, loss gnn.Loss, mass, l1w, aug, keep float64) error {
	const dim = 2
	trainSet, err := gnn.SimulateNBody(gnn.NBodyConfig{Potential: pot, Dim: dim, Sims: sims, Steps: record, Seed: 1, MassSpread: mass})
	if err != nil {
		return err
	}
	testSet, err := gnn.SimulateNBody(gnn.NBodyConfig{Potential: pot, Dim: dim, Sims: max(1, sims/4), Steps: record, Seed: 2, MassSpread: mass})
	if err != nil {
		return err
	}
	// Messages are read on (at most) 1,000 test graphs.
	probe := testSet.Data.Graphs[:min(1000, len(testSet.Data.Graphs))]
	all, err := pot.Edges(probe, dim)
	if err != nil {
		return err
	}
	et, kept := strongest(all, keep)
	fmt.Printf("\n%s (2-D, 4 particles): %d training and %d test states; hidden %v, %d steps of %d graphs, %s loss, LR %g\n",
		name, len(trainSet.Data.Graphs), len(testSet.Data.Graphs), hidden, steps, batch, strings.ToUpper(lossNames[loss]), lr)
	var variants []variant
	for _, v := range []variant{{"standard", msg, 0}, {"bottleneck", 0, 0}, {"L1", msg, l1w}} {
		if strings.Contains(","+which+",", ","+v.name+",") {
			variants = append(variants, v)
		}
	}
	var res []result
	for _, v := range variants {
		m := v.msg
		if m == 0 {
			m = dim
		}
		model, err := gnn.New(gnn.InteractionNetwork(trainSet.NodeIn(), m, dim, hidden))
		if err != nil {
			return err
		}
		// Two phases: LR for three quarters of the steps, LR/10 after.
		var h gnn.History
		for phase, n := range []int{steps - steps/4, steps / 4} {
			tc := gnn.PaperTrainConfig()
			tc.Steps, tc.BatchSize, tc.MessageL1, tc.LR, tc.Seed, tc.Loss = n, batch, v.l1, lr, uint64(phase), loss
			if phase == 1 {
				tc.LR = lr / 10
			}
			if aug > 0 {
				tc.Augment = gnn.TranslatePositions(dim, aug)
			}
			tc.Progress = gnn.ProgressBar(os.Stderr, fmt.Sprintf("%s %-10s phase %d", name, v.name, phase+1))
			hp, err := model.Train(context.Background(), trainSet.Data, tc)
			if err != nil {
				return err
			}
			h.Loss = append(h.Loss, hp.Loss...)
		}
		r := result{v: v, hist: h}
		if r.testLoss, err = model.Evaluate(testSet.Data, gnn.MAE); err != nil {
			return err
		}
		outs, err := model.Apply(probe)
		if err != nil {
			return err
		}
		for _, o := range outs {
			r.msgs = append(r.msgs, o.Edges...)
		}
		r.msgs = pick(r.msgs, kept)
		if r.fit, err = gnn.FitMessages(r.msgs, et.Force, dim); err != nil {
			return err
		}
		top := make([]float64, len(r.msgs))
		for e, row := range r.msgs {
			top[e] = row[r.fit.Components[0]]
		}
		if r.law, err = gnn.FitLaw(et, top); err != nil {
			return err
		}
		res = append(res, r)
	}
	zero := 0.0 // the test loss of predicting zero acceleration
	cnt := 0
	for _, ts := range testSet.Data.NodeTargets {
		for _, row := range ts {
			for _, v := range row {
				zero += math.Abs(v)
				cnt++
			}
		}
	}
	zero /= float64(cnt)
	fmt.Printf("test loss = mean |a − â| (predicting zero: %.3f); R² over the %.0f%% of %d probe edges with the smallest forces\n",
		zero, 100*keep, len(all.Force))
	paper := map[string][3]float64{"spring": {0.047, 0.046, 0.045}}[name]
	fmt.Printf("%-11s %10s %10s %8s  %s\n", "model", "test loss", "paper", "R²", "law fitted to the top message component")
	for _, r := range res {
		p := "—"
		if i := map[string]int{"standard": 0, "bottleneck": 1, "L1": 2}[r.v.name]; paper[i] > 0 {
			p = fmt.Sprintf("%.3f", paper[i])
		}
		fmt.Printf("%-11s %10.3f %10s %8.3f  %v  (rel. err %.2f)\n", r.v.name, r.testLoss, p, r.fit.MeanR2(), r.law, r.law.RelErr)
	}
	// Plots: messages against the linear fit of the true forces, and
	// training curves.
	l1 := res[len(res)-1]
	var series []plotting.Series
	for k := range l1.fit.Components {
		series = append(series, plotting.Series{
			Name:   fmt.Sprintf("component %d (R² %.3f)", l1.fit.Components[k], l1.fit.R2[k]),
			X:      l1.fit.Pred[k],
			Y:      column(l1.msgs, l1.fit.Components[k]),
			Points: true,
		})
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, x := range s.X {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	series = append(series, plotting.Series{Name: "y = x", X: []float64{lo, hi}, Y: []float64{lo, hi}, Dashed: true})
	if err := plotting.Lines(filepath.Join(out, "gnn-"+name+"-messages.png"), plotting.Figure{
		Title:  fmt.Sprintf("%s, %s messages: top components vs linear fit of the true force", name, l1.v.name),
		XLabel: "linear combination of the true force components a·F + b (simulation units)",
		// Springs fill the diagonal and leave the top left free; the charges'
		// failed fit fills the top, so its legend goes to the bottom right.
		YLabel: "message component (simulation units)", LegendLeft: name == "spring", LegendBottom: name != "spring",
	}, series...); err != nil {
		return err
	}
	var curves []plotting.Series
	for _, r := range res {
		x := make([]float64, len(r.hist.Loss))
		for i := range x {
			x[i] = float64(i + 1)
		}
		curves = append(curves, plotting.Series{Name: r.v.name, X: x, Y: plotting.RunningMean(r.hist.Loss, 50)})
	}
	return plotting.Lines(filepath.Join(out, "gnn-"+name+"-loss.png"), plotting.Figure{
		Title: name + ": training loss (L1 on accelerations + message penalty)", XLabel: "Adam step",
		YLabel: "loss (moving average of 50 steps)", LogY: true,
	}, curves...)
}

// strongest returns the EdgeTable of the fraction keep of t's edges with
// the smallest force magnitudes, and their indices: the 1/r laws' rare
// close encounters give forces orders of magnitude above the rest, which
// would dominate a least-squares fit.
func strongest(t *gnn.EdgeTable, keep float64) (*gnn.EdgeTable, []int) {
	idx := make([]int, len(t.Force))
	mag := make([]float64, len(t.Force))
	for e, f := range t.Force {
		idx[e] = e
		for _, v := range f {
			mag[e] += v * v
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return mag[idx[a]] < mag[idx[b]] })
	idx = idx[:max(1, int(keep*float64(len(idx))))]
	sort.Ints(idx)
	out := &gnn.EdgeTable{Dim: t.Dim}
	for _, e := range idx {
		out.Dx = append(out.Dx, t.Dx[e])
		out.R = append(out.R, t.R[e])
		out.MR, out.MS = append(out.MR, t.MR[e]), append(out.MS, t.MS[e])
		out.QR, out.QS = append(out.QR, t.QR[e]), append(out.QS, t.QS[e])
		out.Force = append(out.Force, t.Force[e])
	}
	return out, idx
}

func pick(rows [][]float64, idx []int) [][]float64 {
	out := make([][]float64, len(idx))
	for i, e := range idx {
		out[i] = rows[e]
	}
	return out
}

func column(rows [][]float64, c int) []float64 {
	y := make([]float64, len(rows))
	for i, r := range rows {
		y[i] = r[c]
	}
	return y
}
