package queue

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/fogbank/fogbank/internal/store"
)

// dedupWindowMillis is the FIFO deduplication interval.
const dedupWindowMillis = 5 * 60 * 1000

// SendMessageInput is one message to send.
type SendMessageInput struct {
	Caller           Caller
	Queue            QueueRef
	Body             string
	DelaySeconds     *int64
	Attributes       map[string]MessageAttribute
	SystemAttributes map[string]MessageAttribute
	DedupID          *string
	GroupID          *string
}

// SendMessageOutput describes an accepted message.
type SendMessageOutput struct {
	MessageID      string
	MD5OfBody      string
	MD5OfAttrs     string
	MD5OfSysAttrs  string
	SequenceNumber string
}

// SendMessage sends one message.
func (s *Service) SendMessage(ctx context.Context, in SendMessageInput) (SendMessageOutput, error) {
	q, err := s.lookup(in.Caller, in.Queue)
	if err != nil {
		return SendMessageOutput{}, err
	}
	cfg := q.config()
	m, err := s.prepare(in, cfg.maxSize, cfg.fifo)
	if err != nil {
		return SendMessageOutput{}, err
	}
	out, done, err := s.enqueue(q, m)
	if err != nil {
		return SendMessageOutput{}, err
	}
	return out, commit(done)
}

// prepare validates a send and builds the message, without touching the queue.
func (s *Service) prepare(in SendMessageInput, maxSize int64, fifo bool) (*message, error) {
	if in.Body == "" {
		return nil, missingParam("MessageBody")
	}
	body := []byte(in.Body)
	if err := checkBody(body); err != nil {
		return nil, err
	}
	attrSize, err := checkAttributes(in.Attributes)
	if err != nil {
		return nil, err
	}
	sysSize, err := checkSystemAttributes(in.SystemAttributes)
	if err != nil {
		return nil, err
	}
	if size := int64(len(body) + attrSize + sysSize); size > maxSize {
		return nil, invalidParams(fmt.Sprintf("Message must be shorter than %d bytes.", maxSize))
	}
	if err := checkDelay(in.DelaySeconds, fifo); err != nil {
		return nil, err
	}
	if err := checkFifoID("MessageGroupId", in.GroupID); err != nil {
		return nil, err
	}
	if err := checkFifoID("MessageDeduplicationId", in.DedupID); err != nil {
		return nil, err
	}
	m := &message{id: s.ids.UUID(), body: body, idx: -1}
	m.meta = meta{
		Attributes: in.Attributes,
		SenderID:   cmp.Or(in.Caller.AccessKeyID, in.Caller.Account),
		MD5Body:    MD5OfBody(body),
		MD5Attrs:   MD5OfAttributes(in.Attributes),
	}
	if th, ok := in.SystemAttributes["AWSTraceHeader"]; ok {
		m.meta.TraceHeader = *th.StringValue
		m.meta.MD5SysAttrs = MD5OfAttributes(in.SystemAttributes)
	}
	if in.GroupID != nil {
		m.meta.GroupID = *in.GroupID
	}
	if in.DedupID != nil && fifo {
		m.meta.DedupID = *in.DedupID
	}
	if in.DelaySeconds != nil {
		m.state.VisibleAt = *in.DelaySeconds * 1000 // relative until enqueued
	} else {
		m.state.VisibleAt = -1
	}
	return m, nil
}

func checkDelay(d *int64, fifo bool) error {
	if d == nil {
		return nil
	}
	if *d < 0 || *d > 900 {
		return invalidValue("DelaySeconds", *d, "DelaySeconds must be >= 0 and <= 900.")
	}
	if fifo && *d > 0 {
		return invalidValue("DelaySeconds", *d, "The request include parameter that is not valid for this queue type.")
	}
	return nil
}

