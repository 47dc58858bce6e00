package gcnn_test

import (
	"fmt"
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/gcnn"
)

// correlate is the plain definition of a strided, zero-padded correlation
// with bias: out[b, o, i, j] = bias[o] + Σ_{c,u,v} x[b, c, i·s+u−pad,
// j·s+v−pad]·w[o, c, u, v], x (B, C, H, W), w (O, C, K, K).
func correlate(x []float64, B, C, H, W int, w []float64, O, K int, bias []float64, s, pad int) ([]float64, int, int) {
	ho, wo := (H+2*pad-K)/s+1, (W+2*pad-K)/s+1
	out := make([]float64, B*O*ho*wo)
	for b := 0; b < B; b++ {
		for o := 0; o < O; o++ {
			for i := 0; i < ho; i++ {
				for j := 0; j < wo; j++ {
					sum := bias[o]
					for c := 0; c < C; c++ {
						for u := 0; u < K; u++ {
							for v := 0; v < K; v++ {
								y, z := i*s+u-pad, j*s+v-pad
								if y >= 0 && y < H && z >= 0 && z < W {
									sum += x[((b*C+c)*H+y)*W+z] * w[((o*C+c)*K+u)*K+v]
								}
							}
						}
					}
					out[((b*O+o)*ho+i)*wo+j] = sum
				}
			}
		}
	}
	return out, ho, wo
}

// Lift and GroupConv compute Cohen and Welling's group correlation (their
// eq. 10 and 11), [f ⋆ ψ](g) = Σ_y Σ_k f_k(y) ψ_k(g⁻¹y): output channel
// o·N+h is the plain correlation of the input with base filter o
// transformed by element h — an image filter moved in the plane (Act on
// images), a filter on the group moved and its group channels permuted (Act
// on the group). Checked against the definition written out in loops, for
// Z2 (an ordinary convolution), P4 and P4M, on a non-square odd input with
// three channels, padding and a stride, with biases, in float64 and in
// float32 (the direct convolution).
func TestGroupCorrelationDefinition(t *testing.T) {
	const B, C, H, W, O, K = 2, 3, 9, 7, 2, 3
	for _, grp := range []gcnn.Group{gcnn.Z2, gcnn.P4, gcnn.P4M} {
		for _, cv := range []gcnn.Conv{{}, {Pad: 1}, {Stride: 2, Pad: 1}} {
			for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
				t.Run(fmt.Sprintf("%v/stride%d/pad%d/%v", grp, max(cv.Stride, 1), cv.Pad, dt), func(t *testing.T) {
					n := grp.Order()
					// Inputs rounded to the dtype, so that the definition in
					// float64 sees the same numbers.
					x := rounded(dt, randn(1, B*C*H*W))
					wl := rounded(dt, randn(2, O*C*K*K))
					bl := rounded(dt, randn(3, O))
					xg := rounded(dt, randn(4, B*C*n*H*W))
					wg := rounded(dt, randn(5, O*C*n*K*K))
					bg := rounded(dt, randn(6, O))

					// The bank of transformed filters, channel o·N+h, and
					// biases repeated N times.
					liftBank := make([]float64, 0, O*n*C*K*K)
					groupBank := make([]float64, 0, O*n*C*n*K*K)
					var liftBias, groupBias []float64
					for o := 0; o < O; o++ {
						for h := 0; h < n; h++ {
							f, _, _, err := gcnn.Act(grp, h, wl[o*C*K*K:(o+1)*C*K*K], 1, C, K, K, false)
							if err != nil {
								t.Fatal(err)
							}
							liftBank = append(liftBank, f...)
							f, _, _, err = gcnn.Act(grp, h, wg[o*C*n*K*K:(o+1)*C*n*K*K], 1, C*n, K, K, true)
							if err != nil {
								t.Fatal(err)
							}
							groupBank = append(groupBank, f...)
							liftBias = append(liftBias, bl[o])
							groupBias = append(groupBias, bg[o])
						}
					}
					s := max(cv.Stride, 1)
					wantLift, _, _ := correlate(x, B, C, H, W, liftBank, O*n, K, liftBias, s, cv.Pad)
					wantGroup, _, _ := correlate(xg, B, C*n, H, W, groupBank, O*n, K, groupBias, s, cv.Pad)

					g := G.NewGraph()
					must := func(y *G.Node, err error) *G.Node {
						t.Helper()
						if err != nil {
							t.Fatal(err)
						}
						return y
					}
					lift := must(gcnn.Lift(tensorNode(g, "x", dt, x, B, C, H, W),
						tensorNode(g, "wl", dt, wl, O, C, K, K), tensorNode(g, "bl", dt, bl, O), grp, cv))
					group := must(gcnn.GroupConv(tensorNode(g, "xg", dt, xg, B, C*n, H, W),
						tensorNode(g, "wg", dt, wg, O, C, n, K, K), tensorNode(g, "bg", dt, bg, O), grp, cv))
					var lv, gv G.Value
					G.Read(lift, &lv)
					G.Read(group, &gv)
					m := G.NewTapeMachine(g)
					defer m.Close()
					if err := m.RunAll(); err != nil {
						t.Fatal(err)
					}
					for _, c := range []struct {
						name      string
						got, want []float64
					}{{"Lift", asFloat64(lv), wantLift}, {"GroupConv", asFloat64(gv), wantGroup}} {
						if len(c.got) != len(c.want) {
							t.Fatalf("%s: %d values, the definition %d", c.name, len(c.got), len(c.want))
						}
						d := maxAbs(c.got, c.want)
						// Measured: float64 ≤ 2.8e-14, float32 ≤ 3.1e-5 (sums of up to
						// 216 products of standard normals, values up to about 15).
						tol := 1e-13
						if dt == tensor.Float32 {
							tol = 1e-4
						}
						t.Logf("%s: largest difference from the definition %.2g", c.name, d)
						if d > tol {
							t.Errorf("%s differs from the group correlation's definition by %.2g", c.name, d)
						}
					}
				})
			}
		}
	}
}

// rounded returns x rounded to float32 when dt is Float32.
func rounded(dt tensor.Dtype, x []float64) []float64 {
	if dt == tensor.Float32 {
		for i, v := range x {
			x[i] = float64(float32(v))
		}
	}
	return x
}

func maxAbs(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}
