package e2e

import (
	"context"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

// account is the account fogbanktest's default credentials select.
const account = "000000000000"

// sdkEnv is what an aws-sdk-go-v2 test needs: its own fogbank and a client.
type sdkEnv struct {
	t   *testing.T
	ctx context.Context
	srv *fogbanktest.Server
	c   *sqs.Client
}

func setup(t *testing.T, opts ...fogbanktest.Option) sdkEnv {
	t.Helper()
	srv := fogbanktest.Start(t, opts...)
	return sdkEnv{t: t, ctx: t.Context(), srv: srv, c: sqs.NewFromConfig(srv.AWSConfig())}
}

// clientFor returns a client signing as another account and/or region.
func (e sdkEnv) clientFor(akid, region string) *sqs.Client {
	return sqs.NewFromConfig(e.srv.AWSConfigFor(akid, "secret", region))
}

// createQueue creates a queue and returns its URL.
func (e sdkEnv) createQueue(name string, attrs map[string]string) string {
	e.t.Helper()
	out, err := e.c.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	require.NoError(e.t, err)
	return *out.QueueUrl
}

func (e sdkEnv) arn(url string) string {
	e.t.Helper()
	out, err := e.c.GetQueueAttributes(e.ctx, &sqs.GetQueueAttributesInput{QueueUrl: &url, AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameQueueArn}})
	require.NoError(e.t, err)
	return out.Attributes["QueueArn"]
}

func (e sdkEnv) attr(url string, name types.QueueAttributeName) string {
	e.t.Helper()
	out, err := e.c.GetQueueAttributes(e.ctx, &sqs.GetQueueAttributesInput{QueueUrl: &url, AttributeNames: []types.QueueAttributeName{name}})
	require.NoError(e.t, err)
	return out.Attributes[string(name)]
}

func (e sdkEnv) send(url, body string) *sqs.SendMessageOutput {
	e.t.Helper()
	out, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &url, MessageBody: &body})
	require.NoError(e.t, err)
	return out
}

func (e sdkEnv) sendFifo(url, body, group, dedup string) *sqs.SendMessageOutput {
	e.t.Helper()
	in := &sqs.SendMessageInput{QueueUrl: &url, MessageBody: &body, MessageGroupId: &group}
	if dedup != "" {
		in.MessageDeduplicationId = &dedup
	}
	out, err := e.c.SendMessage(e.ctx, in)
	require.NoError(e.t, err)
	return out
}

// receive calls ReceiveMessage with all attributes requested; edit adjusts
// the input (wait time, max messages, ...). Without edit it short-polls for
// up to 10 messages.
func (e sdkEnv) receive(url string, edit ...func(*sqs.ReceiveMessageInput)) []types.Message {
	e.t.Helper()
	in := &sqs.ReceiveMessageInput{
		QueueUrl: &url, MaxNumberOfMessages: 10,
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameAll},
		MessageAttributeNames:       []string{"All"},
	}
	for _, f := range edit {
		f(in)
	}
	out, err := e.c.ReceiveMessage(e.ctx, in)
	require.NoError(e.t, err)
	return out.Messages
}

func wait(s int32) func(*sqs.ReceiveMessageInput) {
	return func(in *sqs.ReceiveMessageInput) { in.WaitTimeSeconds = s }
}

func visibility(s int32) func(*sqs.ReceiveMessageInput) {
	return func(in *sqs.ReceiveMessageInput) { in.VisibilityTimeout = s }
}

func maxMessages(n int32) func(*sqs.ReceiveMessageInput) {
	return func(in *sqs.ReceiveMessageInput) { in.MaxNumberOfMessages = n }
}

func bodies(msgs []types.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = *m.Body
	}
	return out
}

// requireAPIError checks an error's code and message as the SDK exposes them
// (the legacy query code, from x-amzn-query-error) and its HTTP status.
func requireAPIError(t *testing.T, err error, status int, code, message string) {
	t.Helper()
	require.Error(t, err)
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "not an API error: %v", err)
	require.Equal(t, code, ae.ErrorCode(), "code; error: %v", err)
	require.Equal(t, message, ae.ErrorMessage(), "message; error: %v", err)
	var re *awshttp.ResponseError
	require.True(t, errors.As(err, &re), "no HTTP response: %v", err)
	require.Equal(t, status, re.HTTPStatusCode(), "status; error: %v", err)
}

// md5OfAttributes is an independent implementation of SQS's attribute MD5
// (reference §1.6), checked against the published vectors in the tests.
func md5OfAttributes(attrs map[string]types.MessageAttributeValue) string {
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	h := md5.New()
	put := func(b []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	for _, n := range names {
		a := attrs[n]
		put([]byte(n))
		put([]byte(*a.DataType))
		if a.BinaryValue != nil {
			h.Write([]byte{2})
			put(a.BinaryValue)
		} else {
			h.Write([]byte{1})
			put([]byte(*a.StringValue))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func strAttr(typ, v string) types.MessageAttributeValue {
	return types.MessageAttributeValue{DataType: aws.String(typ), StringValue: aws.String(v)}
}

// requireCode checks only the error code, for errors whose AWS text is not
// recorded.
func requireCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "not an API error: %v", err)
	require.Equal(t, code, ae.ErrorCode(), "error: %v", err)
}
