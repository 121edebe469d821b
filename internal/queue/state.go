package queue

import (
	"container/heap"
	"slices"
	"sync"

	"github.com/fogbank/fogbank/internal/store"
)

// message is a queue's in-memory copy of one stored message.
type message struct {
	id    string
	seq   int64
	body  []byte
	meta  meta
	state store.MessageState
	idx   int    // position in the standard queue's heap
	group *group // FIFO queues only
}

func (m *message) received() bool { return m.state.ReceiveCount > 0 }

// inFlight reports whether the message was received and is still hidden.
func (m *message) inFlight(now int64) bool { return m.received() && m.state.VisibleAt > now }

// group is a FIFO message group: its messages in send order.
type group struct {
	id   string
	msgs []*message
}

// locked reports whether a message of the group is in flight, which blocks
// the whole group. Received messages always form a prefix of the group,
// because delivery is strictly in order.
func (g *group) locked(now int64) bool {
	for _, m := range g.msgs {
		if !m.received() {
			return false
		}
		if m.state.VisibleAt > now {
			return true
		}
	}
	return false
}

func (g *group) remove(m *message) {
	if i := slices.Index(g.msgs, m); i >= 0 {
		g.msgs = slices.Delete(g.msgs, i, i+1)
	}
}

// queue is the in-memory state of one queue. Every field below mu is guarded
// by it.
type queue struct {
	mu       sync.Mutex
	rec      store.Queue
	cfg      config
	arn      string
	deleted  bool
	msgs     map[string]*message
	ready    msgHeap           // standard queues: every message, by visibility
	groups   map[string]*group // FIFO queues
	dedup    map[string]store.Dedup
	attempts map[string]attempt // FIFO ReceiveRequestAttemptId, in memory only
	wake     chan struct{}      // closed when messages may have become receivable
}

func newQueue(rec store.Queue, arnStr string) *queue {
	q := &queue{
		rec:    rec,
		cfg:    parseConfig(rec.Attributes),
		arn:    arnStr,
		msgs:   map[string]*message{},
		groups: map[string]*group{},
		dedup:  map[string]store.Dedup{},
		wake:   make(chan struct{}),
	}
	return q
}

// config returns the queue's typed attributes. SetQueueAttributes replaces
// q.cfg under q.mu, so readers outside the lock take this copy.
func (q *queue) config() config {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.cfg
}

// notify wakes long polls. Callers hold q.mu.
func (q *queue) notify() {
	close(q.wake)
	q.wake = make(chan struct{})
}

// add inserts a message into the in-memory indexes. Callers hold q.mu.
func (q *queue) add(m *message) {
	q.msgs[m.id] = m
	if !q.cfg.fifo {
		heap.Push(&q.ready, m)
		return
	}
	g := q.groups[m.meta.GroupID]
	if g == nil {
		g = &group{id: m.meta.GroupID}
		q.groups[g.id] = g
	}
	m.group = g
	// Messages normally arrive in sequence order; keep the group sorted even
	// when a move inserts an older one.
	i, _ := slices.BinarySearchFunc(g.msgs, m.seq, func(a *message, seq int64) int { return cmpInt(a.seq, seq) })
	g.msgs = slices.Insert(g.msgs, i, m)
}

// remove deletes a message from the in-memory indexes. Callers hold q.mu.
func (q *queue) remove(m *message) {
	delete(q.msgs, m.id)
	if m.group != nil {
		m.group.remove(m)
		if len(m.group.msgs) == 0 {
			delete(q.groups, m.group.id)
		}
		return
	}
	if m.idx >= 0 && m.idx < len(q.ready) && q.ready[m.idx] == m {
		heap.Remove(&q.ready, m.idx)
	}
}

// setState changes a message's delivery state and re-sorts it.
func (q *queue) setState(m *message, st store.MessageState) {
	m.state = st
	if m.group == nil && m.idx >= 0 && m.idx < len(q.ready) && q.ready[m.idx] == m {
		heap.Fix(&q.ready, m.idx)
	}
}

func (q *queue) clear() {
	q.msgs = map[string]*message{}
	q.ready = nil
	q.groups = map[string]*group{}
}

// counts returns the visible, in-flight and delayed message counts.
func (q *queue) counts(now int64) (visible, notVisible, delayed int) {
	for _, m := range q.msgs {
		switch {
		case m.state.VisibleAt <= now:
			visible++
		case m.received():
			notVisible++
		default:
			delayed++
		}
	}
	return visible, notVisible, delayed
}

// nextVisible returns the earliest time after now at which a hidden message
// becomes visible, or 0 if none will.
func (q *queue) nextVisible(now int64) int64 {
	next := int64(0)
	for _, m := range q.msgs {
		if v := m.state.VisibleAt; v > now && (next == 0 || v < next) {
			next = v
		}
	}
	return next
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// msgHeap orders messages by visibility time, then send order.
type msgHeap []*message

func (h msgHeap) Len() int { return len(h) }
func (h msgHeap) Less(i, j int) bool {
	if h[i].state.VisibleAt != h[j].state.VisibleAt {
		return h[i].state.VisibleAt < h[j].state.VisibleAt
	}
	return h[i].seq < h[j].seq
}

func (h msgHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx = i
	h[j].idx = j
}

func (h *msgHeap) Push(x any) {
	m := x.(*message) //nolint:forcetypeassert // only messages are pushed
	m.idx = len(*h)
	*h = append(*h, m)
}

func (h *msgHeap) Pop() any {
	old := *h
	m := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	m.idx = -1
	return m
}
