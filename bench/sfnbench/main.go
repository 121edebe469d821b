// Command sfnbench measures fogbank's Step Functions service end to end
// against a fogbank subprocess with the durable embedded store in a
// temporary directory, and prints a Markdown table for BENCHMARKS.md:
//
//   - StartExecution latency (p50/p99) of a STANDARD state machine at a
//     paced rate (default 200/s);
//   - STANDARD state transitions/s: unpaced StartExecution of a chain of
//     Pass states from many clients, counted until every execution ended;
//   - EXPRESS state transitions/s: StartSyncExecution of an inline Map of
//     Pass states from many clients.
//
// A state transition is a state entered (Map iterations' states included).
//
//	go run ./bench/sfnbench -duration 10s
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/fogbank/fogbank/bench/internal/fogbankproc"
)

type options struct {
	duration time.Duration
	rate     int
	clients  int
	chain    int
	items    int
	bin      string
	store    string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var o options
	fs := flag.NewFlagSet("sfnbench", flag.ExitOnError)
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time of each phase")
	fs.IntVar(&o.rate, "rate", 200, "StartExecution/s of the latency phase")
	fs.IntVar(&o.clients, "clients", 16, "concurrent clients of the throughput phases")
	fs.IntVar(&o.chain, "chain", 20, "Pass states of the STANDARD machine")
	fs.IntVar(&o.items, "items", 1000, "Map items of the EXPRESS machine")
	fs.StringVar(&o.bin, "bin", "", "fogbank binary (default: build ./cmd/fogbank)")
	fs.StringVar(&o.store, "store", "", "fogbank --store (default: sqlite in a temp dir)")
	_ = fs.Parse(os.Args[1:])
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "sfnbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	tmp, err := os.MkdirTemp("", "sfnbench-")
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
	addr, err := fogbankproc.FreeAddr()
	if err != nil {
		return err
	}
	args := []string{"--data-dir", tmp}
	if o.store != "" {
		args = []string{"--store", o.store}
	}
	srv, err := fogbankproc.Launch(bin, addr, args...)
	if err != nil {
		return err
	}
	defer func() { _ = srv.Stop() }()
	if err := srv.WaitHealthy(ctx); err != nil {
		return err
	}
	c := client(addr)
	b := &bench{o: o, c: c}
	if err := b.setup(ctx); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "sfnbench: StartExecution latency at %d/s, %s...\n", o.rate, o.duration)
	lat, err := b.latency(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "sfnbench: STANDARD transitions, %d clients, %s...\n", o.clients, o.duration)
	std, err := b.standard(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "sfnbench: EXPRESS transitions, %d clients, %s...\n", o.clients, o.duration)
	exp, err := b.express(ctx)
	if err != nil {
		return err
	}
	report(o, lat, std, exp)
	return nil
}

// client is a Step Functions client with retries off and no sync- host
// prefix (the endpoint is an IP address).
func client(addr string) *sfn.Client {
	return sfn.NewFromConfig(aws.Config{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String("http://" + addr), RetryMaxAttempts: 1,
		HTTPClient: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 60 * time.Second},
	}, func(o *sfn.Options) {
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Initialize.Add(middleware.InitializeMiddlewareFunc("NoHostPrefix",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
				}), middleware.Before)
		})
	})
}

type bench struct {
	o                  options
	c                  *sfn.Client
	pass, chain, multi string
}

const role = "arn:aws:iam::000000000000:role/bench"

