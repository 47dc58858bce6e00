package ad

import "unsafe"

// unsafeSlice views n float64 values starting at p.
func unsafeSlice(p *float64, n int) []float64 { return unsafe.Slice(p, n) }
