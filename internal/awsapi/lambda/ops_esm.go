package lambda

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/function"
)

// WithAsync serves the event invoke config operations through a and the
// event source mapping operations through m. Call before serving.
func (h *Handler) WithAsync(a *function.Async, m *function.Mappings) *Handler {
	h.async, h.esm = a, m
	return h
}

type filterInput struct {
	Pattern *string `json:"Pattern"`
}

type mappingInput struct {
	EventSourceArn                 string          `json:"EventSourceArn"`
	FunctionName                   *string         `json:"FunctionName"`
	Enabled                        *bool           `json:"Enabled"`
	BatchSize                      *int            `json:"BatchSize"`
	MaximumBatchingWindowInSeconds *int            `json:"MaximumBatchingWindowInSeconds"`
	FunctionResponseTypes          *[]string       `json:"FunctionResponseTypes"`
	StartingPosition               string          `json:"StartingPosition"`
	DestinationConfig              json.RawMessage `json:"DestinationConfig"`
	FilterCriteria                 *struct {
		Filters []filterInput `json:"Filters"`
	} `json:"FilterCriteria"`
	ScalingConfig *struct {
		MaximumConcurrency *int `json:"MaximumConcurrency"`
	} `json:"ScalingConfig"`
}

type filterOutput struct {
	Pattern string `json:"Pattern"`
}

type filterCriteriaOutput struct {
	Filters []filterOutput `json:"Filters"`
}

type scalingConfigOutput struct {
	MaximumConcurrency *int `json:"MaximumConcurrency,omitempty"`
}

// mappingOutput is the EventSourceMappingConfiguration shape of an SQS
// mapping.
type mappingOutput struct {
	BatchSize                      int                   `json:"BatchSize"`
	EventSourceArn                 string                `json:"EventSourceArn"`
	EventSourceMappingArn          string                `json:"EventSourceMappingArn"`
	FilterCriteria                 *filterCriteriaOutput `json:"FilterCriteria,omitempty"`
	FunctionArn                    string                `json:"FunctionArn"`
	FunctionResponseTypes          []string              `json:"FunctionResponseTypes"`
	LastModified                   float64               `json:"LastModified"`
	MaximumBatchingWindowInSeconds int                   `json:"MaximumBatchingWindowInSeconds"`
	ScalingConfig                  *scalingConfigOutput  `json:"ScalingConfig,omitempty"`
	State                          string                `json:"State"`
	StateTransitionReason          string                `json:"StateTransitionReason"`
	UUID                           string                `json:"UUID"`
}

type listMappingsOutput struct {
	EventSourceMappings []mappingOutput `json:"EventSourceMappings"`
	NextMarker          string          `json:"NextMarker,omitempty"`
}

func toMapping(m function.Mapping) mappingOutput {
	out := mappingOutput{
		BatchSize: m.BatchSize, EventSourceArn: m.EventSourceArn, EventSourceMappingArn: m.ARN(),
		FunctionArn: m.FunctionArn(), FunctionResponseTypes: append([]string{}, m.FunctionResponseTypes...),
		LastModified: epochSeconds(m.LastModified.UnixMilli()), MaximumBatchingWindowInSeconds: m.BatchingWindow,
		State: m.State, StateTransitionReason: "USER_INITIATED", UUID: m.UUID,
	}
	if len(m.Filters) > 0 {
		out.FilterCriteria = &filterCriteriaOutput{}
		for _, f := range m.Filters {
			out.FilterCriteria.Filters = append(out.FilterCriteria.Filters, filterOutput{Pattern: f})
		}
	}
	if m.MaximumConcurrency != nil {
		out.ScalingConfig = &scalingConfigOutput{MaximumConcurrency: m.MaximumConcurrency}
	}
	return out
}

func decodeMapping(r *awsapi.Request, uuid string) (function.MappingInput, error) {
	var in mappingInput
	if err := decode(r, &in); err != nil {
		return function.MappingInput{}, err
	}
	out := function.MappingInput{
		UUID: uuid, EventSourceArn: in.EventSourceArn, FunctionName: in.FunctionName, Enabled: in.Enabled,
		BatchSize: in.BatchSize, BatchingWindow: in.MaximumBatchingWindowInSeconds,
		FunctionResponseTypes: in.FunctionResponseTypes, StartingPosition: in.StartingPosition,
		HasDestination: len(in.DestinationConfig) > 0 && string(in.DestinationConfig) != "null",
	}
	if fc := in.FilterCriteria; fc != nil {
		patterns := []string{}
		for _, f := range fc.Filters {
			if f.Pattern == nil {
				return function.MappingInput{}, &function.Error{Code: function.CodeInvalidParameterValue, Message: "Invalid filter pattern definition."}
			}
			patterns = append(patterns, *f.Pattern)
		}
		out.Filters = &patterns
	}
	if sc := in.ScalingConfig; sc != nil {
		out.ScalingGiven, out.MaximumConcurrency = true, sc.MaximumConcurrency
	}
	return out, nil
}

func (h *Handler) createEventSourceMapping(ctx context.Context, r *awsapi.Request, _ string) (awsapi.Response, error) {
	in, err := decodeMapping(r, "")
	if err != nil {
		return awsapi.Response{}, err
	}
	m, err := h.esm.CreateEventSourceMapping(ctx, caller(r), in)
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusAccepted, toMapping(m))
}

func (h *Handler) getEventSourceMapping(ctx context.Context, r *awsapi.Request, uuid string) (awsapi.Response, error) {
	m, err := h.esm.GetEventSourceMapping(ctx, caller(r), uuid)
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, toMapping(m))
}

func (h *Handler) updateEventSourceMapping(ctx context.Context, r *awsapi.Request, uuid string) (awsapi.Response, error) {
	in, err := decodeMapping(r, uuid)
	if err != nil {
		return awsapi.Response{}, err
	}
	m, err := h.esm.UpdateEventSourceMapping(ctx, caller(r), in)
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusAccepted, toMapping(m))
}

func (h *Handler) deleteEventSourceMapping(ctx context.Context, r *awsapi.Request, uuid string) (awsapi.Response, error) {
	m, err := h.esm.DeleteEventSourceMapping(ctx, caller(r), uuid)
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusAccepted, toMapping(m))
}

func (h *Handler) listEventSourceMappings(ctx context.Context, r *awsapi.Request, _ string) (awsapi.Response, error) {
	q := r.HTTP.URL.Query()
	maxItems, err := intParam(q.Get("MaxItems"))
	if err != nil {
		return awsapi.Response{}, err
	}
	ms, next, err := h.esm.ListEventSourceMappings(ctx, caller(r), function.ListMappingsInput{
		EventSourceArn: q.Get("EventSourceArn"), FunctionName: q.Get("FunctionName"), Marker: q.Get("Marker"), MaxItems: maxItems,
	})
	if err != nil {
		return awsapi.Response{}, err
	}
	out := listMappingsOutput{EventSourceMappings: []mappingOutput{}, NextMarker: next}
	for _, m := range ms {
		out.EventSourceMappings = append(out.EventSourceMappings, toMapping(m))
	}
	return ok(http.StatusOK, out)
}
