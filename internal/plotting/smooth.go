package plotting

// RunningMean returns the mean of y over a trailing window of w values:
// out[i] is the mean of y[max(0, i−w+1)..i], so the first w−1 points
// average the values seen so far. It smooths a noisy training loss before
// it is plotted; w < 1 is taken as 1 (no smoothing).
func RunningMean(y []float64, w int) []float64 {
	w = max(w, 1)
	out := make([]float64, len(y))
	s := 0.0
	for i, v := range y {
		s += v
		if i >= w {
			s -= y[i-w]
		}
		out[i] = s / float64(min(i+1, w))
	}
	return out
}
