// Package app is fogbank's composition root: it turns a Config into a store,
// the domain services and the HTTP server, and starts and stops them in order.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/fogbank/fogbank/internal/awsapi/sigv4"
	sqsapi "github.com/fogbank/fogbank/internal/awsapi/sqs"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/config"
	"github.com/fogbank/fogbank/internal/httpserver"
	"github.com/fogbank/fogbank/internal/idgen"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/postgres"
	"github.com/fogbank/fogbank/internal/store/sqlite"
)

// App is a running fogbank.
type App struct {
	cfg    config.Config
	log    *slog.Logger
	store  store.Store
	queues *queue.Service
	server *httpserver.Server
}

// New builds an App from a validated config. Nothing runs until Start.
func New(cfg config.Config, log *slog.Logger) *App {
	return &App{cfg: cfg.WithDefaults(), log: log}
}

// Start opens the store, loads state and starts listening.
func (a *App) Start(ctx context.Context) error {
	if err := a.cfg.Validate(); err != nil {
		return err
	}
	st, err := openStore(ctx, a.cfg)
	if err != nil {
		return err
	}
	a.store = st
	clk, ids := clock.System{}, idgen.Random{}
	a.queues = queue.New(queue.Config{Store: st, Clock: clk, IDs: ids, Logger: a.log})
	if err := a.queues.Start(ctx); err != nil {
		return errors.Join(err, a.store.Close())
	}
	router := httpserver.NewRouter()
	sqsHandler := sqsapi.New(a.queues, a.log)
	router.Handle(httpserver.Route{Name: "sqs", TargetPrefix: sqsapi.TargetPrefix, QueryActions: sqsHandler.Operations(), Namespace: "http://queue.amazonaws.com/doc/2012-11-05/"}, sqsHandler)
	srvCfg := httpserver.Config{Addr: a.cfg.Addr, DefaultRegion: a.cfg.DefaultRegion, Logger: a.log, IDs: ids, Router: router}
	if a.cfg.Auth == config.AuthStrict {
		creds, _ := a.cfg.CredentialMap()
		srvCfg.Strict = true
		srvCfg.Verifier = &sigv4.Verifier{Lookup: func(id string) (string, bool) { s, ok := creds[id]; return s, ok }, Now: clk.Now}
	}
	a.server = httpserver.New(srvCfg)
	if err := a.server.Start(ctx); err != nil {
		a.queues.Stop()
		return errors.Join(err, a.store.Close())
	}
	return nil
}

// Addr is the address the server listens on.
func (a *App) Addr() string { return a.server.Addr() }

// Stop stops accepting requests, finishes in-flight ones, stops background
// work and closes the store. Safe without Start and more than once.
func (a *App) Stop(ctx context.Context) error {
	var errs []error
	// Stopping the queue service first ends long polls (they answer with no
	// messages) and move tasks, so the server's drain below is quick.
	if a.queues != nil {
		a.queues.Stop()
	}
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
