package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/fogbank/fogbank/bench/internal/fogbankproc"
)

// printReport writes the Markdown section for BENCHMARKS.md.
func printReport(w io.Writer, o options, rows []row, maxRow row) {
	fmt.Fprintf(w, "### EventBridge end to end (%s)\n\n", time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(w, "Command: `go run ./bench/eventsbench %s`  \n", strings.Join(os.Args[1:], " "))
	fmt.Fprintf(w, "Machine: %s  \n", fogbankproc.Machine())
	store := "embedded sqlite in a temp dir (WAL, synchronous=FULL)"
	if o.store != "" {
		store = "`--store` given"
	}
	fmt.Fprintf(w, "Store: %s; aws-sdk-go-v2, retries off, loopback; %s measured per row after %s warm-up; one rule matches, its target is an SQS queue.\n\n",
		store, o.duration, o.warmup)
	fmt.Fprintln(w, "| rules on the bus | offered events/s | delivered events/s | PutEvents p50 / p99 | PutEvents → ReceiveMessage p50 / p99 | lost | errors |")
	fmt.Fprintln(w, "|---:|---:|---:|---|---|---:|---:|")
	for _, r := range append(rows, maxRow) {
		offered := fmt.Sprint(r.rate)
		if r.rate == 0 {
			offered = fmt.Sprintf("max (%d clients × 10/call)", o.senders)
		}
		fmt.Fprintf(w, "| %d | %s | %.0f | %s | %s | %d | %d |\n", r.rules, offered, r.delivered(), pcts(r.put), pcts(r.e2e), max(r.sent-r.received, 0), r.errors)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Targets: p50 ≤ 2 ms, p99 ≤ 10 ms (PutEvents → ReceiveMessage at 1,000 events/s). The last row is open-loop:")
	fmt.Fprintln(w, "its latency includes the backlog; delivered events/s is what reached the queue per second until the last one arrived.")
	fmt.Fprintln(w, "lost counts acknowledged events never received (a client error on an accepted PutEvents can make received exceed sent).")
}

func pcts(d []time.Duration) string {
	slices.Sort(d)
	return ms(fogbankproc.Percentile(d, 50)) + " / " + ms(fogbankproc.Percentile(d, 99))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
