// Package plotting writes the PNG figures of the examples with gonum/plot:
// line and scatter plots of series, and heat maps, in one call each.
//
// # Rules
//
// Each function takes the output path, a Figure (title, axis labels, size,
// log scale, legend place; its zero value means an untitled 16 × 10 cm
// figure) and the data, writes the PNG (making its directory when missing)
// and returns an error that starts with "plotting: ". Nothing panics on bad
// data: series of unequal lengths, a size that is negative, NaN or above
// MaxSize, a data range whose width overflows, a log axis without a positive
// value, and heat-map grids smaller than 2×2 or holding NaN or Inf are
// errors. In Lines, points whose y is NaN or ±Inf (or ≤ 0 on a log axis) are
// skipped, so a curve with a gap still draws. The data slices are only read.
//
// Colours come from one shared palette (Colour), so a series keeps its
// colour from figure to figure when it keeps its place in the list.
package plotting
