package engine

import (
	"encoding/json"
	"fmt"
	"time"
)

// UnmarshalJSON reads an event written by MarshalJSON (a stored history).
// The details of the events a replay reads (task and Lambda outcomes) are
// decoded into their structs; others are kept as raw JSON, which
// MarshalJSON writes back unchanged.
func (e *Event) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var head struct {
		ID              int64  `json:"id"`
		PreviousEventID int64  `json:"previousEventId"`
		Timestamp       string `json:"timestamp"`
		Type            string `json:"type"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return err
	}
	ts, err := time.Parse(time.RFC3339Nano, head.Timestamp)
	if err != nil {
		return fmt.Errorf("engine: event %d: %w", head.ID, err)
	}
	*e = Event{ID: head.ID, PreviousEventID: head.PreviousEventID, Timestamp: ts, Type: head.Type}
	key := detailsKey(head.Type)
	data, ok := raw[key]
	if !ok {
		return nil
	}
	e.DetailsKey = key
	d := detailsFor(head.Type)
	if d == nil {
		e.Details = data
		return nil
	}
	if err := json.Unmarshal(data, d); err != nil {
		return fmt.Errorf("engine: event %d details: %w", head.ID, err)
	}
	e.Details = d
	return nil
}

// detailsFor returns a new details struct for the types replay inspects.
func detailsFor(typ string) any {
	switch typ {
	case "TaskSucceeded", "TaskFailed", "TaskTimedOut", "TaskStarted", "TaskSubmitted":
		return &TaskDetails{}
	case "LambdaFunctionSucceeded", "ExecutionSucceeded", "ActivitySucceeded":
		return &OutputDetails{}
	case "LambdaFunctionFailed", "LambdaFunctionTimedOut", "ActivityFailed", "ActivityTimedOut", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut":
		return &FailureDetails{}
	case "ExecutionStarted":
		return &ExecutionStartedDetails{}
	}
	return nil
}
