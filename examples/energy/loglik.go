package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/physbias/physbias/energy"
)

// llEval is how the MNIST RBM's test log-likelihood is estimated.
type llEval struct {
	aisBetas   []int // forward AIS with each of these schedule lengths
	aisRuns    int
	raiseRows  int   // test digits scored by RAISE (0: no RAISE)
	raiseBetas []int // RAISE with each of these schedule lengths
	raiseRuns  int   // reverse runs a digit
}

// evalLogLikelihood brackets the test log-likelihood of m: forward AIS
// (an estimate of log Z that tends to be low, so a log-likelihood that
// tends to be high) at each schedule length, and RAISE (Burda et al. 2015)
// on a spread subset of the test digits, whose implied log Z tends to be
// high (a conservative log-likelihood). It returns the last AIS estimate of
// the test log-likelihood.
func evalLogLikelihood(m *energy.RBM, trainX, testX [][]float64, ev llEval) (float64, error) {
	ctx := context.Background()
	var llTest float64
	for _, nb := range ev.aisBetas {
		betas, err := energy.Schedule(nb)
		if err != nil {
			return 0, err
		}
		t0 := time.Now()
		res, err := m.AIS(ctx, energy.AISConfig{Runs: ev.aisRuns, Betas: betas, Data: trainX, Seed: 3,
			Progress: energy.ProgressBar(os.Stdout, fmt.Sprintf("   AIS %d", nb))})
		if err != nil {
			return 0, err
		}
		if llTest, err = m.LogLikelihood(testX, res.LogZ); err != nil {
			return 0, err
		}
		llTrain, err := m.LogLikelihood(trainX[:10000], res.LogZ)
		if err != nil {
			return 0, err
		}
		fmt.Printf("   AIS (%d runs, %d temperatures, %v): log Z = %.2f, ±3σ bar [%.2f, %.2f]\n",
			ev.aisRuns, nb, time.Since(t0).Round(time.Second), res.LogZ, res.Lower, res.Upper)
		fmt.Printf("   average log-probability (nats): test %.2f (bar [%.2f, %.2f]), train (10,000 digits) %.2f\n",
			llTest, llTest+res.LogZ-res.Upper, llTest+res.LogZ-res.Lower, llTrain)
	}
	if ev.raiseRows <= 0 {
		return llTest, nil
	}
	n := min(ev.raiseRows, len(testX))
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = testX[i*len(testX)/n]
	}
	for _, nb := range ev.raiseBetas {
		betas, err := energy.Schedule(nb)
		if err != nil {
			return 0, err
		}
		t0 := time.Now()
		rr, err := m.RAISE(ctx, rows, energy.RAISEConfig{Runs: ev.raiseRuns, Betas: betas, Data: trainX, Seed: 5,
			Progress: energy.ProgressBar(os.Stdout, fmt.Sprintf("   RAISE %d", nb))})
		if err != nil {
			return 0, err
		}
		llAll, err := m.LogLikelihood(testX, rr.LogZ)
		if err != nil {
			return 0, err
		}
		fmt.Printf("   RAISE (%d test digits, %d run(s) each, %d temperatures, %v): implied log Z = %.2f ± %.2f (1σ over digits)\n",
			n, ev.raiseRuns, nb, time.Since(t0).Round(time.Second), rr.LogZ, rr.LogZStdErr)
		fmt.Printf("   conservative average log-probability (nats): test %.2f ± %.2f (all 10,000 free energies, RAISE's log Z); the %d digits alone %.2f\n",
			llAll, rr.LogZStdErr, n, rr.LogLikelihood)
	}
	return llTest, nil
}
