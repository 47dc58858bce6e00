package gcnn

import (
	"math"

	G "gorgonia.org/gorgonia"
)

// evalBatch is the batch size of the prediction graph.
const evalBatch = 100

// evalNet is a compiled forward graph with reads of its logits and, when
// asked for, of every layer's output.
type evalNet struct {
	nt     *net
	vm     G.VM
	logits G.Value
	feats  []G.Value
}

// evaluator returns the cached prediction graph at batch evalBatch.
func (m *Model) evaluator() (*evalNet, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.eval != nil {
		return m.eval, nil
	}
	e, err := m.newEval(evalBatch, false)
	if err != nil {
		return nil, err
	}
	m.eval = e
	return e, nil
}

func (m *Model) newEval(batch int, feats bool) (*evalNet, error) {
	nt, err := m.buildNet(batch)
	if err != nil {
		return nil, err
	}
	e := &evalNet{nt: nt}
	G.Read(nt.logits, &e.logits)
	if feats {
		e.feats = make([]G.Value, len(nt.feats))
		for i, f := range nt.feats {
			G.Read(f, &e.feats[i])
		}
	}
	e.vm = G.NewTapeMachine(nt.g)
	return e, nil
}

// run evaluates the graph on the images lo… of im.
func (e *evalNet) run(im *Images, lo int) error {
	e.nt.setImages(im, nil, lo)
	defer e.vm.Reset()
	if err := e.vm.RunAll(); err != nil {
		return errorf(ErrInput, "forward pass: %w", err)
	}
	return nil
}

// Logits returns the network's outputs for the images of im (their labels
// are not used), Classes values per image, image after image; a softmax
// of each row gives the class probabilities.
func (m *Model) Logits(im *Images) ([]float64, error) {
	if err := m.ok("Logits"); err != nil {
		return nil, err
	}
	c := m.cfg
	if err := im.check("Logits", c.InChannels, c.Size, c.Size, c.Classes, false); err != nil {
		return nil, err
	}
	e, err := m.evaluator()
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	n := im.Len()
	out := make([]float64, 0, n*c.Classes)
	for lo := 0; lo < n; lo += evalBatch {
		if err := e.run(im, lo); err != nil {
			return nil, err
		}
		d := e.logits.Data().([]float64)
		rows := min(evalBatch, n-lo)
		out = append(out, d[:rows*c.Classes]...)
	}
	return out, nil
}

// Predict returns the most probable class of each image of im.
func (m *Model) Predict(im *Images) ([]int, error) {
	z, err := m.Logits(im)
	if err != nil {
		return nil, err
	}
	k := m.cfg.Classes
	cls := make([]int, len(z)/k)
	for i := range cls {
		best := 0
		for j := 1; j < k; j++ {
			if z[i*k+j] > z[i*k+best] {
				best = j
			}
		}
		cls[i] = best
	}
	return cls, nil
}

// TestError returns the fraction of the labelled images of im that the
// model classifies wrongly.
func (m *Model) TestError(im *Images) (float64, error) {
	if err := m.ok("TestError"); err != nil {
		return 0, err
	}
	c := m.cfg
	if err := im.check("TestError", c.InChannels, c.Size, c.Size, c.Classes, true); err != nil {
		return 0, err
	}
	cls, err := m.Predict(im)
	if err != nil {
		return 0, err
	}
	wrong := 0
	for i, p := range cls {
		if p != im.Labels[i] {
			wrong++
		}
	}
	return float64(wrong) / float64(len(cls)), nil
}

// FeatureMaps returns the output of layer layer (after its ReLU and
// max-pool; 0 is the lifting layer) for image i of im: Width·Order maps
// (the last layer: Classes·Order) of side the layer's output size,
// feature-major as Act expects, and that side.
func (m *Model) FeatureMaps(im *Images, i, layer int) ([]float64, int, error) {
	if err := m.ok("FeatureMaps"); err != nil {
		return nil, 0, err
	}
	c := m.cfg
	if err := im.check("FeatureMaps", c.InChannels, c.Size, c.Size, c.Classes, false); err != nil {
		return nil, 0, err
	}
	if i < 0 || i >= im.Len() || layer < 0 || layer >= len(c.Layers) {
		return nil, 0, errorf(ErrInput, "FeatureMaps: image %d of %d, layer %d of %d", i, im.Len(), layer, len(c.Layers))
	}
	e, err := m.newEval(1, true)
	if err != nil {
		return nil, 0, err
	}
	defer e.vm.Close()
	if err := e.run(im, i); err != nil {
		return nil, 0, err
	}
	v := e.feats[layer]
	var out []float64
	switch d := v.Data().(type) {
	case []float64:
		out = append(out, d...)
	case []float32:
		out = make([]float64, len(d))
		for k, x := range d {
			out[k] = float64(x)
		}
	}
	return out, v.Shape()[2], nil
}

// softmaxCE returns the mean cross-entropy of logits z (n×k) against labels.
func softmaxCE(z []float64, labels []int, k int) float64 {
	var s float64
	for i, l := range labels {
		row := z[i*k : (i+1)*k]
		mx := row[0]
		for _, v := range row {
			mx = math.Max(mx, v)
		}
		var e float64
		for _, v := range row {
			e += math.Exp(v - mx)
		}
		s += mx + math.Log(e) - row[l]
	}
	return s / float64(len(labels))
}
