package lambda

import (
	"context"
	"net/http"
	"strconv"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/function"
)

// eventConfigPrefix is where the event invoke config operations live.
const eventConfigPrefix = "/2019-09-25/"

type destinationInput struct {
	Destination *string `json:"Destination"`
}

type destinationConfigInput struct {
	OnSuccess *destinationInput `json:"OnSuccess"`
	OnFailure *destinationInput `json:"OnFailure"`
}

type eventInvokeConfigInput struct {
	MaximumRetryAttempts     *int                    `json:"MaximumRetryAttempts"`
	MaximumEventAgeInSeconds *int                    `json:"MaximumEventAgeInSeconds"`
	DestinationConfig        *destinationConfigInput `json:"DestinationConfig"`
}

type destinationOutput struct {
	Destination string `json:"Destination,omitempty"`
}

type destinationConfigOutput struct {
	OnSuccess destinationOutput `json:"OnSuccess"`
	OnFailure destinationOutput `json:"OnFailure"`
}

type eventInvokeConfigOutput struct {
	DestinationConfig        destinationConfigOutput `json:"DestinationConfig"`
	FunctionArn              string                  `json:"FunctionArn"`
	LastModified             float64                 `json:"LastModified"`
	MaximumEventAgeInSeconds *int                    `json:"MaximumEventAgeInSeconds,omitempty"`
	MaximumRetryAttempts     *int                    `json:"MaximumRetryAttempts,omitempty"`
}

type listEventInvokeConfigsOutput struct {
	FunctionEventInvokeConfigs []eventInvokeConfigOutput `json:"FunctionEventInvokeConfigs"`
	NextMarker                 string                    `json:"NextMarker,omitempty"`
}

func toEventInvokeConfig(c function.EventInvokeConfig) eventInvokeConfigOutput {
	return eventInvokeConfigOutput{
		DestinationConfig: destinationConfigOutput{
			OnSuccess: destinationOutput{Destination: c.OnSuccess}, OnFailure: destinationOutput{Destination: c.OnFailure},
		},
		FunctionArn: c.FunctionArn, LastModified: epochSeconds(c.LastModified.UnixMilli()),
		MaximumEventAgeInSeconds: c.MaximumEventAge, MaximumRetryAttempts: c.MaximumRetryAttempts,
	}
}

// epochSeconds renders a Unix-millisecond time as restJson's default
// timestamp: seconds with a fraction.
func epochSeconds(ms int64) float64 { return float64(ms) / 1000 }

func (h *Handler) eventConfigInput(r *awsapi.Request, name string) (function.EventInvokeConfigInput, error) {
	var in eventInvokeConfigInput
	if err := decode(r, &in); err != nil {
		return function.EventInvokeConfigInput{}, err
	}
	out := function.EventInvokeConfigInput{
		FunctionName: name, Qualifier: r.HTTP.URL.Query().Get("Qualifier"),
		MaximumRetryAttempts: in.MaximumRetryAttempts, MaximumEventAge: in.MaximumEventAgeInSeconds,
	}
	if d := in.DestinationConfig; d != nil {
		out.Destinations = &function.Destinations{}
		if d.OnSuccess != nil && d.OnSuccess.Destination != nil {
			out.Destinations.OnSuccess = *d.OnSuccess.Destination
		}
		if d.OnFailure != nil && d.OnFailure.Destination != nil {
			out.Destinations.OnFailure = *d.OnFailure.Destination
		}
	}
	return out, nil
}

func (h *Handler) putEventInvokeConfig(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	in, err := h.eventConfigInput(r, name)
	if err != nil {
		return awsapi.Response{}, err
	}
	c, err := h.async.PutEventInvokeConfig(ctx, caller(r), in)
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, toEventInvokeConfig(c))
}

func (h *Handler) updateEventInvokeConfig(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	in, err := h.eventConfigInput(r, name)
	if err != nil {
		return awsapi.Response{}, err
	}
	c, err := h.async.UpdateEventInvokeConfig(ctx, caller(r), in)
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, toEventInvokeConfig(c))
}

func (h *Handler) getEventInvokeConfig(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	c, err := h.async.GetEventInvokeConfig(ctx, caller(r), name, r.HTTP.URL.Query().Get("Qualifier"))
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, toEventInvokeConfig(c))
}

func (h *Handler) deleteEventInvokeConfig(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	if err := h.async.DeleteEventInvokeConfig(ctx, caller(r), name, r.HTTP.URL.Query().Get("Qualifier")); err != nil {
		return awsapi.Response{}, err
	}
	return awsapi.Response{Status: http.StatusNoContent}, nil
}

func (h *Handler) listEventInvokeConfigs(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	q := r.HTTP.URL.Query()
	maxItems, err := intParam(q.Get("MaxItems"))
	if err != nil {
		return awsapi.Response{}, err
	}
	cfgs, next, err := h.async.ListEventInvokeConfigs(ctx, caller(r), name, q.Get("Marker"), maxItems)
	if err != nil {
		return awsapi.Response{}, err
	}
	out := listEventInvokeConfigsOutput{FunctionEventInvokeConfigs: []eventInvokeConfigOutput{}, NextMarker: next}
	for _, c := range cfgs {
		out.FunctionEventInvokeConfigs = append(out.FunctionEventInvokeConfigs, toEventInvokeConfig(c))
	}
	return ok(http.StatusOK, out)
}

// intParam parses an optional integer query parameter; "" is 0.
func intParam(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, &function.Error{Code: function.CodeValidation, Message: "1 validation error detected: Value '" + v + "' at 'maxItems' failed to satisfy constraint: Member must be a number"}
	}
	return n, nil
}
