package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

// sfnRole is the role the tests' state machines name.
const sfnRole = "arn:aws:iam::000000000000:role/sfn"

// sfnEnv is a Step Functions test's fogbank with its client.
type sfnEnv struct {
	t   *testing.T
	ctx context.Context
	srv *fogbanktest.Server
	c   *sfn.Client
}

// noHostPrefix is how an aws-sdk-go-v2 Step Functions client pointed at
// an IP endpoint (http://127.0.0.1:4566) must be configured:
// StartSyncExecution's model asks for the host prefix "sync-", and
// "sync-127.0.0.1" does not resolve. fogbank routes by X-Amz-Target and
// serves the prefixed host too, for endpoints whose sync- name resolves.
func noHostPrefix(o *sfn.Options) {
	o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
		return st.Initialize.Add(middleware.InitializeMiddlewareFunc("NoHostPrefix",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
			}), middleware.Before)
	})
}

func setupSFN(t *testing.T, opts ...fogbanktest.Option) sfnEnv {
	t.Helper()
	srv := fogbanktest.Start(t, append([]fogbanktest.Option{fogbanktest.WithSFNTimeScale(0.01)}, opts...)...)
	return sfnEnv{t: t, ctx: t.Context(), srv: srv, c: sfn.NewFromConfig(srv.AWSConfig(), noHostPrefix)}
}

// machine creates a state machine and returns its ARN.
func (e sfnEnv) machine(name, definition string, typ sfntypes.StateMachineType) string {
	e.t.Helper()
	out, err := e.c.CreateStateMachine(e.ctx, &sfn.CreateStateMachineInput{
		Name: aws.String(name), Definition: aws.String(definition), RoleArn: aws.String(sfnRole), Type: typ,
	})
	require.NoError(e.t, err)
	return *out.StateMachineArn
}

// start starts an execution and returns its ARN.
func (e sfnEnv) start(machineArn, name, input string) string {
	e.t.Helper()
	in := &sfn.StartExecutionInput{StateMachineArn: aws.String(machineArn), Input: aws.String(input)}
	if name != "" {
		in.Name = aws.String(name)
	}
	out, err := e.c.StartExecution(e.ctx, in)
	require.NoError(e.t, err)
	return *out.ExecutionArn
}

// await waits until an execution has ended and describes it.
func (e sfnEnv) await(execArn string) *sfn.DescribeExecutionOutput {
	e.t.Helper()
	var out *sfn.DescribeExecutionOutput
	require.Eventually(e.t, func() bool {
		d, err := e.c.DescribeExecution(e.ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execArn)})
		require.NoError(e.t, err)
		out = d
		return d.Status != sfntypes.ExecutionStatusRunning
	}, 20*time.Second, 10*time.Millisecond)
	return out
}

// history returns an execution's event types in order.
func (e sfnEnv) history(execArn string) []sfntypes.HistoryEvent {
	e.t.Helper()
	out, err := e.c.GetExecutionHistory(e.ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execArn), MaxResults: 1000})
	require.NoError(e.t, err)
	return out.Events
}

func eventTypes(evs []sfntypes.HistoryEvent) []string {
	out := make([]string, 0, len(evs))
	for _, ev := range evs {
		out = append(out, string(ev.Type))
	}
	return out
}

// requireSFNError checks an API error's code and message.
func requireSFNError(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, code, ae.ErrorCode(), ae.ErrorMessage())
	if message != "" {
		require.Equal(t, message, ae.ErrorMessage())
	}
}
