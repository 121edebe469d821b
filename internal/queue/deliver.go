package queue

import (
	"context"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/store"
)

// DeliverInput is a message another fogbank service (an SNS subscription,
// an EventBridge target, a dead-letter queue of either) puts on a queue.
type DeliverInput struct {
	QueueArn         string
	Body             string
	Attributes       map[string]MessageAttribute
	SystemAttributes map[string]MessageAttribute // AWSTraceHeader
	GroupID          *string                     // FIFO queues
	DedupID          *string                     // FIFO queues without content-based deduplication
	SenderID         string                      // what SenderId reports, e.g. the service principal's id
}

// Deliver sends a message on behalf of another service. It validates as
// SendMessage does and commits extra in the same transaction as the message
// (or, for a FIFO duplicate, with the dedup entry), so a caller removing its
// outbox entry there gets an exactly-once hop: the entry is gone if and only
// if the message is stored. The queue is addressed by ARN; resource policies
// are not evaluated.
func (s *Service) Deliver(ctx context.Context, in DeliverInput, extra ...store.Change) (SendMessageOutput, error) {
	a, err := arn.Parse(in.QueueArn)
	if err != nil || a.Service != "sqs" {
		return SendMessageOutput{}, errQueueDoesNotExist
	}
	s.mu.RLock()
	q := s.queues[regionKey{a.Account, a.Region}][a.Resource]
	s.mu.RUnlock()
	if q == nil {
		return SendMessageOutput{}, errQueueDoesNotExist
	}
	cfg := q.config()
	send := SendMessageInput{
		Caller: Caller{Account: a.Account, Region: a.Region, AccessKeyID: in.SenderID},
		Body:   in.Body, Attributes: in.Attributes, SystemAttributes: in.SystemAttributes,
		GroupID: in.GroupID, DedupID: in.DedupID,
	}
	m, err := s.prepare(send, cfg.maxSize, cfg.fifo)
	if err != nil {
		return SendMessageOutput{}, err
	}
	out, done, err := s.enqueue(q, m, extra...)
	if err != nil {
		return SendMessageOutput{}, err
	}
	return out, commit(done)
}

// QueueExists reports whether a queue with the ARN exists.
func (s *Service) QueueExists(queueArn string) bool {
	return s.lookupARN(queueArn) != nil
}

// IsFIFO reports whether the queue with the ARN is a FIFO queue.
func (s *Service) IsFIFO(queueArn string) bool {
	q := s.lookupARN(queueArn)
	if q == nil {
		return false
	}
	return q.config().fifo
}
