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
// P4 and P4M, on a non-square odd input with three channels, padding and a
// stride, with biases, in float64.
func TestGroupCorrelationDefinition(t *testing.T) {
	const B, C, H, W, O, K = 2, 3, 9, 7, 2, 3
	for _, grp := range []gcnn.Group{gcnn.P4, gcnn.P4M} {
		for _, cv := range []gcnn.Conv{{}, {Pad: 1}, {Stride: 2, Pad: 1}} {
			t.Run(fmt.Sprintf("%v/stride%d/pad%d", grp, max(cv.Stride, 1), cv.Pad), func(t *testing.T) {
				n := grp.Order()
				x := randn(1, B*C*H*W)
				wl := randn(2, O*C*K*K)
				bl := randn(3, O)
				xg := randn(4, B*C*n*H*W)
				wg := randn(5, O*C*n*K*K)
				bg := randn(6, O)

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
				lift := must(gcnn.Lift(tensorNode(g, "x", tensor.Float64, x, B, C, H, W),
					tensorNode(g, "wl", tensor.Float64, wl, O, C, K, K), tensorNode(g, "bl", tensor.Float64, bl, O), grp, cv))
				group := must(gcnn.GroupConv(tensorNode(g, "xg", tensor.Float64, xg, B, C*n, H, W),
					tensorNode(g, "wg", tensor.Float64, wg, O, C, n, K, K), tensorNode(g, "bg", tensor.Float64, bg, O), grp, cv))
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
					// Measured: ≤ 2.8e-14 (sums of up to 216 products of standard
					// normals, values up to about 15).
					t.Logf("%s: largest difference from the definition %.2g", c.name, d)
					if d > 1e-13 {
						t.Errorf("%s differs from the group correlation's definition by %.2g", c.name, d)
					}
				}
			})
		}
	}
}

func maxAbs(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}
