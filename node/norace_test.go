//go:build !race

package node_test

// raceOn: the race detector is off (see race_test.go).
const raceOn = false
