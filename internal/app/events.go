package app

import (
	"context"

	eventsapi "github.com/fogbank/fogbank/internal/awsapi/events"
	"github.com/fogbank/fogbank/internal/bus"
	"github.com/fogbank/fogbank/internal/config"
	"github.com/fogbank/fogbank/internal/httpserver"
)

// startBuses starts EventBridge: the bus service, its delivery handler and
// its route. It runs after startQueues (SQS targets and dead-letter queues)
// and before startDelivery.
func (a *App) startBuses(ctx context.Context) error {
	svc := bus.New(bus.Config{
		Store: a.store, Clock: a.clock, IDs: a.ids, Logger: a.log, Queues: a.queues, Topics: a.topics, Jobs: a.delivery,
		Functions: a.funcs, Endpoint: a.baseURL, Strict: a.cfg.Auth == config.AuthStrict,
	})
	if err := svc.Start(ctx); err != nil {
		return err
	}
	a.onStop(svc.Stop)
	a.buses = svc
	a.delivery.Handle(bus.JobKind, svc.Handler())
	a.router.Handle(httpserver.Route{Name: "events", TargetPrefix: eventsapi.TargetPrefix}, eventsapi.New(svc, a.log))
	return nil
}

// baseURL is the server's base URL: the listening address once the server
// is up (deliveries reloaded at start-up may run before), else the
// configured one.
func (a *App) baseURL() string {
	if v, ok := a.endpoint.Load().(string); ok {
		return v
	}
	return "http://" + a.cfg.Addr
}
