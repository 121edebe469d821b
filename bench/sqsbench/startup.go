package main

import (
	"context"
	"os"
	"slices"
	"time"

	"github.com/fogbank/fogbank/bench/internal/fogbankproc"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// Startup measurement.
const (
	pollEvery  = time.Millisecond
	idleAfter  = 2 * time.Second // RSS is read this long after the first success
	rssSamples = 3
)

// startResult summarises the start runs.
type startResult struct {
	ready []time.Duration // sorted
	rssKB []int           // sorted
}

// startup starts fogbank runs times on fresh data directories and measures
// exec → first successful CreateQueue+SendMessage, and idle RSS on the first
// few runs.
func startup(ctx context.Context, bin, tmp string, runs int) (startResult, error) {
	var res startResult
	for i := range runs {
		d, rss, err := startOnce(ctx, bin, tmp, i < rssSamples)
		if err != nil {
			return res, err
		}
		res.ready = append(res.ready, d)
		if rss > 0 {
			res.rssKB = append(res.rssKB, rss)
		}
	}
	slices.Sort(res.ready)
	slices.Sort(res.rssKB)
	return res, nil
}

func startOnce(ctx context.Context, bin, tmp string, measureRSS bool) (time.Duration, int, error) {
	addr, err := fogbankproc.FreeAddr()
	if err != nil {
		return 0, 0, err
	}
	dir, err := os.MkdirTemp(tmp, "start-")
	if err != nil {
		return 0, 0, err
	}
	c := newClient(addr)
	began := time.Now()
	srv, err := fogbankproc.Launch(bin, addr, "--data-dir", dir)
	if err != nil {
		return 0, 0, err
	}
	defer srv.Stop() //nolint:errcheck // measured already
	if err := firstSend(ctx, c); err != nil {
		return 0, 0, err
	}
	ready := time.Since(began)
	if !measureRSS {
		return ready, 0, nil
	}
	select {
	case <-time.After(idleAfter):
	case <-ctx.Done():
		return 0, 0, ctx.Err()
	}
	rss, err := srv.RSSKB()
	return ready, rss, err
}

// firstSend polls CreateQueue, then SendMessage, until both have succeeded.
func firstSend(ctx context.Context, c *sqs.Client) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var url *string
	for {
		attempt, done := context.WithTimeout(ctx, time.Second)
		if url == nil {
			if q, err := c.CreateQueue(attempt, &sqs.CreateQueueInput{QueueName: aws.String("first")}); err == nil {
				url = q.QueueUrl
			}
		}
		if url != nil {
			if _, err := c.SendMessage(attempt, &sqs.SendMessageInput{QueueUrl: url, MessageBody: aws.String("hello")}); err == nil {
				done()
				return nil
			}
		}
		done()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollEvery):
		}
	}
}
