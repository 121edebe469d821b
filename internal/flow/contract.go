package flow

import (
	"context"
	"time"
)

// Callbacks is how a callback task (.waitForTaskToken) waits for SendTaskSuccess/Failure/Heartbeat.
type Callbacks interface {
	// Wait blocks until the token's outcome arrives (durably recorded by the service), ctx ends, or
	// heartbeat (0 = none) passes without a heartbeat. A failure outcome is returned as *engine.Failure.
	Wait(ctx context.Context, token string, heartbeat time.Duration) (output any, err error)
}

// Executions starts and observes nested executions (states:startExecution[.sync[:2]]).
type Executions interface {
	StartExecution(ctx context.Context, in StartExecutionInput) (StartExecutionOutput, error)
	// WaitExecution blocks until the execution ends and returns what DescribeExecution would.
	WaitExecution(ctx context.Context, executionArn string) (ExecutionDescription, error)
	StopExecution(ctx context.Context, executionArn, errorName, cause string) error
}

// Caller identifies the account and region a request is made in.
type Caller struct {
	Account string
	Region  string
}

// StartExecutionInput is StartExecution's request.
type StartExecutionInput struct {
	Caller          Caller
	StateMachineArn string
	// Name is the execution name; empty picks a UUID.
	Name string
	// Input is the execution input as JSON text; empty means "{}".
	Input       string
	TraceHeader string
	// ParentExecutionArn is set for a nested execution started by a
	// states:startExecution task.
	ParentExecutionArn string
}

// StartExecutionOutput is StartExecution's answer.
type StartExecutionOutput struct {
	ExecutionArn string
	StartDate    time.Time
}

// ExecutionDescription holds DescribeExecution's fields.
type ExecutionDescription struct {
	ExecutionArn    string
	StateMachineArn string
	Name            string
	// Status is RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or
	// PENDING_REDRIVE.
	Status    string
	StartDate time.Time
	// StopDate is zero while the execution runs.
	StopDate time.Time
	Input    string
	// Output is nil unless the execution SUCCEEDED.
	Output                 *string
	Error                  string
	Cause                  string
	TraceHeader            string
	MapRunArn              string
	StateMachineVersionArn string
	StateMachineAliasArn   string
	RedriveCount           int
	RedriveDate            time.Time
	RedriveStatus          string
	RedriveStatusReason    string
	ParentExecutionArn     string
	StateMachineType       string
	InputIncluded          bool
	OutputIncluded         bool
}

// ExecutionInfo describes the execution a Task runs in. The service puts it
// in the context it passes to engine.Tasks.Invoke and Callbacks.Wait.
type ExecutionInfo struct {
	Caller           Caller
	ExecutionArn     string
	Name             string
	StateMachineArn  string
	StateMachineType string
	RoleArn          string
}

type executionInfoKey struct{}

// WithExecution returns ctx carrying info.
func WithExecution(ctx context.Context, info ExecutionInfo) context.Context {
	return context.WithValue(ctx, executionInfoKey{}, info)
}

// ExecutionFrom returns the execution a Task runs in, from the context the
// service passes to engine.Tasks.Invoke.
func ExecutionFrom(ctx context.Context) (ExecutionInfo, bool) {
	info, ok := ctx.Value(executionInfoKey{}).(ExecutionInfo)
	return info, ok
}
