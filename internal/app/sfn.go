package app

import (
	"context"
	"fmt"

	sfnapi "github.com/fogbank/fogbank/internal/awsapi/sfn"
	"github.com/fogbank/fogbank/internal/flow"
	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/flow/integration"
	"github.com/fogbank/fogbank/internal/httpserver"
)

// startStepFunctions starts Step Functions: the flow service (which
// resumes the STANDARD executions left running), the integrations its
// Task states run on, and its route. It runs after the services its Task
// states call (queues, functions, topics, buses) and before startDelivery.
func (a *App) startStepFunctions(ctx context.Context) error {
	var tasks *integration.Tasks
	cfg := flow.Config{
		Store: a.store, Clock: a.clock, IDs: a.ids, Logger: a.log, TimeScale: a.cfg.SFNTimeScale,
		Tasks: func(info flow.ExecutionInfo) engine.Tasks { return tasks.ForExecution(info) },
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	var mocks *integration.MockConfig
	if path := a.cfg.SFNMockConfig; path != "" {
		m, err := integration.LoadMockConfig(path)
		if err != nil {
			return fmt.Errorf("app: --sfn-mock-config: %w", err)
		}
		mocks = m
	}
	svc := flow.New(cfg)
	tasks = integration.New(integration.Config{
		Functions: a.funcs, Queues: a.queues, Topics: a.topics, Buses: a.buses, Executions: svc, Callbacks: svc,
		Clock: a.clock, IDs: a.ids, Logger: a.log, Endpoint: a.baseURL, Region: a.cfg.DefaultRegion, Mocks: mocks,
	})
	a.buses.SetStateMachines(integration.BusTarget(svc))
	if err := svc.Start(ctx); err != nil {
		return err
	}
	a.onStop(svc.Stop)
	a.router.Handle(httpserver.Route{Name: "states", TargetPrefix: sfnapi.TargetPrefix}, sfnapi.New(svc, a.log))
	return nil
}
