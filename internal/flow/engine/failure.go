package engine

import (
	"fmt"
	"slices"
	"strings"
)

// Predefined error names.
const (
	ErrAll                  = "States.ALL"
	ErrRuntime              = "States.Runtime"
	ErrDataLimitExceeded    = "States.DataLimitExceeded"
	ErrTimeout              = "States.Timeout"
	ErrHeartbeatTimeout     = "States.HeartbeatTimeout"
	ErrTaskFailed           = "States.TaskFailed"
	ErrPermissions          = "States.Permissions"
	ErrResultPathMatch      = "States.ResultPathMatchFailure"
	ErrParameterPath        = "States.ParameterPathFailure"
	ErrBranchFailed         = "States.BranchFailed"
	ErrNoChoiceMatched      = "States.NoChoiceMatched"
	ErrIntrinsicFailure     = "States.IntrinsicFailure"
	ErrExceedToleratedFails = "States.ExceedToleratedFailureThreshold"
	ErrItemReaderFailed     = "States.ItemReaderFailed"
	ErrResultWriterFailed   = "States.ResultWriterFailed"
	ErrQueryEvaluation      = "States.QueryEvaluationError"
)

// maxPayload is AWS's 256 KiB limit on inputs and outputs.
const maxPayload = 256 * 1024

// Failure is an error raised inside an execution.
type Failure struct {
	Error string
	Cause string
	// Location, for JSONata evaluation failures, is the field that failed
	// (it is reported in an EvaluationFailed event).
	Location string
	// evaluation marks failures that produce an EvaluationFailed event.
	evaluation bool
	// stateFailed is the Map/Parallel "...StateFailed" event to emit when
	// the failure is not retried.
	stateFailed string
	// timedOut marks the execution-level timeout, which ends the run
	// without Retry or Catch.
	timedOut bool
}

func (f *Failure) String() string { return f.Error + ": " + f.Cause }

// Err adapts a Failure to the error interface for Tasks implementations.
func (f *Failure) Err() error { return failureError{f} }

type failureError struct{ f *Failure }

func (e failureError) Error() string { return e.f.String() }

// NewTaskError builds the error a Tasks implementation returns.
func NewTaskError(name, cause string) error { return failureError{&Failure{Error: name, Cause: cause}} }

func dataLimit(what string) *Failure {
	return &Failure{Error: ErrDataLimitExceeded, Cause: fmt.Sprintf("The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", what)}
}

// matches reports whether a Retry/Catch ErrorEquals list handles name.
func matches(list []string, name string) bool {
	for _, e := range list {
		switch {
		case e == name:
			return true
		case e == ErrAll:
			return name != ErrRuntime && name != ErrDataLimitExceeded
		case e == ErrTaskFailed:
			if !strings.HasPrefix(name, "States.") {
				return true
			}
		}
	}
	return slices.Contains(list, name)
}
