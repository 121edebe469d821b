package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/bench/internal/fogbankproc"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// Operations whose latency is recorded.
const (
	opSend = iota
	opReceive
	opDelete
	numOps
)

// row is the result of one throughput phase.
type row struct {
	clients  int
	batch    bool
	messages int           // sent, received and deleted while measuring
	elapsed  time.Duration // measured time
	lat      [numOps][]time.Duration
	errors   int
}

func (r row) rate() float64 { return float64(r.messages) / r.elapsed.Seconds() }

// throughput runs one phase on a fresh server and data directory: every
// client loops send → receive → delete until the time is up.
func throughput(ctx context.Context, bin, tmp string, o options, clients int, batch bool) (row, error) {
	addr, err := fogbankproc.FreeAddr()
	if err != nil {
		return row{}, err
	}
	dir, err := os.MkdirTemp(tmp, "data-")
	if err != nil {
		return row{}, err
	}
	storeArgs := []string{"--data-dir", dir}
	if o.store != "" {
		storeArgs = []string{"--store", o.store}
	}
	srv, err := fogbankproc.Launch(bin, addr, storeArgs...)
	if err != nil {
		return row{}, err
	}
	defer srv.Stop() //nolint:errcheck // the phase's result is what matters
	if err := srv.WaitHealthy(ctx); err != nil {
		return row{}, err
	}
	c := newClient(addr)
	name := fmt.Sprintf("bench-%d-%v-%d", clients, batch, time.Now().UnixNano())
	q, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: &name})
	if err != nil {
		return row{}, err
	}
	l := &loader{c: c, url: aws.ToString(q.QueueUrl), body: strings.Repeat("m", o.size), batch: batch}
	if o.warmup > 0 {
		l.run(ctx, clients, o.warmup)
		// Requests cut off by the warm-up's deadline can leave the client's
		// pooled connections half-closed; measure on fresh ones.
		l.c = newClient(addr)
	}
	return l.run(ctx, clients, o.duration), nil
}

// loader runs the clients of one phase.
type loader struct {
	c     *sqs.Client
	url   string
	body  string
	batch bool
}

// worker is one client's tally.
type worker struct {
	messages int
	errors   int
	lat      [numOps][]time.Duration
}

func (l *loader) run(ctx context.Context, clients int, d time.Duration) row {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	workers := make([]worker, clients)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range workers {
		wg.Go(func() { l.loop(ctx, &workers[i]) })
	}
	wg.Wait()
	r := row{clients: clients, batch: l.batch, elapsed: time.Since(start)}
	for _, w := range workers {
		r.messages += w.messages
		r.errors += w.errors
		for op := range numOps {
			r.lat[op] = append(r.lat[op], w.lat[op]...)
		}
	}
	for op := range numOps {
		slices.Sort(r.lat[op])
	}
	return r
}

func (l *loader) loop(ctx context.Context, w *worker) {
	for ctx.Err() == nil {
		var err error
		if l.batch {
			err = l.cycleBatch(ctx, w)
		} else {
			err = l.cycleOne(ctx, w)
		}
		if err != nil && ctx.Err() == nil {
			w.errors++
			if w.errors == 1 {
				fmt.Fprintln(os.Stderr, "sqsbench: first error:", err)
			}
		}
	}
}

// timed runs f and records its latency under op unless the phase ended.
func timed(ctx context.Context, w *worker, op int, f func() error) error {
	t := time.Now()
	err := f()
	if err == nil && ctx.Err() == nil {
		w.lat[op] = append(w.lat[op], time.Since(t))
	}
	return err
}

func (l *loader) cycleOne(ctx context.Context, w *worker) error {
	err := timed(ctx, w, opSend, func() error {
		_, err := l.c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: &l.url, MessageBody: &l.body})
		return err
	})
	if err != nil {
		return err
	}
	var msgs []types.Message
	err = timed(ctx, w, opReceive, func() error {
		out, err := l.c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: &l.url, MaxNumberOfMessages: 1, WaitTimeSeconds: 1})
		if out != nil {
			msgs = out.Messages
		}
		return err
	})
	if err != nil || len(msgs) == 0 {
		return err
	}
	err = timed(ctx, w, opDelete, func() error {
		_, err := l.c.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: &l.url, ReceiptHandle: msgs[0].ReceiptHandle})
		return err
	})
	if err == nil && ctx.Err() == nil {
		w.messages++
	}
	return err
}

func (l *loader) cycleBatch(ctx context.Context, w *worker) error {
	entries := make([]types.SendMessageBatchRequestEntry, 10)
	for i := range entries {
		entries[i] = types.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), MessageBody: &l.body}
	}
	err := timed(ctx, w, opSend, func() error {
		_, err := l.c.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: &l.url, Entries: entries})
		return err
	})
	if err != nil {
		return err
	}
	var msgs []types.Message
	err = timed(ctx, w, opReceive, func() error {
		out, err := l.c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: &l.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if out != nil {
			msgs = out.Messages
		}
		return err
	})
	if err != nil || len(msgs) == 0 {
		return err
	}
	del := make([]types.DeleteMessageBatchRequestEntry, len(msgs))
	for i, m := range msgs {
		del[i] = types.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle}
	}
	var deleted int
	err = timed(ctx, w, opDelete, func() error {
		out, err := l.c.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: &l.url, Entries: del})
		if out != nil {
			deleted = len(out.Successful)
		}
		return err
	})
	if err == nil && ctx.Err() == nil {
		w.messages += deleted
	}
	return err
}
