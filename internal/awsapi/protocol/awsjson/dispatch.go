package awsjson

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
)

// Dispatcher serves one AWS JSON service from its operation table: decode
// the input, call the domain, encode the output, and render every error the
// same way. Services whose every operation is a plain JSON round trip
// (EventBridge, Step Functions) use it as their Serve.
type Dispatcher struct {
	Service     string // names the service in log lines
	ContentType string // application/x-amz-json-1.0 or -1.1
	Ops         map[string]awsapi.Operation
	// ToWire maps a domain error to AWS's error.
	ToWire func(error) *awsapi.Error
	// Internal is the service's error for a response it cannot encode.
	Internal func() *awsapi.Error
	Log      *slog.Logger
}

// Serve handles one request.
func (d *Dispatcher) Serve(ctx context.Context, r *awsapi.Request) awsapi.Response {
	o, ok := d.Ops[r.Operation]
	if !ok {
		return d.Render(&awsapi.Error{
			Status: http.StatusBadRequest, JSONType: "UnknownOperationException",
			Message: "Operation " + r.Operation + " is not supported by fogbank.", Sender: true,
		})
	}
	in := o.NewInput()
	if err := Decode(r.Body, in); err != nil {
		return d.Render(&awsapi.Error{Status: http.StatusBadRequest, JSONType: "SerializationException", Message: err.Error(), Sender: true})
	}
	out, err := o.Call(ctx, r, in)
	if err != nil {
		w := d.ToWire(err)
		if w.Status >= 500 {
			d.Log.ErrorContext(ctx, d.Service+": operation failed", slog.String("op", r.Operation), slog.String("request_id", r.ID), slog.Any("err", err))
		}
		return d.Render(w)
	}
	body, err := Encode(out)
	if err != nil {
		return d.Render(d.Internal())
	}
	return awsapi.Response{Status: http.StatusOK, ContentType: d.ContentType, Body: body}
}

// Render is an error response with the service's content type.
func (d *Dispatcher) Render(e *awsapi.Error) awsapi.Response {
	return awsapi.Response{Status: e.Status, ContentType: d.ContentType, Body: ErrorBody(e.JSONType, e.Message)}
}
