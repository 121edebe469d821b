package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

type lambdaClient = lambda.Client

func newClient(addr string) *lambdaClient {
	return lambda.NewFromConfig(aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("bench", "bench", ""),
		BaseEndpoint:     aws.String("http://" + addr),
		RetryMaxAttempts: 1,
		HTTPClient: awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
			t.MaxIdleConnsPerHost = 256 // one kept-alive connection per concurrent client
		}),
	})
}

// bench holds the client and the deployment package.
type bench struct {
	c    *lambdaClient
	code []byte
	n    atomic.Int64 // function names
}

// coldResult is the cold-start phase's samples, one per function.
type coldResult struct {
	create []time.Duration // CreateFunction round trip
	cold   []time.Duration // CreateFunction returned → first Invoke returned
	init   []time.Duration // REPORT Init Duration: process start → first /next
	beyond []time.Duration // cold − init
}

// warmResult is the warm phase's samples, one per invoke.
type warmResult struct {
	rtt      []time.Duration // SDK round trip
	duration []time.Duration // REPORT Duration
	overhead []time.Duration // rtt − duration
}

// concResult is the concurrency phase's result.
type concResult struct {
	clients   int
	sandboxes int // cold starts while the clients started
	invokes   int64
	errors    int64
	elapsed   time.Duration
	rtt       []time.Duration
}

func (b *bench) create(ctx context.Context) (string, error) {
	name := "bench-" + strconv.FormatInt(b.n.Add(1), 10)
	_, err := b.c.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String(name), Runtime: types.RuntimeProvidedal2023, Handler: aws.String("bootstrap"),
		Role: aws.String("arn:aws:iam::000000000000:role/bench"), Code: &types.FunctionCode{ZipFile: b.code},
		MemorySize: aws.Int32(128),
	})
	return name, err
}

// invoke invokes name with a small event and returns the round trip and,
// with tail, the REPORT line's Duration and Init Duration.
func (b *bench) invoke(ctx context.Context, name string, tail bool) (rtt, duration, init time.Duration, err error) {
	return b.invokeWith(ctx, name, []byte(`{"hello":"world"}`), tail)
}

// invokeWith invokes name with payload, which the function MUST return.
func (b *bench) invokeWith(ctx context.Context, name string, payload []byte, tail bool) (rtt, duration, init time.Duration, err error) {
	in := &lambda.InvokeInput{FunctionName: aws.String(name), Payload: payload}
	if tail {
		in.LogType = types.LogTypeTail
	}
	t0 := time.Now()
	out, err := b.c.Invoke(ctx, in)
	rtt = time.Since(t0)
	if err != nil {
		return 0, 0, 0, err
	}
	if out.FunctionError != nil {
		return 0, 0, 0, fmt.Errorf("invoke %s: %s: %s", name, *out.FunctionError, out.Payload)
	}
	if !bytes.Equal(out.Payload, payload) {
		return 0, 0, 0, fmt.Errorf("invoke %s: payload %q", name, out.Payload)
	}
	if tail {
		duration, init, err = reportTimes(aws.ToString(out.LogResult))
	}
	return rtt, duration, init, err
}

var (
	durationRE = regexp.MustCompile(`\tDuration: ([0-9.]+) ms`)
	initRE     = regexp.MustCompile(`Init Duration: ([0-9.]+) ms`)
)

// reportTimes reads Duration and Init Duration (0 if absent) from a
// base64 log tail's REPORT line.
func reportTimes(tail string) (duration, init time.Duration, err error) {
	log, err := base64.StdEncoding.DecodeString(tail)
	if err != nil {
		return 0, 0, err
	}
	m := durationRE.FindSubmatch(log)
	if m == nil {
		return 0, 0, fmt.Errorf("no Duration in log %q", log)
	}
	duration = msDuration(string(m[1]))
	if m := initRE.FindSubmatch(log); m != nil {
		init = msDuration(string(m[1]))
	}
	return duration, init, nil
}

func msDuration(s string) time.Duration {
	f, _ := strconv.ParseFloat(s, 64)
	return time.Duration(f * float64(time.Millisecond))
}

// cold creates n functions one after another and invokes each once.
func (b *bench) cold(ctx context.Context, n int) (coldResult, error) {
	var r coldResult
	for range n {
		t0 := time.Now()
		name, err := b.create(ctx)
		if err != nil {
			return r, err
		}
		created := time.Since(t0)
		rtt, _, init, err := b.invoke(ctx, name, true)
		if err != nil {
			return r, err
		}
		if init == 0 {
			return r, fmt.Errorf("first invoke of %s was not a cold start", name)
		}
		r.create, r.cold, r.init, r.beyond = append(r.create, created), append(r.cold, rtt), append(r.init, init), append(r.beyond, rtt-init)
		// Free the sandbox: the next functions start on an idle machine.
		if _, err := b.c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(name)}); err != nil {
			return r, err
		}
	}
	return r, nil
}

// warm invokes one function n times in sequence after a warm-up.
func (b *bench) warm(ctx context.Context, n int) (warmResult, error) {
	var r warmResult
	name, err := b.create(ctx)
	if err != nil {
		return r, err
	}
	for range 200 {
		if _, _, _, err := b.invoke(ctx, name, false); err != nil {
			return r, err
		}
	}
	for range n {
		rtt, d, _, err := b.invoke(ctx, name, true)
		if err != nil {
			return r, err
		}
		r.rtt, r.duration, r.overhead = append(r.rtt, rtt), append(r.duration, d), append(r.overhead, rtt-d)
	}
	return r, nil
}

// concurrent starts clients clients on one function at once (each
// invocation that finds no idle sandbox starts one), then has each invoke
// in a loop for d.
func (b *bench) concurrent(ctx context.Context, clients int, d time.Duration) (concResult, error) {
	r := concResult{clients: clients}
	name, err := b.create(ctx)
	if err != nil {
		return r, err
	}
	var cold atomic.Int64
	var mu sync.Mutex
	var firstErr error
	ready, begin := sync.WaitGroup{}, make(chan struct{})
	var done sync.WaitGroup
	var start time.Time
	ready.Add(clients)
	for range clients {
		done.Go(func() {
			// All at once, each holding its sandbox a while: one sandbox each.
			_, _, init, err := b.invokeWith(ctx, name, []byte(`{"sleep_ms":2000}`), true)
			if init > 0 {
				cold.Add(1)
			}
			ready.Done()
			<-begin
			var local []time.Duration
			for err == nil && time.Since(start) < d {
				var rtt time.Duration
				if rtt, _, _, err = b.invoke(ctx, name, false); err == nil {
					local = append(local, rtt)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			r.rtt = append(r.rtt, local...)
			if err != nil {
				r.errors++
				firstErr = cmpErr(firstErr, err)
			}
		})
	}
	ready.Wait()
	start = time.Now()
	close(begin)
	done.Wait()
	r.elapsed = time.Since(start)
	r.invokes = int64(len(r.rtt))
	r.sandboxes = int(cold.Load())
	if firstErr != nil {
		return r, firstErr
	}
	return r, nil
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}
