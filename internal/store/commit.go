package store

import (
	"context"
	"sync"
)

// ApplyFunc writes a batch of changes in one transaction and commits it
// durably. Drivers supply it to a Committer.
type ApplyFunc func(ctx context.Context, changes []Change) error

// Committer turns concurrent Apply calls into group commits: one writer
// goroutine takes every request waiting when it becomes free and applies them
// all with one ApplyFunc call.
type Committer struct {
	apply    ApplyFunc
	maxBatch int
	reqs     chan *commitReq
	stop     chan struct{}
	done     chan struct{}

	mu     sync.RWMutex // held for reading while submitting, for writing by Close
	closed bool
}

type commitReq struct {
	changes []Change
	err     chan error
}

// NewCommitter starts the writer. maxBatch bounds the number of changes in one
// transaction (a single request larger than that is still applied whole).
func NewCommitter(apply ApplyFunc, maxBatch int) *Committer {
	c := &Committer{
		apply:    apply,
		maxBatch: max(maxBatch, 1),
		reqs:     make(chan *commitReq, 1024),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	go c.run()
	return c
}

// Apply submits changes and waits until they are committed.
func (c *Committer) Apply(ctx context.Context, changes ...Change) error {
	return <-c.Submit(changes...)
}

// Submit queues changes for the next commit without waiting and returns a
// channel that receives the commit's result. Changes submitted earlier are
// committed no later than changes submitted after them, so a caller holding a
// lock can fix the order of its writes and wait after releasing the lock.
// Once submitted, the write happens even if the caller stops waiting.
func (c *Committer) Submit(changes ...Change) <-chan error {
	r := &commitReq{changes: changes, err: make(chan error, 1)}
	if len(changes) == 0 {
		r.err <- nil
		return r.err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.closed {
		r.err <- ErrClosed
		return r.err
	}
	c.reqs <- r
	return r.err
}

// Close stops accepting requests, commits everything already submitted and
// waits for the writer to exit. It is safe to call more than once.
func (c *Committer) Close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.stop)
	}
	c.mu.Unlock()
	<-c.done
}

func (c *Committer) run() {
	defer close(c.done)
	for {
		select {
		case r := <-c.reqs:
			c.commit(r)
		case <-c.stop:
			c.drain()
			return
		}
	}
}

// drain commits requests that were submitted before Close.
func (c *Committer) drain() {
	for {
		select {
		case r := <-c.reqs:
			c.commit(r)
		default:
			return
		}
	}
}

func (c *Committer) commit(first *commitReq) {
	batch := []*commitReq{first}
	changes := append([]Change(nil), first.changes...)
	for len(changes) < c.maxBatch {
		select {
		case r := <-c.reqs:
			batch = append(batch, r)
			changes = append(changes, r.changes...)
			continue
		default:
		}
		break
	}
	err := c.apply(context.Background(), changes)
	for _, r := range batch {
		r.err <- err
	}
}
