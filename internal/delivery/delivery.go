package delivery

import (
	"cmp"
	"container/heap"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
)

// RecordKind is the store record kind of pending jobs.
const RecordKind = "delivery"

// RetryPolicy bounds the attempts of one job and spaces its retries. The
// zero Backoff is exponential with full jitter; the named backoff functions
// are SNS's delivery-policy phases (see Delay).
type RetryPolicy struct {
	MaxAttempts   int           `json:"maxAttempts"`   // total attempts, including the first; 0 means 1
	MaxAge        time.Duration `json:"maxAge"`        // give up when the job is older; 0 means no limit
	BaseDelay     time.Duration `json:"baseDelay"`     // backoff before the second attempt (before jitter); SNS's minDelayTarget
	MaxDelay      time.Duration `json:"maxDelay"`      // cap of one backoff; SNS's maxDelayTarget
	BackoffFactor float64       `json:"backoffFactor"` // growth per attempt of the zero Backoff; 0 means 2

	Backoff         string `json:"backoff,omitempty"`         // "" or one of the Backoff* functions
	Jitter          bool   `json:"jitter,omitempty"`          // named functions: shorten each delay by up to 10%
	NoDelayRetries  int    `json:"noDelayRetries,omitempty"`  // named functions: immediate retries first
	MinDelayRetries int    `json:"minDelayRetries,omitempty"` // named functions: then retries BaseDelay apart
	MaxDelayRetries int    `json:"maxDelayRetries,omitempty"` // named functions: last retries MaxDelay apart
}

// Job is one durable delivery.
type Job struct {
	ID         string            `json:"id"`
	Kind       string            `json:"kind"`   // selects the Handler
	Target     string            `json:"target"` // handler-specific address: an ARN, a URL
	Payload    []byte            `json:"payload"`
	Attrs      map[string]string `json:"attrs,omitempty"` // handler-specific extras
	Policy     RetryPolicy       `json:"policy"`
	DeadLetter string            `json:"dlq,omitempty"` // SQS queue ARN for exhausted jobs
	Attempts   int               `json:"attempts"`
	FirstAt    int64             `json:"firstAt"` // Unix ms
	NextAt     int64             `json:"nextAt"`  // Unix ms
	LastError  string            `json:"lastError,omitempty"`
	// OrderKey serialises jobs: of the jobs with one non-empty key, only the
	// first in (FirstAt, OrderSeq, ID) order is attempted, and the next one
	// only once it is delivered, dead-lettered or dropped.
	OrderKey string `json:"orderKey,omitempty"`
	OrderSeq int64  `json:"orderSeq,omitempty"` // stamped by Jobs: submission order within one FirstAt
}

// Handler delivers jobs of one kind.
type Handler interface {
	// Deliver attempts the job once. remove deletes the job's record: a
	// handler writing into fogbank commits it with its own write and
	// returns committed=true. A nil error means delivered; wrap an error
	// with Permanent to stop retrying.
	Deliver(ctx context.Context, j Job, remove store.Change) (committed bool, err error)
	// DeadLetter builds the message sent to j.DeadLetter when j is given up.
	DeadLetter(j Job, cause error) queue.DeliverInput
}

// Permanent marks an error that retrying cannot fix.
func Permanent(err error) error { return permanentError{err} }

type permanentError struct{ error }

func (p permanentError) Unwrap() error { return p.error }

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// Config holds the dispatcher's dependencies.
type Config struct {
	Store   store.Store
	Clock   clock.Clock
	Queues  *queue.Service // dead-letter queues
	Logger  *slog.Logger
	Workers int // concurrent attempts; default 16
}

// Dispatcher runs jobs.
type Dispatcher struct {
	store    store.Store
	clock    clock.Clock
	queues   *queue.Service
	log      *slog.Logger
	workers  chan struct{}
	handlers map[string]Handler

	mu      sync.Mutex
	pending jobHeap
	ordered map[string]*orderQueue // by OrderKey
	seq     int64                  // last OrderSeq stamped
	wake    chan struct{}
	stop    chan struct{}
	wg      sync.WaitGroup
	started bool
}

// New builds a dispatcher. Register handlers, then Start.
func New(cfg Config) *Dispatcher {
	return &Dispatcher{
		store:    cfg.Store,
		clock:    cmp.Or[clock.Clock](cfg.Clock, clock.System{}),
		queues:   cfg.Queues,
		log:      cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		workers:  make(chan struct{}, cmp.Or(cfg.Workers, 16)),
		handlers: map[string]Handler{},
		ordered:  map[string]*orderQueue{},
		wake:     make(chan struct{}, 1),
		stop:     make(chan struct{}),
	}
}

