package integration

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/function"
)

// maxResult is Step Functions' 256 KiB limit on a task's result.
const maxResult = 256 * 1024

// lambdaErrorNames are the AWS SDK for Java's exception names of Lambda's
// error codes.
var lambdaErrorNames = map[function.Code]string{
	function.CodeValidation:                "ValidationException",
	function.CodeInvalidParameterValue:     "InvalidParameterValueException",
	function.CodeResourceNotFound:          "ResourceNotFoundException",
	function.CodeResourceConflict:          "ResourceConflictException",
	function.CodeInvalidRequestContent:     "InvalidRequestContentException",
	function.CodeRequestTooLarge:           "RequestTooLargeException",
	function.CodePreconditionFailed:        "PreconditionFailedException",
	function.CodeService:                   "ServiceException",
	function.CodeTooManyRequests:           "TooManyRequestsException",
	function.CodeProvisionedConfigNotFound: "ProvisionedConcurrencyConfigNotFoundException",
}

var lambdaStatus = map[function.Code]int{
	function.CodeResourceNotFound: 404, function.CodeResourceConflict: 409, function.CodeRequestTooLarge: 413,
	function.CodePreconditionFailed: 412, function.CodeService: 500, function.CodeTooManyRequests: 429,
}

func isFunctionArn(resource string) bool {
	a, err := arn.Parse(resource)
	return err == nil && a.Service == "lambda" && strings.HasPrefix(a.Resource, "function:")
}

// qualified reports whether a function name (a name, a partial or a full
// ARN) carries a version or alias.
func qualified(name string) bool {
	parts := strings.Split(name, ":")
	for i, p := range parts {
		if p == "function" {
			return len(parts) > i+2
		}
	}
	return len(parts) == 2
}

func (t *Tasks) caller() function.Caller {
	return function.Caller{Account: t.exec.Account, Region: t.exec.Region}
}

// lambdaInvoke runs arn:aws:states:::lambda:invoke: Lambda's Invoke with
// the output wrapped as the SDK's InvokeResult.
func (t *Tasks) lambdaInvoke(ctx context.Context, c call) (any, error) {
	if err := checkFields(c, "FunctionName", "Payload", "Qualifier", "InvocationType", "ClientContext", "LogType"); err != nil {
		return nil, err
	}
	in := function.InvokeInput{
		Name: str(c.params, "FunctionName"), Qualifier: str(c.params, "Qualifier"),
		Type: function.InvocationType(str(c.params, "InvocationType")), Payload: payloadOf(c.params["Payload"]),
		TraceID: t.exec.TraceHeader,
	}
	if cc := str(c.params, "ClientContext"); cc != "" {
		b, err := base64.StdEncoding.DecodeString(cc)
		if err != nil {
			return nil, serviceError("Lambda.AWSLambdaException", "Client context must be a valid Base64-encoded JSON object.", "AWSLambda", "InvalidRequestContentException", 400, t.cfg.IDs.UUID())
		}
		in.ClientContext = string(b)
	}
	if in.Qualifier == "" && !qualified(in.Name) {
		in.Qualifier = "$LATEST" // Lambda names an unqualified function's $LATEST in its errors
	}
	out, err := t.cfg.Functions.Invoke(ctx, t.caller(), in)
	if err != nil {
		return nil, lambdaError(err, t.cfg.IDs.UUID())
	}
	if len(out.Payload) > maxResult {
		return nil, engine.NewTaskError(engine.ErrDataLimitExceeded, "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.")
	}
	if out.FunctionError != "" {
		// The optimized integration re-serialises the error document: its
		// cause is compact JSON (the legacy form quotes the payload as is).
		var compact bytes.Buffer
		if json.Compact(&compact, out.Payload) == nil {
			out.Payload = compact.Bytes()
		}
		return nil, functionError(out.Payload)
	}
	return t.invokeResult(out, strings.EqualFold(str(c.params, "LogType"), "Tail")), nil
}

