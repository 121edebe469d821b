package topic

import (
	"context"

	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/store"
)

// PublishInternal publishes one message for another fogbank service (an
// EventBridge rule's SNS target). It behaves as Publish, except that the
// topic's owner is not checked (the caller delivers on behalf of the topic's
// account) and the caller's extra changes — typically the removal of its own
// outbox job — are committed in the same transaction as the subscription
// jobs, so the hop is exactly-once. A duplicate within a FIFO topic's
// deduplication window still commits extra.
func (s *Service) PublishInternal(ctx context.Context, in PublishInput, extra ...store.Change) (PublishOutput, error) {
	m, err := prepare(in.Message)
	if err != nil {
		return PublishOutput{}, err
	}
	if err := s.signer.ensure(ctx); err != nil {
		return PublishOutput{}, err
	}
	s.mu.RLock()
	t, err := s.lookupTopic(Caller{}, in.TopicArn)
	if err == nil {
		err = checkFIFO(t, []prepared{m})
	}
	if err != nil {
		s.mu.RUnlock()
		return PublishOutput{}, err
	}
	t.mu.Lock()
	now := s.clock.Now()
	out, dup, dkey, dedupChanges := s.assign(t, m, now)
	var jobs []delivery.Job
	if !dup {
		jobs = s.jobsFor(t, m, out, now, in.Caller.Endpoint, in.TraceHeader)
	}
	changes := append(append(s.delivery.Jobs(jobs), dedupChanges...), extra...)
	if t.fifoTopic() && !dup {
		changes = append(changes, putTopic(t))
	}
	var done <-chan error
	if len(changes) > 0 {
		done = s.store.Submit(changes...)
	}
	t.mu.Unlock()
	s.mu.RUnlock()
	if done == nil {
		return out, nil
	}
	if err := commit(done); err != nil {
		s.delivery.Abandon(jobs)
		if dkey != "" {
			t.mu.Lock()
			t.dedup.remove(dkey)
			t.mu.Unlock()
		}
		return PublishOutput{}, err
	}
	s.delivery.Wake(jobs)
	return out, nil
}
