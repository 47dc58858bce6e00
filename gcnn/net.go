package gcnn

import (
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/conv"
)

// net is one forward graph of a model at a fixed batch size.
type net struct {
	g      *G.ExprGraph
	x      *G.Node   // input images (batch, C, H, W) in the network's dtype
	params []*G.Node // float64 parameters
	logits *G.Node   // (batch, Classes), float64
	// feats are the outputs of every layer (after the ReLU and pool) in
	// the network's dtype.
	feats []*G.Node
}

// buildNet builds the forward graph for batch images.
func (m *Model) buildNet(batch int) (*net, error) {
	c := m.cfg
	g := G.NewGraph()
	b := build.New(g, "gcnn")
	dt := m.dtype()
	nt := &net{g: g, params: m.paramNodes(g)}
	nt.x = G.NewTensor(g, dt, 4, G.WithShape(batch, c.InChannels, c.Size, c.Size), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(batch, c.InChannels, c.Size, c.Size), tensor.Of(dt))))
	h := nt.x
	for i, l := range c.Layers {
		w := b.Do("cast", func() (*G.Node, error) { return conv.Cast(nt.params[2*i], dt) })
		bias := b.Do("cast", func() (*G.Node, error) { return conv.Cast(nt.params[2*i+1], dt) })
		cv := Conv{Stride: l.Stride, Pad: l.Pad}
		in := h
		// The ReLU and the max-pool run inside the convolution op (no
		// pass over the full feature maps of their own either way); the
		// images need no gradient.
		opt := conv.Options{ReLU: i < len(c.Layers)-1, NoInputGrad: i == 0}
		if i < len(c.Layers)-1 && l.MaxPool > 0 {
			b.Do("max-pool", func() (*G.Node, error) {
				hs, k, s := in.Shape(), l.Kernel, cv.stride()
				if len(hs) != 4 {
					return nil, errorf(ErrInput, "MaxPool: input of shape %v", hs)
				}
				ho, wo := (hs[2]+2*cv.Pad-k)/s+1, (hs[3]+2*cv.Pad-k)/s+1
				return in, checkPool("MaxPool", l.MaxPool, c.Group, ho, wo)
			})
			opt.MaxPool = l.MaxPool
		}
		if i == 0 {
			h = b.Do("lift", func() (*G.Node, error) { return lift(in, w, bias, c.Group, cv, opt) })
		} else {
			h = b.Do("group conv", func() (*G.Node, error) { return groupConv(in, w, bias, c.Group, cv, opt) })
		}
		nt.feats = append(nt.feats, h)
	}
	h = b.Do("group pool", func() (*G.Node, error) { return GroupPool(h, c.Group, c.Pool) })
	h = b.Do("global pool", func() (*G.Node, error) { return GlobalPool(h, Mean) })
	nt.logits = b.Do("cast", func() (*G.Node, error) { return conv.Cast(h, tensor.Float64) })
	if err := b.Err(); err != nil {
		return nil, err
	}
	return nt, nil
}

// setImages copies images lo… of im (chosen by idx when not nil) into the
// input node's value; rows past the data are zero.
func (nt *net) setImages(im *Images, idx []int, lo int) {
	v := nt.x.Value().(*tensor.Dense)
	size := im.C * im.H * im.W
	rows := nt.x.Shape()[0]
	switch d := v.Data().(type) {
	case []float32:
		for r := 0; r < rows; r++ {
			dst := d[r*size : (r+1)*size]
			k := lo + r
			if idx != nil {
				k = idx[r]
			}
			if k >= im.Len() {
				clear(dst)
				continue
			}
			copy(dst, im.X[k*size:(k+1)*size])
		}
	case []float64:
		for r := 0; r < rows; r++ {
			dst := d[r*size : (r+1)*size]
			k := lo + r
			if idx != nil {
				k = idx[r]
			}
			if k >= im.Len() {
				clear(dst)
				continue
			}
			for j, p := range im.X[k*size : (k+1)*size] {
				dst[j] = float64(p)
			}
		}
	}
}
