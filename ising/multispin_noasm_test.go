//go:build !amd64 || purego

package ising

// bmiVariants: there is no assembly here, one variant (the Go code).
func bmiVariants() []bool { return []bool{false} }

func setBMI(on bool) bool { return false }
