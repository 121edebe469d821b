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

// Store record kinds: a function's $LATEST configuration, its published
// versions, its aliases, and its state (version counter, reserved and
// provisioned concurrency, resource policies).
const (
	RecordFunction = "lambda-function"
	RecordVersion  = "lambda-version"
	RecordAlias    = "lambda-alias"
	RecordState    = "lambda-function-state"
)

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

	mu        sync.RWMutex // guards functions and everything in them; before any pool.mu
	functions map[funcKey]*function
	stopped   bool

	conc *concurrency // running invocations; its own lock, taken after mu
	host *host        // layers, runtime clients, sandbox limits (layer_host.go); its lock after mu

	deleteHooks []deleteHook // guarded by mu
}

// deleteHook is what another part of Lambda (event invoke configs) keeps
// per function: called under Service.mu when a function (qualifier "") or
// one of its versions is deleted, it returns the store changes that delete
// its state, committed with the deletion, and forget, called once they are
// durable.
type deleteHook func(k funcKey, qualifier string) (changes []store.Change, forget func())

// deleting collects the hooks' changes for a deletion.
func (s *Service) deleting(k funcKey, qualifier string, changes []store.Change) ([]store.Change, func()) {
	var forget []func()
	for _, h := range s.deleteHooks {
		more, done := h(k, qualifier)
		changes, forget = append(changes, more...), append(forget, done)
	}
	return changes, func() {
		for _, done := range forget {
			done()
		}
	}
}

// onDelete registers a hook.
func (s *Service) onDelete(h deleteHook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteHooks = append(s.deleteHooks, h)
}

type funcKey struct{ account, region, name string }

// function is a function in memory: its $LATEST configuration and pool,
// its published versions, aliases and state. Guarded by Service.mu.
type function struct {
	cfg      Function
	pool     *pool
	versions map[string]*version
	aliases  map[string]*Alias
	state    funcState
}

// version is a published version: an immutable configuration and its pool.
type version struct {
	cfg  Function
	pool *pool
}

func (s *Service) newFunction(cfg Function) *function {
	return &function{cfg: cfg, pool: s.newPool(cfg), versions: map[string]*version{}, aliases: map[string]*Alias{}}
}

// pools are every pool of the function: $LATEST's and its versions'.
func (f *function) pools() []*pool {
	ps := []*pool{f.pool}
	for _, v := range f.versions {
		ps = append(ps, v.pool)
	}
	return ps
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
		conc:      newConcurrency(),
		host:      newHost(),
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
		s.functions[keyOf(&f)] = s.newFunction(f)
	}
	if err := s.loadLayers(ctx); err != nil {
		return err
	}
	s.sandboxLimits() // probe cgroup v2 and log the sandbox limits once, now
	if err := s.loadExtras(ctx); err != nil {
		return err
	}
	for _, f := range s.functions {
		s.provision(f)
	}
	return nil
}

// loadExtras loads versions, aliases and states onto their functions.
// Callers hold s.mu.
func (s *Service) loadExtras(ctx context.Context) error {
	load := func(kind string, each func(key string, data []byte) error) error {
		recs, err := s.store.LoadRecords(ctx, kind)
		if err != nil {
			return fmt.Errorf("function: load %s: %w", kind, err)
		}
		for _, r := range recs {
			if err := each(r.Key, r.Data); err != nil {
				return fmt.Errorf("function: record %s %s: %w", kind, r.Key, err)
			}
		}
		return nil
	}
	err := load(RecordVersion, func(_ string, data []byte) error {
		var v Function
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		if f, ok := s.functions[keyOf(&v)]; ok {
			f.versions[v.VersionID] = &version{cfg: v, pool: s.newPool(v)}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = load(RecordAlias, func(_ string, data []byte) error {
		var a Alias
		if err := json.Unmarshal(data, &a); err != nil {
			return err
		}
		if f, ok := s.functions[funcKey{a.Account, a.Region, a.Function}]; ok {
			f.aliases[a.Name] = &a
		}
		return nil
	})
	if err != nil {
		return err
	}
	return load(RecordState, func(key string, data []byte) error {
		var st funcState
		if err := json.Unmarshal(data, &st); err != nil {
			return err
		}
		for _, f := range s.functions {
			if recordKey(&f.cfg) == key {
				f.state = st
			}
		}
		return nil
	})
}

// Stop kills every sandbox. Safe without Start and more than once.
func (s *Service) Stop() {
	s.mu.Lock()
	s.stopped = true
	pools := make([]*pool, 0, len(s.functions))
	for _, f := range s.functions {
		pools = append(pools, f.pools()...)
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

// lookup finds a function by reference; a qualifier must name $LATEST,
// a published version or an alias. Callers hold s.mu.
func (s *Service) lookup(c Caller, r ref) (*function, error) {
	unqualified := functionARN(c.Region, c.Account, r.name)
	f, ok := s.functions[funcKey{c.Account, c.Region, r.name}]
	if !ok {
		if r.qualifier != "" {
			return nil, notFound(unqualified + ":" + r.qualifier)
		}
		return nil, notFound(unqualified)
	}
	if r.qualifier != "" && r.qualifier != latest && f.versions[r.qualifier] == nil && f.aliases[r.qualifier] == nil {
		return nil, notFound(unqualified + ":" + r.qualifier)
	}
	return f, nil
}

// configOf is the configuration a qualifier names, with Qualifier set: an
// alias reports its primary version's configuration under its own ARN.
// The qualifier MUST exist (lookup checked it). Callers hold s.mu.
func (f *function) configOf(qualifier string) Function {
	var cfg Function
	switch {
	case qualifier == "" || qualifier == latest:
		cfg = f.cfg
	case f.versions[qualifier] != nil:
		cfg = f.versions[qualifier].cfg
	default:
		cfg = f.versionOrLatest(f.aliases[qualifier].FunctionVersion).cfg
	}
	cfg.Qualifier = qualifier
	cfg.Tags = f.cfg.Tags
	cfg.Reserved = f.state.Reserved
	return cfg
}

// versionOrLatest is a version by number, $LATEST as a version.
func (f *function) versionOrLatest(v string) *version {
	if x, ok := f.versions[v]; ok {
		return x
	}
	return &version{cfg: f.cfg, pool: f.pool}
}

func deleteRecord(f *Function) store.Change {
	return store.DeleteRecord{Kind: RecordFunction, Key: recordKey(f)}
}
