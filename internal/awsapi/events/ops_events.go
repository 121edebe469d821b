package events

import (
	"context"
	"time"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/bus"
)

type putEventsEntry struct {
	Time         *epoch   `json:"Time"`
	Source       *string  `json:"Source"`
	Resources    []string `json:"Resources"`
	DetailType   *string  `json:"DetailType"`
	Detail       *string  `json:"Detail"`
	EventBusName string   `json:"EventBusName"`
	TraceHeader  *string  `json:"TraceHeader"`
}

type putEventsInput struct {
	Entries []putEventsEntry `json:"Entries"`
}

type putEventsResult struct {
	EventID      string `json:"EventId,omitempty"`
	ErrorCode    string `json:"ErrorCode,omitempty"`
	ErrorMessage string `json:"ErrorMessage,omitempty"`
}

func (h *Handler) putEvents(ctx context.Context, r *awsapi.Request, in *putEventsInput) (any, error) {
	entries := make([]bus.Entry, len(in.Entries))
	for i, e := range in.Entries {
		entries[i] = bus.Entry{Source: e.Source, Resources: e.Resources, DetailType: e.DetailType, Detail: e.Detail, EventBusName: e.EventBusName, TraceHeader: e.TraceHeader}
		if e.Time != nil {
			t := time.Time(*e.Time)
			entries[i].Time = &t
		}
	}
	results, err := h.svc.PutEvents(ctx, bus.PutEventsInput{Caller: caller(r), Entries: entries})
	if err != nil {
		return nil, err
	}
	out := struct {
		FailedEntryCount int               `json:"FailedEntryCount"`
		Entries          []putEventsResult `json:"Entries"`
	}{Entries: make([]putEventsResult, len(results))}
	for i, res := range results {
		out.Entries[i] = putEventsResult(res)
		if res.ErrorCode != "" {
			out.FailedEntryCount++
		}
	}
	return out, nil
}

type putTargetsInput struct {
	Rule         string       `json:"Rule"`
	EventBusName string       `json:"EventBusName"`
	Targets      []bus.Target `json:"Targets"`
	Ids          []string     `json:"Ids"` //nolint:revive // AWS's name
	Force        bool         `json:"Force"`
	NextToken    string       `json:"NextToken"`
	Limit        int          `json:"Limit"`
}

type targetFailure struct {
	TargetID     string `json:"TargetId"`
	ErrorCode    string `json:"ErrorCode"`
	ErrorMessage string `json:"ErrorMessage"`
}

type targetsResult struct {
	FailedEntryCount int             `json:"FailedEntryCount"`
	FailedEntries    []targetFailure `json:"FailedEntries"`
}

func failures(fs []bus.TargetFailure) targetsResult {
	out := targetsResult{FailedEntryCount: len(fs), FailedEntries: make([]targetFailure, len(fs))}
	for i, f := range fs {
		out.FailedEntries[i] = targetFailure(f)
	}
	return out
}

func (h *Handler) putTargets(ctx context.Context, r *awsapi.Request, in *putTargetsInput) (any, error) {
	fs, err := h.svc.PutTargets(ctx, bus.PutTargetsInput{Caller: caller(r), Rule: in.Rule, EventBusName: in.EventBusName, Targets: in.Targets})
	if err != nil {
		return nil, err
	}
	return failures(fs), nil
}

func (h *Handler) removeTargets(ctx context.Context, r *awsapi.Request, in *putTargetsInput) (any, error) {
	fs, err := h.svc.RemoveTargets(ctx, bus.RemoveTargetsInput{Caller: caller(r), Rule: in.Rule, EventBusName: in.EventBusName, IDs: in.Ids})
	if err != nil {
		return nil, err
	}
	return failures(fs), nil
}

func (h *Handler) listTargetsByRule(ctx context.Context, r *awsapi.Request, in *putTargetsInput) (any, error) {
	targets, next, err := h.svc.ListTargetsByRule(ctx, caller(r), in.EventBusName, in.Rule, in.Limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	if targets == nil {
		targets = []bus.Target{}
	}
	return struct {
		Targets   []bus.Target `json:"Targets"`
		NextToken string       `json:"NextToken,omitempty"`
	}{targets, next}, nil
}
