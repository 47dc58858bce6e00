package train

import "io"

// LoadModel is a package's Load in one call: it reads a model file from r
// with ReadModel, decoding the file's config into a fresh S, and hands the
// file and the config to build, which makes the model and loads its
// parameters (ModelFile.LoadParams). Errors are ReadModel's or build's.
func LoadModel[S, M any](r io.Reader, kind string, build func(*ModelFile, S) (M, error)) (M, error) {
	var s S
	f, err := ReadModel(r, kind, &s)
	if err != nil {
		var zero M
		return zero, err
	}
	return build(f, s)
}

// LoadModelFile is LoadModel for the model file path (see ReadModelFile).
func LoadModelFile[S, M any](path, kind string, build func(*ModelFile, S) (M, error)) (M, error) {
	var s S
	f, err := ReadModelFile(path, kind, &s)
	if err != nil {
		var zero M
		return zero, err
	}
	return build(f, s)
}
