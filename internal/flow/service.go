package flow

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/idgen"
	"github.com/fogbank/fogbank/internal/scheduler"
	"github.com/fogbank/fogbank/internal/store"
)

// Store record kinds.
const (
	RecordStateMachine = "sfn-state-machine"
	RecordVersion      = "sfn-version"
	RecordAlias        = "sfn-alias"
	RecordExecution    = "sfn-execution"
	// RecordExecutionDefinition holds the definition an execution runs.
	RecordExecutionDefinition = "sfn-execution-definition"
	RecordEvent               = "sfn-event"
	RecordToken               = "sfn-token"
	RecordActivity            = "sfn-activity"
)

// Config holds the service's dependencies.
type Config struct {
	Store  store.Store
	Clock  clock.Clock
	IDs    idgen.Generator
	Logger *slog.Logger
	// TimeScale multiplies every Wait state, Retry interval and timeout
	// (0 means 1; 0.01 makes them 100× shorter).
	TimeScale float64
	// Tasks makes the engine.Tasks an execution's Task states run on; nil:
	// every Task fails as an unsupported resource.
	Tasks func(ExecutionInfo) engine.Tasks
}

// Validate checks the config.
func (c Config) Validate() error {
	if c.Store == nil {
		return errors.New("flow: a store is required")
	}
	return scheduler.Config{Scale: c.TimeScale}.Validate()
}

// Service is the Step Functions domain service.
//
// Lock order: Service.mu before execution.mu before callbacks.mu.
type Service struct {
	store store.Store
	clock clock.Clock
	ids   idgen.Generator
	log   *slog.Logger
	sched *scheduler.Scheduler
	tasks func(ExecutionInfo) engine.Tasks

	mu         sync.RWMutex             // guards the maps below
	machines   map[string]*machine      // by state machine ARN
	executions map[string]*execution    // by execution ARN (STANDARD; EXPRESS while running)
	activities map[string]*activity     // by activity ARN
	mapRuns    map[string]*mapRunRecord // by map run ARN

	callbacks callbacks
	parsed    sync.Map // parsedKey → *asl.StateMachine

	ctx     context.Context // ends at Stop: every run's context
	cancel  context.CancelFunc
	running sync.WaitGroup // execution goroutines
	stopped sync.Once
}

// New builds the service. Call Start before use.
func New(cfg Config) *Service {
	c := cmp.Or[clock.Clock](cfg.Clock, clock.System{})
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{
		store:      cfg.Store,
		clock:      c,
		ids:        cmp.Or[idgen.Generator](cfg.IDs, idgen.Random{}),
		log:        cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		sched:      scheduler.New(scheduler.Config{Clock: c, Scale: cfg.TimeScale}),
		tasks:      cfg.Tasks,
		machines:   map[string]*machine{},
		executions: map[string]*execution{},
		activities: map[string]*activity{},
		mapRuns:    map[string]*mapRunRecord{},
		ctx:        ctx,
		cancel:     cancel,
	}
	s.callbacks.init(s)
	if s.tasks == nil {
		s.tasks = func(ExecutionInfo) engine.Tasks { return unsupportedTasks{} }
	}
	return s
}

// Start loads state machines, activities, executions and task tokens from
// the store and resumes every RUNNING STANDARD execution.
func (s *Service) Start(ctx context.Context) error {
	if err := s.loadMachines(ctx); err != nil {
		return err
	}
	if err := s.loadActivities(ctx); err != nil {
		return err
	}
	if err := s.callbacks.load(ctx); err != nil {
		return err
	}
	if err := s.loadMapRuns(ctx); err != nil {
		return err
	}
	running, err := s.loadExecutions(ctx)
	if err != nil {
		return err
	}
	s.sched.Start()
	for _, x := range running {
		s.launch(x)
	}
	return nil
}

// Stop ends every running execution's goroutine without recording
// anything (they resume at the next Start) and stops the timers. Safe
// without Start and more than once.
func (s *Service) Stop() {
	s.stopped.Do(func() {
		s.cancel()
		s.sched.Stop()
		s.running.Wait()
	})
}

// now is the logical time of the scheduler (see Config.TimeScale).
func (s *Service) now() time.Time { return s.sched.Now() }

// put encodes a record change.
func put(kind, key string, v any) store.Change {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("flow: encode %s: %v", kind, err)) // our own structs always encode
	}
	return store.PutRecord{Record: store.Record{Kind: kind, Key: key, Data: b}}
}

// load decodes every record of a kind.
func load[T any](ctx context.Context, st store.Store, kind string) ([]T, error) {
	recs, err := st.LoadRecords(ctx, kind)
	if err != nil {
		return nil, fmt.Errorf("flow: load %s: %w", kind, err)
	}
	out := make([]T, 0, len(recs))
	for _, r := range recs {
		var v T
		if err := json.Unmarshal(r.Data, &v); err != nil {
			return nil, fmt.Errorf("flow: %s %s: %w", kind, r.Key, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// unsupportedTasks fails every Task: no integration is wired.
type unsupportedTasks struct{}

func (unsupportedTasks) Invoke(_ context.Context, req engine.TaskRequest) (any, error) {
	return nil, engine.NewTaskError(engine.ErrRuntime, "The resource provided "+req.Resource+" is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.")
}
