//go:build amd64 && !purego

package blas

import "github.com/physbias/physbias/internal/cpufeat"

// kern4x8 adds the product of a 4×k panel of A and a k×8 panel of B to the
// 4×8 tile at c (row stride ldc). Element (r, x) of the A panel is at
// a[r·rs + x·ks]; row x of the B panel is the 8 values at b[x·ldb]. With
// add = 0 the tile is overwritten instead. It needs AVX2 and FMA.
//
//go:noescape
func kern4x8(k int, a *float64, rs, ks int, b *float64, ldb int, c *float64, ldc int, add int)

// kernelIsAsm: kern4x8 is assembly and must not run without haveKernel.
const kernelIsAsm = true

// haveKernel reports whether the CPU and OS support AVX2 and FMA.
var haveKernel = cpufeat.AVX2FMA
