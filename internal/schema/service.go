package schema

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/idgen"
	"github.com/fogbank/fogbank/internal/store"
)

// Store record kinds.
const (
	RecordRegistry   = "schemas-registry"
	RecordSchema     = "schemas-schema"
	RecordDiscoverer = "schemas-discoverer"
	RecordPolicy     = "schemas-policy"
)

// The built-in registries.
const (
	AWSRegistry        = "aws.events"
	DiscoveredRegistry = "discovered-schemas"
)

// Schema types.
const (
	TypeOpenAPI3   = "OpenApi3"
	TypeJSONSchema = "JSONSchemaDraft4"
)

// Config holds the service's dependencies.
type Config struct {
	Store  store.Store
	Clock  clock.Clock
	IDs    idgen.Generator
	Logger *slog.Logger
	// BusExists reports whether an event bus exists; discoverers need one.
	BusExists func(account, region, name string) bool
	// QueueSize bounds the events waiting for discovery; default 4096.
	QueueSize int
}

// Caller is who calls an operation and where.
type Caller struct {
	Account string
	Region  string
}

// Service is the schema registry domain service.
type Service struct {
	store     store.Store
	clock     clock.Clock
	ids       idgen.Generator
	log       *slog.Logger
	busExists func(account, region, name string) bool
	builtin   map[string]version // aws.events

	mu          sync.RWMutex // guards everything below
	registries  map[regKey]*registry
	discoverers map[regKey]*discovererRecord // by id
	active      map[regKey]*discovererRecord // STARTED discoverers, by bus
	policies    map[regKey]*policyRecord     // by registry name ("" for the account)

	samples  chan sample
	stop     chan struct{}
	done     chan struct{}
	started  bool
	stopOnce sync.Once
}

// regKey names something within an account and region.
type regKey struct{ account, region, name string }

func (c Caller) key(name string) regKey { return regKey{c.Account, c.Region, name} }

// New builds the service. Call Start before use.
func New(cfg Config) *Service {
	if cfg.BusExists == nil {
		cfg.BusExists = func(string, string, string) bool { return false }
	}
	return &Service{
		store:       cfg.Store,
		clock:       cmp.Or[clock.Clock](cfg.Clock, clock.System{}),
		ids:         cmp.Or[idgen.Generator](cfg.IDs, idgen.Random{}),
		log:         cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		busExists:   cfg.BusExists,
		builtin:     builtinSchemas(),
		registries:  map[regKey]*registry{},
		discoverers: map[regKey]*discovererRecord{},
		active:      map[regKey]*discovererRecord{},
		policies:    map[regKey]*policyRecord{},
		samples:     make(chan sample, cmp.Or(cfg.QueueSize, 4096)),
		stop:        make(chan struct{}),
		done:        make(chan struct{}),
	}
}

// Start loads the registry from the store and starts the discovery worker.
func (s *Service) Start(ctx context.Context) error {
	if err := s.load(ctx); err != nil {
		return err
	}
	s.started = true
	go s.work()
	return nil
}

// Stop ends the discovery worker; events still queued are not discovered.
// Safe without Start and more than once.
func (s *Service) Stop() {
	s.stopOnce.Do(func() {
		close(s.stop)
		if s.started {
			<-s.done
		}
	})
}

func (s *Service) load(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	regs, err := s.store.LoadRecords(ctx, RecordRegistry)
	if err != nil {
		return fmt.Errorf("schema: load registries: %w", err)
	}
	for _, r := range regs {
		var rec registryRecord
		if err := json.Unmarshal(r.Data, &rec); err != nil {
			return fmt.Errorf("schema: registry %s: %w", r.Key, err)
		}
		s.registries[regKey{rec.Account, rec.Region, rec.Name}] = &registry{rec: rec, schemas: map[string]*schemaEntry{}}
	}
	schemas, err := s.store.LoadRecords(ctx, RecordSchema)
	if err != nil {
		return fmt.Errorf("schema: load schemas: %w", err)
	}
	for _, r := range schemas {
		var rec schemaRecord
		if err := json.Unmarshal(r.Data, &rec); err != nil {
			return fmt.Errorf("schema: schema %s: %w", r.Key, err)
		}
		reg := s.localLocked(Caller{rec.Account, rec.Region}, rec.Registry)
		if reg == nil {
			continue
		}
		reg.schemas[rec.Name] = &schemaEntry{rec: rec}
	}
	return s.loadOthers(ctx)
}

func (s *Service) loadOthers(ctx context.Context) error {
	discs, err := s.store.LoadRecords(ctx, RecordDiscoverer)
	if err != nil {
		return fmt.Errorf("schema: load discoverers: %w", err)
	}
	for _, r := range discs {
		var rec discovererRecord
		if err := json.Unmarshal(r.Data, &rec); err != nil {
			return fmt.Errorf("schema: discoverer %s: %w", r.Key, err)
		}
		s.discoverers[regKey{rec.Account, rec.Region, rec.ID}] = &rec
		if rec.State == StateStarted {
			s.active[rec.busKey()] = &rec
		}
	}
	pols, err := s.store.LoadRecords(ctx, RecordPolicy)
	if err != nil {
		return fmt.Errorf("schema: load policies: %w", err)
	}
	for _, r := range pols {
		var rec policyRecord
		if err := json.Unmarshal(r.Data, &rec); err != nil {
			return fmt.Errorf("schema: policy %s: %w", r.Key, err)
		}
		s.policies[regKey{rec.Account, rec.Region, rec.Registry}] = &rec
	}
	return nil
}

// put makes a record change.
func put(kind, key string, v any) store.Change {
	b, _ := json.Marshal(v)
	return store.PutRecord{Record: store.Record{Kind: kind, Key: key, Data: b}}
}

// commit submits changes while the caller holds s.mu (so writes keep their
// order) and returns a wait for durability, to call after unlocking.
func (s *Service) commit(changes ...store.Change) func(ctx context.Context) error {
	ch := s.store.Submit(changes...)
	return func(ctx context.Context) error {
		select {
		case err := <-ch:
			if err != nil {
				return fmt.Errorf("schema: commit: %w", err)
			}
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *Service) arn(c Caller, resource string) string {
	return arn.ARN{Partition: arn.Partition(c.Region), Service: "schemas", Region: c.Region, Account: c.Account, Resource: resource}.String()
}

func millis(t time.Time) int64 { return t.UnixMilli() }

// Time converts stored Unix milliseconds.
func Time(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
