package sfn

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/flow"
	"github.com/fogbank/fogbank/internal/flow/engine"
)

type startExecutionInput struct {
	StateMachineArn *string `json:"stateMachineArn"`
	Name            string  `json:"name"`
	Input           string  `json:"input"`
	TraceHeader     string  `json:"traceHeader"`
	IncludedData    string  `json:"includedData"`
}

func (in *startExecutionInput) domain(r *awsapi.Request) flow.StartExecutionInput {
	return flow.StartExecutionInput{Caller: caller(r), StateMachineArn: *in.StateMachineArn, Name: in.Name, Input: in.Input, TraceHeader: in.TraceHeader}
}

func (h *Handler) startExecution(ctx context.Context, r *awsapi.Request, in *startExecutionInput) (any, error) {
	if in.StateMachineArn == nil {
		return nil, missing("stateMachineArn")
	}
	out, err := h.svc.StartExecution(ctx, in.domain(r))
	if err != nil {
		return nil, err
	}
	return struct {
		ExecutionArn string `json:"executionArn"`
		StartDate    epoch  `json:"startDate"`
	}{out.ExecutionArn, epoch(out.StartDate)}, nil
}

type billing struct {
	BilledMemoryUsedInMB         int64 `json:"billedMemoryUsedInMB"`
	BilledDurationInMilliseconds int64 `json:"billedDurationInMilliseconds"`
}

func (h *Handler) startSyncExecution(ctx context.Context, r *awsapi.Request, in *startExecutionInput) (any, error) {
	if in.StateMachineArn == nil {
		return nil, missing("stateMachineArn")
	}
	if in.IncludedData != "" && in.IncludedData != "ALL_DATA" && in.IncludedData != "METADATA_ONLY" {
		return nil, &flow.Error{Code: flow.CodeValidation, Message: "1 validation error detected: Value '" + in.IncludedData + "' at 'includedData' failed to satisfy constraint: Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]"}
	}
	out, err := h.svc.StartSyncExecution(ctx, in.domain(r))
	if err != nil {
		return nil, err
	}
	shape := executionOut(out.ExecutionDescription, in.IncludedData != "METADATA_ONLY")
	shape.RedriveStatus, shape.RedriveStatusReason = nil, nil
	return struct {
		executionShape
		BillingDetails billing `json:"billingDetails"`
	}{shape, billing{64, out.BilledDuration.Milliseconds()}}, nil
}

type executionArnInput struct {
	ExecutionArn *string `json:"executionArn"`
	IncludedData string  `json:"includedData"`
	Error        string  `json:"error"`
	Cause        string  `json:"cause"`
}

