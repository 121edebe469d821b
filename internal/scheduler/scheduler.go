// Package scheduler owns fogbank's Step Functions timers: Wait states,
// Retry intervals and timeouts wait on it. It keeps the due times in a heap
// served by one goroutine that sleeps until the earliest one (notify, never
// poll).
//
// # Time scale
//
// A Scheduler runs a logical clock: Scale 1 is the injected clock itself;
// Scale 0.01 makes logical time run 100× faster than the injected clock
// (a 10 s Wait takes 0.1 s), so timestamps recorded from Now stay
// consistent with the waits they describe. Logical time starts at the
// injected clock's time when the Scheduler is made.
package scheduler

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/clock"
)

// ErrStopped is returned by WaitUntil once the Scheduler has stopped.
var ErrStopped = errors.New("scheduler: stopped")

// Config holds a Scheduler's dependencies.
type Config struct {
	Clock clock.Clock
	// Scale multiplies every wait; 0 means 1.
	Scale float64
}

// Validate checks the config.
func (c Config) Validate() error {
	if c.Scale < 0 {
		return errors.New("scheduler: scale must not be negative")
	}
	return nil
}

// Scheduler fires timers at logical due times.
type Scheduler struct {
	clock  clock.Clock
	scale  float64
	origin time.Time

	mu      sync.Mutex
	timers  timerHeap
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	started bool
	stopped bool
}

// New builds a Scheduler; call Start before WaitUntil.
func New(cfg Config) *Scheduler {
	c := cmp.Or[clock.Clock](cfg.Clock, clock.System{})
	return &Scheduler{
		clock: c, scale: cmp.Or(cfg.Scale, 1), origin: c.Now(),
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
}

// Now returns the logical time.
func (s *Scheduler) Now() time.Time {
	real := s.clock.Now()
	if s.scale == 1 {
		return real
	}
	return s.origin.Add(time.Duration(float64(real.Sub(s.origin)) / s.scale))
}

// realDelay converts a logical duration into one of the injected clock.
func (s *Scheduler) realDelay(d time.Duration) time.Duration {
	return time.Duration(float64(d) * s.scale)
}

// Start starts the timer goroutine. Safe to call once.
func (s *Scheduler) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.stopped {
		return
	}
	s.started = true
	go s.loop()
}

// Stop ends every pending wait with ErrStopped. Safe without Start and
// more than once.
func (s *Scheduler) Stop() {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return
	}
	s.stopped = true
	started := s.started
	close(s.stop)
	for _, t := range s.timers {
		t.fire <- ErrStopped
	}
	s.timers = nil
	s.mu.Unlock()
	if started {
		<-s.done
	}
}

// WaitUntil blocks until the logical time reaches until, ctx ends or the
// Scheduler stops.
func (s *Scheduler) WaitUntil(ctx context.Context, until time.Time) error {
	if !until.After(s.Now()) {
		return ctx.Err()
	}
	t := &timer{at: until, fire: make(chan error, 1)}
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return ErrStopped
	}
	heap.Push(&s.timers, t)
	first := s.timers[0] == t
	s.mu.Unlock()
	if first {
		s.poke()
	}
	select {
	case err := <-t.fire:
		return err
	case <-ctx.Done():
		s.remove(t)
		return ctx.Err()
	}
}

func (s *Scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Scheduler) remove(t *timer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.index >= 0 && t.index < len(s.timers) && s.timers[t.index] == t {
		heap.Remove(&s.timers, t.index)
	}
}

// loop fires due timers and sleeps until the next one.
func (s *Scheduler) loop() {
	defer close(s.done)
	for {
		next, ok := s.fireDue()
		var c <-chan time.Time
		var tm clock.Timer
		if ok {
			tm = s.clock.NewTimer(s.realDelay(next.Sub(s.Now())))
			c = tm.C()
		}
		select {
		case <-s.stop:
			if tm != nil {
				tm.Stop()
			}
			return
		case <-s.wake:
		case <-c:
		}
		if tm != nil {
			tm.Stop()
		}
	}
}

// fireDue fires every due timer and returns the next due time.
func (s *Scheduler) fireDue() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	for len(s.timers) > 0 {
		t := s.timers[0]
		if t.at.After(now) {
			return t.at, true
		}
		heap.Pop(&s.timers)
		t.fire <- nil
	}
	return time.Time{}, false
}

type timer struct {
	at    time.Time
	fire  chan error
	index int
}

type timerHeap []*timer

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *timerHeap) Push(x any) {
	t := x.(*timer) //nolint:forcetypeassert // heap.Push gets *timer only
	t.index = len(*h)
	*h = append(*h, t)
}

func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	t.index = -1
	*h = old[:len(old)-1]
	return t
}
