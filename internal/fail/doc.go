// Package fail holds the sentinel errors that every physbias package
// shares, so that errors.Is works the same way in user code whichever
// package an error came from: each public package re-exports them under the
// same names (hnn.ErrNotFinite is fail.ErrNotFinite, and so on), and wraps
// them with %w in errors that say what was wrong.
//
// A public package's error message starts with its own name ("hnn: ...")
// once; internal packages' errors that reach users are wrapped with %w, never
// formatted with %v, so that errors.Is and errors.As see through them.
//
// Errorf makes a package's error; Wrap puts an error under a new message
// without naming the package twice ("hnn: Load: ...: <cause without its
// hnn: >"), and Trim drops leading prefixes from a cause to be wrapped with
// %w by hand; Recover turns a user callback's panic into an error.
package fail
