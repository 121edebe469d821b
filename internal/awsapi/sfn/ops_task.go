package sfn

import (
	"context"
	"encoding/json"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/flow"
	"github.com/fogbank/fogbank/internal/flow/engine"
)

type sendTaskInput struct {
	TaskToken *string `json:"taskToken"`
	Output    *string `json:"output"`
	Error     string  `json:"error"`
	Cause     string  `json:"cause"`
}

func (h *Handler) sendTaskSuccess(ctx context.Context, _ *awsapi.Request, in *sendTaskInput) (any, error) {
	switch {
	case in.TaskToken == nil:
		return nil, missing("taskToken")
	case in.Output == nil:
		return nil, missing("output")
	}
	return nil, h.svc.SendTaskSuccess(ctx, *in.TaskToken, *in.Output)
}

func (h *Handler) sendTaskFailure(ctx context.Context, _ *awsapi.Request, in *sendTaskInput) (any, error) {
	if in.TaskToken == nil {
		return nil, missing("taskToken")
	}
	return nil, h.svc.SendTaskFailure(ctx, *in.TaskToken, in.Error, in.Cause)
}

func (h *Handler) sendTaskHeartbeat(ctx context.Context, _ *awsapi.Request, in *sendTaskInput) (any, error) {
	if in.TaskToken == nil {
		return nil, missing("taskToken")
	}
	return nil, h.svc.SendTaskHeartbeat(ctx, *in.TaskToken)
}

type activityInput struct {
	Name        *string `json:"name"`
	ActivityArn *string `json:"activityArn"`
	WorkerName  string  `json:"workerName"`
	Tags        []tag   `json:"tags"`
}

type activityShape struct {
	ActivityArn  string `json:"activityArn"`
	Name         string `json:"name,omitempty"`
	CreationDate epoch  `json:"creationDate"`
}

func (h *Handler) createActivity(ctx context.Context, r *awsapi.Request, in *activityInput) (any, error) {
	if in.Name == nil {
		return nil, missing("name")
	}
	a, err := h.svc.CreateActivity(ctx, caller(r), *in.Name, tagsIn(in.Tags))
	if err != nil {
		return nil, err
	}
	return activityShape{ActivityArn: a.ActivityArn, CreationDate: epoch(a.CreationDate)}, nil
}

func (h *Handler) describeActivity(ctx context.Context, _ *awsapi.Request, in *activityInput) (any, error) {
	if in.ActivityArn == nil {
		return nil, missing("activityArn")
	}
	a, err := h.svc.DescribeActivity(ctx, *in.ActivityArn)
	if err != nil {
		return nil, err
	}
	return activityShape{a.ActivityArn, a.Name, epoch(a.CreationDate)}, nil
}

func (h *Handler) deleteActivity(ctx context.Context, _ *awsapi.Request, in *activityInput) (any, error) {
	if in.ActivityArn == nil {
		return nil, missing("activityArn")
	}
	return nil, h.svc.DeleteActivity(ctx, *in.ActivityArn)
}

func (h *Handler) listActivities(ctx context.Context, r *awsapi.Request, in *pageInput) (any, error) {
	items, next, err := h.svc.ListActivities(ctx, caller(r), in.page())
	if err != nil {
		return nil, err
	}
	out := make([]activityShape, 0, len(items))
	for _, a := range items {
		out = append(out, activityShape{a.ActivityArn, a.Name, epoch(a.CreationDate)})
	}
	return struct {
		Activities []activityShape `json:"activities"`
		NextToken  *string         `json:"nextToken,omitempty"`
	}{out, str(next)}, nil
}

func (h *Handler) getActivityTask(ctx context.Context, _ *awsapi.Request, in *activityInput) (any, error) {
	if in.ActivityArn == nil {
		return nil, missing("activityArn")
	}
	t, err := h.svc.GetActivityTask(ctx, *in.ActivityArn, in.WorkerName)
	if err != nil {
		return nil, err
	}
	return struct {
		TaskToken *string `json:"taskToken,omitempty"`
		Input     *string `json:"input,omitempty"`
	}{str(t.TaskToken), str(t.Input)}, nil
}

