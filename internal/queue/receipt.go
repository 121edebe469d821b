package queue

import (
	"encoding/base64"
	"strings"
)

// encodeReceipt makes a receipt handle: the queue id, the message id and the
// token of one receive.
func encodeReceipt(queueID, msgID, token string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(queueID + "/" + msgID + "/" + token))
}

type receipt struct{ queueID, msgID, token string }

func decodeReceipt(h string) (receipt, bool) {
	b, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		return receipt{}, false
	}
	parts := strings.Split(string(b), "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return receipt{}, false
	}
	return receipt{parts[0], parts[1], parts[2]}, true
}

// lockPair locks one or two queues in id order and returns the unlock.
func lockPair(a, b *queue) func() {
	if b == nil || b == a {
		a.mu.Lock()
		return a.mu.Unlock
	}
	first, second := a, b
	if b.rec.ID < a.rec.ID {
		first, second = b, a
	}
	first.mu.Lock()
	second.mu.Lock()
	return func() {
		second.mu.Unlock()
		first.mu.Unlock()
	}
}

// attempt remembers a FIFO receive for ReceiveRequestAttemptId retries.
type attempt struct {
	expires int64
	msgs    []*message
	tokens  []string
}

// replayAttempt returns the messages of an earlier receive with the same
// attempt id while they are still in flight under the same receipts.
// Callers hold q.mu.
func (q *queue) replayAttempt(id string, now int64) ([]*message, bool) {
	if id == "" || !q.cfg.fifo || q.attempts == nil {
		return nil, false
	}
	a, ok := q.attempts[id]
	if !ok || a.expires <= now {
		return nil, false
	}
	for i, m := range a.msgs {
		if q.msgs[m.id] != m || m.state.Receipt != a.tokens[i] || !m.inFlight(now) {
			return nil, false
		}
	}
	return a.msgs, len(a.msgs) > 0
}

// rememberAttempt records a FIFO receive under its attempt id for 5 minutes.
// Callers hold q.mu.
func (q *queue) rememberAttempt(id string, msgs []*message, now int64) {
	if id == "" || !q.cfg.fifo {
		return
	}
	if q.attempts == nil {
		q.attempts = map[string]attempt{}
	}
	for k, a := range q.attempts {
		if a.expires <= now {
			delete(q.attempts, k)
		}
	}
	a := attempt{expires: now + dedupWindowMillis, msgs: msgs}
	for _, m := range msgs {
		a.tokens = append(a.tokens, m.state.Receipt)
	}
	q.attempts[id] = a
}
