// Command snsbench measures fogbank's SNS → SQS fan-out end to end against a
// fogbank subprocess with the durable embedded store in a temporary
// directory, and prints a Markdown table for BENCHMARKS.md. For 1 and 10
// SQS subscriptions (raw delivery) of one standard topic:
//
//   - latency: one Publish at a time; the time from the Publish call to the
//     message's ReceiveMessage on the first and on the last subscribed queue
//     (consumers long-poll), p50/p99;
//   - throughput: -publishers clients Publish 1 KB messages as fast as they
//     can for -duration while one consumer per queue receives and deletes in
//     batches of 10; accepted publishes/s, and deliveries/s counted until
//     every queue has received every message.
//
// The subprocess is built, started and stopped by bench/internal/fogbankproc.
//
//	go run ./bench/snsbench -duration 10s
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/fogbank/fogbank/bench/internal/fogbankproc"
)

type options struct {
	duration   time.Duration
	publishers int
	size       int
	bin        string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var o options
	fs := flag.NewFlagSet("snsbench", flag.ContinueOnError)
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time of each phase")
	fs.IntVar(&o.publishers, "publishers", 8, "concurrent publishers in the throughput phase")
	fs.IntVar(&o.size, "size", 1024, "message size in bytes")
	fs.StringVar(&o.bin, "bin", "", "fogbank binary (default: build ./cmd/fogbank)")
	err := fs.Parse(os.Args[1:])
	if err == nil {
		err = run(ctx, o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "snsbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	tmp, err := os.MkdirTemp("", "snsbench-")
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
	for _, fanout := range []int{1, 10} {
		fmt.Fprintf(os.Stderr, "snsbench: %d subscriptions, %s per phase...\n", fanout, o.duration)
		r, err := measure(ctx, bin, tmp, o, fanout)
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	fmt.Printf("SNS Publish → SQS fan-out, durable sqlite store, %d-byte messages, raw delivery, %d publishers, %s phases; %s\n\n", o.size, o.publishers, o.duration, fogbankproc.Machine())
	fmt.Println("| subscriptions | latency p50 (first / last queue) | latency p99 (first / last queue) | publishes/s | deliveries/s |")
	fmt.Println("|---|---|---|---|---|")
	for _, r := range rows {
		fmt.Printf("| %d | %s / %s | %s / %s | %.0f | %.0f |\n", r.fanout, ms(r.firstP50), ms(r.lastP50), ms(r.firstP99), ms(r.lastP99), r.publishes, r.deliveries)
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
