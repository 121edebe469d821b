// Package sfn serves the AWS Step Functions API (AWS JSON 1.0,
// X-Amz-Target: AWSStepFunctions.<Op>, SigV4 service "states"). Each
// operation decodes one input shape, calls the flow service and encodes
// one output shape; errors are rendered in one place (errors.go).
//
// StartSyncExecution's model carries the host prefix "sync-": SDKs send it
// to sync-<endpoint host>. Requests are routed by X-Amz-Target, so a
// prefixed host is served like any other, but with an IP endpoint such as
// http://127.0.0.1:4566 the name sync-127.0.0.1 does not resolve. Either
// turn the prefix off in the client (aws-sdk-go-v2: an Initialize
// middleware that sets smithyhttp.DisableEndpointHostPrefix(ctx, true);
// botocore: Config(inject_host_prefix=False)), or make fogbank the HTTP
// proxy (HTTP_PROXY=http://127.0.0.1:4566, as the AWS CLI needs): the
// request then reaches fogbank without the name being resolved.
package sfn

import (
	"context"
	"log/slog"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/awsapi/protocol/awsjson"
	"github.com/fogbank/fogbank/internal/flow"
)

// TargetPrefix is the X-Amz-Target prefix of Step Functions.
const TargetPrefix = "AWSStepFunctions"

const contentType = "application/x-amz-json-1.0"

// Handler serves Step Functions.
type Handler struct {
	svc  *flow.Service
	log  *slog.Logger
	json awsjson.Dispatcher
}

// New builds the Step Functions handler.
func New(svc *flow.Service, log *slog.Logger) *Handler {
	h := &Handler{svc: svc, log: log}
	ops := map[string]awsapi.Operation{
		"CreateStateMachine":               awsapi.Op(h.createStateMachine),
		"DescribeStateMachine":             awsapi.Op(h.describeStateMachine),
		"UpdateStateMachine":               awsapi.Op(h.updateStateMachine),
		"DeleteStateMachine":               awsapi.Op(h.deleteStateMachine),
		"ListStateMachines":                awsapi.Op(h.listStateMachines),
		"ValidateStateMachineDefinition":   awsapi.Op(h.validateDefinition),
		"PublishStateMachineVersion":       awsapi.Op(h.publishVersion),
		"ListStateMachineVersions":         awsapi.Op(h.listVersions),
		"DeleteStateMachineVersion":        awsapi.Op(h.deleteVersion),
		"CreateStateMachineAlias":          awsapi.Op(h.createAlias),
		"DescribeStateMachineAlias":        awsapi.Op(h.describeAlias),
		"UpdateStateMachineAlias":          awsapi.Op(h.updateAlias),
		"DeleteStateMachineAlias":          awsapi.Op(h.deleteAlias),
		"ListStateMachineAliases":          awsapi.Op(h.listAliases),
		"StartExecution":                   awsapi.Op(h.startExecution),
		"StartSyncExecution":               awsapi.Op(h.startSyncExecution),
		"StopExecution":                    awsapi.Op(h.stopExecution),
		"RedriveExecution":                 awsapi.Op(h.redriveExecution),
		"DescribeExecution":                awsapi.Op(h.describeExecution),
		"ListExecutions":                   awsapi.Op(h.listExecutions),
		"GetExecutionHistory":              awsapi.Op(h.getExecutionHistory),
		"DescribeStateMachineForExecution": awsapi.Op(h.describeStateMachineForExecution),
		"SendTaskSuccess":                  awsapi.Op(h.sendTaskSuccess),
		"SendTaskFailure":                  awsapi.Op(h.sendTaskFailure),
		"SendTaskHeartbeat":                awsapi.Op(h.sendTaskHeartbeat),
		"CreateActivity":                   awsapi.Op(h.createActivity),
		"DescribeActivity":                 awsapi.Op(h.describeActivity),
		"DeleteActivity":                   awsapi.Op(h.deleteActivity),
		"ListActivities":                   awsapi.Op(h.listActivities),
		"GetActivityTask":                  awsapi.Op(h.getActivityTask),
		"TagResource":                      awsapi.Op(h.tagResource),
		"UntagResource":                    awsapi.Op(h.untagResource),
		"ListTagsForResource":              awsapi.Op(h.listTagsForResource),
		"TestState":                        awsapi.Op(h.testState),
		"DescribeMapRun":                   awsapi.Op(h.describeMapRun),
		"ListMapRuns":                      awsapi.Op(h.listMapRuns),
		"UpdateMapRun":                     awsapi.Op(h.updateMapRun),
	}
	h.json = awsjson.Dispatcher{Service: "sfn", ContentType: contentType, Ops: ops, ToWire: toWire, Internal: internalError, Log: log}
	return h
}

// Serve handles one Step Functions request.
func (h *Handler) Serve(ctx context.Context, r *awsapi.Request) awsapi.Response {
	return h.json.Serve(ctx, r)
}

func caller(r *awsapi.Request) flow.Caller {
	return flow.Caller{Account: r.Identity.Account, Region: r.Identity.Region}
}
