package bus

import (
	"context"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/store"
)

// Forward accepts an event that another fogbank service sends to a bus
// (Lambda destinations, Step Functions integrations): it builds the
// envelope in the bus's account and region and commits, with extra, a job
// of this service's kind that routes the event through the bus's rules and
// archives, as a bus-to-bus target does. An ARN that is not an event bus's
// is a permanent failure.
func (s *Service) Forward(ctx context.Context, busArn string, e Entry, extra ...store.Change) error {
	a, err := arn.Parse(busArn)
	if err != nil || a.Service != "events" {
		return delivery.Permanent(validation("Invalid event bus ARN: %s", busArn))
	}
	id := s.ids.UUID()
	event := envelope(id, Caller{Account: a.Account, Region: a.Region}, e, s.clock.Now())
	jobs := []delivery.Job{{
		ID: id, Kind: JobKind, Target: busArn, Payload: event,
		Attrs: map[string]string{attrEventID: id}, Policy: retryPolicy(nil),
	}}
	return s.accept(ctx, jobs, extra...)
}
