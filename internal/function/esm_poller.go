package function

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/pattern"
	"github.com/fogbank/fogbank/internal/queue"
)

// Poller settings.
const (
	pollWait           = 20              // seconds: SQS long polls of an idle poller
	defaultConcurrency = 5               // batches in flight without ScalingConfig, as AWS starts
	receiveBackoff     = 5 * time.Second // after a failed receive (the queue is gone)
)

// poller consumes one mapping's queue: it long-polls through the queue
// service's domain API, invokes the function with each batch and deletes
// what was processed. A FIFO queue does not hand out a message group's next
// messages while earlier ones are in flight, so a group has one batch in
// flight at a time and its batches stay in order.
type poller struct {
	ms      *Mappings
	m       Mapping
	filters []*pattern.Pattern
	caller  queue.Caller
	ref     queue.QueueRef
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	done    chan struct{}
}

func (ms *Mappings) newPoller(m Mapping) *poller {
	ctx, cancel := context.WithCancel(context.Background())
	p := &poller{ms: ms, m: m, ctx: ctx, cancel: cancel, done: make(chan struct{})}
	for _, f := range m.Filters {
		if pat, err := pattern.Compile([]byte(f)); err == nil {
			p.filters = append(p.filters, pat)
		}
	}
	if a, err := arn.Parse(m.EventSourceArn); err == nil {
		p.caller = queue.Caller{Account: a.Account, Region: a.Region}
		p.ref = queue.QueueRef{Account: a.Account, Name: a.Resource}
	}
	return p
}

// run gathers batches one at a time and invokes the function with up to
// the mapping's concurrency of them at once; on stop it waits for the
// batches in flight.
func (p *poller) run() {
	defer close(p.done)
	defer p.wg.Wait()
	workers := defaultConcurrency
	if p.m.MaximumConcurrency != nil {
		workers = min(*p.m.MaximumConcurrency, defaultConcurrency)
	}
	slots := make(chan struct{}, workers)
	p.ms.running(p.m.UUID, p)
	for {
		select {
		case slots <- struct{}{}:
		case <-p.ctx.Done():
			return
		}
		msgs, err := p.receive()
		switch {
		case err != nil:
			p.ms.log.Warn("lambda: event source mapping cannot receive", slog.String("uuid", p.m.UUID), slog.Any("err", err))
			p.pause(receiveBackoff)
		case len(msgs) > 0:
			p.wg.Go(func() {
				defer func() { <-slots }()
				p.process(msgs)
			})
			continue
		}
		<-slots
		if p.stopping() {
			return
		}
	}
}

// stop ends polling and waits for the batches in flight.
func (p *poller) stop() {
	p.cancel()
	<-p.done
}

// stopping reports whether the poller was asked to stop.
func (p *poller) stopping() bool {
	select {
	case <-p.ctx.Done():
		return true
	default:
		return false
	}
}

// pause waits d or until the poller stops.
func (p *poller) pause(d time.Duration) {
	t := p.ms.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
	case <-p.ctx.Done():
	}
}

// receive gathers one batch: up to BatchSize messages, waiting up to the
// batching window for more once the first has arrived.
func (p *poller) receive() ([]queue.ReceivedMessage, error) {
	var batch []queue.ReceivedMessage
	var deadline time.Time
	for len(batch) < p.m.BatchSize {
		wait := int64(pollWait)
		if len(batch) > 0 {
			left := deadline.Sub(p.ms.clock.Now())
			if left <= 0 {
				break
			}
			wait = min(int64(left/time.Second), pollWait)
		}
		n := int64(min(p.m.BatchSize-len(batch), 10))
		msgs, err := p.ms.q.ReceiveMessage(p.ctx, queue.ReceiveMessageInput{
			Caller: p.caller, Queue: p.ref, MaxNumberOfMessages: &n, WaitTimeSeconds: &wait,
			SystemAttributeNames: []string{queue.SysAll}, MessageAttributeNames: []string{"All"},
		})
		if err != nil {
			return batch, unlessGathered(batch, err)
		}
		if len(batch) == 0 && len(msgs) > 0 {
			deadline = p.ms.clock.Now().Add(time.Duration(p.m.BatchingWindow) * time.Second)
		}
		batch = append(batch, msgs...)
		if len(msgs) == 0 && (len(batch) > 0 || p.stopping()) {
			break
		}
		if p.m.BatchingWindow == 0 && len(batch) > 0 {
			break
		}
	}
	return batch, nil
}

// unlessGathered is a receive error, ignored when part of a batch is
// already gathered: that part is processed first.
func unlessGathered(batch []queue.ReceivedMessage, err error) error {
	if len(batch) > 0 {
		return nil
	}
	return err
}

// process filters a batch, invokes the function with what matches and
// deletes what succeeded (and what was filtered out).
func (p *poller) process(msgs []queue.ReceivedMessage) {
	var keep, drop []queue.ReceivedMessage
	for _, m := range msgs {
		if p.matches(m) {
			keep = append(keep, m)
		} else {
			drop = append(drop, m)
		}
	}
	p.delete(drop)
	if len(keep) == 0 {
		return
	}
	event := sqsEvent(p.m, keep)
	out, err := p.ms.fn.Invoke(p.ctx, Caller{Account: p.m.Account, Region: p.m.Region}, InvokeInput{
		Name: p.m.FunctionArn(), Type: RequestResponse, Payload: event,
	})
	switch {
	case err != nil:
		p.ms.log.Warn("lambda: event source mapping cannot invoke", slog.String("uuid", p.m.UUID), slog.Any("err", err))
		return
	case out.FunctionError != "":
		return // the batch returns to the queue after its visibility timeout
	case !p.m.reportBatchItemFailures():
		p.delete(keep)
		return
	}
	failed, ok := batchItemFailures(out.Payload, keep)
	if !ok {
		return
	}
	var done []queue.ReceivedMessage
	for _, m := range keep {
		if !failed[m.MessageID] {
			done = append(done, m)
		}
	}
	p.delete(done)
}

// matches reports whether a message passes the mapping's filters (any of
// them); without filters every message does.
func (p *poller) matches(m queue.ReceivedMessage) bool {
	if len(p.filters) == 0 {
		return true
	}
	doc := filterDocument(p.m, m)
	for _, f := range p.filters {
		if ok, err := f.MatchJSON(doc); err == nil && ok {
			return true
		}
	}
	return false
}

// delete deletes processed messages, ten at a time.
func (p *poller) delete(msgs []queue.ReceivedMessage) {
	ctx := context.WithoutCancel(p.ctx)
	for len(msgs) > 0 {
		n := min(len(msgs), 10)
		entries := make([]queue.DeleteMessageBatchEntry, n)
		for i, m := range msgs[:n] {
			entries[i] = queue.DeleteMessageBatchEntry{ID: strconv.Itoa(i), ReceiptHandle: m.ReceiptHandle}
		}
		if _, failed, err := p.ms.q.DeleteMessageBatch(ctx, p.caller, p.ref, entries); err != nil || len(failed) > 0 {
			p.ms.log.Warn("lambda: event source mapping cannot delete", slog.String("uuid", p.m.UUID),
				slog.Any("err", err), slog.Int("failed", len(failed)))
		}
		msgs = msgs[n:]
	}
}
