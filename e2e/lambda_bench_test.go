package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/function/functiontest"
)

// BenchmarkLambdaWarmInvoke is one warm synchronous Invoke through the SDK
// against an in-process fogbank, for profiling the invoke path
// (go test -run '^$' -bench LambdaWarmInvoke -cpuprofile cpu.out ./e2e/).
// bench/lambdabench measures the same against the real binary.
func BenchmarkLambdaWarmInvoke(b *testing.B) {
	srv := fogbanktest.Start(b)
	l := lambda.NewFromConfig(srv.AWSConfig())
	name := "warm"
	_, err := l.CreateFunction(b.Context(), &lambda.CreateFunctionInput{
		FunctionName: &name, Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole),
		Handler: aws.String("bootstrap"), Code: &ltypes.FunctionCode{ZipFile: functiontest.Zip(b, nil)},
	})
	if err != nil {
		b.Fatal(err)
	}
	in := &lambda.InvokeInput{FunctionName: &name, Payload: []byte(`{"hello":"world"}`)}
	if _, err := l.Invoke(b.Context(), in); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		out, err := l.Invoke(b.Context(), in)
		if err != nil || out.FunctionError != nil {
			b.Fatal(err, out.FunctionError)
		}
	}
}
