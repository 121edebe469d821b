package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	lambdaapi "github.com/fogbank/fogbank/internal/awsapi/lambda"
	"github.com/fogbank/fogbank/internal/bus"
	"github.com/fogbank/fogbank/internal/config"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/function"
	"github.com/fogbank/fogbank/internal/httpserver"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/topic"
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
		RetryDelay: a.cfg.LambdaRetryDelay,
	})
	if err := svc.Start(ctx); err != nil {
		cleanup()
		return err
	}
	a.onStop(cleanup)
	a.onStop(svc.Stop)
	a.funcs = svc
	async := function.NewAsync(function.AsyncConfig{
		Functions: svc, Store: a.store, Clock: a.clock, Jobs: a.delivery, Logger: a.log, Targets: lambdaTargets{a},
	})
	if err := async.Start(ctx); err != nil {
		return err
	}
	a.delivery.Handle(function.JobKind, async.Handler())
	a.delivery.Handle(function.DestinationJobKind, async.DestinationHandler())
	mappings := function.NewMappings(function.MappingsConfig{Functions: svc, Queues: a.queues, Store: a.store, Clock: a.clock, Logger: a.log})
	if err := mappings.Start(ctx); err != nil {
		return err
	}
	// Pollers stop before the function service (registered earlier, so
	// stopped later) kills the sandboxes their batches run in.
	a.onStop(mappings.Stop)
	a.router.HandlePath(lambdaapi.CodePath, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		zip, err := svc.CodeZip(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, lambdaapi.CodePath), ".zip"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/zip")
		_, _ = w.Write(zip) //nolint:gosec // a zip served as application/zip, not HTML
	}))
	a.router.Handle(httpserver.Route{Name: "lambda", PathPrefixes: lambdaapi.PathPrefixes, MaxBody: lambdaapi.MaxBody},
		lambdaapi.New(svc, a.log).WithAsync(async, mappings))
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

// lambdaTargets delivers Lambda's invocation records and dead letters into
// SQS, SNS and EventBridge through their services' internal entry points.
// The services are looked up at delivery time: SNS and EventBridge start
// after Lambda, and deliveries only run once every service has started.
type lambdaTargets struct{ a *App }

func lambdaAttrs[T any](attrs map[string]function.Attribute, conv func(dataType string, value *string) T) map[string]T {
	if len(attrs) == 0 {
		return nil
	}
	out := make(map[string]T, len(attrs))
	for k, v := range attrs {
		out[k] = conv(v.DataType, &v.Value)
	}
	return out
}

func (t lambdaTargets) SendMessage(ctx context.Context, queueArn, body string, attrs map[string]function.Attribute, extra ...store.Change) error {
	_, err := t.a.queues.Deliver(ctx, queue.DeliverInput{
		QueueArn: queueArn, Body: body, SenderID: "AROAFOGBANKLAMBDA",
		Attributes: lambdaAttrs(attrs, func(dt string, v *string) queue.MessageAttribute {
			return queue.MessageAttribute{DataType: dt, StringValue: v}
		}),
	}, extra...)
	if queue.IsCode(err, queue.CodeQueueDoesNotExist) {
		return delivery.Permanent(err)
	}
	return err
}

func (t lambdaTargets) Publish(ctx context.Context, topicArn, message string, attrs map[string]function.Attribute, extra ...store.Change) error {
	if t.a.topics == nil {
		return delivery.Permanent(errors.New("lambda: SNS is not running"))
	}
	_, err := t.a.topics.PublishInternal(ctx, topic.PublishInput{TopicArn: topicArn, Message: topic.Message{
		Message: message,
		Attributes: lambdaAttrs(attrs, func(dt string, v *string) topic.MessageAttribute {
			return topic.MessageAttribute{DataType: dt, StringValue: v}
		}),
	}}, extra...)
	var te *topic.Error
	if errors.As(err, &te) {
		return delivery.Permanent(err)
	}
	return err
}

// PutEvent hands an event to an EventBridge bus the way one bus hands
// events to another, committed with extra.
func (t lambdaTargets) PutEvent(ctx context.Context, busArn string, ev function.BusEvent, extra ...store.Change) error {
	if t.a.buses == nil {
		return delivery.Permanent(errors.New("lambda: EventBridge is not running"))
	}
	return t.a.buses.Forward(ctx, busArn, bus.Entry{
		Source: &ev.Source, DetailType: &ev.DetailType, Detail: &ev.Detail, Resources: ev.Resources,
	}, extra...)
}