// enqueue adds a prepared message under the queue lock and submits it. For a
// FIFO duplicate it returns the original message's id and submits nothing.
func (s *Service) enqueue(q *queue, m *message, extra ...store.Change) (SendMessageOutput, <-chan error, error) {
	now := s.nowMillis()
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.deleted {
		return SendMessageOutput{}, nil, errQueueDoesNotExist
	}
	if int64(len(m.body)) > q.cfg.maxSize {
		return SendMessageOutput{}, nil, invalidParams(fmt.Sprintf("Message must be shorter than %d bytes.", q.cfg.maxSize))
	}
	var changes []store.Change
	if q.cfg.fifo {
		dup, dedup, err := q.deduplicate(m, now)
		if err != nil {
			return SendMessageOutput{}, nil, err
		}
		if dup != "" {
			// The original's commit may still be pending: rewriting its
			// entry (unchanged) makes this answer wait for it.
			out := SendMessageOutput{MessageID: dup, MD5OfBody: m.meta.MD5Body, MD5OfAttrs: m.meta.MD5Attrs, MD5OfSysAttrs: m.meta.MD5SysAttrs}
			return out, s.store.Submit(append([]store.Change{store.PutDedup{Dedup: dedup}}, extra...)...), nil
		}
		changes = append(changes, store.PutDedup{Dedup: dedup})
	}
	s.stamp(q, m, now)
	q.add(m)
	changes = append(changes, store.PutMessage{Message: q.record(m)})
	done := s.store.Submit(append(changes, extra...)...)
	if m.state.VisibleAt <= now {
		q.notify()
	}
	out := SendMessageOutput{MessageID: m.id, MD5OfBody: m.meta.MD5Body, MD5OfAttrs: m.meta.MD5Attrs, MD5OfSysAttrs: m.meta.MD5SysAttrs}
	if q.cfg.fifo {
		out.SequenceNumber = sequenceNumber(m.seq)
	}
	return out, done, nil
}

// stamp gives a message its sequence number, send time and first visibility.
func (s *Service) stamp(q *queue, m *message, now int64) {
	// Sequence numbers follow the clock so they keep increasing across
	// restarts without rewriting the queue row on every send.
	m.seq = max(q.rec.NextSeq, now*1000)
	q.rec.NextSeq = m.seq + 1
	m.meta.SentAt = now
	delay := q.cfg.delay * 1000
	if m.state.VisibleAt >= 0 && !q.cfg.fifo {
		delay = m.state.VisibleAt // an explicit per-message delay, in ms
	}
	m.state.VisibleAt = now + delay
}

// deduplicate applies FIFO deduplication. It returns the id of the original
// message and its entry for a duplicate, or the entry to store for a new
// message.
func (q *queue) deduplicate(m *message, now int64) (string, store.Dedup, error) {
	if m.meta.GroupID == "" {
		return "", store.Dedup{}, missingParam("MessageGroupId")
	}
	id := m.meta.DedupID
	if id == "" {
		if !q.cfg.contentDedup {
			return "", store.Dedup{}, errorf(CodeInvalidParameterValue, "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
		}
		sum := sha256.Sum256(m.body)
		id = hex.EncodeToString(sum[:])
		m.meta.DedupID = id
	}
	key := id
	if q.cfg.dedupPerGroup {
		key = m.meta.GroupID + "\x00" + id
	}
	if d, ok := q.dedup[key]; ok && d.ExpiresAt > now {
		return d.MessageID, d, nil
	}
	// After a switch from queue to messageGroup scope, AWS still honours the
	// queue-wide ids recorded before the switch.
	if d, ok := q.dedup[id]; ok && key != id && d.ExpiresAt > now {
		return d.MessageID, d, nil
	}
	d := store.Dedup{QueueID: q.rec.ID, Key: key, MessageID: m.id, ExpiresAt: now + dedupWindowMillis}
	q.dedup[key] = d
	return "", d, nil
}

func sequenceNumber(seq int64) string { return fmt.Sprintf("1%019d", seq) }

// record renders a message for the store. Callers hold q.mu.
func (q *queue) record(m *message) store.Message {
	b, _ := json.Marshal(m.meta)
	return store.Message{QueueID: q.rec.ID, ID: m.id, Seq: m.seq, Body: m.body, Meta: b, State: m.state}
}