func (b *bench) setup(ctx context.Context) error {
	states := make([]string, 0, b.o.chain)
	for i := range b.o.chain {
		next := fmt.Sprintf(`"Next":"S%d"`, i+1)
		if i == b.o.chain-1 {
			next = `"End":true`
		}
		states = append(states, fmt.Sprintf(`"S%d":{"Type":"Pass",%s}`, i, next))
	}
	defs := []struct {
		name, def string
		typ       sfntypes.StateMachineType
		arn       *string
	}{
		{"pass", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, "", &b.pass},
		{"chain", `{"StartAt":"S0","States":{` + strings.Join(states, ",") + `}}`, "", &b.chain},
		{"map", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}`, sfntypes.StateMachineTypeExpress, &b.multi},
	}
	for _, d := range defs {
		out, err := b.c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(d.name), Definition: aws.String(d.def), RoleArn: aws.String(role), Type: d.typ})
		if err != nil {
			return err
		}
		*d.arn = *out.StateMachineArn
	}
	return nil
}

// latency starts paced executions of the one-state machine.
func (b *bench) latency(ctx context.Context) ([]time.Duration, error) {
	tick := time.NewTicker(time.Second / time.Duration(b.o.rate))
	defer tick.Stop()
	end := time.Now().Add(b.o.duration)
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	var failed atomic.Int64
	for time.Now().Before(end) {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick.C:
		}
		wg.Go(func() {
			began := time.Now()
			if _, err := b.c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(b.pass)}); err != nil {
				failed.Add(1)
				return
			}
			d := time.Since(began)
			mu.Lock()
			lat = append(lat, d)
			mu.Unlock()
		})
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		return nil, fmt.Errorf("%d StartExecution calls failed", n)
	}
	return lat, nil
}

type throughput struct {
	calls       int64
	transitions int64
	elapsed     time.Duration
}

// standard starts chain executions unpaced and waits until all ended.
func (b *bench) standard(ctx context.Context) (throughput, error) {
	began := time.Now()
	var started atomic.Int64
	err := b.hammer(ctx, func() error {
		_, err := b.c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(b.chain)})
		if err == nil {
			started.Add(1)
		}
		return err
	})
	if err != nil {
		return throughput{}, err
	}
	for {
		out, err := b.c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(b.chain), StatusFilter: sfntypes.ExecutionStatusRunning, MaxResults: 1})
		if err != nil {
			return throughput{}, err
		}
		if len(out.Executions) == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	n := started.Load()
	return throughput{calls: n, transitions: n * int64(b.o.chain), elapsed: time.Since(began)}, nil
}

// express runs sync executions of the Map machine unpaced.
func (b *bench) express(ctx context.Context) (throughput, error) {
	items := make([]string, b.o.items)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	input := `{"items":[` + strings.Join(items, ",") + `]}`
	began := time.Now()
	var done atomic.Int64
	err := b.hammer(ctx, func() error {
		out, err := b.c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(b.multi), Input: aws.String(input)})
		if err != nil {
			return err
		}
		if out.Status != sfntypes.SyncExecutionStatusSucceeded {
			return fmt.Errorf("sync execution %s", out.Status)
		}
		done.Add(1)
		return nil
	})
	n := done.Load()
	return throughput{calls: n, transitions: n * int64(1+b.o.items), elapsed: time.Since(began)}, err
}

// hammer calls f from every client until the duration has passed.
func (b *bench) hammer(ctx context.Context, f func() error) error {
	end := time.Now().Add(b.o.duration)
	var wg sync.WaitGroup
	errs := make(chan error, b.o.clients)
	for range b.o.clients {
		wg.Go(func() {
			for time.Now().Before(end) && ctx.Err() == nil {
				if err := f(); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func report(o options, lat []time.Duration, std, exp throughput) {
	pct := func(p float64) string {
		if len(lat) == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f ms", float64(fogbankproc.Percentile(lat, p).Microseconds())/1000)
	}
	fmt.Printf("### Step Functions end to end (%s)\n\n", time.Now().UTC().Format("2006-01-02"))
	fmt.Printf("Command: `go run ./bench/sfnbench %s`  \n", strings.Join(os.Args[1:], " "))
	fmt.Printf("Machine: %s  \n", fogbankproc.Machine())
	fmt.Printf("Store: embedded sqlite in a temp dir unless `--store` given; aws-sdk-go-v2, retries off, loopback; %s per phase.\n\n", o.duration)
	fmt.Println("| measure | result | target |")
	fmt.Println("|---|---:|---:|")
	fmt.Printf("| StartExecution p50 / p99 at %d/s (STANDARD) | %s / %s | p99 ≤ 10 ms |\n", o.rate, pct(50), pct(99))
	fmt.Printf("| STANDARD transitions/s (%d clients, %d-Pass chain, %d executions, until all ended) | %.0f | ≥ 5,000 |\n",
		o.clients, o.chain, std.calls, float64(std.transitions)/std.elapsed.Seconds())
	fmt.Printf("| EXPRESS transitions/s (%d clients, StartSyncExecution of a %d-item inline Map, %d executions) | %.0f | ≥ 100,000 |\n",
		o.clients, o.items, exp.calls, float64(exp.transitions)/exp.elapsed.Seconds())
	fmt.Println()
	fmt.Println("A transition is a state entered; a Map iteration's Pass state counts as one.")
}
