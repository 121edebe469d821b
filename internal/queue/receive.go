package queue

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// System attribute names a receive can ask for.
const (
	SysAll                              = "All"
	SysSenderID                         = "SenderId"
	SysSentTimestamp                    = "SentTimestamp"
	SysApproximateReceiveCount          = "ApproximateReceiveCount"
	SysApproximateFirstReceiveTimestamp = "ApproximateFirstReceiveTimestamp"
	SysSequenceNumber                   = "SequenceNumber"
	SysMessageDeduplicationID           = "MessageDeduplicationId"
	SysMessageGroupID                   = "MessageGroupId"
	SysAWSTraceHeader                   = "AWSTraceHeader"
	SysDeadLetterQueueSourceArn         = "DeadLetterQueueSourceArn"
)

// ReceiveMessageInput is the input of ReceiveMessage.
type ReceiveMessageInput struct {
	Caller                Caller
	Queue                 QueueRef
	MaxNumberOfMessages   *int64
	VisibilityTimeout     *int64
	WaitTimeSeconds       *int64
	AttemptID             string
	SystemAttributeNames  []string
	MessageAttributeNames []string
}

// ReceivedMessage is a message as ReceiveMessage returns it.
type ReceivedMessage struct {
	MessageID         string
	ReceiptHandle     string
	Body              string
	MD5OfBody         string
	Attributes        map[string]string
	MessageAttributes map[string]MessageAttribute
	MD5OfAttrs        string
}

// ReceiveMessage returns up to MaxNumberOfMessages messages, waiting up to
// WaitTimeSeconds (or the queue's default) for the first one.
func (s *Service) ReceiveMessage(ctx context.Context, in ReceiveMessageInput) ([]ReceivedMessage, error) {
	if err := checkReceive(in); err != nil {
		return nil, err
	}
	q, err := s.lookup(in.Caller, in.Queue)
	if err != nil {
		return nil, err
	}
	wait := q.config().waitTime
	if in.WaitTimeSeconds != nil {
		wait = *in.WaitTimeSeconds
	}
	deadline := s.clock.Now().Add(time.Duration(wait) * time.Second)
	for {
		msgs, wake, next, err := s.receiveOnce(q, in)
		if err != nil || len(msgs) > 0 {
			return msgs, err
		}
		if !s.waitFor(ctx, wake, deadline, next) {
			return nil, nil
		}
	}
}

func checkReceive(in ReceiveMessageInput) error {
	if n := in.MaxNumberOfMessages; n != nil && (*n < 1 || *n > 10) {
		return invalidValue("MaxNumberOfMessages", *n, "Must be between 1 and 10, if provided.")
	}
	if w := in.WaitTimeSeconds; w != nil && (*w < 0 || *w > 20) {
		return invalidValue("WaitTimeSeconds", *w, "Must be >= 0 and <= 20, if provided.")
	}
	if v := in.VisibilityTimeout; v != nil && (*v < 0 || *v > 43200) {
		return invalidValue("VisibilityTimeout", *v, "Must be >= 0 and <= 43200, if provided.")
	}
	return nil
}

// waitFor blocks until the queue signals, the next hidden message becomes
// visible, the deadline passes or ctx ends. It reports whether to look again.
func (s *Service) waitFor(ctx context.Context, wake <-chan struct{}, deadline time.Time, next int64) bool {
	now := s.clock.Now()
	d := deadline.Sub(now)
	if d <= 0 {
		return false
	}
	if next > 0 {
		d = min(d, time.UnixMilli(next).Sub(now)+time.Millisecond)
	}
	t := s.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-wake:
		return true
	case <-t.C():
		return true
	case <-ctx.Done():
		return false
	case <-s.stop:
		return false
	}
}

