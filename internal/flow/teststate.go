package flow

import (
	"context"

	"github.com/fogbank/fogbank/internal/flow/engine"
)

// TestState evaluates one state as the TestState API does: with the
// request's mock, or with the service's Task integrations when there is
// none.
func (s *Service) TestState(ctx context.Context, in engine.TestStateInput) (engine.TestStateOutput, error) {
	newID, rnd := seeded(s.ids.UUID())
	info := ExecutionInfo{StateMachineType: TypeStandard}
	cfg := engine.Config{Clock: s.sched, Timers: s.sched, NewID: newID, Rand: rnd, Tasks: s.tasks(info)}
	return engine.TestState(ctx, cfg, in)
}
