// Package events serves the Amazon EventBridge API (AWS JSON 1.1,
// X-Amz-Target: AWSEvents.<Op>). Each operation decodes one input shape,
// calls the bus service and encodes one output shape; errors are rendered in
// one place (errors.go).
package events

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/awsapi/protocol/awsjson"
	"github.com/fogbank/fogbank/internal/bus"
)

// TargetPrefix is the X-Amz-Target prefix of EventBridge.
const TargetPrefix = "AWSEvents"

const contentType = "application/x-amz-json-1.1"

// Handler serves EventBridge.
type Handler struct {
	svc *bus.Service
	log *slog.Logger
	ops map[string]operation
}

type operation struct {
	newInput func() any
	call     func(ctx context.Context, r *awsapi.Request, in any) (any, error)
}

func op[I any](f func(context.Context, *awsapi.Request, *I) (any, error)) operation {
	return operation{
		newInput: func() any { return new(I) },
		call: func(ctx context.Context, r *awsapi.Request, in any) (any, error) {
			return f(ctx, r, in.(*I)) //nolint:forcetypeassert // newInput made it
		},
	}
}

// New builds the EventBridge handler.
func New(svc *bus.Service, log *slog.Logger) *Handler {
	h := &Handler{svc: svc, log: log}
	h.ops = map[string]operation{
		"CreateEventBus":         op(h.createEventBus),
		"DescribeEventBus":       op(h.describeEventBus),
		"UpdateEventBus":         op(h.updateEventBus),
		"DeleteEventBus":         op(h.deleteEventBus),
		"ListEventBuses":         op(h.listEventBuses),
		"PutRule":                op(h.putRule),
		"DescribeRule":           op(h.describeRule),
		"DeleteRule":             op(h.deleteRule),
		"ListRules":              op(h.listRules),
		"EnableRule":             op(h.enableRule),
		"DisableRule":            op(h.disableRule),
		"ListRuleNamesByTarget":  op(h.listRuleNamesByTarget),
		"TestEventPattern":       op(h.testEventPattern),
		"PutEvents":              op(h.putEvents),
		"PutTargets":             op(h.putTargets),
		"RemoveTargets":          op(h.removeTargets),
		"ListTargetsByRule":      op(h.listTargetsByRule),
		"TagResource":            op(h.tagResource),
		"UntagResource":          op(h.untagResource),
		"ListTagsForResource":    op(h.listTagsForResource),
		"CreateConnection":       op(h.createConnection),
		"DescribeConnection":     op(h.describeConnection),
		"UpdateConnection":       op(h.updateConnection),
		"DeleteConnection":       op(h.deleteConnection),
		"DeauthorizeConnection":  op(h.deauthorizeConnection),
		"ListConnections":        op(h.listConnections),
		"CreateApiDestination":   op(h.createAPIDestination),
		"DescribeApiDestination": op(h.describeAPIDestination),
		"UpdateApiDestination":   op(h.updateAPIDestination),
		"DeleteApiDestination":   op(h.deleteAPIDestination),
		"ListApiDestinations":    op(h.listAPIDestinations),
		"PutPermission":          op(h.putPermission),
		"RemovePermission":       op(h.removePermission),
		"CreateArchive":          op(h.createArchive),
		"DescribeArchive":        op(h.describeArchive),
		"UpdateArchive":          op(h.updateArchive),
		"DeleteArchive":          op(h.deleteArchive),
		"ListArchives":           op(h.listArchives),
		"StartReplay":            op(h.startReplay),
		"DescribeReplay":         op(h.describeReplay),
		"CancelReplay":           op(h.cancelReplay),
		"ListReplays":            op(h.listReplays),
	}
	return h
}

// Serve handles one EventBridge request.
func (h *Handler) Serve(ctx context.Context, r *awsapi.Request) awsapi.Response {
	o, ok := h.ops[r.Operation]
	if !ok {
		return render(errUnknownOperation(r.Operation))
	}
	in := o.newInput()
	if err := awsjson.Decode(r.Body, in); err != nil {
		return render(&awsapi.Error{Status: http.StatusBadRequest, JSONType: "SerializationException", Message: err.Error(), Sender: true})
	}
	out, err := o.call(ctx, r, in)
	if err != nil {
		w := toWire(err)
		if w.Status >= 500 {
			h.log.ErrorContext(ctx, "events: operation failed", slog.String("op", r.Operation), slog.String("request_id", r.ID), slog.Any("err", err))
		}
		return render(w)
	}
	body, err := awsjson.Encode(out)
	if err != nil {
		return render(internalError())
	}
	return awsapi.Response{Status: http.StatusOK, ContentType: contentType, Body: body}
}

func render(e *awsapi.Error) awsapi.Response {
	return awsapi.Response{Status: e.Status, ContentType: contentType, Body: awsjson.ErrorBody(e.JSONType, e.Message)}
}

func caller(r *awsapi.Request) bus.Caller {
	return bus.Caller{Account: r.Identity.Account, Region: r.Identity.Region}
}