// receiveOnce takes what is receivable now. When nothing is, it returns the
// queue's wake channel and the next time a hidden message becomes visible.
func (s *Service) receiveOnce(q *queue, in ReceiveMessageInput) ([]ReceivedMessage, <-chan struct{}, int64, error) {
	dlq := s.deadLetterQueue(q)
	unlock := lockPair(q, dlq)
	now := s.nowMillis()
	if q.deleted {
		unlock()
		return nil, nil, 0, errQueueDoesNotExist
	}
	if !dlqMatches(q, dlq) {
		unlock()
		return s.receiveOnce(q, in) // the redrive policy changed meanwhile
	}
	if msgs, ok := q.replayAttempt(in.AttemptID, now); ok {
		unlock()
		return q.render(msgs, in), nil, 0, nil
	}
	r := receiver{s: s, q: q, dlq: dlq, now: now, max: int(cmp.Or(ptrVal(in.MaxNumberOfMessages), 1))}
	r.vt = q.cfg.visibility * 1000
	if in.VisibilityTimeout != nil {
		r.vt = *in.VisibilityTimeout * 1000
	}
	if q.cfg.fifo {
		r.selectFifo()
	} else {
		r.selectStandard()
	}
	q.rememberAttempt(in.AttemptID, r.got, now)
	done := s.store.Submit(r.changes...)
	out := q.render(r.got, in)
	wake, next := q.wake, int64(0)
	if len(out) == 0 {
		next = q.nextVisible(now)
	}
	if r.moved && dlq != nil {
		dlq.notify()
	}
	unlock()
	// A receive is not an acknowledged write: it is submitted in order (so a
	// later delete or visibility change of the same message commits after
	// it) but not awaited. Losing it in a crash only makes the message
	// visible again early, which at-least-once delivery allows.
	select {
	case err := <-done:
		if err != nil {
			return nil, nil, 0, fmt.Errorf("queue: store: %w", err)
		}
	default:
	}
	return out, wake, next, nil
}

