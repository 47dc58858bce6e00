// Command tour runs a short section for every physbias package, each
// printing its headline number beside its baseline and writing a PNG plot.
//
//	go run ./examples/tour            # all sections, plots in ./out
//	go run ./examples/tour -out /tmp/p -only ising
//
// Each section lives in its own file and registers itself in init.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// section is one package's part of the tour.
type section struct {
	order int    // position in the tour
	name  string // short name, used by -only
	title string
	run   func(out string) error
}

var sections []section

// register adds a section to the tour; files call it from init.
func register(order int, name, title string, run func(out string) error) {
	sections = append(sections, section{order, name, title, run})
}

func main() {
	out := flag.String("out", "out", "folder for the PNG plots")
	only := flag.String("only", "", "comma-separated section names to run (default: all)")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
	want := map[string]bool{}
	for _, n := range strings.Split(*only, ",") {
		if n = strings.TrimSpace(n); n != "" {
			want[n] = true
		}
	}
	sort.SliceStable(sections, func(i, j int) bool { return sections[i].order < sections[j].order })
	start := time.Now()
	failed := 0
	for _, s := range sections {
		if len(want) > 0 && !want[s.name] {
			continue
		}
		fmt.Printf("\n== %s (%s) ==\n", s.title, s.name)
		t0 := time.Now()
		if err := s.run(*out); err != nil {
			fmt.Fprintf(os.Stderr, "tour: section %s: %v\n", s.name, err)
			failed++
			continue
		}
		fmt.Printf("   [%s done in %.1fs]\n", s.name, time.Since(t0).Seconds())
	}
	fmt.Printf("\ntour finished in %.1fs; plots in %s\n", time.Since(start).Seconds(), *out)
	if failed > 0 {
		os.Exit(1)
	}
}
