package integration

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/fogbank/fogbank/internal/bus"
	"github.com/fogbank/fogbank/internal/flow/engine"
)

// busCodes are EventBridge's exception names by error code.
var busCodes = map[bus.Code]string{
	bus.CodeValidation:             "ValidationException",
	bus.CodeResourceNotFound:       "ResourceNotFoundException",
	bus.CodeResourceAlreadyExists:  "ResourceAlreadyExistsException",
	bus.CodeInvalidEventPattern:    "InvalidEventPatternException",
	bus.CodeLimitExceeded:          "LimitExceededException",
	bus.CodeManagedRule:            "ManagedRuleException",
	bus.CodeConcurrentModification: "ConcurrentModificationException",
	bus.CodeIllegalStatus:          "IllegalStatusException",
	bus.CodeAccessDenied:           "AccessDeniedException",
	bus.CodePolicyLengthExceeded:   "PolicyLengthExceededException",
}

func busError(prefix string, err error, requestID string) error {
	var be *bus.Error
	if !errors.As(err, &be) {
		return engine.NewTaskError(prefix+".SdkClientException", err.Error())
	}
	name := busCodes[be.Code]
	if name == "" {
		name = "ValidationException"
	}
	status := 400
	if be.Code == bus.CodeResourceNotFound {
		status = 404
	}
	return serviceError(prefix+"."+name, be.Message, "AmazonEventBridge", name, status, requestID)
}

// putEvents runs arn:aws:states:::events:putEvents. Step Functions adds the
// execution's ARN to each event's resources; an entry EventBridge rejects
// fails the task with EventBridge.FailedEntry and the whole result as cause.
func (t *Tasks) putEvents(ctx context.Context, c call) (any, error) {
	if err := checkFields(c, "Entries"); err != nil {
		return nil, err
	}
	res, err := t.putEntries(ctx, c.params, t.exec.Arn)
	if err != nil {
		return nil, busError("EventBridge", err, t.cfg.IDs.UUID())
	}
	if n, _ := res["FailedEntryCount"].(json.Number); n != "0" {
		b, _ := json.Marshal(res)
		return nil, engine.NewTaskError("EventBridge.FailedEntry", string(b))
	}
	return res, nil
}

// putEntries calls PutEvents with the entries of a request and returns
// PutEventsResult's fields.
func (t *Tasks) putEntries(ctx context.Context, p map[string]any, resource string) (map[string]any, error) {
	raw, _ := p["Entries"].([]any)
	in := bus.PutEventsInput{Caller: bus.Caller{Account: t.exec.Account, Region: t.exec.Region}}
	for _, r := range raw {
		e, _ := r.(map[string]any)
		in.Entries = append(in.Entries, t.entry(e, resource))
	}
	results, err := t.cfg.Buses.PutEvents(ctx, in)
	if err != nil {
		return nil, err
	}
	entries := make([]any, len(results))
	failed := 0
	for i, r := range results {
		if r.ErrorCode != "" {
			failed++
			entries[i] = map[string]any{"ErrorCode": r.ErrorCode, "ErrorMessage": r.ErrorMessage}
			continue
		}
		entries[i] = map[string]any{"EventId": r.EventID}
	}
	return map[string]any{"Entries": entries, "FailedEntryCount": json.Number(itoa(failed))}, nil
}

func (t *Tasks) entry(e map[string]any, resource string) bus.Entry {
	var out bus.Entry
	opt := func(key string) *string {
		if v, ok := e[key]; ok && v != nil {
			s := text(v)
			return &s
		}
		return nil
	}
	out.Source, out.DetailType, out.Detail = opt("Source"), opt("DetailType"), opt("Detail")
	out.EventBusName = str(e, "EventBusName")
	out.TraceHeader = opt("TraceHeader")
	if out.TraceHeader == nil && t.exec.TraceHeader != "" {
		out.TraceHeader = &t.exec.TraceHeader
	}
	if list, ok := e["Resources"].([]any); ok {
		for _, r := range list {
			out.Resources = append(out.Resources, text(r))
		}
	}
	if resource != "" {
		out.Resources = append(out.Resources, resource)
	}
	switch tm := e["Time"].(type) {
	case string:
		if at, err := time.Parse(time.RFC3339, tm); err == nil {
			out.Time = &at
		}
	case json.Number:
		if f, err := tm.Float64(); err == nil {
			at := time.Unix(0, int64(f*float64(time.Second))).UTC()
			out.Time = &at
		}
	}
	return out
}
