// Command sqsbench measures fogbank's SQS path end to end against a fogbank
// subprocess with the durable embedded store in a temporary directory, and
// prints a Markdown table for BENCHMARKS.md:
//
//   - send → receive → delete of 1 KB messages with 1 and 16 clients, one
//     message per call and with the batch APIs (10 per call): messages/s and
//     per-operation latency percentiles;
//   - process start → first successful CreateQueue+SendMessage (median of
//     -starts runs) and idle RSS 2 s after that.
//
// It is a program rather than a Go benchmark because it runs fixed-duration
// multi-client phases against a subprocess and reports several figures per
// phase, which b.N and ns/op do not express.
//
//	go run ./bench/sqsbench -duration 10s
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
	clients  []int
	size     int
	starts   int
	batch    bool
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
		fmt.Fprintln(os.Stderr, "sqsbench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	var o options
	var clients string
	fs := flag.NewFlagSet("sqsbench", flag.ContinueOnError)
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time of each throughput phase")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured load before each throughput phase")
	fs.StringVar(&clients, "clients", "1,16", "comma-separated client counts")
	fs.IntVar(&o.size, "size", 1024, "message body size in bytes")
	fs.IntVar(&o.starts, "starts", 11, "process starts to take the median of")
	fs.BoolVar(&o.batch, "batch", true, "also measure SendMessageBatch/ReceiveMessage(10)/DeleteMessageBatch")
	fs.StringVar(&o.bin, "bin", "", "fogbank binary (default: build ./cmd/fogbank)")
	fs.StringVar(&o.store, "store", "", "fogbank --store for the throughput phases (default: sqlite in a temp dir)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for _, f := range strings.Split(clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return o, fmt.Errorf("-clients: bad count %q", f)
		}
		o.clients = append(o.clients, n)
	}
	return o, nil
}

func run(ctx context.Context, o options) error {
	tmp, err := os.MkdirTemp("", "sqsbench-")
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
	for _, batch := range []bool{false, true} {
		if batch && !o.batch {
			continue
		}
		for _, n := range o.clients {
			fmt.Fprintf(os.Stderr, "sqsbench: %d clients, batch=%v, %s...\n", n, batch, o.duration)
			r, err := throughput(ctx, bin, tmp, o, n, batch)
			if err != nil {
				return err
			}
			rows = append(rows, r)
		}
	}
	fmt.Fprintf(os.Stderr, "sqsbench: %d starts...\n", o.starts)
	st, err := startup(ctx, bin, tmp, o.starts)
	if err != nil {
		return err
	}
	printReport(os.Stdout, o, rows, st)
	return nil
}
