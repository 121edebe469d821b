package app

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	lambdaapi "github.com/fogbank/fogbank/internal/awsapi/lambda"
	"github.com/fogbank/fogbank/internal/config"
	"github.com/fogbank/fogbank/internal/function"
	"github.com/fogbank/fogbank/internal/httpserver"
)

// startFunctions starts Lambda: the function service, its async-invoke
// delivery handler and its REST routes. Code lives under <data-dir>/lambda,
// or, with an in-memory store, in a temporary directory removed at stop.
// It runs after startQueues, before startTopics and startBuses (lambda
// subscriptions and targets) and startDelivery.
func (a *App) startFunctions(ctx context.Context) error {
	dir, cleanup, err := a.lambdaDir()
	if err != nil {
		return err
	}
	svc := function.New(function.Config{
		Store: a.store, Clock: a.clock, IDs: a.ids, Logger: a.log, Jobs: a.delivery,
		CodeDir: filepath.Join(dir, "code"), SandboxDir: filepath.Join(dir, "sandboxes"),
	})
	if err := svc.Start(ctx); err != nil {
		cleanup()
		return err
	}
	a.onStop(cleanup)
	a.onStop(svc.Stop)
	a.funcs = svc
	a.delivery.Handle(function.JobKind, svc.Handler())
	a.router.HandlePath(lambdaapi.CodePath, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		zip, err := svc.CodeZip(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, lambdaapi.CodePath), ".zip"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/zip")
		_, _ = w.Write(zip) //nolint:gosec // a zip served as application/zip, not HTML
	}))
	a.router.Handle(httpserver.Route{Name: "lambda", PathPrefixes: lambdaapi.PathPrefixes, MaxBody: lambdaapi.MaxBody}, lambdaapi.New(svc, a.log))
	return nil
}

// lambdaDir is where function code and sandboxes live.
func (a *App) lambdaDir() (string, func(), error) {
	driver, target, err := a.cfg.StoreTarget()
	if err != nil {
		return "", nil, err
	}
	if driver == config.DriverSQLite && target == ":memory:" {
		dir, err := os.MkdirTemp("", "fogbank-lambda-")
		if err != nil {
			return "", nil, fmt.Errorf("app: lambda dir: %w", err)
		}
		return dir, func() { _ = os.RemoveAll(dir) }, nil
	}
	return filepath.Join(a.cfg.DataDir, "lambda"), func() {}, nil
}
