package train

import (
	"io"

	G "gorgonia.org/gorgonia"
)

// SaveModelFrom is a package's Save in one call, the counterpart of
// LoadModel: from returns what the file holds (the config, as SaveModel's
// cfg, and the parameters) or the error that stops the save (a zero-value
// model), and the file goes to w (see SaveModel).
func SaveModelFrom[S any](w io.Writer, kind string, from func() (S, []*G.Node, error)) error {
	cfg, params, err := from()
	if err != nil {
		return err
	}
	return SaveModel(w, kind, cfg, params)
}

// SaveModelFileFrom is SaveModelFrom to the file path (see SaveModelFile).
func SaveModelFileFrom[S any](path, kind string, from func() (S, []*G.Node, error)) error {
	cfg, params, err := from()
	if err != nil {
		return err
	}
	return SaveModelFile(path, kind, cfg, params)
}
