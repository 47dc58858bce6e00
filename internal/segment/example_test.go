package segment_test

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/segment"
)

// Sum the messages of four edges into the three nodes they point at.
func ExampleSum() {
	g := G.NewGraph()
	msg := G.NewMatrix(g, tensor.Float64, G.WithShape(4, 1), G.WithName("msg"),
		G.WithValue(tensor.New(tensor.WithShape(4, 1), tensor.WithBacking([]float64{1, 2, 3, 4}))))
	receivers := []int{2, 0, 2, 0}
	agg, err := segment.Sum(msg, receivers, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	var out G.Value
	G.Read(agg, &out)
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Data())
	// Output: [6 0 4]
}
