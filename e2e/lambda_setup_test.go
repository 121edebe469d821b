package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/function/functiontest"
)

const lambdaRole = "arn:aws:iam::000000000000:role/lambda-role"

// lambdaEnv is a Lambda test's fogbank and client.
type lambdaEnv struct {
	t   *testing.T
	ctx context.Context
	srv *fogbanktest.Server
	l   *lambda.Client
}

func setupLambda(t *testing.T, opts ...fogbanktest.Option) lambdaEnv {
	t.Helper()
	srv := fogbanktest.Start(t, opts...)
	return lambdaEnv{t: t, ctx: t.Context(), srv: srv, l: lambda.NewFromConfig(srv.AWSConfig())}
}

// create creates a function running the test bootstrap.
func (e lambdaEnv) create(name string, timeout int32, env map[string]string) *lambda.CreateFunctionOutput {
	e.t.Helper()
	in := &lambda.CreateFunctionInput{
		FunctionName: &name, Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole),
		Handler: aws.String("bootstrap"), Timeout: &timeout,
		Code: &ltypes.FunctionCode{ZipFile: functiontest.Zip(e.t, map[string]string{"version.txt": "v1"})},
	}
	if env != nil {
		in.Environment = &ltypes.Environment{Variables: env}
	}
	out, err := e.l.CreateFunction(e.ctx, in)
	require.NoError(e.t, err)
	return out
}

// invoke invokes synchronously with a JSON payload.
func (e lambdaEnv) invoke(name string, payload any) *lambda.InvokeOutput {
	e.t.Helper()
	b, err := json.Marshal(payload)
	require.NoError(e.t, err)
	out, err := e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: &name, Payload: b, LogType: ltypes.LogTypeTail})
	require.NoError(e.t, err)
	return out
}

// notifications is an HTTP endpoint the test bootstrap's "notify" action
// posts to; each body arrives on the channel.
func notifications(t *testing.T) (string, <-chan []byte) {
	t.Helper()
	ch := make(chan []byte, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ch <- b
	}))
	t.Cleanup(srv.Close)
	return srv.URL, ch
}
