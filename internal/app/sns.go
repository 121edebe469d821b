package app

import (
	"context"
	"log/slog"
	"net/http"

	snsapi "github.com/fogbank/fogbank/internal/awsapi/sns"
	"github.com/fogbank/fogbank/internal/httpserver"
	"github.com/fogbank/fogbank/internal/topic"
)

// startTopics starts SNS: the topic service, its delivery handlers, its
// query route and the signing certificate at topic.CertPath. It runs after
// startQueues (SQS subscriptions and subscription DLQs) and before
// startDelivery.
func (a *App) startTopics(ctx context.Context) error {
	svc := topic.New(topic.Config{
		Store: a.store, Clock: a.clock, IDs: a.ids, Logger: a.log, Queues: a.queues, Delivery: a.delivery,
		Functions: a.funcs,
	})
	if err := svc.Start(ctx); err != nil {
		return err
	}
	a.onStop(svc.Stop)
	a.topics = svc
	for kind, h := range svc.Handlers() {
		a.delivery.Handle(kind, h)
	}
	h := snsapi.New(svc, a.log)
	a.router.Handle(httpserver.Route{Name: "sns", QueryActions: h.Operations(), Namespace: snsapi.Namespace}, h)
	a.router.HandlePath(topic.CertPath, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pem, err := svc.CertificatePEM(r.Context())
		if err != nil {
			a.log.Error("sns: signing certificate", slog.Any("err", err))
			http.Error(w, "certificate unavailable", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/x-pem-file")
		_, _ = w.Write(pem)
	}))
	return nil
}
