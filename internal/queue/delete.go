package queue

import (
	"context"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// DeleteMessage deletes the message a receipt handle names.
func (s *Service) DeleteMessage(ctx context.Context, c Caller, ref QueueRef, handle string) error {
	q, err := s.lookup(c, ref)
	if err != nil {
		return err
	}
	done, err := s.deleteLocked(q, handle)
	if err != nil {
		return err
	}
	return commit(done)
}

func invalidReceipt(handle string) *Error {
	return errorf(CodeReceiptHandleIsInvalid, "The input receipt handle \"%s\" is not a valid receipt handle.", handle)
}

func (s *Service) deleteLocked(q *queue, handle string) (<-chan error, error) {
	if handle == "" {
		return nil, missingParam("ReceiptHandle")
	}
	r, ok := decodeReceipt(handle)
	if !ok || r.queueID != q.rec.ID {
		return nil, invalidReceipt(handle)
	}
	now := s.nowMillis()
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.deleted {
		return nil, errQueueDoesNotExist
	}
	m := q.msgs[r.msgID]
	if m == nil {
		// Already deleted: SQS answers success. The earlier delete may still
		// be waiting for its commit, so submit it again (a no-op once it is
		// done): this answer then waits for that commit, as a 2xx must.
		return s.store.Submit(store.DeleteMessage{QueueID: q.rec.ID, ID: r.msgID}), nil
	}
	if q.cfg.fifo && (m.state.Receipt != r.token || !m.inFlight(now)) {
		return nil, invalidValue("ReceiptHandle", handle, "The receipt handle has expired.")
	}
	q.remove(m)
	if m.group != nil {
		q.notify() // the group may be unlocked now
	}
	return s.store.Submit(store.DeleteMessage{QueueID: q.rec.ID, ID: m.id}), nil
}

// ChangeMessageVisibility sets a received message's visibility timeout,
// counted from now.
func (s *Service) ChangeMessageVisibility(ctx context.Context, c Caller, ref QueueRef, handle string, timeout int64) error {
	q, err := s.lookup(c, ref)
	if err != nil {
		return err
	}
	done, err := s.changeVisibilityLocked(q, handle, timeout)
	if err != nil {
		return err
	}
	return commit(done)
}

const maxVisibilityMillis = 12 * 60 * 60 * 1000

func (s *Service) changeVisibilityLocked(q *queue, handle string, timeout int64) (<-chan error, error) {
	if handle == "" {
		return nil, missingParam("ReceiptHandle")
	}
	if timeout < 0 || timeout > 43200 {
		return nil, invalidValue("VisibilityTimeout", timeout, "VisibilityTimeout must be an integer between 0 and 43200")
	}
	r, ok := decodeReceipt(handle)
	if !ok || r.queueID != q.rec.ID {
		return nil, invalidReceipt(handle)
	}
	now := s.nowMillis()
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.deleted {
		return nil, errQueueDoesNotExist
	}
	m := q.msgs[r.msgID]
	if m == nil || m.state.Receipt != r.token {
		return nil, invalidValue("ReceiptHandle", handle, "The receipt handle has expired.")
	}
	if !m.inFlight(now) && q.cfg.fifo {
		return nil, errorf(CodeMessageNotInflight, "Message does not exist or is not available for visibility timeout change.")
	}
	if m.state.FirstReceiveAt > 0 && now+timeout*1000-m.state.FirstReceiveAt > maxVisibilityMillis {
		return nil, invalidValue("VisibilityTimeout", timeout, "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]")
	}
	st := m.state
	st.VisibleAt = now + timeout*1000
	q.setState(m, st)
	if timeout == 0 {
		q.notify()
	}
	return s.store.Submit(store.UpdateMessage{QueueID: q.rec.ID, ID: m.id, State: st}), nil
}

// PurgeQueue deletes every message; AWS allows one purge a minute.
func (s *Service) PurgeQueue(ctx context.Context, c Caller, ref QueueRef) error {
	q, err := s.lookup(c, ref)
	if err != nil {
		return err
	}
	now := s.nowMillis()
	q.mu.Lock()
	if q.deleted {
		q.mu.Unlock()
		return errQueueDoesNotExist
	}
	if q.rec.PurgedAt > 0 && now-q.rec.PurgedAt < millis(time.Minute) {
		q.mu.Unlock()
		return errorf(CodePurgeQueueInProgress, "Only one PurgeQueue operation on %s is allowed every 60 seconds.", q.rec.Name)
	}
	q.rec.PurgedAt = now
	q.clear()
	done := s.store.Submit(store.PurgeMessages{QueueID: q.rec.ID}, store.PutQueue{Queue: q.rec})
	q.mu.Unlock()
	return commit(done)
}

// expire removes messages past the retention period and stale dedup
// entries. Callers hold q.mu.
func (q *queue) expire(s *Service, now int64) {
	var changes []store.Change
	if q.cfg.retention > 0 {
		for _, m := range q.msgs {
			if m.meta.SentAt+q.cfg.retention*1000 <= now {
				q.remove(m)
				changes = append(changes, store.DeleteMessage{QueueID: q.rec.ID, ID: m.id})
			}
		}
	}
	for k, d := range q.dedup {
		if d.ExpiresAt <= now {
			delete(q.dedup, k)
			changes = append(changes, store.DeleteDedup{QueueID: q.rec.ID, Key: k})
		}
	}
	// Expiry needs no acknowledgement: losing it in a crash only means it
	// happens again after restart.
	s.store.Submit(changes...)
}
