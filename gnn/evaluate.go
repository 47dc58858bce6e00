package gnn

import "math"

// Evaluate returns the mean error of the model's outputs on d's targets,
// squared or absolute per l, over every target value (node and global):
// the test loss Cranmer et al. 2020 report is Evaluate(test, MAE) on
// accelerations.
func (m *Model) Evaluate(d *Dataset, l Loss) (float64, error) {
	if err := m.ok(); err != nil {
		return 0, err
	}
	if l != MSE && l != MAE {
		return 0, errorf(ErrInput, "unknown Loss %d", int(l))
	}
	if err := m.checkData(d); err != nil {
		return 0, err
	}
	// Apply in chunks so that one graph never grows past ~10⁶ edges.
	var sum float64
	var count int
	add := func(p, y float64) {
		e := p - y
		if l == MAE {
			sum += math.Abs(e)
		} else {
			sum += e * e
		}
		count++
	}
	for from := 0; from < len(d.Graphs); {
		to, edges := from, 0
		for to < len(d.Graphs) && (to == from || edges+len(d.Graphs[to].Senders) <= 1<<20) {
			edges += len(d.Graphs[to].Senders)
			to++
		}
		out, err := m.Apply(d.Graphs[from:to])
		if err != nil {
			return 0, err
		}
		for i, o := range out {
			if d.NodeTargets != nil {
				for k, row := range d.NodeTargets[from+i] {
					for j, y := range row {
						add(o.Nodes[k][j], y)
					}
				}
			}
			if d.GlobalTargets != nil {
				for j, y := range d.GlobalTargets[from+i] {
					add(o.Globals[j], y)
				}
			}
		}
		from = to
	}
	if count == 0 {
		return 0, errorf(ErrInput, "the data set has no target values")
	}
	return sum / float64(count), nil
}
