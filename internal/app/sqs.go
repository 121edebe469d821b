package app

import (
	"log/slog"

	sqsapi "github.com/fogbank/fogbank/internal/awsapi/sqs"
	"github.com/fogbank/fogbank/internal/httpserver"
	"github.com/fogbank/fogbank/internal/queue"
)

func registerSQS(r *httpserver.Router, svc *queue.Service, log *slog.Logger) {
	h := sqsapi.New(svc, log)
	r.Handle(httpserver.Route{Name: "sqs", TargetPrefix: sqsapi.TargetPrefix, QueryActions: h.Operations(), Namespace: "http://queue.amazonaws.com/doc/2012-11-05/"}, h)
}
