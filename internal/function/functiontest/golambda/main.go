// Command golambda is a test Lambda function written with aws-lambda-go's
// lambda.Start and a typed handler, built into a provided.al2023 bootstrap
// by functiontest.GoLambdaZip. It acts on the event's "action":
//
//	echo (default)  return the event
//	error           return an error with the event's "msg"
//	panic           panic with the event's "msg"
//	context         return what lambdacontext and the context carry
//	big             return "n" bytes
//	notify          POST the event to "url"
//	sleep           wait "ms" milliseconds on a timer, ignoring the context
//	exit            os.Exit(3), a crash
//	file            return the task root's data.txt as "msg", read once at
//	                init: a change shows only after a cold start
//
// An SQS event (one with "Records") gets an events.SQSEventResponse naming
// the records whose body holds "fail": true as batch item failures.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Records []events.SQSMessage `json:"Records"`
	Action  string              `json:"action"`
	Msg     string              `json:"msg"`
	N       int                 `json:"n"`
	Ms      int                 `json:"ms"`
	URL     string              `json:"url"`
}

type result struct {
	Action         string            `json:"action,omitempty"`
	Msg            string            `json:"msg,omitempty"`
	Big            string            `json:"big,omitempty"`
	RequestID      string            `json:"requestId,omitempty"`
	FunctionArn    string            `json:"functionArn,omitempty"`
	RemainingMs    int64             `json:"remainingMs,omitempty"`
	TraceID        string            `json:"traceId,omitempty"`
	FunctionName   string            `json:"functionName,omitempty"`
	MemoryMB       int               `json:"memoryMB,omitempty"`
	ClientCustom   map[string]string `json:"clientCustom,omitempty"`
	CognitoID      string            `json:"cognitoId,omitempty"`
	CognitoPool    string            `json:"cognitoPool,omitempty"`
	ExecutionEnvOK bool              `json:"executionEnvAbsent,omitempty"`
}

// handler carries what the function read at init.
type handler struct {
	data string // the task root's data.txt, if any
}

func (h handler) serve(ctx context.Context, ev event) (any, error) {
	if ev.Records != nil {
		return batch(ev.Records), nil
	}
	if ev.Action == "file" {
		return result{Action: ev.Action, Msg: h.data}, nil
	}
	return handle(ctx, ev)
}

// handle acts on an event (its name is in the panic stack TestLambdaGoRuntime
// checks).
func handle(ctx context.Context, ev event) (result, error) {
	switch ev.Action {
	case "error":
		return result{}, errors.New(ev.Msg)
	case "panic":
		panic(ev.Msg)
	case "sleep":
		<-time.After(time.Duration(ev.Ms) * time.Millisecond)
	case "exit":
		os.Exit(3)
	case "big":
		return result{Big: strings.Repeat("x", ev.N)}, nil
	case "context":
		return contextOf(ctx), nil
	case "notify":
		b, _ := json.Marshal(ev)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, ev.URL, bytes.NewReader(b))
		if err != nil {
			return result{}, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return result{}, err
		}
		_ = resp.Body.Close()
	}
	return result{Action: ev.Action, Msg: ev.Msg}, nil
}

// batch reports the records whose body says "fail": true as failed.
func batch(records []events.SQSMessage) events.SQSEventResponse {
	var out events.SQSEventResponse
	for _, m := range records {
		var body struct {
			Fail bool `json:"fail"`
		}
		if json.Unmarshal([]byte(m.Body), &body) == nil && body.Fail {
			out.BatchItemFailures = append(out.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return out
}

func contextOf(ctx context.Context) result {
	lc, _ := lambdacontext.FromContext(ctx)
	deadline, _ := ctx.Deadline()
	r := result{
		RequestID: lc.AwsRequestID, FunctionArn: lc.InvokedFunctionArn,
		RemainingMs: time.Until(deadline).Milliseconds(), TraceID: os.Getenv("_X_AMZN_TRACE_ID"),
		FunctionName: lambdacontext.FunctionName, MemoryMB: lambdacontext.MemoryLimitInMB,
		ClientCustom: lc.ClientContext.Custom, CognitoID: lc.Identity.CognitoIdentityID, CognitoPool: lc.Identity.CognitoIdentityPoolID,
	}
	_, set := os.LookupEnv("AWS_EXECUTION_ENV")
	r.ExecutionEnvOK = !set
	return r
}

func main() {
	b, _ := os.ReadFile(filepath.Join(os.Getenv("LAMBDA_TASK_ROOT"), "data.txt")) //nolint:gosec // the task root the platform sets
	lambda.Start(handler{data: string(b)}.serve)
}
