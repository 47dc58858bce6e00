package train

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// ProgressBar returns a Config.Progress function that draws a one-line bar
// on w: label, bar, step, loss, rate and ETA, redrawn in place with '\r',
// ending with the total time and a newline on the last call. A nil w
// discards the output.
func ProgressBar(w io.Writer, label string) func(Progress) {
	if w == nil {
		w = io.Discard
	}
	const width = 20
	last := 0
	return func(p Progress) {
		frac := 0.0
		if p.Steps > 0 {
			frac = max(0, min(1, float64(p.Step)/float64(p.Steps)))
		}
		fill := int(frac * width)
		bar := strings.Repeat("=", fill) + strings.Repeat(" ", width-fill)
		rate := 0.0
		if sec := p.Elapsed.Seconds(); sec > 0 {
			rate = float64(p.Step) / sec
		}
		var tail string
		if p.Done {
			tail = "in " + fmtDuration(p.Elapsed)
		} else if rate > 0 {
			tail = "ETA " + fmtDuration(time.Duration(float64(p.Steps-p.Step)/rate*float64(time.Second)))
		} else {
			tail = "ETA ?"
		}
		line := fmt.Sprintf("%s [%s] %d/%d loss %.4g %.1f it/s %s", label, bar, p.Step, p.Steps, p.Loss, rate, tail)
		pad := ""
		if n := len(line); n < last {
			pad = strings.Repeat(" ", last-n)
		}
		last = len(line)
		end := ""
		if p.Done {
			end = "\n"
			last = 0
		}
		fmt.Fprintf(w, "\r%s%s%s", line, pad, end)
	}
}

// fmtDuration prints d as m:ss (or h:mm:ss), or in seconds below a minute.
func fmtDuration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
