package integration

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/fogbank/fogbank/internal/flow"
	"github.com/fogbank/fogbank/internal/flow/engine"
)

// startExecution runs arn:aws:states:::states:startExecution and its
// .sync, .sync:2 and .waitForTaskToken forms. A .sync task resumed after a
// crash starts the child again: StartExecution is idempotent for a named
// execution with the same input, so the task then waits for the same
// child.
func (t *Tasks) startExecution(ctx context.Context, c call) (any, error) {
	if t.cfg.Executions == nil {
		return nil, engine.NewTaskError(engine.ErrRuntime, "fogbank has no Step Functions service configured.")
	}
	if err := checkFields(c, "StateMachineArn", "Input", "Name", "TraceHeader"); err != nil {
		return nil, err
	}
	out, err := t.cfg.Executions.StartExecution(ctx, t.startInput(c.params))
	if err != nil {
		return nil, sfnError("StepFunctions", err, t.cfg.IDs.UUID())
	}
	res := map[string]any{"ExecutionArn": out.ExecutionArn, "StartDate": epochMillis(out.StartDate)}
	b, _ := json.Marshal(map[string]any{"executionArn": out.ExecutionArn, "startDate": float64(out.StartDate.UnixMilli()) / 1000})
	res = t.sdkMetadata(res, "application/x-amz-json-1.0", len(b), t.cfg.IDs.UUID())
	if c.pattern != runJob && c.pattern != runJobJSON {
		return res, nil
	}
	if err := t.submitted(ctx, c.req, res); err != nil {
		return nil, err
	}
	return t.awaitChild(ctx, c, out.ExecutionArn)
}

// awaitChild waits for a .sync task's child execution to end, or for a
// SendTaskSuccess/Failure with the task's token ($$.Task.Token), whichever
// comes first.
func (t *Tasks) awaitChild(ctx context.Context, c call, execArn string) (any, error) {
	if t.cfg.Callbacks == nil || c.req.Token == "" {
		return t.childOutcome(ctx, c, execArn)
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type outcome struct {
		out any
		err error
	}
	done := make(chan outcome, 2)
	go func() {
		out, err := t.childOutcome(wctx, c, execArn)
		done <- outcome{out, err}
	}()
	go func() {
		out, err := t.cfg.Callbacks.Wait(wctx, c.req.Token, 0)
		done <- outcome{out, err}
	}()
	first := <-done
	cancel()
	<-done
	return first.out, first.err
}

func (t *Tasks) childOutcome(ctx context.Context, c call, execArn string) (any, error) {
	d, err := t.cfg.Executions.WaitExecution(ctx, execArn)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, sfnError("StepFunctions", err, t.cfg.IDs.UUID())
	}
	return childResult(d, c.pattern == runJobJSON)
}

func (t *Tasks) startInput(p map[string]any) flow.StartExecutionInput {
	in := flow.StartExecutionInput{
		Caller:          flow.Caller{Account: t.exec.Account, Region: t.exec.Region},
		StateMachineArn: str(p, "StateMachineArn"), Name: str(p, "Name"),
		TraceHeader: str(p, "TraceHeader"), ParentExecutionArn: t.exec.Arn,
	}
	if in.TraceHeader == "" {
		in.TraceHeader = t.exec.TraceHeader
	}
	if v, ok := p["Input"]; ok && v != nil {
		in.Input = text(v)
	}
	if in.Input == "" {
		in.Input = "{}"
	}
	return in
}

// childResult is a .sync task's result: DescribeExecution's fields, with
// Output as text (.sync) or as JSON (.sync:2). A child that did not
// succeed fails the task with States.TaskFailed and the description as
// cause.
func childResult(d flow.ExecutionDescription, parsed bool) (any, error) {
	res := map[string]any{
		"ExecutionArn": d.ExecutionArn, "Input": d.Input, "InputDetails": map[string]any{"Included": true},
		"Name": d.Name, "StartDate": epochMillis(d.StartDate), "StateMachineArn": d.StateMachineArn,
		"Status": d.Status, "StopDate": epochMillis(d.StopDate),
	}
	if d.Status != engine.StatusSucceeded {
		if d.Error != "" {
			res["Error"] = d.Error
		}
		if d.Cause != "" {
			res["Cause"] = d.Cause
		}
		b, _ := json.Marshal(res)
		return nil, engine.NewTaskError(engine.ErrTaskFailed, string(b))
	}
	if d.Output != nil {
		res["Output"] = *d.Output
		if parsed {
			v, _ := decodeJSON([]byte(*d.Output))
			res["Output"] = v
		}
		res["OutputDetails"] = map[string]any{"Included": true}
	}
	res["RedriveCount"] = json.Number(itoa(d.RedriveCount))
	res["RedriveStatus"] = orDefault(d.RedriveStatus, "NOT_REDRIVABLE")
	res["RedriveStatusReason"] = orDefault(d.RedriveStatusReason, "Execution is SUCCEEDED and cannot be redriven")
	return res, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// epochMillis is a date as the AWS SDK for Java serialises it in Step
// Functions' outputs: milliseconds since the epoch.
func epochMillis(t time.Time) json.Number { return json.Number(itoa(int(t.UnixMilli()))) }

// sfnExceptions are Step Functions' exception names by flow error code.
var sfnExceptions = map[flow.Code]string{
	flow.CodeValidation:                   "ValidationException",
	flow.CodeInvalidArn:                   "InvalidArnException",
	flow.CodeInvalidName:                  "InvalidNameException",
	flow.CodeInvalidDefinition:            "InvalidDefinitionException",
	flow.CodeInvalidExecutionInput:        "InvalidExecutionInputException",
	flow.CodeInvalidOutput:                "InvalidOutputException",
	flow.CodeInvalidToken:                 "InvalidTokenException",
	flow.CodeStateMachineDoesNotExist:     "StateMachineDoesNotExistException",
	flow.CodeStateMachineDeleting:         "StateMachineDeletingException",
	flow.CodeStateMachineTypeNotSupported: "StateMachineTypeNotSupportedException",
	flow.CodeExecutionDoesNotExist:        "ExecutionDoesNotExistException",
	flow.CodeExecutionAlreadyExists:       "ExecutionAlreadyExistsException",
	flow.CodeExecutionNotRedrivable:       "ExecutionNotRedrivableException",
	flow.CodeTaskDoesNotExist:             "TaskDoesNotExistException",
	flow.CodeTaskTimedOut:                 "TaskTimedOutException",
	flow.CodeActivityDoesNotExist:         "ActivityDoesNotExistException",
	flow.CodeResourceNotFound:             "ResourceNotFoundException",
	flow.CodeMissingRequiredParameter:     "MissingRequiredParameterException",
}

// sfnError renders an error of the flow service as "<prefix>.<Exception>"
// (prefix StepFunctions for the optimized integration, Sfn for aws-sdk).
func sfnError(prefix string, err error, requestID string) error {
	var fe *flow.Error
	if !errors.As(err, &fe) {
		return engine.NewTaskError(prefix+".SdkClientException", err.Error())
	}
	name, ok := sfnExceptions[fe.Code]
	if !ok {
		name = "AWSStepFunctionsException"
	}
	return serviceError(prefix+"."+name, fe.Message, "AWSStepFunctions", name, 400, requestID)
}
