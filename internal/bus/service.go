package bus

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/function"
	"github.com/fogbank/fogbank/internal/idgen"
	"github.com/fogbank/fogbank/internal/pattern"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/topic"
)

// Store record kinds.
const (
	RecordBus  = "events-bus"
	RecordRule = "events-rule"
)

// DefaultBus is the name of the bus every account and region has.
const DefaultBus = "default"

// Jobs is the part of the delivery dispatcher PutEvents uses.
type Jobs interface {
	Jobs([]delivery.Job) []store.Change
	Wake([]delivery.Job)
	Abandon([]delivery.Job)
}

// Config holds the service's dependencies.
type Config struct {
	Store  store.Store
	Clock  clock.Clock
	IDs    idgen.Generator
	Logger *slog.Logger
	Queues *queue.Service // SQS targets
	Topics *topic.Service // SNS targets; nil: SNS targets fail into the retry path
	Jobs   Jobs           // the delivery dispatcher
	// Endpoint returns the server's base URL (SNS envelopes carry URLs
	// built on it); called at delivery time.
	Endpoint func() string
	// HTTP invokes API destinations; default: 5 s timeout, as AWS.
	HTTP *http.Client
	// Strict enforces bus policies on cross-account PutEvents (the
	// server's --auth=strict).
	Strict bool

	// Functions serves Lambda targets; nil: they fail into the retry path.
	Functions *function.Service
}

// Caller is who calls an operation and where.
type Caller struct {
	Account string
	Region  string
}

// Service is the EventBridge domain service.
type Service struct {
	store    store.Store
	clock    clock.Clock
	ids      idgen.Generator
	log      *slog.Logger
	queues   *queue.Service
	topics   *topic.Service
	funcs    *function.Service
	jobs     Jobs
	endpoint func() string
	strict   bool
	http     *http.Client
	tokens   tokenCache
	limits   limiters

	mu       sync.RWMutex // guards buses and everything reachable from them
	buses    map[busKey]*eventBus
	archives map[archiveKey]*archive
	replays  map[archiveKey]*replay // by replay name

	connections map[archiveKey]*connectionRecord // by name
	apiDests    map[archiveKey]*apiDestRecord    // by name

	sched   *scheduler
	running sync.WaitGroup // replays in progress
	stop    chan struct{}  // closed by Stop
	stopped sync.Once

	hooks atomic.Pointer[hooks] // schema discovery and validation (observe.go)

	machines atomic.Pointer[StateMachines] // Step Functions targets (deliver_sfn.go)
}

type busKey struct{ account, region, name string }

// eventBus is one bus with its rules.
type eventBus struct {
	rec      busRecord
	rules    map[string]*rule
	matcher  *pattern.Matcher // patterns of the ENABLED rules, by rule name
	archives []*archive
}

// busRecord is a bus as stored.
type busRecord struct {
	Account       string            `json:"account"`
	Region        string            `json:"region"`
	Name          string            `json:"name"`
	Description   string            `json:"description,omitempty"`
	DeadLetterArn string            `json:"deadLetterArn,omitempty"`
	Policy        string            `json:"policy,omitempty"`
	Tags          map[string]string `json:"tags,omitempty"`
	Created       int64             `json:"created"`  // Unix ms
	Modified      int64             `json:"modified"` // Unix ms
}

func (r busRecord) arn() string { return busArn(r.Region, r.Account, r.Name) }

func busArn(region, account, name string) string {
	return arn.ARN{Partition: arn.Partition(region), Service: "events", Region: region, Account: account, Resource: "event-bus/" + name}.String()
}

func ruleArn(region, account, busName, name string) string {
	res := "rule/" + name
	if busName != DefaultBus {
		res = "rule/" + busName + "/" + name
	}
	return arn.ARN{Partition: arn.Partition(region), Service: "events", Region: region, Account: account, Resource: res}.String()
}

// New builds the service. Call Start before use.
func New(cfg Config) *Service {
	if cfg.Endpoint == nil {
		cfg.Endpoint = func() string { return "" }
	}
	s := &Service{
		store:    cfg.Store,
		clock:    cmp.Or[clock.Clock](cfg.Clock, clock.System{}),
		ids:      cmp.Or[idgen.Generator](cfg.IDs, idgen.Random{}),
		log:      cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		queues:   cfg.Queues,
		topics:   cfg.Topics,
		funcs:    cfg.Functions,
		jobs:     cfg.Jobs,
		endpoint: cfg.Endpoint,
		strict:   cfg.Strict,
		http:     cmp.Or(cfg.HTTP, &http.Client{Timeout: 5 * time.Second}),
		buses:    map[busKey]*eventBus{},
		archives: map[archiveKey]*archive{},
		replays:  map[archiveKey]*replay{},

		connections: map[archiveKey]*connectionRecord{},
		apiDests:    map[archiveKey]*apiDestRecord{},
		stop:        make(chan struct{}),
	}
	s.sched = newScheduler(s)
	return s
}

