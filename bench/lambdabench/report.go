package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/fogbank/fogbank/bench/internal/fogbankproc"
)

// printReport writes the Markdown section for BENCHMARKS.md.
func printReport(w io.Writer, o options, cold coldResult, warm warmResult, conc concResult) {
	fmt.Fprintf(w, "### Lambda (%s)\n\n", time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(w, "Command: `go run ./bench/lambdabench %s`  \n", strings.Join(os.Args[1:], " "))
	fmt.Fprintf(w, "Machine: %s  \n", fogbankproc.Machine())
	store := "embedded sqlite in a temp dir (WAL, synchronous=FULL)"
	if o.store != "" {
		store = "`--store` given"
	}
	fmt.Fprintf(w, "Store: %s; aws-sdk-go-v2, retries off, loopback; the function is a Go provided.al2023 bootstrap that returns its input.\n\n", store)
	fmt.Fprintln(w, "| measure | samples | p50 | p99 |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	line := func(what string, d []time.Duration) {
		fmt.Fprintf(w, "| %s | %d | %s | %s |\n", what, len(d), us(fogbankproc.Percentile(d, 50)), us(fogbankproc.Percentile(d, 99)))
	}
	line("CreateFunction round trip", cold.create)
	line("cold start: CreateFunction returned → first Invoke returned", cold.cold)
	line("bootstrap's own start (REPORT Init Duration: exec → first /next)", cold.init)
	line("cold start beyond the process's own start (per function)", cold.beyond)
	line("warm Invoke round trip (SDK)", warm.rtt)
	line("warm REPORT Duration (event to runtime → response posted)", warm.duration)
	line("warm overhead: round trip − Duration (per invoke)", warm.overhead)
	line(fmt.Sprintf("Invoke round trip, %d concurrent clients", conc.clients), conc.rtt)
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Concurrency: %d clients on one function started %d sandboxes; %d invokes in %s = %.0f invokes/s, %d errors.\n\n",
		conc.clients, conc.sandboxes, conc.invokes, conc.elapsed.Round(time.Millisecond), float64(conc.invokes)/conc.elapsed.Seconds(), conc.errors)
	fmt.Fprintln(w, "Targets (issue #6): cold start ≤ 15 ms beyond the process's own start; warm overhead p50 ≤ 300 µs.")
	fmt.Fprintln(w, "The warm overhead includes the client's side (SigV4 signing, SDK middleware) and the Runtime API exchange with the bootstrap.")
}

func us(d time.Duration) string {
	if d >= 10*time.Millisecond {
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	}
	return fmt.Sprintf("%d µs", d.Microseconds())
}
