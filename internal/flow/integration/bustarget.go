package integration

import (
	"context"
	"errors"

	"github.com/fogbank/fogbank/internal/bus"
	"github.com/fogbank/fogbank/internal/flow"
)

// BusTarget adapts the flow service's executions to EventBridge's Step
// Functions targets (bus.Service.SetStateMachines).
func BusTarget(x flow.Executions) bus.StateMachines { return busTarget{x} }

type busTarget struct{ x flow.Executions }

// StartExecution starts the target's execution. A missing or deleted state
// machine, and input or a name StartExecution rejects, are permanent
// failures; so is an execution of that name with other input.
func (b busTarget) StartExecution(ctx context.Context, in bus.ExecutionStart) error {
	_, err := b.x.StartExecution(ctx, flow.StartExecutionInput{
		Caller: flow.Caller{Account: in.Account, Region: in.Region}, StateMachineArn: in.StateMachineArn,
		Name: in.Name, Input: in.Input, TraceHeader: in.TraceHeader,
	})
	var fe *flow.Error
	if err == nil || !errors.As(err, &fe) {
		return err
	}
	f := &bus.DeliveryError{Code: "StepFunctions." + sfnExceptions[fe.Code], Message: fe.Message, Permanent: true}
	switch fe.Code {
	case flow.CodeStateMachineDoesNotExist, flow.CodeStateMachineDeleting, flow.CodeInvalidArn:
		f.Code = "ResourceNotFoundException"
	case flow.CodeInvalidExecutionInput, flow.CodeValidation, flow.CodeInvalidName, flow.CodeExecutionAlreadyExists:
	default:
		f.Permanent = false
	}
	return f
}
