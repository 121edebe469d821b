package function

import (
	"context"
	"io"
)

// InvokeWithResponseStream runs a function synchronously (or, DryRun, only
// checks it exists) for the response-streaming API: a response the runtime
// streams (Lambda-Runtime-Function-Response-Mode: streaming) is written to
// w piece by piece as it arrives and the output is Streamed; a runtime that
// answers in one piece leaves its response in the output's Payload, to be
// sent as one chunk. A function error that ends a stream part-way is in the
// output's FunctionError and Payload. w MUST NOT be used by the caller
// until this returns.
func (s *Service) InvokeWithResponseStream(ctx context.Context, c Caller, in InvokeInput, w io.Writer) (InvokeOutput, error) {
	if in.Type == "" {
		in.Type = RequestResponse
	}
	if in.Type != RequestResponse && in.Type != DryRun {
		return InvokeOutput{}, constraint(string(in.Type), "invocationType", "Member must satisfy enum value set: [RequestResponse, DryRun]")
	}
	in.Stream = w
	return s.Invoke(ctx, c, in)
}
