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
func printReport(w io.Writer, o options, rows []row, st startResult) {
	fmt.Fprintf(w, "### SQS end to end (%s)\n\n", time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(w, "Command: `go run ./bench/sqsbench %s`  \n", strings.Join(os.Args[1:], " "))
	fmt.Fprintf(w, "Machine: %s  \n", fogbankproc.Machine())
	fmt.Fprintf(w, "Store: %s; client: aws-sdk-go-v2 (JSON protocol), retries off, loopback; %d B bodies; %s measured per row after %s warm-up.\n\n",
		storeName(o), o.size, o.duration, o.warmup)
	fmt.Fprintln(w, "| path | clients | msgs/s | send p50 / p99 | receive p50 / p99 | delete p50 / p99 | errors |")
	fmt.Fprintln(w, "|---|---:|---:|---|---|---|---:|")
	for _, r := range rows {
		path := "send → receive → delete, 1 per call"
		if r.batch {
			path = "SendMessageBatch(10) → Receive(10) → DeleteMessageBatch"
		}
		fmt.Fprintf(w, "| %s | %d | %.0f | %s | %s | %s | %d |\n", path, r.clients, r.rate(),
			pcts(r, opSend), pcts(r, opReceive), pcts(r, opDelete), r.errors)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| path | result | target |")
	fmt.Fprintln(w, "|---|---|---|")
	fmt.Fprintf(w, "| exec → CreateQueue+SendMessage succeed (median of %d; min / max) | %s (%s / %s) | ≤ 50 ms |\n",
		len(st.ready), ms(fogbankproc.Percentile(st.ready, 50)), ms(st.ready[0]), ms(st.ready[len(st.ready)-1]))
	if len(st.rssKB) > 0 {
		fmt.Fprintf(w, "| idle RSS %s after ready (median of %d) | %.1f MB | ≤ 40 MB |\n",
			idleAfter, len(st.rssKB), float64(st.rssKB[len(st.rssKB)/2])/1024)
	}
	for _, r := range rows {
		if !r.batch && r.clients == 16 {
			fmt.Fprintf(w, "| send+receive+delete, 16 clients | %.0f msgs/s, worst op p99 %s | ≥ 10,000 msgs/s, p99 ≤ 10 ms |\n",
				r.rate(), ms(worstP99(r)))
		}
	}
}

func storeName(o options) string {
	if o.store != "" {
		return "`--store " + redact(o.store) + "`"
	}
	return "embedded sqlite in a temp dir (WAL, synchronous=FULL: fsync per group commit)"
}

// redact hides a password in a store URL.
func redact(s string) string {
	at := strings.LastIndexByte(s, '@')
	scheme := strings.Index(s, "://")
	if at < 0 || scheme < 0 {
		return s
	}
	user := s[scheme+3 : at]
	if i := strings.IndexByte(user, ':'); i >= 0 {
		return s[:scheme+3] + user[:i] + ":***" + s[at:]
	}
	return s
}

func pcts(r row, op int) string {
	return ms(fogbankproc.Percentile(r.lat[op], 50)) + " / " + ms(fogbankproc.Percentile(r.lat[op], 99))
}

func worstP99(r row) time.Duration {
	var worst time.Duration
	for op := range numOps {
		worst = max(worst, fogbankproc.Percentile(r.lat[op], 99))
	}
	return worst
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