// invokeResult is InvokeResult as Step Functions reports it.
func (t *Tasks) invokeResult(out function.InvokeOutput, tail bool) map[string]any {
	res := map[string]any{}
	status := "200"
	switch out.Type {
	case function.Event:
		status = "202"
		res["Payload"] = ""
	case function.DryRun:
		status = "204"
		res["Payload"] = ""
	default:
		res["ExecutedVersion"] = out.ExecutedVersion
		res["Payload"] = resultValue(out.Payload)
	}
	res["StatusCode"] = json.Number(status)
	extra := [][2]string{{"x-amzn-Remapped-Content-Length", "0"}, {"X-Amzn-Trace-Id", t.exec.TraceHeader}}
	if out.ExecutedVersion != "" {
		extra = append(extra, [2]string{"X-Amz-Executed-Version", out.ExecutedVersion})
	}
	if tail && status == "200" {
		logs := base64.StdEncoding.EncodeToString(lastBytes(out.Log, 4096))
		res["LogResult"] = logs
		extra = append(extra, [2]string{"X-Amz-Log-Result", logs})
	}
	meta := t.sdkMetadata(res, "application/json", len(out.Payload), cmpID(out.RequestID, t), extra...)
	if sdk, ok := meta["SdkHttpMetadata"].(map[string]any); ok && status != "200" {
		sdk["HttpStatusCode"] = json.Number(status)
	}
	return meta
}

func cmpID(id string, t *Tasks) string {
	if id != "" {
		return id
	}
	return t.cfg.IDs.UUID()
}

func lastBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// legacyLambda runs a Task whose Resource is a function ARN: the function's
// result is the task's result.
func (t *Tasks) legacyLambda(ctx context.Context, req engine.TaskRequest) (any, error) {
	payload, err := json.Marshal(req.Input)
	if err != nil {
		return nil, engine.NewTaskError(engine.ErrRuntime, err.Error())
	}
	in := function.InvokeInput{Name: req.Resource, Payload: payload, TraceID: t.exec.TraceHeader}
	out, err := t.cfg.Functions.Invoke(ctx, t.caller(), in)
	if err != nil {
		return nil, lambdaError(err, t.cfg.IDs.UUID())
	}
	if len(out.Payload) > maxResult {
		return nil, engine.NewTaskError(engine.ErrDataLimitExceeded, "The state/task '"+req.Resource+"' returned a result with a size exceeding the maximum number of bytes service limit.")
	}
	if out.FunctionError != "" {
		return nil, functionError(out.Payload)
	}
	return resultValue(out.Payload), nil
}

// payloadOf is the bytes lambda:invoke sends for its Payload parameter: a
// string as it is, any other value as JSON, nothing as "{}".
func payloadOf(v any) []byte {
	switch p := v.(type) {
	case nil:
		return []byte("{}")
	case string:
		return []byte(p)
	}
	b, _ := json.Marshal(v)
	return b
}

// resultValue is a function's response as JSON, or as a string when it is
// not JSON.
func resultValue(b []byte) any {
	if v, ok := decodeJSON(b); ok {
		return v
	}
	return string(b)
}

// functionError turns a function's error payload into the task's failure:
// the error is the errorType, the cause the payload itself.
func functionError(payload []byte) error {
	var e struct {
		ErrorType string `json:"errorType"`
	}
	_ = json.Unmarshal(payload, &e)
	name := e.ErrorType
	if name == "" {
		name = "Lambda.Unknown"
	}
	return engine.NewTaskError(name, string(payload))
}

// lambdaError renders an error of Lambda's Invoke as Step Functions does.
func lambdaError(err error, requestID string) error {
	var fe *function.Error
	if !errors.As(err, &fe) {
		return engine.NewTaskError("Lambda.SdkClientException", err.Error())
	}
	code, ok := lambdaErrorNames[fe.Code]
	if !ok {
		code = "AWSLambdaException"
	}
	status := lambdaStatus[fe.Code]
	if status == 0 {
		status = 400
	}
	return serviceError("Lambda."+code, fe.Message, "AWSLambda", code, status, requestID)
}
