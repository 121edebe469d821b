// Package app is fogbank's composition root: it turns a Config into a store,
// the domain services and the HTTP server, and starts and stops them in order.
//
// Each service has a start step (one per file: queues.go, ...) that builds
// it, registers its wire handler on the router and its delivery handlers on
// the dispatcher, and records how to stop it. Steps run in the order of
// App.steps; stops run in reverse.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/fogbank/fogbank/internal/awsapi/sigv4"
	"github.com/fogbank/fogbank/internal/bus"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/config"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/function"
	"github.com/fogbank/fogbank/internal/httpserver"
	"github.com/fogbank/fogbank/internal/idgen"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/postgres"
	"github.com/fogbank/fogbank/internal/store/sqlite"
	"github.com/fogbank/fogbank/internal/topic"
)

// App is a running fogbank.
type App struct {
	cfg    config.Config
	log    *slog.Logger
	clock  clock.Clock
	ids    idgen.Generator
	store  store.Store
	router *httpserver.Router
	server *httpserver.Server

	queues   *queue.Service
	delivery *delivery.Dispatcher
	topics   *topic.Service    // SNS, for EventBridge's SNS targets
	funcs    *function.Service // Lambda, for SNS subscriptions and EventBridge targets
	buses    *bus.Service      // EventBridge, for schema discovery and validation

	endpoint atomic.Value // string: the server's base URL, once it listens

	stops []func() // in start order; Stop runs them in reverse
}

// New builds an App from a config. Nothing runs until Start.
func New(cfg config.Config, log *slog.Logger) *App {
	return &App{cfg: cfg.WithDefaults(), log: log, clock: clock.System{}, ids: idgen.Random{}}
}

// steps are the start steps, in order. A service's step comes after the
// services it calls; startDelivery comes after every step that registers a
// delivery handler; startServer is last.
func (a *App) steps() []func(context.Context) error {
	return []func(context.Context) error{
		a.startQueues,
		a.startFunctions,
		a.startTopics,
		a.startBuses,
		a.startSchemas,
		a.startStepFunctions,
		a.startDelivery,
		a.startServer,
	}
}

// Start opens the store, starts every service and starts listening.
func (a *App) Start(ctx context.Context) error {
	if err := a.cfg.Validate(); err != nil {
		return err
	}
	st, err := openStore(ctx, a.cfg)
	if err != nil {
		return err
	}
	a.store = st
	a.router = httpserver.NewRouter()
	for _, step := range a.steps() {
		if err := step(ctx); err != nil {
			return errors.Join(err, a.Stop(context.WithoutCancel(ctx)))
		}
	}
	return nil
}

func (a *App) onStop(f func()) { a.stops = append(a.stops, f) }

func (a *App) startQueues(ctx context.Context) error {
	a.queues = queue.New(queue.Config{Store: a.store, Clock: a.clock, IDs: a.ids, Logger: a.log})
	if err := a.queues.Start(ctx); err != nil {
		return err
	}
	a.delivery = delivery.New(delivery.Config{Store: a.store, Clock: a.clock, Queues: a.queues, Logger: a.log})
	// Stopping the queue service ends long polls (they answer with no
	// messages) and move tasks, so the server's drain is quick.
	a.onStop(a.queues.Stop)
	registerSQS(a.router, a.queues, a.log)
	return nil
}

func (a *App) startDelivery(ctx context.Context) error {
	if err := a.delivery.Start(ctx); err != nil {
		return err
	}
	a.onStop(a.delivery.Stop)
	return nil
}

func (a *App) startServer(ctx context.Context) error {
	srvCfg := httpserver.Config{Addr: a.cfg.Addr, DefaultRegion: a.cfg.DefaultRegion, Logger: a.log, IDs: a.ids, Router: a.router}
	if a.cfg.Auth == config.AuthStrict {
		creds, err := a.cfg.CredentialMap()
		if err != nil {
			return err
		}
		srvCfg.Strict = true
		srvCfg.Verifier = &sigv4.Verifier{Lookup: func(id string) (string, bool) { s, ok := creds[id]; return s, ok }, Now: a.clock.Now}
	}
	a.server = httpserver.New(srvCfg)
	if err := a.server.Start(ctx); err != nil {
		return err
	}
	a.endpoint.Store("http://" + a.server.Addr())
	return nil
}

// Addr is the address the server listens on.
func (a *App) Addr() string { return a.server.Addr() }

// Stop stops background work first (so long polls end and the drain is
// quick), then stops accepting requests and finishes in-flight ones, then
// closes the store. Safe without Start and more than once.
func (a *App) Stop(ctx context.Context) error {
	var errs []error
	for i := len(a.stops) - 1; i >= 0; i-- {
		a.stops[i]()
	}
	a.stops = nil
	if a.server != nil {
		errs = append(errs, a.server.Stop(ctx))
	}
	if a.store != nil {
		errs = append(errs, a.store.Close())
	}
	return errors.Join(errs...)
}

func openStore(ctx context.Context, cfg config.Config) (store.Store, error) {
	driver, target, err := cfg.StoreTarget()
	if err != nil {
		return nil, err
	}
	switch driver {
	case config.DriverPostgres:
		return postgres.Open(ctx, target)
	default:
		if target != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
				return nil, fmt.Errorf("app: data dir: %w", err)
			}
		}
		return sqlite.Open(target)
	}
}
