package crash

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// ledger records what every client was told and checks the invariants. Its
// clock is a counter, not wall time: a receive that took its start tick
// after a delete took its acknowledgement tick started after that delete
// had returned.
type ledger struct {
	tick atomic.Int64

	mu         sync.Mutex
	bodies     map[string]*entry
	groups     map[string][]string // FIFO group -> bodies in send order
	violations []string            // the first few, in full
	violated   map[string]int      // kind -> count
	apiErrors  map[string]int      // "op: code" -> count, for answers that were errors
}

// entry is one body's history.
type entry struct {
	acked       bool
	receives    int
	firstRecv   int64 // tick of the first delivery, 0 if none
	deleteAcked int64 // tick of the first acknowledged delete, 0 if none
}

// summary is what a run did, for the test log.
type summary struct {
	attempted, acked, received, deliveries, duplicates, unackedReceived, deletesAcked int
}

func newLedger() *ledger {
	return &ledger{bodies: map[string]*entry{}, groups: map[string][]string{}, violated: map[string]int{}, apiErrors: map[string]int{}}
}

func (l *ledger) now() int64 { return l.tick.Add(1) }

// attempt registers a body before it is sent; group is "" outside FIFO.
func (l *ledger) attempt(body, group string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bodies[body] = &entry{}
	if group != "" {
		l.groups[group] = append(l.groups[group], body)
	}
}

func (l *ledger) acked(body string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bodies[body].acked = true
}

// received records a delivery by a receive that took tick start before it
// was sent.
func (l *ledger) received(body string, start int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.bodies[body]
	if e == nil {
		l.violatef("phantom", "received %q, which was never sent", short(body))
		return
	}
	e.receives++
	if e.firstRecv == 0 {
		e.firstRecv = l.now()
	}
	if e.deleteAcked != 0 && start > e.deleteAcked {
		l.violatef("resurrected", "received %s again after its delete was acknowledged", short(body))
	}
}

func (l *ledger) deleted(body string) {
	t := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := l.bodies[body]; e.deleteAcked == 0 {
		e.deleteAcked = t
	}
}

func (l *ledger) apiError(op, code string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.apiErrors[op+": "+code]++
}

func (l *ledger) violatef(kind, format string, args ...any) {
	l.violated[kind]++
	if l.violated[kind] <= 5 {
		l.violations = append(l.violations, fmt.Sprintf(format, args...))
	}
}

// short is a body without its padding.
func short(body string) string {
	if i := strings.LastIndexByte(body, '/'); i >= 0 {
		return body[:i]
	}
	return body
}

// check runs the end-of-test checks. It returns the first violations of
// each kind and the count of each.
func (l *ledger) check() ([]string, map[string]int, summary) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var s summary
	for body, e := range l.bodies {
		s.attempted++
		s.deliveries += e.receives
		s.duplicates += max(e.receives-1, 0)
		if e.acked {
			s.acked++
		}
		if e.receives > 0 {
			s.received++
		}
		if e.receives > 0 && !e.acked {
			s.unackedReceived++
		}
		if e.deleteAcked != 0 {
			s.deletesAcked++
		}
		if e.acked && e.receives == 0 {
			l.violatef("lost", "acknowledged send %s was never received", short(body))
		}
	}
	l.checkGroupOrder()
	return l.violations, l.violated, s
}

// checkGroupOrder verifies that, within each FIFO group, acknowledged sends
// were first delivered in the order they were sent.
func (l *ledger) checkGroupOrder() {
	for g, bodies := range l.groups {
		var prev string
		var prevTick int64
		for _, b := range bodies {
			e := l.bodies[b]
			if !e.acked || e.firstRecv == 0 {
				continue
			}
			if e.firstRecv < prevTick {
				l.violatef("fifo order", "group %s: %s was first delivered before %s, sent earlier", g, short(b), short(prev))
			}
			prev, prevTick = b, e.firstRecv
		}
	}
}
