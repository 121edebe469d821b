// Command eventsbench measures fogbank's EventBridge delivery path end to
// end against a fogbank subprocess with the durable embedded store in a
// temporary directory, and prints a Markdown table for BENCHMARKS.md:
//
//   - PutEvents → rule → SQS target → ReceiveMessage latency (p50/p99) at a
//     paced rate (default 1,000 events/s, one event per PutEvents) with 1,
//     100 and 1,000 rules on the bus, exactly one of which matches;
//   - the maximum sustained rate: unpaced PutEvents of 10 entries from many
//     clients with one rule, counted as events received from the queue.
//
// Latency is taken from just before the PutEvents call (its time is in the
// event's detail) to the return of the ReceiveMessage that got it.
//
//	go run ./bench/eventsbench -duration 10s
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/bench/internal/fogbankproc"
)

// options are the command-line flags.
type options struct {
	duration time.Duration
	warmup   time.Duration
	rate     int
	rules    []int
	senders  int
	bin      string
	store    string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts, err := parseFlags(os.Args[1:])
	if err == nil {
		err = run(ctx, opts)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "eventsbench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	var o options
	var rules string
	fs := flag.NewFlagSet("eventsbench", flag.ContinueOnError)
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time of each phase")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured load before each phase")
	fs.IntVar(&o.rate, "rate", 1000, "events/s of the latency phases")
	fs.StringVar(&rules, "rules", "1,100,1000", "comma-separated rule counts of the latency phases")
	fs.IntVar(&o.senders, "senders", 16, "concurrent PutEvents clients of the maximum-rate phase")
	fs.StringVar(&o.bin, "bin", "", "fogbank binary (default: build ./cmd/fogbank)")
	fs.StringVar(&o.store, "store", "", "fogbank --store (default: sqlite in a temp dir)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for _, f := range strings.Split(rules, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return o, fmt.Errorf("-rules: bad count %q", f)
		}
		o.rules = append(o.rules, n)
	}
	return o, nil
}

func run(ctx context.Context, o options) error {
	tmp, err := os.MkdirTemp("", "eventsbench-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	bin := o.bin
	if bin == "" {
		if bin, err = fogbankproc.Build(ctx, tmp); err != nil {
			return err
		}
	}
	var rows []row
	for _, n := range o.rules {
		fmt.Fprintf(os.Stderr, "eventsbench: %d rules, %d events/s, %s...\n", n, o.rate, o.duration)
		r, err := phase(ctx, bin, tmp, o, n, o.rate)
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	fmt.Fprintf(os.Stderr, "eventsbench: maximum rate, %d senders, %s...\n", o.senders, o.duration)
	maxRow, err := phase(ctx, bin, tmp, o, 1, 0)
	if err != nil {
		return err
	}
	printReport(os.Stdout, o, rows, maxRow)
	return nil
}
