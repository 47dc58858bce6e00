package ad

import (
	"fmt"
	"math"
)

// CheckFinite returns an error naming the first NaN or ±Inf in data, or nil.
func CheckFinite(name string, data []float64) error {
	for i, v := range data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("ad: %s[%d] = %v is not finite", name, i, v)
		}
	}
	return nil
}
