package app

import (
	"context"

	schemasapi "github.com/fogbank/fogbank/internal/awsapi/schemas"
	"github.com/fogbank/fogbank/internal/bus"
	"github.com/fogbank/fogbank/internal/httpserver"
	"github.com/fogbank/fogbank/internal/schema"
)

// startSchemas starts the schema registry: the service, its route, and its
// hooks on the buses (discovery sees the events they accept; buses tagged
// fogbank:validate-schemas validate PutEvents entries). It runs after
// startBuses and before startDelivery, so events redelivered at start-up
// between buses are seen.
func (a *App) startSchemas(ctx context.Context) error {
	buses := a.buses
	svc := schema.New(schema.Config{
		Store: a.store, Clock: a.clock, IDs: a.ids, Logger: a.log,
		BusExists: func(account, region, name string) bool {
			_, err := buses.DescribeEventBus(ctx, bus.Caller{Account: account, Region: region}, name)
			return err == nil
		},
	})
	if err := svc.Start(ctx); err != nil {
		return err
	}
	a.onStop(svc.Stop)
	buses.SetHooks(svc, svc)
	a.onStop(func() { buses.SetHooks(nil, nil) })
	a.router.Handle(httpserver.Route{Name: "schemas", PathPrefixes: schemasapi.PathPrefixes, MaxBody: schemasapi.MaxBody}, schemasapi.New(svc, a.log))
	return nil
}
