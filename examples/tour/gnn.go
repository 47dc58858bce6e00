package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/physbias/physbias/gnn"
	"github.com/physbias/physbias/internal/plotting"
)

func init() {
	register(70, "gnn", "gnn: an interaction network's messages become the spring forces", runGNN)
}

// runGNN trains Cranmer et al. 2020's bottleneck interaction network
// (messages of size 2 in 2-D) on 1,000 spring states for at most 8 s, with
// the paper's random translations of the positions, and
// fits the two messages linearly to the true pairwise forces: the R² rises
// from the untrained network's (the baseline) towards 1. From exact forces
// the symbolic fit returns the spring law. go run ./examples/gnn runs the
// full comparison of regularizers on springs and charges.
func runGNN(out string) error {
	sys := gnn.Spring.System(2, 4)
	sys.Initial = gnn.RandomInitial(0) // equal masses
	nb, err := gnn.Simulate(sys, gnn.DataConfig{Sims: 40, Steps: 25, DT: 0.01, Seed: 1})
	if err != nil {
		return err
	}
	probe := nb.Graphs[:200]
	et, err := gnn.Spring.Edges(probe, 2)
	if err != nil {
		return err
	}
	m, err := gnn.New(gnn.InteractionNetwork(sys.Dim(), 2, 2, []int{32, 32}))
	if err != nil {
		return err
	}
	fit := func() (gnn.MessageFit, [][]float64, error) {
		outs, err := m.Apply(probe)
		if err != nil {
			return gnn.MessageFit{}, nil, err
		}
		var msgs [][]float64
		for _, o := range outs {
			msgs = append(msgs, o.Edges...)
		}
		f, err := gnn.FitMessages(msgs, et.Force, 2)
		return f, msgs, err
	}
	before, _, err := fit()
	if err != nil {
		return err
	}
	tc := gnn.PaperTrainConfig()
	tc.Steps, tc.LR, tc.BatchSize, tc.MessageL1, tc.TimeLimit = 1500, 1e-2, 32, 0, 8*time.Second
	tc.Augment = gnn.TranslatePositions(2, 3) // the paper's random shifts
	h, err := m.Train(context.Background(), nb, tc)
	if err != nil {
		return err
	}
	after, msgs, err := fit()
	if err != nil {
		return err
	}
	fx := make([]float64, len(et.Force))
	for e, f := range et.Force {
		fx[e] = f[0]
	}
	law, err := gnn.FitLaw(et, fx)
	if err != nil {
		return err
	}
	fmt.Printf("   springs, 4 particles in 2-D; messages of size 2, networks 32-32 softplus, %d Adam steps (%s)\n", h.Steps, h.Stop)
	fmt.Printf("   R² of the messages against linear fits of the true forces: %.3f trained, %.3f untrained (baseline)\n", after.MeanR2(), before.MeanR2())
	fmt.Printf("   symbolic fit of the true force's x-component: F₁ = %v (spring law −2(r−1)Δx/r)\n", law)
	var series []plotting.Series
	for k, c := range after.Components {
		y := make([]float64, len(msgs))
		for e, row := range msgs {
			y[e] = row[c]
		}
		series = append(series, plotting.Series{Name: fmt.Sprintf("message %d (R² %.2f)", c+1, after.R2[k]), X: after.Pred[k], Y: y, Points: true})
	}
	return plotting.Lines(filepath.Join(out, "gnn-messages.png"), plotting.Figure{
		Title:  "springs: trained messages against the linear fit of the true force",
		XLabel: "a·F + b, F the true pairwise force (simulation units)", YLabel: "message (simulation units)", LegendLeft: true,
	}, series...)
}
