// Package events serves the Amazon EventBridge API (AWS JSON 1.1,
// X-Amz-Target: AWSEvents.<Op>). Each operation decodes one input shape,
// calls the bus service and encodes one output shape; errors are rendered in
// one place (errors.go).
package events

import (
	"context"
	"log/slog"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/awsapi/protocol/awsjson"
	"github.com/fogbank/fogbank/internal/bus"
)

// TargetPrefix is the X-Amz-Target prefix of EventBridge.
const TargetPrefix = "AWSEvents"

const contentType = "application/x-amz-json-1.1"

// Handler serves EventBridge.
type Handler struct {
	svc  *bus.Service
	log  *slog.Logger
	json awsjson.Dispatcher
}

// New builds the EventBridge handler.
func New(svc *bus.Service, log *slog.Logger) *Handler {
	h := &Handler{svc: svc, log: log}
	ops := map[string]awsapi.Operation{
		"CreateEventBus":         awsapi.Op(h.createEventBus),
		"DescribeEventBus":       awsapi.Op(h.describeEventBus),
		"UpdateEventBus":         awsapi.Op(h.updateEventBus),
		"DeleteEventBus":         awsapi.Op(h.deleteEventBus),
		"ListEventBuses":         awsapi.Op(h.listEventBuses),
		"PutRule":                awsapi.Op(h.putRule),
		"DescribeRule":           awsapi.Op(h.describeRule),
		"DeleteRule":             awsapi.Op(h.deleteRule),
		"ListRules":              awsapi.Op(h.listRules),
		"EnableRule":             awsapi.Op(h.enableRule),
		"DisableRule":            awsapi.Op(h.disableRule),
		"ListRuleNamesByTarget":  awsapi.Op(h.listRuleNamesByTarget),
		"TestEventPattern":       awsapi.Op(h.testEventPattern),
		"PutEvents":              awsapi.Op(h.putEvents),
		"PutTargets":             awsapi.Op(h.putTargets),
		"RemoveTargets":          awsapi.Op(h.removeTargets),
		"ListTargetsByRule":      awsapi.Op(h.listTargetsByRule),
		"TagResource":            awsapi.Op(h.tagResource),
		"UntagResource":          awsapi.Op(h.untagResource),
		"ListTagsForResource":    awsapi.Op(h.listTagsForResource),
		"CreateConnection":       awsapi.Op(h.createConnection),
		"DescribeConnection":     awsapi.Op(h.describeConnection),
		"UpdateConnection":       awsapi.Op(h.updateConnection),
		"DeleteConnection":       awsapi.Op(h.deleteConnection),
		"DeauthorizeConnection":  awsapi.Op(h.deauthorizeConnection),
		"ListConnections":        awsapi.Op(h.listConnections),
		"CreateApiDestination":   awsapi.Op(h.createAPIDestination),
		"DescribeApiDestination": awsapi.Op(h.describeAPIDestination),
		"UpdateApiDestination":   awsapi.Op(h.updateAPIDestination),
		"DeleteApiDestination":   awsapi.Op(h.deleteAPIDestination),
		"ListApiDestinations":    awsapi.Op(h.listAPIDestinations),
		"PutPermission":          awsapi.Op(h.putPermission),
		"RemovePermission":       awsapi.Op(h.removePermission),
		"CreateArchive":          awsapi.Op(h.createArchive),
		"DescribeArchive":        awsapi.Op(h.describeArchive),
		"UpdateArchive":          awsapi.Op(h.updateArchive),
		"DeleteArchive":          awsapi.Op(h.deleteArchive),
		"ListArchives":           awsapi.Op(h.listArchives),
		"StartReplay":            awsapi.Op(h.startReplay),
		"DescribeReplay":         awsapi.Op(h.describeReplay),
		"CancelReplay":           awsapi.Op(h.cancelReplay),
		"ListReplays":            awsapi.Op(h.listReplays),
	}
	h.json = awsjson.Dispatcher{Service: "events", ContentType: contentType, Ops: ops, ToWire: toWire, Internal: internalError, Log: log}
	return h
}

// Serve handles one EventBridge request.
func (h *Handler) Serve(ctx context.Context, r *awsapi.Request) awsapi.Response {
	return h.json.Serve(ctx, r)
}

func caller(r *awsapi.Request) bus.Caller {
	return bus.Caller{Account: r.Identity.Account, Region: r.Identity.Region}
}