// Start loads buses and rules from the store.
func (s *Service) Start(ctx context.Context) error {
	buses, err := s.store.LoadRecords(ctx, RecordBus)
	if err != nil {
		return fmt.Errorf("bus: load buses: %w", err)
	}
	rules, err := s.store.LoadRecords(ctx, RecordRule)
	if err != nil {
		return fmt.Errorf("bus: load rules: %w", err)
	}
	progress, err := s.loadSchedules(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range buses {
		var rec busRecord
		if err := json.Unmarshal(r.Data, &rec); err != nil {
			return fmt.Errorf("bus: bus %s: %w", r.Key, err)
		}
		s.buses[busKey{rec.Account, rec.Region, rec.Name}] = newBus(rec)
	}
	for _, r := range rules {
		var rec ruleRecord
		if err := json.Unmarshal(r.Data, &rec); err != nil {
			return fmt.Errorf("bus: rule %s: %w", r.Key, err)
		}
		b := s.busLocked(Caller{rec.Account, rec.Region}, rec.Bus, true)
		if b == nil {
			continue
		}
		ru, err := newRule(rec)
		if err != nil {
			return fmt.Errorf("bus: rule %s: %w", r.Key, err)
		}
		b.putRule(ru)
		if rec.ScheduleExpression != "" {
			s.sched.load(rec, progress[ruleKey(rec)], s.clock.Now())
		}
	}
	if err := s.loadArchives(ctx); err != nil {
		return err
	}
	if err := s.loadReplays(ctx); err != nil {
		return err
	}
	if err := s.loadConnections(ctx); err != nil {
		return err
	}
	s.sched.start()
	return nil
}

func (s *Service) loadSchedules(ctx context.Context) (map[string]*scheduleRecord, error) {
	recs, err := s.store.LoadRecords(ctx, RecordSchedule)
	if err != nil {
		return nil, fmt.Errorf("bus: load schedules: %w", err)
	}
	out := make(map[string]*scheduleRecord, len(recs))
	for _, r := range recs {
		var st scheduleRecord
		if err := json.Unmarshal(r.Data, &st); err != nil {
			return nil, fmt.Errorf("bus: schedule %s: %w", r.Key, err)
		}
		out[r.Key] = &st
	}
	return out, nil
}

// Stop stops the scheduler and replays in progress (they resume at the next
// Start). Safe without Start and more than once.
func (s *Service) Stop() {
	s.stopped.Do(func() { close(s.stop) })
	s.sched.halt()
	s.running.Wait()
}

func newBus(rec busRecord) *eventBus {
	return &eventBus{rec: rec, rules: map[string]*rule{}, matcher: pattern.NewMatcher()}
}

// busLocked finds a bus by name or ARN. The default bus always exists: it is
// made on first use (and stored only once something about it is set).
// Callers hold s.mu (for writing when create may make the default bus).
func (s *Service) busLocked(c Caller, nameOrArn string, create bool) *eventBus {
	name := busName(nameOrArn)
	k := busKey{c.Account, c.Region, name}
	if b := s.buses[k]; b != nil {
		return b
	}
	if name != DefaultBus || !create {
		return nil
	}
	now := s.clock.Now().UnixMilli()
	b := newBus(busRecord{Account: c.Account, Region: c.Region, Name: DefaultBus, Created: now, Modified: now})
	s.buses[k] = b
	return b
}

// busName returns the name of a bus given by name or ARN; "" is default.
func busName(nameOrArn string) string {
	if nameOrArn == "" {
		return DefaultBus
	}
	if a, err := arn.Parse(nameOrArn); err == nil {
		if n, ok := strings.CutPrefix(a.Resource, "event-bus/"); ok {
			return n
		}
	}
	return nameOrArn
}

// readBus finds a bus for a read: the default bus is synthesized when absent.
func (s *Service) readBus(c Caller, nameOrArn string) (*eventBus, error) {
	s.mu.RLock()
	b := s.busLocked(c, nameOrArn, false)
	s.mu.RUnlock()
	if b != nil {
		return b, nil
	}
	if busName(nameOrArn) == DefaultBus {
		s.mu.Lock()
		b = s.busLocked(c, nameOrArn, true)
		s.mu.Unlock()
		return b, nil
	}
	return nil, busNotFound(busName(nameOrArn))
}

func busRecordChange(rec busRecord) store.Change {
	b, _ := json.Marshal(rec)
	return store.PutRecord{Record: store.Record{Kind: RecordBus, Key: rec.Account + "/" + rec.Region + "/" + rec.Name, Data: b}}
}

func ruleKey(rec ruleRecord) string {
	return rec.Account + "/" + rec.Region + "/" + rec.Bus + "/" + rec.Name
}

func ruleRecordChange(rec ruleRecord) store.Change {
	b, _ := json.Marshal(rec)
	return store.PutRecord{Record: store.Record{Kind: RecordRule, Key: ruleKey(rec), Data: b}}
}

// commit waits for submitted changes.
func commit(done <-chan error) error {
	if done == nil {
		return nil
	}
	if err := <-done; err != nil {
		return fmt.Errorf("bus: commit: %w", err)
	}
	return nil
}
