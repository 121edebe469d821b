package engine

import (
	"encoding/json"
	"strings"
	"time"
)

// Event is one history event, as GetExecutionHistory returns it.
type Event struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	Type            string
	// Details is the per-type details struct (nil for types without
	// details); DetailsKey names its JSON field.
	Details    any
	DetailsKey string
}

// MarshalJSON renders the event with AWS's field names.
func (e Event) MarshalJSON() ([]byte, error) {
	m := map[string]any{
		"id":              e.ID,
		"previousEventId": e.PreviousEventID,
		"timestamp":       e.Timestamp.UTC().Format(time.RFC3339Nano),
		"type":            e.Type,
	}
	if e.Details != nil && e.DetailsKey != "" {
		m[e.DetailsKey] = e.Details
	}
	return json.Marshal(m)
}

// PayloadDetails tells whether a payload was truncated.
type PayloadDetails struct {
	Truncated bool `json:"truncated"`
}

// ExecutionStartedDetails is executionStartedEventDetails.
type ExecutionStartedDetails struct {
	Input        string          `json:"input"`
	InputDetails *PayloadDetails `json:"inputDetails,omitempty"`
	RoleArn      string          `json:"roleArn"`
}

// StateEnteredDetails is stateEnteredEventDetails.
type StateEnteredDetails struct {
	Name         string          `json:"name"`
	Input        string          `json:"input"`
	InputDetails *PayloadDetails `json:"inputDetails,omitempty"`
}

// StateExitedDetails is stateExitedEventDetails.
type StateExitedDetails struct {
	Name                     string            `json:"name"`
	Output                   string            `json:"output"`
	OutputDetails            *PayloadDetails   `json:"outputDetails,omitempty"`
	AssignedVariables        map[string]string `json:"assignedVariables,omitempty"`
	AssignedVariablesDetails *PayloadDetails   `json:"assignedVariablesDetails,omitempty"`
}

// OutputDetails is the details of ExecutionSucceeded and similar events.
type OutputDetails struct {
	Output        string          `json:"output"`
	OutputDetails *PayloadDetails `json:"outputDetails,omitempty"`
}

// FailureDetails carries an error and a cause (ExecutionFailed,
// ExecutionAborted, MapRunFailed, ...).
type FailureDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// EvaluationFailedDetails is evaluationFailedEventDetails.
type EvaluationFailedDetails struct {
	Error    string `json:"error,omitempty"`
	Cause    string `json:"cause,omitempty"`
	Location string `json:"location,omitempty"`
	State    string `json:"state"`
}

// MapStateStartedDetails is mapStateStartedEventDetails.
type MapStateStartedDetails struct {
	Length int `json:"length"`
}

// MapIterationDetails is the details of the MapIteration* events.
type MapIterationDetails struct {
	Name  string `json:"name"`
	Index int    `json:"index"`
}

// MapRunStartedDetails is mapRunStartedEventDetails.
type MapRunStartedDetails struct {
	MapRunArn string `json:"mapRunArn"`
}

// TaskScheduledDetails is taskScheduledEventDetails.
type TaskScheduledDetails struct {
	ResourceType       string `json:"resourceType"`
	Resource           string `json:"resource"`
	Region             string `json:"region"`
	Parameters         string `json:"parameters"`
	TimeoutInSeconds   *int64 `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds *int64 `json:"heartbeatInSeconds,omitempty"`
}

// TaskDetails is the details of TaskStarted, TaskSucceeded, TaskFailed,
// TaskTimedOut and TaskSubmitted.
type TaskDetails struct {
	ResourceType  string          `json:"resourceType"`
	Resource      string          `json:"resource"`
	Output        *string         `json:"output,omitempty"`
	OutputDetails *PayloadDetails `json:"outputDetails,omitempty"`
	Error         string          `json:"error,omitempty"`
	Cause         string          `json:"cause,omitempty"`
}

// LambdaScheduledDetails is lambdaFunctionScheduledEventDetails.
type LambdaScheduledDetails struct {
	Resource         string          `json:"resource"`
	Input            string          `json:"input"`
	InputDetails     *PayloadDetails `json:"inputDetails,omitempty"`
	TimeoutInSeconds *int64          `json:"timeoutInSeconds,omitempty"`
}

// ActivityScheduledDetails is activityScheduledEventDetails.
type ActivityScheduledDetails struct {
	Resource           string          `json:"resource"`
	Input              string          `json:"input"`
	InputDetails       *PayloadDetails `json:"inputDetails,omitempty"`
	TimeoutInSeconds   *int64          `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds *int64          `json:"heartbeatInSeconds,omitempty"`
}

// ActivityStartedDetails is activityStartedEventDetails.
type ActivityStartedDetails struct {
	WorkerName string `json:"workerName,omitempty"`
}

// detailsKey returns the JSON key of the details of an event type.
func detailsKey(typ string) string {
	switch {
	case strings.HasSuffix(typ, "StateEntered"):
		return "stateEnteredEventDetails"
	case strings.HasSuffix(typ, "StateExited"):
		return "stateExitedEventDetails"
	}
	return strings.ToLower(typ[:1]) + typ[1:] + "EventDetails"
}
