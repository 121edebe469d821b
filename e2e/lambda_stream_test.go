package e2e

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/stretchr/testify/require"
)

// streamed is what InvokeWithResponseStream's event stream carried.
type streamed struct {
	out      *lambda.InvokeWithResponseStreamOutput
	chunks   []string
	complete *ltypes.InvokeWithResponseStreamCompleteEvent
}

// invokeStream calls InvokeWithResponseStream and reads its event stream
// to the end with the SDK's decoder.
func (e lambdaEnv) invokeStream(in *lambda.InvokeWithResponseStreamInput) streamed {
	e.t.Helper()
	out, err := e.l.InvokeWithResponseStream(e.ctx, in)
	require.NoError(e.t, err)
	s := streamed{out: out}
	es := out.GetStream()
	defer func() { _ = es.Close() }()
	for ev := range es.Events() {
		switch v := ev.(type) {
		case *ltypes.InvokeWithResponseStreamResponseEventMemberPayloadChunk:
			require.Nil(e.t, s.complete, "a chunk after InvokeComplete")
			s.chunks = append(s.chunks, string(v.Value.Payload))
		case *ltypes.InvokeWithResponseStreamResponseEventMemberInvokeComplete:
			s.complete = &v.Value
		default:
			e.t.Fatalf("unexpected event %T", ev)
		}
	}
	require.NoError(e.t, es.Err())
	require.NotNil(e.t, s.complete, "the stream ends with InvokeComplete")
	return s
}

func TestLambdaInvokeWithResponseStream(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("st", 5, nil)

	s := e.invokeStream(&lambda.InvokeWithResponseStreamInput{
		FunctionName: aws.String("st"), Payload: []byte(`{"action":"stream","n":3,"ms":5}`), LogType: ltypes.LogTypeTail,
	})
	require.Equal(t, "$LATEST", *s.out.ExecutedVersion)
	require.Equal(t, int32(200), s.out.StatusCode)
	require.Equal(t, "chunk 1\nchunk 2\nchunk 3\n", concat(s.chunks))
	require.Nil(t, s.complete.ErrorCode)
	logs, err := base64.StdEncoding.DecodeString(aws.ToString(s.complete.LogResult))
	require.NoError(t, err)
	require.Contains(t, string(logs), "REPORT RequestId:")

	// An error part-way: the chunks sent so far, then the error.
	s = e.invokeStream(&lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("st"), Payload: []byte(`{"action":"stream","n":2,"fail":true}`)})
	require.Equal(t, "chunk 1\nchunk 2\n", concat(s.chunks))
	require.Equal(t, "StreamError", aws.ToString(s.complete.ErrorCode))
	require.Equal(t, "failed after 2 chunks", aws.ToString(s.complete.ErrorDetails))
	require.Nil(t, s.complete.LogResult)

	// A function that does not stream answers in one chunk.
	s = e.invokeStream(&lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("st"), Payload: []byte(`{"action":"echo","msg":"whole"}`)})
	require.Len(t, s.chunks, 1)
	require.JSONEq(t, `{"action":"echo","msg":"whole"}`, s.chunks[0])
	require.Nil(t, s.complete.ErrorCode)

	// A function error without streaming: no chunk, the error in InvokeComplete.
	s = e.invokeStream(&lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("st"), Payload: []byte(`{"action":"error","msg":"boom"}`)})
	require.Empty(t, s.chunks)
	require.Equal(t, "TestError", aws.ToString(s.complete.ErrorCode))
	require.Equal(t, "boom", aws.ToString(s.complete.ErrorDetails))

	// A published version through a qualifier.
	v := e.publish("st", "")
	s = e.invokeStream(&lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("st"), Qualifier: &v, Payload: []byte(`{"action":"stream","n":1}`)})
	require.Equal(t, v, *s.out.ExecutedVersion)
	require.Equal(t, []string{"chunk 1\n"}, s.chunks)
}

func TestLambdaInvokeWithResponseStreamErrors(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("se", 3, nil)
	_, err := e.l.InvokeWithResponseStream(e.ctx, &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("missing")})
	requireAWSError(t, err, "ResourceNotFoundException", "Function not found: "+fnArn+"missing:$LATEST")
	_, err = e.l.InvokeWithResponseStream(e.ctx, &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("se"), Qualifier: aws.String("7")})
	requireAWSError(t, err, "ResourceNotFoundException", "Function not found: "+fnArn+"se:7")
	_, err = e.l.InvokeWithResponseStream(e.ctx, &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("se"), Qualifier: aws.String("bad qualifier!")})
	require.ErrorContains(t, err, "ValidationException")
	_, err = e.l.InvokeWithResponseStream(e.ctx, &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("se"), Payload: []byte(`not json`)})
	require.ErrorContains(t, err, "InvalidRequestContentException")

	out, err := e.l.InvokeWithResponseStream(e.ctx, &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("se"), InvocationType: ltypes.ResponseStreamingInvocationTypeDryRun})
	require.NoError(t, err)
	require.Equal(t, int32(204), out.StatusCode)
	_, err = e.l.InvokeWithResponseStream(e.ctx, &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("se"), InvocationType: "Event"})
	requireAWSError(t, err, "ValidationException", "1 validation error detected: Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]")
}

func concat(parts []string) string {
	s := ""
	for _, p := range parts {
		s += p
	}
	return s
}

// The first chunk reaches the client while the function is held before
// producing the rest: the response is streamed, not buffered.
func TestLambdaInvokeWithResponseStreamIsStreamed(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("live", 10, nil)
	h := holdServer(t)
	payload := []byte(`{"action":"stream","n":3,"url":"` + h.url + `"}`)
	out, err := e.l.InvokeWithResponseStream(e.ctx, &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("live"), Payload: payload})
	require.NoError(t, err)
	require.Equal(t, "$LATEST", *out.ExecutedVersion)
	es := out.GetStream()
	defer func() { _ = es.Close() }()
	first := <-es.Events()
	chunk, ok := first.(*ltypes.InvokeWithResponseStreamResponseEventMemberPayloadChunk)
	require.True(t, ok, "%T", first)
	require.Equal(t, "chunk 1\n", string(chunk.Value.Payload))
	select {
	case <-h.arrived: // the function is held after its first chunk
	case <-time.After(30 * time.Second):
		t.Fatal("the function did not ask for its release")
	}
	h.release()
	rest := ""
	var complete *ltypes.InvokeWithResponseStreamCompleteEvent
	for ev := range es.Events() {
		switch v := ev.(type) {
		case *ltypes.InvokeWithResponseStreamResponseEventMemberPayloadChunk:
			rest += string(v.Value.Payload)
		case *ltypes.InvokeWithResponseStreamResponseEventMemberInvokeComplete:
			complete = &v.Value
		}
	}
	require.NoError(t, es.Err())
	require.Equal(t, "chunk 2\nchunk 3\n", rest)
	require.NotNil(t, complete)
	require.Nil(t, complete.ErrorCode)
}