func (h *Handler) describeExecution(ctx context.Context, _ *awsapi.Request, in *executionArnInput) (any, error) {
	if in.ExecutionArn == nil {
		return nil, missing("executionArn")
	}
	d, err := h.svc.DescribeExecution(ctx, *in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	return executionOut(d, in.IncludedData != "METADATA_ONLY"), nil
}

func (h *Handler) stopExecution(ctx context.Context, _ *awsapi.Request, in *executionArnInput) (any, error) {
	if in.ExecutionArn == nil {
		return nil, missing("executionArn")
	}
	stop, err := h.svc.StopExecutionDate(ctx, *in.ExecutionArn, in.Error, in.Cause)
	if err != nil {
		return nil, err
	}
	return struct {
		StopDate epoch `json:"stopDate"`
	}{epoch(stop)}, nil
}

func (h *Handler) describeStateMachineForExecution(ctx context.Context, _ *awsapi.Request, in *executionArnInput) (any, error) {
	if in.ExecutionArn == nil {
		return nil, missing("executionArn")
	}
	m, updated, err := h.svc.DescribeStateMachineForExecution(ctx, *in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	out := stateMachineOut(m)
	out.Status, out.Type, out.CreationDate, out.UpdateDate = "", "", nil, opt(updated)
	return out, nil
}

type listExecutionsInput struct {
	StateMachineArn string `json:"stateMachineArn"`
	StatusFilter    string `json:"statusFilter"`
	RedriveFilter   string `json:"redriveFilter"`
	MapRunArn       string `json:"mapRunArn"`
	pageInput
}

type executionItem struct {
	ExecutionArn           string  `json:"executionArn"`
	StateMachineArn        string  `json:"stateMachineArn"`
	Name                   string  `json:"name"`
	Status                 string  `json:"status"`
	StartDate              epoch   `json:"startDate"`
	StopDate               *epoch  `json:"stopDate,omitempty"`
	StateMachineVersionArn *string `json:"stateMachineVersionArn,omitempty"`
	StateMachineAliasArn   *string `json:"stateMachineAliasArn,omitempty"`
	RedriveCount           int     `json:"redriveCount"`
	RedriveDate            *epoch  `json:"redriveDate,omitempty"`
}

func (h *Handler) listExecutions(ctx context.Context, _ *awsapi.Request, in *listExecutionsInput) (any, error) {
	items, next, err := h.svc.ListExecutions(ctx, flow.ListExecutionsInput{
		StateMachineArn: in.StateMachineArn, StatusFilter: in.StatusFilter, RedriveFilter: in.RedriveFilter, Page: in.page(),
	})
	if err != nil {
		return nil, err
	}
	out := make([]executionItem, 0, len(items))
	for _, x := range items {
		out = append(out, executionItem{
			ExecutionArn: x.ExecutionArn, StateMachineArn: x.StateMachineArn, Name: x.Name, Status: x.Status,
			StartDate: epoch(x.StartDate), StopDate: opt(x.StopDate), StateMachineVersionArn: str(x.StateMachineVersionArn),
			StateMachineAliasArn: str(x.StateMachineAliasArn), RedriveCount: x.RedriveCount, RedriveDate: opt(x.RedriveDate),
		})
	}
	return struct {
		Executions []executionItem `json:"executions"`
		NextToken  *string         `json:"nextToken,omitempty"`
	}{out, str(next)}, nil
}

type historyInput struct {
	ExecutionArn         *string `json:"executionArn"`
	ReverseOrder         bool    `json:"reverseOrder"`
	IncludeExecutionData *bool   `json:"includeExecutionData"`
	pageInput
}

func (h *Handler) getExecutionHistory(ctx context.Context, _ *awsapi.Request, in *historyInput) (any, error) {
	if in.ExecutionArn == nil {
		return nil, missing("executionArn")
	}
	evs, next, err := h.svc.GetExecutionHistory(ctx, flow.HistoryInput{ExecutionArn: *in.ExecutionArn, Reverse: in.ReverseOrder, Page: in.page()})
	if err != nil {
		return nil, err
	}
	data := in.IncludeExecutionData == nil || *in.IncludeExecutionData
	out := make([]json.RawMessage, 0, len(evs))
	for _, ev := range evs {
		b, err := eventOut(ev, data)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return struct {
		Events    []json.RawMessage `json:"events"`
		NextToken *string           `json:"nextToken,omitempty"`
	}{out, str(next)}, nil
}

// payloadFields are the details fields includeExecutionData=false drops.
var payloadFields = []string{"input", "output", "parameters", "assignedVariables"}

// eventOut renders a history event with the timestamp as epoch seconds.
func eventOut(ev engine.Event, data bool) (json.RawMessage, error) {
	b, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	// previousEventId stays when 0: AWS sends it for the first events too.
	m["timestamp"] = json.Number(strconv.FormatFloat(float64(ev.Timestamp.UnixMilli())/1000, 'f', -1, 64))
	if !data && ev.DetailsKey != "" {
		if d, ok := m[ev.DetailsKey].(map[string]any); ok {
			for _, f := range payloadFields {
				delete(d, f)
			}
		}
	}
	return json.Marshal(m)
}

type mapRunInput struct {
	MapRunArn                  *string  `json:"mapRunArn"`
	ExecutionArn               *string  `json:"executionArn"`
	MaxConcurrency             *int64   `json:"maxConcurrency"`
	ToleratedFailurePercentage *float64 `json:"toleratedFailurePercentage"`
	ToleratedFailureCount      *int64   `json:"toleratedFailureCount"`
	pageInput
}

type itemCounts struct {
	Pending        int `json:"pending"`
	Running        int `json:"running"`
	Succeeded      int `json:"succeeded"`
	Failed         int `json:"failed"`
	TimedOut       int `json:"timedOut"`
	Aborted        int `json:"aborted"`
	Total          int `json:"total"`
	ResultsWritten int `json:"resultsWritten"`
}

func (h *Handler) describeMapRun(ctx context.Context, _ *awsapi.Request, in *mapRunInput) (any, error) {
	if in.MapRunArn == nil {
		return nil, missing("mapRunArn")
	}
	m, err := h.svc.DescribeMapRun(ctx, *in.MapRunArn)
	if err != nil {
		return nil, err
	}
	counts := itemCounts{Pending: m.Pending, Running: m.Running, Succeeded: m.Succeeded, Failed: m.Failed, Total: m.Total}
	return struct {
		MapRunArn                  string     `json:"mapRunArn"`
		ExecutionArn               string     `json:"executionArn"`
		Status                     string     `json:"status"`
		StartDate                  epoch      `json:"startDate"`
		StopDate                   *epoch     `json:"stopDate,omitempty"`
		MaxConcurrency             int64      `json:"maxConcurrency"`
		ToleratedFailurePercentage float64    `json:"toleratedFailurePercentage"`
		ToleratedFailureCount      int64      `json:"toleratedFailureCount"`
		ItemCounts                 itemCounts `json:"itemCounts"`
		ExecutionCounts            itemCounts `json:"executionCounts"`
		RedriveCount               int        `json:"redriveCount"`
	}{
		m.MapRunArn, m.ExecutionArn, m.Status, epoch(m.StartDate), opt(m.StopDate), m.MaxConcurrency,
		m.ToleratedFailurePercentage, m.ToleratedFailureCount, counts, counts, 0,
	}, nil
}

type mapRunItem struct {
	ExecutionArn    string `json:"executionArn"`
	MapRunArn       string `json:"mapRunArn"`
	StateMachineArn string `json:"stateMachineArn"`
	StartDate       epoch  `json:"startDate"`
	StopDate        *epoch `json:"stopDate,omitempty"`
}

func (h *Handler) listMapRuns(ctx context.Context, _ *awsapi.Request, in *mapRunInput) (any, error) {
	if in.ExecutionArn == nil {
		return nil, missing("executionArn")
	}
	runs, next, err := h.svc.ListMapRuns(ctx, *in.ExecutionArn, in.page())
	if err != nil {
		return nil, err
	}
	out := make([]mapRunItem, 0, len(runs))
	for _, m := range runs {
		out = append(out, mapRunItem{m.ExecutionArn, m.MapRunArn, m.StateMachineArn, epoch(m.StartDate), opt(m.StopDate)})
	}
	return struct {
		MapRuns   []mapRunItem `json:"mapRuns"`
		NextToken *string      `json:"nextToken,omitempty"`
	}{out, str(next)}, nil
}

func (h *Handler) updateMapRun(ctx context.Context, _ *awsapi.Request, in *mapRunInput) (any, error) {
	if in.MapRunArn == nil {
		return nil, missing("mapRunArn")
	}
	return nil, h.svc.UpdateMapRun(ctx, flow.UpdateMapRunInput{
		MapRunArn: *in.MapRunArn, MaxConcurrency: in.MaxConcurrency,
		ToleratedFailurePercentage: in.ToleratedFailurePercentage, ToleratedFailureCount: in.ToleratedFailureCount,
	})
}
