//go:build amd64 && !purego

package ising

// bmiVariants lists the assembly variants this CPU can run.
func bmiVariants() []bool {
	if cpuid7()&(1<<3|1<<8) == 1<<3|1<<8 {
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
