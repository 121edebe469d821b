package bus

import (
	"container/heap"
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// RecordSchedule is the store record kind of a scheduled rule's progress.
const RecordSchedule = "events-schedule"

// scheduleRecord is a scheduled rule's progress: the expression it counts,
// the time a rate counts from and the last time it fired (Unix ms).
type scheduleRecord struct {
	Expr string `json:"expr"`
	Base int64  `json:"base"`
	Last int64  `json:"last,omitempty"`
}

// schedEntry is one ENABLED scheduled rule in the heap.
type schedEntry struct {
	key     string // ruleKey
	caller  Caller
	name    string
	expr    string
	sched   schedule
	base    time.Time
	next    time.Time
	index   int
	pending bool // in the heap
}

// scheduler fires scheduled rules: a heap of entries by next fire time and
// one goroutine sleeping on the injected clock until the earliest. Lock
// order: Service.mu before scheduler.mu; the loop never holds mu while it
// takes Service.mu.
type scheduler struct {
	s     *Service
	mu    sync.Mutex
	heap  schedHeap
	byKey map[string]*schedEntry
	wake  chan struct{}
	stop  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once
	// armed, when set (tests), is told each time the loop sleeps until a
	// fire time.
	armed func(time.Time)
}

func newScheduler(s *Service) *scheduler {
	return &scheduler{s: s, byKey: map[string]*schedEntry{}, wake: make(chan struct{}, 1), stop: make(chan struct{})}
}

// update brings a rule's entry in line with its record and returns the
// store change of its progress (nil when unchanged). A new or changed
// expression counts from now. Callers hold Service.mu.
func (sc *scheduler) update(rec ruleRecord, now time.Time) store.Change {
	key := ruleKey(rec)
	sc.mu.Lock()
	defer sc.mu.Unlock()
	e := sc.byKey[key]
	if rec.ScheduleExpression == "" {
		if e == nil {
			return nil
		}
		sc.removeLocked(e)
		delete(sc.byKey, key)
		return store.DeleteRecord{Kind: RecordSchedule, Key: key}
	}
	var change store.Change
	if e == nil || e.expr != rec.ScheduleExpression {
		sched, err := parseSchedule(rec.ScheduleExpression)
		if err != nil {
			return nil
		}
		if e != nil {
			sc.removeLocked(e)
		}
		e = &schedEntry{key: key, caller: Caller{rec.Account, rec.Region}, name: rec.Name, expr: rec.ScheduleExpression, sched: sched, base: now}
		sc.byKey[key] = e
		change = scheduleChange(key, scheduleRecord{Expr: e.expr, Base: now.UnixMilli()})
	}
	enabled := rec.State != StateDisabled
	switch {
	case enabled && !e.pending:
		e.next = e.sched.next(e.base, now)
		sc.pushLocked(e)
	case !enabled && e.pending:
		sc.removeLocked(e)
	}
	return change
}

// load installs a rule's entry from its stored progress at start-up: the
// next fire is the first after the last one, so a restart neither repeats
// a fire nor skips more than the fires due while fogbank was down (of
// which it makes one, at once).
func (sc *scheduler) load(rec ruleRecord, st *scheduleRecord, now time.Time) {
	sched, err := parseSchedule(rec.ScheduleExpression)
	if err != nil {
		return
	}
	e := &schedEntry{key: ruleKey(rec), caller: Caller{rec.Account, rec.Region}, name: rec.Name, expr: rec.ScheduleExpression, sched: sched, base: now}
	from := now
	if st != nil && st.Expr == rec.ScheduleExpression {
		e.base = time.UnixMilli(st.Base).UTC()
		from = time.UnixMilli(max(st.Last, st.Base)).UTC()
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.byKey[e.key] = e
	if rec.State != StateDisabled {
		e.next = sched.next(e.base, from)
		sc.pushLocked(e)
	}
}

func (sc *scheduler) pushLocked(e *schedEntry) {
	if e.next.IsZero() {
		return
	}
	heap.Push(&sc.heap, e)
	e.pending = true
	sc.signal()
}

func (sc *scheduler) removeLocked(e *schedEntry) {
	if e.pending {
		heap.Remove(&sc.heap, e.index)
		e.pending = false
		sc.signal()
	}
}

func (sc *scheduler) signal() {
	select {
	case sc.wake <- struct{}{}:
	default:
	}
}

func (sc *scheduler) start() {
	sc.wg.Add(1)
	go sc.loop()
}

func (sc *scheduler) halt() {
	sc.once.Do(func() { close(sc.stop) })
	sc.wg.Wait()
}

// fire is one due fire of one rule.
type fire struct {
	e  *schedEntry
	at time.Time
}

func (sc *scheduler) loop() {
	defer sc.wg.Done()
	for {
		due, wait := sc.takeDue()
		for _, f := range due {
			sc.s.fireSchedule(f.e, f.at)
		}
		if len(due) > 0 {
			continue
		}
		if !sc.sleep(wait) {
			return
		}
	}
}

// takeDue pops the fires due now and re-arms their entries at their next
// time after now (fires missed while busy or down collapse into one); else
// it returns the time until the earliest (0: none).
func (sc *scheduler) takeDue() ([]fire, time.Duration) {
	now := sc.s.clock.Now()
	sc.mu.Lock()
	defer sc.mu.Unlock()
	var due []fire
	for len(sc.heap) > 0 && !sc.heap[0].next.After(now) {
		e := sc.heap[0]
		due = append(due, fire{e, e.next})
		e.next = e.sched.next(e.base, now)
		if e.next.IsZero() {
			heap.Pop(&sc.heap)
			e.pending = false
			continue
		}
		heap.Fix(&sc.heap, 0)
	}
	if len(due) > 0 || len(sc.heap) == 0 {
		return due, 0
	}
	if sc.armed != nil {
		sc.armed(sc.heap[0].next)
	}
	return nil, sc.heap[0].next.Sub(now)
}

func (sc *scheduler) sleep(wait time.Duration) bool {
	var timerC <-chan time.Time
	if wait > 0 {
		t := sc.s.clock.NewTimer(wait)
		defer t.Stop()
		timerC = t.C()
	}
	select {
	case <-sc.wake:
		return true
	case <-timerC:
		return true
	case <-sc.stop:
		return false
	}
}

// fireSchedule sends AWS's "Scheduled Event" to the rule's targets and
// records the fire in the same commit.
func (s *Service) fireSchedule(e *schedEntry, at time.Time) {
	s.mu.RLock()
	b := s.buses[busKey{e.caller.Account, e.caller.Region, DefaultBus}]
	var r *rule
	if b != nil {
		r = b.rules[e.name]
	}
	if r == nil || !r.enabled() || r.rec.ScheduleExpression != e.expr {
		s.mu.RUnlock()
		return
	}
	id := s.ids.UUID()
	detailType, source, detail := "Scheduled Event", "aws.events", "{}"
	event := envelope(id, e.caller, Entry{Source: &source, DetailType: &detailType, Detail: &detail, Resources: []string{r.rec.Arn}}, at)
	now := s.clock.Now()
	jobs := s.ruleJobs(r, id, event, "", now, nil)
	s.mu.RUnlock()
	rec := scheduleChange(e.key, scheduleRecord{Expr: e.expr, Base: e.base.UnixMilli(), Last: at.UnixMilli()})
	if err := s.accept(context.Background(), jobs, rec); err != nil {
		s.log.Error("bus: scheduled event not accepted", "rule", r.rec.Arn, "err", err)
	}
}

func scheduleChange(key string, rec scheduleRecord) store.Change {
	b, _ := json.Marshal(rec)
	return store.PutRecord{Record: store.Record{Kind: RecordSchedule, Key: key, Data: b}}
}

// schedHeap orders entries by next fire time.
type schedHeap []*schedEntry

func (h schedHeap) Len() int           { return len(h) }
func (h schedHeap) Less(i, k int) bool { return h[i].next.Before(h[k].next) }
func (h schedHeap) Swap(i, k int) {
	h[i], h[k] = h[k], h[i]
	h[i].index, h[k].index = i, k
}

func (h *schedHeap) Push(x any) {
	e := x.(*schedEntry) //nolint:forcetypeassert // only entries are pushed
	e.index = len(*h)
	*h = append(*h, e)
}

func (h *schedHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
