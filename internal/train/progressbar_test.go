package train

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgressBar: redraws with '\r', shows step, loss, rate and ETA, and
// ends with a newline on Done.
func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	bar := ProgressBar(&buf, "fit")
	bar(Progress{Step: 50, Steps: 200, Loss: 0.125, Elapsed: 2 * time.Second})
	first := buf.String()
	want := "\rfit [=====               ] 50/200 loss 0.125 25.0 it/s ETA 6.0s"
	if first != want {
		t.Errorf("got  %q\nwant %q", first, want)
	}
	bar(Progress{Step: 200, Steps: 200, Loss: 0.001, Elapsed: 90 * time.Second, Done: true})
	rest := strings.TrimPrefix(buf.String(), first)
	if !strings.HasPrefix(rest, "\rfit [====================] 200/200 loss 0.001 2.2 it/s in 1:30") || !strings.HasSuffix(rest, "\n") {
		t.Errorf("final line %q", rest)
	}
}

// TestProgressBarOddInput: a step outside [0, Steps], no planned steps, a
// negative duration or a nil writer draw a clamped bar instead of panicking.
func TestProgressBarOddInput(t *testing.T) {
	var buf bytes.Buffer
	bar := ProgressBar(&buf, "x")
	for _, p := range []Progress{
		{Step: -3, Steps: 10, Elapsed: time.Second},
		{Step: 30, Steps: 10, Elapsed: time.Second},
		{Step: 5, Steps: 0, Elapsed: time.Second},
		{Step: 5, Steps: 4, Elapsed: -time.Second},
	} {
		bar(p)
	}
	for _, want := range []string{"[                    ] -3/10", "[====================] 30/10", "[                    ] 5/0"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("output %q lacks %q", buf.String(), want)
		}
	}
	ProgressBar(nil, "x")(Progress{Step: 1, Steps: 2, Done: true})
}

// TestRunProgress: Run reports every ReportEvery steps and once at the end.
func TestRunProgress(t *testing.T) {
	p := newLSQ(t, 16, 2, 0, 8)
	var steps []int
	var done int
	_, err := Run(p.problem(0), Adam{}, Config{Steps: 10, ReportEvery: 3, Progress: func(pr Progress) {
		steps = append(steps, pr.Step)
		if pr.Done {
			done++
		}
		if pr.Steps != 10 {
			t.Errorf("Progress.Steps = %d", pr.Steps)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 4 || steps[0] != 3 || steps[1] != 6 || steps[2] != 9 || steps[3] != 10 || done != 1 {
		t.Errorf("progress at steps %v (done %d), want [3 6 9 10] with one Done", steps, done)
	}
}

// TestDefaultReportEvery: ReportEvery 0 reports every twentieth of the
// planned steps.
func TestDefaultReportEvery(t *testing.T) {
	p := newLSQ(t, 16, 2, 0, 9)
	calls := 0
	if _, err := Run(p.problem(0), Adam{}, Config{Steps: 40, Progress: func(Progress) { calls++ }}); err != nil {
		t.Fatal(err)
	}
	// Steps 2, 4, ..., 38, then the final call at 40.
	if calls != 20 {
		t.Errorf("%d Progress calls for 40 steps, want 20", calls)
	}
}