type testStateInput struct {
	Definition         *string        `json:"definition"`
	RoleArn            string         `json:"roleArn"`
	Input              string         `json:"input"`
	InspectionLevel    string         `json:"inspectionLevel"`
	RevealSecrets      bool           `json:"revealSecrets"`
	Variables          string         `json:"variables"`
	StateName          *string        `json:"stateName"`
	Context            string         `json:"context"`
	Mock               *mockInput     `json:"mock"`
	StateConfiguration *stateConfigIn `json:"stateConfiguration"`
}

type mockInput struct {
	Result      *string `json:"result"`
	ErrorOutput *struct {
		Error string `json:"error"`
		Cause string `json:"cause"`
	} `json:"errorOutput"`
	FieldValidationMode string `json:"fieldValidationMode"`
}

type stateConfigIn struct {
	RetrierRetryCount        *int   `json:"retrierRetryCount"`
	ErrorCausedByState       string `json:"errorCausedByState"`
	MapIterationFailureCount *int   `json:"mapIterationFailureCount"`
	MapItemReaderData        string `json:"mapItemReaderData"`
}

func (h *Handler) testState(ctx context.Context, _ *awsapi.Request, in *testStateInput) (any, error) {
	if in.Definition == nil {
		return nil, missing("definition")
	}
	if in.InspectionLevel != "" && in.InspectionLevel != "INFO" && in.InspectionLevel != "DEBUG" && in.InspectionLevel != "TRACE" {
		return nil, &flow.Error{Code: flow.CodeValidation, Message: "1 validation error detected: Value '" + in.InspectionLevel + "' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]"}
	}
	req := engine.TestStateInput{
		Definition: *in.Definition, StateName: in.StateName, RoleArn: in.RoleArn, Input: in.Input,
		InspectionLevel: in.InspectionLevel, Variables: in.Variables, Context: in.Context,
	}
	if in.Mock != nil {
		req.Mock = &engine.TestMock{Result: in.Mock.Result, FieldValidationMode: in.Mock.FieldValidationMode}
		if in.Mock.ErrorOutput != nil {
			req.Mock.ErrorOutput = &engine.MockError{Error: in.Mock.ErrorOutput.Error, Cause: in.Mock.ErrorOutput.Cause}
		}
	}
	if c := in.StateConfiguration; c != nil {
		req.Config = engine.TestStateConfig{
			RetrierRetryCount: c.RetrierRetryCount, ErrorCausedByState: c.ErrorCausedByState,
			MapIterationFailureCount: c.MapIterationFailureCount, MapItemReaderData: c.MapItemReaderData,
		}
	}
	out, err := h.svc.TestState(ctx, req)
	if err != nil {
		return nil, err
	}
	return struct {
		Output         *string        `json:"output,omitempty"`
		Error          *string        `json:"error,omitempty"`
		Cause          *string        `json:"cause,omitempty"`
		NextState      *string        `json:"nextState,omitempty"`
		Status         string         `json:"status"`
		InspectionData map[string]any `json:"inspectionData,omitempty"`
	}{out.Output, str(out.Error), str(out.Cause), str(out.NextState), out.Status, inspectionOut(out.Inspection)}, nil
}

// inspectionOut renders inspectionData: its SensitiveData members are
// JSON texts; the others (errorDetails, request, response, the Map
// numbers) stay structured.
func inspectionOut(in map[string]any) map[string]any {
	if in == nil {
		return nil
	}
	out := make(map[string]any, len(in))
	for k, v := range in {
		switch k {
		case "errorDetails", "request", "response", "toleratedFailureCount", "toleratedFailurePercentage", "maxConcurrency":
			out[k] = v
		default:
			if b, err := json.Marshal(v); err == nil {
				out[k] = string(b)
			}
		}
	}
	return out
}
