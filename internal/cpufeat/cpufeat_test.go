//go:build amd64 && !purego && linux

package cpufeat

import (
	"os"
	"strings"
	"testing"
)

// cpuinfoFlags returns the flags Linux lists for the first CPU.
func cpuinfoFlags(t *testing.T) map[string]bool {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skipf("no /proc/cpuinfo: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "flags" {
			m := map[string]bool{}
			for _, f := range strings.Fields(v) {
				m[f] = true
			}
			return m
		}
	}
	t.Skip("no flags line in /proc/cpuinfo")
	return nil
}

// TestAgreesWithLinux checks the CPUID reading against the kernel's own:
// Linux lists a vector extension only when it saves its registers.
func TestAgreesWithLinux(t *testing.T) {
	f := cpuinfoFlags(t)
	if got, want := feat.avx2fma, f["avx2"] && f["fma"]; got != want {
		t.Errorf("AVX2 and FMA: CPUID says %v, /proc/cpuinfo %v", got, want)
	}
	if got, want := feat.avx512, f["avx2"] && f["fma"] && f["avx512f"] && f["avx512vl"]; got != want {
		t.Errorf("AVX-512F and VL: CPUID says %v, /proc/cpuinfo %v", got, want)
	}
	if got, want := feat.bmi, f["bmi1"] && f["bmi2"]; got != want {
		t.Errorf("BMI1 and BMI2: CPUID says %v, /proc/cpuinfo %v", got, want)
	}
	if AVX2FMA != feat.avx2fma || BMI != feat.bmi {
		t.Errorf("exported AVX2FMA %v, BMI %v differ from the reading %+v", AVX2FMA, BMI, feat)
	}
	if want := feat.avx512 && !disabled(os.Getenv(EnvNoAVX512)); AVX512 != want {
		t.Errorf("AVX512 = %v with %s=%q, want %v", AVX512, EnvNoAVX512, os.Getenv(EnvNoAVX512), want)
	}
}

func TestDisabled(t *testing.T) {
	for v, want := range map[string]bool{"": false, "0": false, "1": true, "yes": true, "true": true} {
		if got := disabled(v); got != want {
			t.Errorf("disabled(%q) = %v, want %v", v, got, want)
		}
	}
}
