package energy

// BarsAndStripes returns every n×n bars-and-stripes image (MacKay 2003), as
// rows of n² values in {0, 1} (row-major pixels): each image has every row
// constant (stripes) or every column constant (bars). There are 2^(n+1) − 2
// distinct images (the all-off and all-on images are both); a model that
// puts equal mass on each and none elsewhere reaches the best possible
// log-likelihood, −log(2^(n+1) − 2). n must be in [1, 6].
func BarsAndStripes(n int) ([][]float64, error) {
	if n < 1 || n > 6 {
		return nil, errorf(ErrInput, "BarsAndStripes: n = %d; need 1 ≤ n ≤ 6", n)
	}
	seen := map[uint64]bool{}
	var out [][]float64
	add := func(img []float64) {
		var key uint64
		for i, x := range img {
			if x == 1 {
				key |= 1 << i
			}
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, img)
		}
	}
	for mask := range 1 << n {
		stripes := make([]float64, n*n)
		bars := make([]float64, n*n)
		for i := range n {
			on := float64((mask >> i) & 1)
			for j := range n {
				stripes[i*n+j] = on // row i constant
				bars[j*n+i] = on    // column i constant
			}
		}
		add(stripes)
		add(bars)
	}
	return out, nil
}
