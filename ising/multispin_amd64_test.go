//go:build amd64 && !purego

package ising

import "github.com/physbias/physbias/internal/cpufeat"

// bmiVariants lists the assembly variants this CPU can run.
func bmiVariants() []bool {
	if cpufeat.BMI {
		return []bool{false, true}
	}
	return []bool{false}
}

// setBMI switches the BMI variant on or off and returns the old setting.
func setBMI(on bool) bool {
	old := useBMI
	useBMI = on
	return old
}
