package function

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/idgen"
	"github.com/fogbank/fogbank/internal/store"
)

// RecordFunction is the store record kind of functions.
const RecordFunction = "lambda-function"

// Jobs is the part of the delivery dispatcher asynchronous invokes use.
type Jobs interface {
	Jobs([]delivery.Job) []store.Change
	Wake([]delivery.Job)
}

// Config holds the service's dependencies.
type Config struct {
	Store       store.Store
	Clock       clock.Clock
	IDs         idgen.Generator
	Logger      *slog.Logger
	Jobs        Jobs
	CodeDir     string        // code zips and unpacked trees; MUST be set
	SandboxDir  string        // sandboxes' private directories; default CodeDir/../sandboxes
	IdleTimeout time.Duration // an idle sandbox is stopped after this; default 10 minutes
	RetryDelay  time.Duration // async retries back off from this; default 1 minute, as AWS
}

// Validate reports a config the service cannot run with.
func (c Config) Validate() error {
	if c.Store == nil || c.Jobs == nil || c.CodeDir == "" {
		return fmt.Errorf("function: Store, Jobs and CodeDir are required")
	}
	return nil
}

// Service is the Lambda domain service.
type Service struct {
	cfg   Config
	store store.Store
	clock clock.Clock
	ids   idgen.Generator
	log   *slog.Logger
	code  codeStore

	mu        sync.RWMutex // guards functions; before any pool.mu
	functions map[funcKey]*function
	stopped   bool
}

type funcKey struct{ account, region, name string }

// function is a function in memory: its configuration and its pool.
type function struct {
	cfg  Function
	pool *pool
}

// New builds the service. Call Start before use.
func New(cfg Config) *Service {
	cfg.IdleTimeout = cmp.Or(cfg.IdleTimeout, 10*time.Minute)
	cfg.RetryDelay = cmp.Or(cfg.RetryDelay, time.Minute)
	cfg.SandboxDir = cmp.Or(cfg.SandboxDir, filepath.Join(filepath.Dir(filepath.Clean(cfg.CodeDir)), "sandboxes"))
	return &Service{
		cfg: cfg, store: cfg.Store, ids: cfg.IDs,
		clock:     cmp.Or[clock.Clock](cfg.Clock, clock.System{}),
		log:       cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		code:      codeStore{dir: cfg.CodeDir},
		functions: map[funcKey]*function{},
	}
}

// Start loads every function. Sandboxes start on demand.
func (s *Service) Start(ctx context.Context) error {
	if err := s.cfg.Validate(); err != nil {
		return err
	}
	if err := os.MkdirAll(s.cfg.CodeDir, 0o750); err != nil {
		return fmt.Errorf("function: code dir: %w", err)
	}
	// Sandboxes of an earlier run are gone with their processes.
	_ = os.RemoveAll(s.cfg.SandboxDir)
	recs, err := s.store.LoadRecords(ctx, RecordFunction)
	if err != nil {
		return fmt.Errorf("function: load: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		var f Function
		if err := json.Unmarshal(r.Data, &f); err != nil {
			return fmt.Errorf("function: record %s: %w", r.Key, err)
		}
		s.functions[keyOf(&f)] = &function{cfg: f, pool: s.newPool(f)}
	}
	return nil
}

// Stop kills every sandbox. Safe without Start and more than once.
func (s *Service) Stop() {
	s.mu.Lock()
	s.stopped = true
	pools := make([]*pool, 0, len(s.functions))
	for _, f := range s.functions {
		pools = append(pools, f.pool)
	}
	s.mu.Unlock()
	for _, p := range pools {
		p.close(true)
	}
}

func keyOf(f *Function) funcKey { return funcKey{f.Account, f.Region, f.Name} }

func recordKey(f *Function) string { return f.Account + "/" + f.Region + "/" + f.Name }

func putRecord(f *Function) store.Change {
	b, _ := json.Marshal(f)
	return store.PutRecord{Record: store.Record{Kind: RecordFunction, Key: recordKey(f), Data: b}}
}

// lookup finds a function by reference; only $LATEST (or no qualifier)
// exists.
func (s *Service) lookup(c Caller, r ref) (*function, error) {
	unqualified := functionARN(c.Region, c.Account, r.name)
	if r.qualifier != "" && r.qualifier != latest {
		return nil, notFound(unqualified + ":" + r.qualifier)
	}
	f, ok := s.functions[funcKey{c.Account, c.Region, r.name}]
	if !ok {
		if r.qualifier != "" {
			return nil, notFound(unqualified + ":" + r.qualifier)
		}
		return nil, notFound(unqualified)
	}
	return f, nil
}

func deleteRecord(f *Function) store.Change {
	return store.DeleteRecord{Kind: RecordFunction, Key: recordKey(f)}
}