func ptrVal(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// receiver carries one receive's selection state. Both queues are locked.
type receiver struct {
	s       *Service
	q, dlq  *queue
	now, vt int64
	max     int
	got     []*message
	changes []store.Change
	moved   bool
}

func (r *receiver) selectStandard() {
	var taken []*message
	for len(r.got) < r.max && r.q.ready.Len() > 0 && r.q.ready[0].state.VisibleAt <= r.now {
		m := r.q.ready[0]
		r.q.remove(m)
		if r.take(m) {
			taken = append(taken, m)
		}
	}
	for _, m := range taken {
		r.q.add(m)
	}
}

func (r *receiver) selectFifo() {
	groups := make([]*group, 0, len(r.q.groups))
	for _, g := range r.q.groups {
		if len(g.msgs) > 0 && g.msgs[0].state.VisibleAt <= r.now && !g.locked(r.now) {
			groups = append(groups, g)
		}
	}
	slices.SortFunc(groups, func(a, b *group) int { return cmpInt(a.msgs[0].seq, b.msgs[0].seq) })
	for _, g := range groups {
		// Take consecutive visible messages from the head of the group. A
		// message that is expired or dead-lettered leaves the group, so the
		// same index then names the next one.
		for i := 0; len(r.got) < r.max && i < len(g.msgs); {
			m := g.msgs[i]
			if m.state.VisibleAt > r.now {
				break
			}
			if r.take(m) {
				i++
			}
		}
		if len(r.got) >= r.max {
			return
		}
	}
}

// take delivers, expires or dead-letters one visible message. It reports
// whether the message stays in the queue (was delivered).
func (r *receiver) take(m *message) bool {
	q := r.q
	if q.cfg.retention > 0 && m.meta.SentAt+q.cfg.retention*1000 <= r.now {
		q.remove(m)
		r.changes = append(r.changes, store.DeleteMessage{QueueID: q.rec.ID, ID: m.id})
		return false
	}
	if p := q.cfg.redrive; p != nil && r.dlq != nil && m.state.ReceiveCount >= p.MaxReceiveCount {
		r.moveToDLQ(m)
		return false
	}
	st := m.state
	st.ReceiveCount++
	if st.FirstReceiveAt == 0 {
		st.FirstReceiveAt = r.now
	}
	st.VisibleAt = r.now + r.vt
	st.Receipt = r.s.ids.Token(8)
	if m.group != nil {
		q.setState(m, st)
	} else {
		m.state = st
	}
	r.got = append(r.got, m)
	r.changes = append(r.changes, store.UpdateMessage{QueueID: q.rec.ID, ID: m.id, State: st})
	return true
}

func (r *receiver) moveToDLQ(m *message) {
	r.q.remove(m)
	r.changes = append(r.changes, store.DeleteMessage{QueueID: r.q.rec.ID, ID: m.id})
	r.changes = append(r.changes, r.s.moveInto(r.dlq, m, r.q.arn, r.now)...)
	r.moved = true
}

// moveInto adds a message taken from another queue (dead-lettering or a move
// task) to dst, keeping its id, attributes and receive history. Callers hold
// dst.mu.
func (s *Service) moveInto(dst *queue, m *message, sourceArn string, now int64) []store.Change {
	moved := &message{id: m.id, body: m.body, meta: m.meta, idx: -1}
	moved.meta.DLQSourceArn = sourceArn
	moved.state = store.MessageState{ReceiveCount: m.state.ReceiveCount, FirstReceiveAt: m.state.FirstReceiveAt}
	moved.seq = max(dst.rec.NextSeq, now*1000)
	dst.rec.NextSeq = moved.seq + 1
	if dst.cfg.fifo {
		moved.meta.SentAt = now // FIFO dead-letter queues reset the retention clock
	}
	moved.state.VisibleAt = now
	var changes []store.Change
	if existing := dst.msgs[moved.id]; existing != nil {
		dst.remove(existing)
		changes = append(changes, store.DeleteMessage{QueueID: dst.rec.ID, ID: existing.id})
	}
	dst.add(moved)
	return append(changes, store.PutMessage{Message: dst.record(moved)})
}

// deadLetterQueue resolves a queue's dead-letter queue without holding locks.
func (s *Service) deadLetterQueue(q *queue) *queue {
	p := q.config().redrive
	if p == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.byARN(p.DeadLetterTargetArn)
}

// dlqMatches reports whether dlq is still q's dead-letter queue. Callers
// hold both locks.
func dlqMatches(q, dlq *queue) bool {
	p := q.cfg.redrive
	if dlq == nil {
		return true // none configured, or the target does not exist (yet)
	}
	return p != nil && p.DeadLetterTargetArn == dlq.arn && !dlq.deleted
}

// render builds the response for delivered messages, applying the attribute
// filters. Callers hold q.mu.
func (q *queue) render(msgs []*message, in ReceiveMessageInput) []ReceivedMessage {
	out := make([]ReceivedMessage, 0, len(msgs))
	for _, m := range msgs {
		rm := ReceivedMessage{
			MessageID:     m.id,
			ReceiptHandle: encodeReceipt(q.rec.ID, m.id, m.state.Receipt),
			Body:          string(m.body),
			MD5OfBody:     m.meta.MD5Body,
			Attributes:    q.systemAttributes(m, in.SystemAttributeNames),
		}
		rm.MessageAttributes = filterAttributes(m.meta.Attributes, in.MessageAttributeNames)
		rm.MD5OfAttrs = MD5OfAttributes(rm.MessageAttributes)
		out = append(out, rm)
	}
	return out
}

func (q *queue) systemAttributes(m *message, names []string) map[string]string {
	if len(names) == 0 {
		return nil
	}
	all := map[string]string{
		SysSenderID:                         m.meta.SenderID,
		SysSentTimestamp:                    strconv.FormatInt(m.meta.SentAt, 10),
		SysApproximateReceiveCount:          strconv.FormatInt(m.state.ReceiveCount, 10),
		SysApproximateFirstReceiveTimestamp: strconv.FormatInt(m.state.FirstReceiveAt, 10),
	}
	if q.cfg.fifo {
		all[SysSequenceNumber] = sequenceNumber(m.seq)
		all[SysMessageDeduplicationID] = m.meta.DedupID
	}
	if m.meta.GroupID != "" {
		all[SysMessageGroupID] = m.meta.GroupID
	}
	if m.meta.TraceHeader != "" {
		all[SysAWSTraceHeader] = m.meta.TraceHeader
	}
	if m.meta.DLQSourceArn != "" {
		all[SysDeadLetterQueueSourceArn] = m.meta.DLQSourceArn
	}
	if slices.Contains(names, SysAll) {
		return all
	}
	out := map[string]string{}
	for _, n := range names {
		if v, ok := all[n]; ok {
			out[n] = v
		}
	}
	return out
}

// filterAttributes keeps the attributes a receive asked for: "All", ".*",
// a "prefix.*" or exact names.
func filterAttributes(attrs map[string]MessageAttribute, names []string) map[string]MessageAttribute {
	if len(attrs) == 0 || len(names) == 0 {
		return nil
	}
	out := map[string]MessageAttribute{}
	for k, v := range attrs {
		for _, n := range names {
			if n == "All" || n == "*" || n == ".*" || n == k || (strings.HasSuffix(n, ".*") && strings.HasPrefix(k, strings.TrimSuffix(n, ".*"))) {
				out[k] = v
				break
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