// Handle registers the handler of a job kind. Call before Start.
func (d *Dispatcher) Handle(kind string, h Handler) { d.handlers[kind] = h }

// Jobs stamps new jobs (first attempt now) and returns the changes that
// store them, for the caller to commit with its own acceptance. Jobs with an
// OrderKey take their place in their key's order now: the caller MUST follow
// with Wake once the changes are committed, or Abandon if they are not.
func (d *Dispatcher) Jobs(jobs []Job) []store.Change {
	now := d.clock.Now().UnixMilli()
	out := make([]store.Change, 0, len(jobs))
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range jobs {
		j := &jobs[i]
		if j.FirstAt == 0 {
			j.FirstAt = now
		}
		if j.NextAt == 0 {
			j.NextAt = now
		}
		if j.OrderKey != "" {
			d.seq++
			j.OrderSeq = d.seq
			d.reserveLocked(*j)
		}
		out = append(out, record(*j))
	}
	return out
}

// Wake schedules jobs whose records are committed.
func (d *Dispatcher) Wake(jobs []Job) {
	d.mu.Lock()
	for _, j := range jobs {
		d.addLocked(j)
	}
	d.mu.Unlock()
	d.signal()
}

// Abandon withdraws jobs from Jobs whose records were not committed, so they
// hold up no later job of their OrderKey.
func (d *Dispatcher) Abandon(jobs []Job) {
	d.mu.Lock()
	for _, j := range jobs {
		if j.OrderKey != "" {
			d.finishLocked(j)
		}
	}
	d.mu.Unlock()
	d.signal()
}

// addLocked queues a committed job: into the heap, or behind the earlier
// jobs of its OrderKey.
func (d *Dispatcher) addLocked(j Job) {
	if j.OrderKey == "" {
		heap.Push(&d.pending, j)
		return
	}
	d.readyLocked(j)
}

// schedule puts a job (back) into the heap.
func (d *Dispatcher) schedule(j Job) {
	d.mu.Lock()
	heap.Push(&d.pending, j)
	d.mu.Unlock()
	d.signal()
}

func (d *Dispatcher) signal() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Start loads pending jobs and starts dispatching.
func (d *Dispatcher) Start(ctx context.Context) error {
	recs, err := d.store.LoadRecords(ctx, RecordKind)
	if err != nil {
		return fmt.Errorf("delivery: load: %w", err)
	}
	d.mu.Lock()
	for _, r := range recs {
		var j Job
		if err := json.Unmarshal(r.Data, &j); err != nil {
			d.mu.Unlock()
			return fmt.Errorf("delivery: job %s: %w", r.Key, err)
		}
		d.seq = max(d.seq, j.OrderSeq)
		if j.OrderKey == "" {
			heap.Push(&d.pending, j)
		} else {
			d.queueOf(j.OrderKey).insert(j, true) // released once all are in
		}
	}
	for _, q := range d.ordered {
		d.releaseLocked(q)
	}
	d.started = true
	d.mu.Unlock()
	d.wg.Add(1)
	go d.loop()
	return nil
}

// Stop ends dispatching and waits for attempts in progress. Pending jobs stay
// in the store. Safe without Start and more than once.
func (d *Dispatcher) Stop() {
	d.mu.Lock()
	select {
	case <-d.stop:
	default:
		close(d.stop)
	}
	d.mu.Unlock()
	d.wg.Wait()
}

// Pending returns the number of jobs waiting for an attempt, including those
// waiting for an earlier job of their OrderKey (not counting attempts in
// progress), for tests and metrics.
func (d *Dispatcher) Pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.pending) + d.waitingLocked()
}

func (d *Dispatcher) loop() {
	defer d.wg.Done()
	for {
		due, wait := d.takeDue()
		for _, j := range due {
			select {
			case d.workers <- struct{}{}:
			case <-d.stop:
				return
			}
			d.wg.Add(1)
			go func() {
				defer d.wg.Done()
				defer func() { <-d.workers }()
				d.attempt(j)
			}()
		}
		if len(due) > 0 {
			continue
		}
		if !d.sleep(wait) {
			return
		}
	}
}

