//go:build !amd64 || purego

package conv

// haveVec is false: relu32 and maskGrad32 run in Go on this platform.
const haveVec = false

func relu8(y, x *float32, n int)         { panic("conv: relu8 without assembly") }
func mask8(out, y, grad *float32, n int) { panic("conv: mask8 without assembly") }

func biasRelu8(dst, src *float32, n int, bias float32, relu int) {
	panic("conv: biasRelu8 without assembly")
}
