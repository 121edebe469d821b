package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fogbank/fogbank/bench/internal/fogbankproc"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

type row struct {
	fanout                               int
	firstP50, firstP99, lastP50, lastP99 time.Duration
	publishes, deliveries                float64
}

// fixture is a topic with fanout subscribed queues.
type fixture struct {
	sns    *sns.Client
	sqs    *sqs.Client
	topic  string
	queues []string
}

func setupFixture(ctx context.Context, addr string, fanout int) (*fixture, error) {
	sc, qc := clients(addr)
	f := &fixture{sns: sc, sqs: qc}
	t, err := sc.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("bench")})
	if err != nil {
		return nil, err
	}
	f.topic = *t.TopicArn
	for i := range fanout {
		q, err := qc.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("q" + strconv.Itoa(i))})
		if err != nil {
			return nil, err
		}
		a, err := qc.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []types.QueueAttributeName{"QueueArn"}})
		if err != nil {
			return nil, err
		}
		arn := a.Attributes["QueueArn"]
		if _, err := sc.Subscribe(ctx, &sns.SubscribeInput{TopicArn: &f.topic, Protocol: aws.String("sqs"), Endpoint: &arn, Attributes: map[string]string{"RawMessageDelivery": "true"}}); err != nil {
			return nil, err
		}
		f.queues = append(f.queues, *q.QueueUrl)
	}
	return f, nil
}

// measure runs the latency and throughput phases against a fresh server.
func measure(ctx context.Context, bin, tmp string, o options, fanout int) (row, error) {
	r := row{fanout: fanout}
	addr, err := fogbankproc.FreeAddr()
	if err != nil {
		return r, err
	}
	dir := filepath.Join(tmp, fmt.Sprintf("data-%d", fanout))
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return r, err
	}
	srv, err := fogbankproc.Launch(bin, addr, "--data-dir", dir)
	if err != nil {
		return r, err
	}
	defer func() { _ = srv.Stop() }()
	if err := srv.WaitHealthy(ctx); err != nil {
		return r, err
	}
	f, err := setupFixture(ctx, addr, fanout)
	if err != nil {
		return r, err
	}
	if err := f.latency(ctx, o, &r); err != nil {
		return r, fmt.Errorf("latency: %w", err)
	}
	if err := f.throughput(ctx, o, &r); err != nil {
		return r, fmt.Errorf("throughput: %w", err)
	}
	return r, nil
}

// consume receives and deletes from every queue until ctx ends, calling got
// with each body and the time it was received.
func (f *fixture) consume(ctx context.Context, got func(q int, body string, at time.Time)) *sync.WaitGroup {
	var wg sync.WaitGroup
	for i, url := range f.queues {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				out, err := f.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: &url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
				if err != nil {
					continue
				}
				now := time.Now()
				var del []types.DeleteMessageBatchRequestEntry
				for k, m := range out.Messages {
					got(i, *m.Body, now)
					del = append(del, types.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(k)), ReceiptHandle: m.ReceiptHandle})
				}
				if len(del) > 0 {
					_, _ = f.sqs.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: &url, Entries: del})
				}
			}
		}()
	}
	return &wg
}

func (f *fixture) latency(ctx context.Context, o options, r *row) error {
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type arrival struct {
		q    int
		body string
		at   time.Time
	}
	arrivals := make(chan arrival, 1024)
	wg := f.consume(cctx, func(q int, body string, at time.Time) {
		select {
		case arrivals <- arrival{q, body, at}:
		case <-cctx.Done():
		}
	})
	defer wg.Wait()
	defer cancel()
	pad := strings.Repeat("x", max(o.size-20, 0))
	var first, last []time.Duration
	deadline := time.Now().Add(o.duration)
	for i := 0; time.Now().Before(deadline); i++ {
		body := strconv.Itoa(i) + "|" + pad
		start := time.Now()
		if _, err := f.sns.Publish(ctx, &sns.PublishInput{TopicArn: &f.topic, Message: &body}); err != nil {
			return err
		}
		seen := map[int]bool{}
		timeout := time.After(10 * time.Second)
		for len(seen) < len(f.queues) {
			select {
			case a := <-arrivals:
				if a.body != body || seen[a.q] {
					continue
				}
				seen[a.q] = true
				if len(seen) == 1 {
					first = append(first, a.at.Sub(start))
				}
				if len(seen) == len(f.queues) {
					last = append(last, a.at.Sub(start))
				}
			case <-timeout:
				return errors.New("a message was not delivered within 10 s")
			}
		}
	}
	r.firstP50, r.firstP99 = fogbankproc.Percentile(first, 50), fogbankproc.Percentile(first, 99)
	r.lastP50, r.lastP99 = fogbankproc.Percentile(last, 50), fogbankproc.Percentile(last, 99)
	return nil
}

func (f *fixture) throughput(ctx context.Context, o options, r *row) error {
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var received atomic.Int64
	wg := f.consume(cctx, func(int, string, time.Time) { received.Add(1) })
	defer wg.Wait()
	defer cancel()
	body := strings.Repeat("x", o.size)
	var published atomic.Int64
	start := time.Now()
	deadline := start.Add(o.duration)
	var pw sync.WaitGroup
	errc := make(chan error, o.publishers)
	for range o.publishers {
		pw.Add(1)
		go func() {
			defer pw.Done()
			for time.Now().Before(deadline) {
				if _, err := f.sns.Publish(ctx, &sns.PublishInput{TopicArn: &f.topic, Message: &body}); err != nil {
					errc <- err
					return
				}
				published.Add(1)
			}
		}()
	}
	pw.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return err
	}
	r.publishes = float64(published.Load()) / time.Since(start).Seconds()
	want := published.Load() * int64(len(f.queues))
	drain := time.Now().Add(2*o.duration + 30*time.Second)
	for received.Load() < want {
		if time.Now().After(drain) {
			return fmt.Errorf("only %d of %d deliveries arrived", received.Load(), want)
		}
		time.Sleep(10 * time.Millisecond) //nolint:forbidigo // a benchmark polling a counter, not a test
	}
	r.deliveries = float64(want) / time.Since(start).Seconds()
	return nil
}