// takeDue pops the jobs due now, or returns how long until the next one
// (0 if there is none).
func (d *Dispatcher) takeDue() ([]Job, time.Duration) {
	now := d.clock.Now().UnixMilli()
	d.mu.Lock()
	defer d.mu.Unlock()
	var due []Job
	for len(d.pending) > 0 && d.pending[0].NextAt <= now && len(due) < cap(d.workers) {
		due = append(due, heap.Pop(&d.pending).(Job)) //nolint:forcetypeassert // only Jobs are pushed
	}
	if len(due) > 0 || len(d.pending) == 0 {
		return due, 0
	}
	return nil, time.Duration(d.pending[0].NextAt-now) * time.Millisecond
}

func (d *Dispatcher) sleep(wait time.Duration) bool {
	var timerC <-chan time.Time
	if wait > 0 {
		t := d.clock.NewTimer(wait)
		defer t.Stop()
		timerC = t.C()
	}
	select {
	case <-d.wake:
		return true
	case <-timerC:
		return true
	case <-d.stop:
		return false
	}
}

// attempt runs one attempt and records its outcome.
func (d *Dispatcher) attempt(j Job) {
	h, ok := d.handlers[j.Kind]
	remove := store.DeleteRecord{Kind: RecordKind, Key: j.ID}
	if !ok {
		d.log.Error("delivery: no handler; dropping job", slog.String("kind", j.Kind), slog.String("job", j.ID))
		_ = d.store.Apply(context.Background(), remove)
		d.finish(j)
		return
	}
	j.Attempts++
	committed, err := h.Deliver(context.Background(), j, remove)
	switch {
	case err == nil && committed:
		d.finish(j)
	case err == nil:
		if err := d.store.Apply(context.Background(), remove); err != nil {
			d.log.Error("delivery: remove delivered job", slog.String("job", j.ID), slog.Any("err", err))
		}
		d.finish(j)
	case d.exhausted(j, err):
		d.giveUp(h, j, remove, err)
		d.finish(j)
	default:
		d.retry(j, err)
	}
}

func (d *Dispatcher) exhausted(j Job, err error) bool {
	if IsPermanent(err) {
		return true
	}
	if j.Attempts >= max(j.Policy.MaxAttempts, 1) {
		return true
	}
	age := time.Duration(d.clock.Now().UnixMilli()-j.FirstAt) * time.Millisecond
	return j.Policy.MaxAge > 0 && age >= j.Policy.MaxAge
}

func (d *Dispatcher) retry(j Job, cause error) {
	j.LastError = cause.Error()
	j.NextAt = d.clock.Now().Add(j.Policy.Delay(j.Attempts, rand.Float64())).UnixMilli() //nolint:gosec // jitter, not security
	// Persisting the attempt count is advisory: if it is lost, the job is
	// retried from an earlier count, never lost. A retrying job keeps its
	// place at the head of its OrderKey.
	d.store.Submit(record(j))
	d.schedule(j)
}

// giveUp dead-letters a job (removing it in the same commit) or drops it.
func (d *Dispatcher) giveUp(h Handler, j Job, remove store.Change, cause error) {
	if j.DeadLetter != "" && d.queues != nil {
		in := h.DeadLetter(j, cause)
		in.QueueArn = j.DeadLetter
		if _, err := d.queues.Deliver(context.Background(), in, remove); err == nil {
			d.log.Info("delivery: dead-lettered", slog.String("kind", j.Kind), slog.String("target", j.Target),
				slog.String("dlq", j.DeadLetter), slog.Int("attempts", j.Attempts), slog.Any("cause", cause))
			return
		} else {
			d.log.Warn("delivery: dead-letter queue rejected the job; dropping it", slog.String("dlq", j.DeadLetter), slog.Any("err", err))
		}
	}
	d.log.Warn("delivery: giving up", slog.String("kind", j.Kind), slog.String("target", j.Target),
		slog.Int("attempts", j.Attempts), slog.Any("cause", cause))
	_ = d.store.Apply(context.Background(), remove)
}

func record(j Job) store.Change {
	b, _ := json.Marshal(j)
	return store.PutRecord{Record: store.Record{Kind: RecordKind, Key: j.ID, Data: b}}
}

// jobHeap orders jobs by due time.
type jobHeap []Job

func (h jobHeap) Len() int           { return len(h) }
func (h jobHeap) Less(i, k int) bool { return h[i].NextAt < h[k].NextAt }
func (h jobHeap) Swap(i, k int)      { h[i], h[k] = h[k], h[i] }
func (h *jobHeap) Push(x any)        { *h = append(*h, x.(Job)) } //nolint:forcetypeassert // only Jobs are pushed
func (h *jobHeap) Pop() any {
	old := *h
	j := old[len(old)-1]
	*h = old[:len(old)-1]
	return j
}
