package gnn

// batch is several graphs merged into one: nodes and edges stacked in the
// order of the graphs, edge endpoints offset to the stacked node numbers,
// and for each node and edge the graph it belongs to.
type batch struct {
	graphs, nodes, edges int
	nodeX, edgeX, globX  []float64 // row-major features
	senders, receivers   []int
	nodeGraph, edgeGraph []int
	nodeOff, edgeOff     []int // len graphs+1: first node/edge of each graph
}

// structure fills in the index arrays of a batch of gs (no features).
func structure(gs []Graph) *batch {
	b := &batch{graphs: len(gs), nodeOff: make([]int, len(gs)+1), edgeOff: make([]int, len(gs)+1)}
	for i, g := range gs {
		b.nodeOff[i+1] = b.nodeOff[i] + len(g.Nodes)
		b.edgeOff[i+1] = b.edgeOff[i] + len(g.Senders)
	}
	b.nodes, b.edges = b.nodeOff[len(gs)], b.edgeOff[len(gs)]
	b.senders = make([]int, 0, b.edges)
	b.receivers = make([]int, 0, b.edges)
	b.nodeGraph = make([]int, 0, b.nodes)
	b.edgeGraph = make([]int, 0, b.edges)
	for i, g := range gs {
		off := b.nodeOff[i]
		for k := range g.Senders {
			b.senders = append(b.senders, g.Senders[k]+off)
			b.receivers = append(b.receivers, g.Receivers[k]+off)
			b.edgeGraph = append(b.edgeGraph, i)
		}
		for range g.Nodes {
			b.nodeGraph = append(b.nodeGraph, i)
		}
	}
	return b
}

// newBatch merges gs (already checked against c) into one batch with
// features.
func newBatch(gs []Graph, c Config) *batch {
	b := structure(gs)
	b.nodeX = make([]float64, b.nodes*c.NodeIn)
	b.edgeX = make([]float64, b.edges*c.EdgeIn)
	b.globX = make([]float64, b.graphs*c.GlobalIn)
	b.fill(gs, c)
	return b
}

// fill copies the features of gs, which have the batch's structure, into
// its feature slices.
func (b *batch) fill(gs []Graph, c Config) {
	for i, g := range gs {
		for k, row := range g.Nodes {
			copy(b.nodeX[(b.nodeOff[i]+k)*c.NodeIn:], row)
		}
		for k, row := range g.Edges {
			copy(b.edgeX[(b.edgeOff[i]+k)*c.EdgeIn:], row)
		}
		copy(b.globX[i*c.GlobalIn:], g.Globals)
	}
}
