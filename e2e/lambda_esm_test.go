package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/function/functiontest"
)

// esmEnv is a fogbank with SQS and Lambda clients.
type esmEnv struct {
	sdkEnv
	fn lambdaEnv
}

func setupESM(t *testing.T, opts ...fogbanktest.Option) esmEnv {
	t.Helper()
	e := setup(t, opts...)
	return esmEnv{sdkEnv: e, fn: lambdaEnv{t: t, ctx: e.ctx, srv: e.srv, l: lambda.NewFromConfig(e.srv.AWSConfig())}}
}

func (e esmEnv) mapping(in lambda.CreateEventSourceMappingInput) *lambda.CreateEventSourceMappingOutput {
	e.t.Helper()
	out, err := e.fn.l.CreateEventSourceMapping(e.ctx, &in)
	require.NoError(e.t, err)
	return out
}

// waitState waits until the mapping reports state.
func (e esmEnv) waitState(uuid, state string) {
	e.t.Helper()
	require.Eventually(e.t, func() bool {
		out, err := e.fn.l.GetEventSourceMapping(e.ctx, &lambda.GetEventSourceMappingInput{UUID: &uuid})
		return err == nil && *out.State == state
	}, 10*time.Second, 20*time.Millisecond)
}

// waitEmpty waits until a queue holds no messages, visible or in flight.
func (e esmEnv) waitEmpty(url string) {
	e.t.Helper()
	require.Eventually(e.t, func() bool {
		return e.attr(url, types.QueueAttributeNameApproximateNumberOfMessages) == "0" &&
			e.attr(url, types.QueueAttributeNameApproximateNumberOfMessagesNotVisible) == "0"
	}, 15*time.Second, 50*time.Millisecond)
}

// sqsRecords is the event a function gets from an SQS mapping.
type sqsRecords struct {
	Records []struct {
		MessageID              string            `json:"messageId"`
		ReceiptHandle          string            `json:"receiptHandle"`
		Body                   string            `json:"body"`
		Attributes             map[string]string `json:"attributes"`
		MessageAttributes      map[string]any    `json:"messageAttributes"`
		MD5OfMessageAttributes *string           `json:"md5OfMessageAttributes"`
		MD5OfBody              string            `json:"md5OfBody"`
		EventSource            string            `json:"eventSource"`
		EventSourceARN         string            `json:"eventSourceARN"`
		AWSRegion              string            `json:"awsRegion"`
	} `json:"Records"`
}

func nextBatch(t *testing.T, events <-chan []byte) sqsRecords {
	t.Helper()
	select {
	case b := <-events:
		var v sqsRecords
		require.NoError(t, json.Unmarshal(b, &v), string(b))
		return v
	case <-time.After(20 * time.Second):
		t.Fatal("the function received no batch")
		return sqsRecords{}
	}
}

func TestLambdaESMLifecycle(t *testing.T) {
	t.Parallel()
	e := setupESM(t)
	fn := e.fn.create("esm-life", 3, nil)
	qURL := e.createQueue("esm-life-q", nil)
	qArn := e.arn(qURL)
	created := e.mapping(lambda.CreateEventSourceMappingInput{EventSourceArn: &qArn, FunctionName: aws.String("esm-life")})
	require.Equal(t, "Creating", *created.State)
	require.Equal(t, int32(10), *created.BatchSize)
	require.Equal(t, int32(0), *created.MaximumBatchingWindowInSeconds)
	require.Equal(t, *fn.FunctionArn, *created.FunctionArn)
	require.Equal(t, qArn, *created.EventSourceArn)
	require.Equal(t, "USER_INITIATED", *created.StateTransitionReason)
	require.Equal(t, "arn:aws:lambda:us-east-1:000000000000:event-source-mapping:"+*created.UUID, *created.EventSourceMappingArn)
	require.Empty(t, created.FunctionResponseTypes)
	uuid := *created.UUID
	e.waitState(uuid, "Enabled")

	list, err := e.fn.l.ListEventSourceMappings(e.ctx, &lambda.ListEventSourceMappingsInput{FunctionName: aws.String("esm-life")})
	require.NoError(t, err)
	require.Len(t, list.EventSourceMappings, 1)
	list, err = e.fn.l.ListEventSourceMappings(e.ctx, &lambda.ListEventSourceMappingsInput{EventSourceArn: aws.String(qArn + "-other")})
	require.NoError(t, err)
	require.Empty(t, list.EventSourceMappings)

	up, err := e.fn.l.UpdateEventSourceMapping(e.ctx, &lambda.UpdateEventSourceMappingInput{
		UUID: &uuid, BatchSize: aws.Int32(50), MaximumBatchingWindowInSeconds: aws.Int32(2),
		FunctionResponseTypes: []ltypes.FunctionResponseType{ltypes.FunctionResponseTypeReportBatchItemFailures},
		ScalingConfig:         &ltypes.ScalingConfig{MaximumConcurrency: aws.Int32(3)},
		FilterCriteria:        &ltypes.FilterCriteria{Filters: []ltypes.Filter{{Pattern: aws.String(`{"body":{"a":["b"]}}`)}}},
	})
	require.NoError(t, err)
	require.Equal(t, "Updating", *up.State)
	require.Equal(t, int32(50), *up.BatchSize)
	require.Equal(t, int32(3), *up.ScalingConfig.MaximumConcurrency)
	require.Equal(t, `{"body":{"a":["b"]}}`, *up.FilterCriteria.Filters[0].Pattern)
	require.Equal(t, []ltypes.FunctionResponseType{"ReportBatchItemFailures"}, up.FunctionResponseTypes)
	e.waitState(uuid, "Enabled")

	off, err := e.fn.l.UpdateEventSourceMapping(e.ctx, &lambda.UpdateEventSourceMappingInput{UUID: &uuid, Enabled: aws.Bool(false)})
	require.NoError(t, err)
	require.Equal(t, "Disabling", *off.State)
	e.waitState(uuid, "Disabled")
	on, err := e.fn.l.UpdateEventSourceMapping(e.ctx, &lambda.UpdateEventSourceMappingInput{UUID: &uuid, Enabled: aws.Bool(true)})
	require.NoError(t, err)
	require.Equal(t, "Enabling", *on.State)
	e.waitState(uuid, "Enabled")

	del, err := e.fn.l.DeleteEventSourceMapping(e.ctx, &lambda.DeleteEventSourceMappingInput{UUID: &uuid})
	require.NoError(t, err)
	require.Equal(t, "Deleting", *del.State)
	_, err = e.fn.l.GetEventSourceMapping(e.ctx, &lambda.GetEventSourceMappingInput{UUID: &uuid})
	requireAPIError(t, err, 404, "ResourceNotFoundException", "The resource you requested does not exist.")
}

func TestLambdaESMErrors(t *testing.T) {
	t.Parallel()
	e := setupESM(t)
	e.fn.create("esm-err", 3, nil)
	qArn := e.arn(e.createQueue("esm-err-q", nil))
	fifoArn := e.arn(e.createQueue("esm-err.fifo", map[string]string{"FifoQueue": "true"}))
	create := func(in lambda.CreateEventSourceMappingInput) error {
		if in.EventSourceArn == nil {
			in.EventSourceArn = &qArn
		}
		if in.FunctionName == nil {
			in.FunctionName = aws.String("esm-err")
		}
		_, err := e.fn.l.CreateEventSourceMapping(e.ctx, &in)
		return err
	}
	invalid := func(err error, msg string) {
		t.Helper()
		requireAPIError(t, err, 400, "InvalidParameterValueException", msg)
	}
	invalid(create(lambda.CreateEventSourceMappingInput{EventSourceArn: aws.String("")}), "Unrecognized event source.")
	invalid(create(lambda.CreateEventSourceMappingInput{FunctionName: aws.String("nope")}), "Function does not exist")
	invalid(create(lambda.CreateEventSourceMappingInput{BatchSize: aws.Int32(11)}),
		"Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
	requireAPIError(t, create(lambda.CreateEventSourceMappingInput{BatchSize: aws.Int32(10001)}), 400, "ValidationException",
		"1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000")
	requireAPIError(t, create(lambda.CreateEventSourceMappingInput{MaximumBatchingWindowInSeconds: aws.Int32(301)}), 400, "ValidationException",
		"1 validation error detected: Value '301' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300")
	requireAPIError(t, create(lambda.CreateEventSourceMappingInput{ScalingConfig: &ltypes.ScalingConfig{MaximumConcurrency: aws.Int32(1)}}), 400, "ValidationException",
		"1 validation error detected: Value '1' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 2")
	invalid(create(lambda.CreateEventSourceMappingInput{FilterCriteria: &ltypes.FilterCriteria{Filters: []ltypes.Filter{{Pattern: aws.String("simple string")}}}}),
		"Invalid filter pattern definition.")
	invalid(create(lambda.CreateEventSourceMappingInput{DestinationConfig: &ltypes.DestinationConfig{OnFailure: &ltypes.OnFailure{Destination: &qArn}}}),
		"Unsupported DestinationConfig parameter for given event source mapping type.")
	invalid(create(lambda.CreateEventSourceMappingInput{EventSourceArn: aws.String(qArn + "-gone")}),
		"Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.")
	invalid(create(lambda.CreateEventSourceMappingInput{EventSourceArn: &fifoArn, BatchSize: aws.Int32(11), MaximumBatchingWindowInSeconds: aws.Int32(1)}),
		"Batch size for SQS FIFO queues must be between 1 and 10")

	first := e.mapping(lambda.CreateEventSourceMappingInput{EventSourceArn: &qArn, FunctionName: aws.String("esm-err")})
	err := create(lambda.CreateEventSourceMappingInput{})
	requireAPIError(t, err, 409, "ResourceConflictException", fmt.Sprintf(
		`An event source mapping with SQS arn (" %s ") and function (" esm-err ") already exists. Please update or delete the existing mapping with UUID %s`, qArn, *first.UUID))
	_, err = e.fn.l.UpdateEventSourceMapping(e.ctx, &lambda.UpdateEventSourceMappingInput{UUID: first.UUID, BatchSize: aws.Int32(20)})
	invalid(err, "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")

	unknown := "00000000-0000-0000-0000-000000000000"
	_, err = e.fn.l.GetEventSourceMapping(e.ctx, &lambda.GetEventSourceMappingInput{UUID: &unknown})
	requireAPIError(t, err, 404, "ResourceNotFoundException", "The resource you requested does not exist.")
	_, err = e.fn.l.UpdateEventSourceMapping(e.ctx, &lambda.UpdateEventSourceMappingInput{UUID: &unknown, Enabled: aws.Bool(false)})
	requireAPIError(t, err, 404, "ResourceNotFoundException", "The resource you requested does not exist.")
	_, err = e.fn.l.DeleteEventSourceMapping(e.ctx, &lambda.DeleteEventSourceMappingInput{UUID: &unknown})
	requireAPIError(t, err, 404, "ResourceNotFoundException", "The resource you requested does not exist.")
}

// The function gets AWS's SQS event; processed messages are deleted.
func TestLambdaESMDeliversAndDeletes(t *testing.T) {
	t.Parallel()
	e := setupESM(t)
	url, events := notifications(t)
	e.fn.create("esm-ok", 3, map[string]string{"EVENT_URL": url})
	qURL := e.createQueue("esm-ok-q", nil)
	qArn := e.arn(qURL)
	sent, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{
		QueueUrl: &qURL, MessageBody: aws.String(`{"hello":"world"}`),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"Author": {DataType: aws.String("String"), StringValue: aws.String("John Grisham")},
			"Bin":    {DataType: aws.String("Binary"), BinaryValue: []byte{1, 2}},
		},
	})
	require.NoError(t, err)
	plain := e.send(qURL, "plain text")
	e.mapping(lambda.CreateEventSourceMappingInput{EventSourceArn: &qArn, FunctionName: aws.String("esm-ok")})

	seen := map[string]bool{}
	for len(seen) < 2 {
		for _, r := range nextBatch(t, events).Records {
			seen[r.MessageID] = true
			require.Equal(t, "aws:sqs", r.EventSource)
			require.Equal(t, qArn, r.EventSourceARN)
			require.Equal(t, "us-east-1", r.AWSRegion)
			require.NotEmpty(t, r.ReceiptHandle)
			require.Equal(t, "1", r.Attributes["ApproximateReceiveCount"])
			for _, k := range []string{"SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"} {
				require.NotEmpty(t, r.Attributes[k], k)
			}
			switch r.MessageID {
			case *sent.MessageId:
				require.Equal(t, `{"hello":"world"}`, r.Body)
				require.Equal(t, *sent.MD5OfMessageBody, r.MD5OfBody)
				require.Equal(t, *sent.MD5OfMessageAttributes, *r.MD5OfMessageAttributes)
				require.Equal(t, map[string]any{
					"stringValue": "John Grisham", "stringListValues": []any{}, "binaryListValues": []any{}, "dataType": "String",
				}, r.MessageAttributes["Author"])
				require.Equal(t, map[string]any{
					"binaryValue": "AQI=", "stringListValues": []any{}, "binaryListValues": []any{}, "dataType": "Binary",
				}, r.MessageAttributes["Bin"])
			case *plain.MessageId:
				require.Equal(t, "plain text", r.Body)
				require.Nil(t, r.MD5OfMessageAttributes)
				require.Empty(t, r.MessageAttributes)
			default:
				t.Fatalf("unexpected message %s", r.MessageID)
			}
		}
	}
	e.waitEmpty(qURL)
}

// A failing batch returns to the queue and ends in its dead-letter queue.
func TestLambdaESMFunctionErrorEndsInQueueDLQ(t *testing.T) {
	t.Parallel()
	e := setupESM(t)
	e.fn.create("esm-fail", 3, nil)
	dlq := e.createQueue("esm-fail-dlq", nil)
	qURL := e.createQueue("esm-fail-q", map[string]string{
		"VisibilityTimeout": "1",
		"RedrivePolicy":     fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":2}`, e.arn(dlq)),
	})
	qArn := e.arn(qURL)
	e.send(qURL, `{"action":"error"}`)
	e.mapping(lambda.CreateEventSourceMappingInput{EventSourceArn: &qArn, FunctionName: aws.String("esm-fail")})
	var got []types.Message
	require.Eventually(t, func() bool {
		got = e.receive(dlq)
		return len(got) == 1
	}, 20*time.Second, 100*time.Millisecond)
	require.JSONEq(t, `{"action":"error"}`, *got[0].Body)
	e.waitEmpty(qURL)
}

// With ReportBatchItemFailures only the failed messages return.
func TestLambdaESMPartialBatchFailure(t *testing.T) {
	t.Parallel()
	e := setupESM(t)
	url, events := notifications(t)
	e.fn.create("esm-partial", 3, map[string]string{"EVENT_URL": url})
	dlq := e.createQueue("esm-partial-dlq", nil)
	qURL := e.createQueue("esm-partial-q", map[string]string{
		"VisibilityTimeout": "1",
		"RedrivePolicy":     fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":1}`, e.arn(dlq)),
	})
	qArn := e.arn(qURL)
	e.send(qURL, `{"n":1}`)
	e.send(qURL, `{"n":2,"fail":true}`)
	e.send(qURL, `{"n":3}`)
	e.mapping(lambda.CreateEventSourceMappingInput{
		EventSourceArn: &qArn, FunctionName: aws.String("esm-partial"), BatchSize: aws.Int32(10),
		FunctionResponseTypes: []ltypes.FunctionResponseType{ltypes.FunctionResponseTypeReportBatchItemFailures},
	})
	n := 0
	for n < 3 {
		n += len(nextBatch(t, events).Records)
	}
	var got []types.Message
	require.Eventually(t, func() bool {
		got = append(got, e.receive(dlq)...)
		return len(got) >= 1
	}, 20*time.Second, 100*time.Millisecond)
	require.Len(t, got, 1)
	require.JSONEq(t, `{"n":2,"fail":true}`, *got[0].Body)
	e.waitEmpty(qURL)
	require.Empty(t, e.receive(dlq))
}

// A malformed partial batch response fails the whole batch.
func TestLambdaESMMalformedBatchResponseFailsBatch(t *testing.T) {
	t.Parallel()
	e := setupESM(t)
	e.fn.create("esm-garbage", 3, nil)
	dlq := e.createQueue("esm-garbage-dlq", nil)
	qURL := e.createQueue("esm-garbage-q", map[string]string{
		"VisibilityTimeout": "1",
		"RedrivePolicy":     fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":1}`, e.arn(dlq)),
	})
	qArn := e.arn(qURL)
	e.send(qURL, `{"action":"garbage"}`)
	e.mapping(lambda.CreateEventSourceMappingInput{
		EventSourceArn: &qArn, FunctionName: aws.String("esm-garbage"),
		FunctionResponseTypes: []ltypes.FunctionResponseType{ltypes.FunctionResponseTypeReportBatchItemFailures},
	})
	require.Eventually(t, func() bool { return len(e.receive(dlq)) == 1 }, 20*time.Second, 100*time.Millisecond)
}

// Messages that match no filter are deleted without an invocation.
func TestLambdaESMFilterCriteria(t *testing.T) {
	t.Parallel()
	e := setupESM(t)
	url, events := notifications(t)
	e.fn.create("esm-filter", 3, map[string]string{"EVENT_URL": url})
	qURL := e.createQueue("esm-filter-q", nil)
	qArn := e.arn(qURL)
	e.send(qURL, `{"kind":"drop"}`)
	e.send(qURL, `not json`)
	keep := e.send(qURL, `{"kind":"keep"}`)
	created := e.mapping(lambda.CreateEventSourceMappingInput{
		EventSourceArn: &qArn, FunctionName: aws.String("esm-filter"),
		FilterCriteria: &ltypes.FilterCriteria{Filters: []ltypes.Filter{{Pattern: aws.String(`{"body":{"kind":["keep"]}}`)}}},
	})
	require.Equal(t, `{"body":{"kind":["keep"]}}`, *created.FilterCriteria.Filters[0].Pattern)
	b := nextBatch(t, events)
	require.Len(t, b.Records, 1)
	require.Equal(t, *keep.MessageId, b.Records[0].MessageID)
	e.waitEmpty(qURL)
	select {
	case extra := <-events:
		t.Fatalf("filtered message reached the function: %s", extra)
	default:
	}
}

// A FIFO queue's messages reach the function in group order.
func TestLambdaESMFIFOOrder(t *testing.T) {
	t.Parallel()
	e := setupESM(t)
	url, events := notifications(t)
	e.fn.create("esm-fifo", 3, map[string]string{"EVENT_URL": url})
	qURL := e.createQueue("esm-fifo.fifo", map[string]string{"FifoQueue": "true"})
	qArn := e.arn(qURL)
	for i := range 6 {
		e.sendFifo(qURL, fmt.Sprintf(`{"i":%d}`, i), "g1", fmt.Sprint("d", i))
	}
	e.mapping(lambda.CreateEventSourceMappingInput{EventSourceArn: &qArn, FunctionName: aws.String("esm-fifo"), BatchSize: aws.Int32(2)})
	var order []string
	for len(order) < 6 {
		for _, r := range nextBatch(t, events).Records {
			order = append(order, r.Body)
			require.Equal(t, "g1", r.Attributes["MessageGroupId"])
			require.NotEmpty(t, r.Attributes["SequenceNumber"])
			require.NotEmpty(t, r.Attributes["MessageDeduplicationId"])
		}
	}
	for i, body := range order {
		require.JSONEq(t, fmt.Sprintf(`{"i":%d}`, i), body)
	}
	e.waitEmpty(qURL)
}

// A batch size above 10 gathers several receives within the batching
// window into one invocation.
func TestLambdaESMBatchingWindow(t *testing.T) {
	t.Parallel()
	e := setupESM(t)
	url, events := notifications(t)
	e.fn.create("esm-window", 3, map[string]string{"EVENT_URL": url})
	qURL := e.createQueue("esm-window-q", nil)
	qArn := e.arn(qURL)
	for i := range 15 {
		e.send(qURL, fmt.Sprint(i))
	}
	e.mapping(lambda.CreateEventSourceMappingInput{
		EventSourceArn: &qArn, FunctionName: aws.String("esm-window"), BatchSize: aws.Int32(20), MaximumBatchingWindowInSeconds: aws.Int32(1),
	})
	require.Len(t, nextBatch(t, events).Records, 15)
	e.waitEmpty(qURL)
}

// A disabled mapping leaves the queue alone; enabling it resumes.
func TestLambdaESMDisableEnable(t *testing.T) {
	t.Parallel()
	e := setupESM(t)
	url, events := notifications(t)
	e.fn.create("esm-toggle", 3, map[string]string{"EVENT_URL": url})
	qURL := e.createQueue("esm-toggle-q", nil)
	qArn := e.arn(qURL)
	created := e.mapping(lambda.CreateEventSourceMappingInput{EventSourceArn: &qArn, FunctionName: aws.String("esm-toggle"), Enabled: aws.Bool(false)})
	require.Equal(t, "Disabled", *created.State)
	e.send(qURL, `{"n":1}`)
	// Nobody else takes the message while the mapping is disabled.
	msgs := e.receive(qURL, wait(2))
	require.Len(t, msgs, 1)
	_, err := e.c.ChangeMessageVisibility(e.ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: &qURL, ReceiptHandle: msgs[0].ReceiptHandle, VisibilityTimeout: 0})
	require.NoError(t, err)
	_, err = e.fn.l.UpdateEventSourceMapping(e.ctx, &lambda.UpdateEventSourceMappingInput{UUID: created.UUID, Enabled: aws.Bool(true)})
	require.NoError(t, err)
	b := nextBatch(t, events)
	require.Equal(t, *msgs[0].MessageId, b.Records[0].MessageID)
	require.Equal(t, "2", b.Records[0].Attributes["ApproximateReceiveCount"])
	e.waitEmpty(qURL)
}

// Mappings survive a restart and resume polling.
func TestLambdaESMSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	url, events := notifications(t)
	first := setupESM(t, fogbanktest.WithDataDir(dir))
	first.fn.create("esm-restart", 3, map[string]string{"EVENT_URL": url})
	qURL := first.createQueue("esm-restart-q", nil)
	qArn := first.arn(qURL)
	created := first.mapping(lambda.CreateEventSourceMappingInput{
		EventSourceArn: &qArn, FunctionName: aws.String("esm-restart"), BatchSize: aws.Int32(5),
	})
	first.waitState(*created.UUID, "Enabled")
	first.srv.Stop()

	second := setupESM(t, fogbanktest.WithDataDir(dir))
	got, err := second.fn.l.GetEventSourceMapping(second.ctx, &lambda.GetEventSourceMappingInput{UUID: created.UUID})
	require.NoError(t, err)
	require.Equal(t, int32(5), *got.BatchSize)
	second.waitState(*created.UUID, "Enabled")
	// The queue URL carries the new server's address.
	q, err := second.c.GetQueueUrl(second.ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("esm-restart-q")})
	require.NoError(t, err)
	sent := second.send(*q.QueueUrl, `{"after":"restart"}`)
	require.Equal(t, *sent.MessageId, nextBatch(t, events).Records[0].MessageID)
	second.waitEmpty(*q.QueueUrl)
}

// TestCLILambdaEventSourceMapping drives SQS mappings with the AWS CLI.
func TestCLILambdaEventSourceMapping(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	zip := filepath.Join(t.TempDir(), "fn.zip")
	require.NoError(t, os.WriteFile(zip, functiontest.Zip(t, map[string]string{"version.txt": "v1"}), 0o600))
	c.lambda(0, "create-function", "--function-name", "cli-esm", "--runtime", "provided.al2023",
		"--role", lambdaRole, "--handler", "bootstrap", "--zip-file", "fileb://"+zip)
	c.ok("create-queue", "--queue-name", "cli-esm-q")
	qArn := "arn:aws:sqs:us-east-1:" + account + ":cli-esm-q"

	out := c.lambda(254, "create-event-source-mapping", "--function-name", "cli-esm", "--event-source-arn", qArn, "--batch-size", "20")
	require.Contains(t, out["stderr"], "An error occurred (InvalidParameterValueException) when calling the CreateEventSourceMapping operation: "+
		"Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
	created := c.lambda(0, "create-event-source-mapping", "--function-name", "cli-esm", "--event-source-arn", qArn,
		"--batch-size", "5", "--function-response-types", "ReportBatchItemFailures")
	require.Equal(t, "Creating", created["State"])
	require.Equal(t, float64(5), created["BatchSize"])
	require.Equal(t, []any{"ReportBatchItemFailures"}, created["FunctionResponseTypes"])
	uuid, _ := created["UUID"].(string)
	got := c.lambda(0, "get-event-source-mapping", "--uuid", uuid)
	require.Equal(t, qArn, got["EventSourceArn"])
	listed := c.lambda(0, "list-event-source-mappings", "--function-name", "cli-esm")
	require.Len(t, list(t, listed, "EventSourceMappings"), 1)
	deleted := c.lambda(0, "delete-event-source-mapping", "--uuid", uuid)
	require.Equal(t, "Deleting", deleted["State"])
	out = c.lambda(254, "get-event-source-mapping", "--uuid", uuid)
	require.Contains(t, out["stderr"], "An error occurred (ResourceNotFoundException) when calling the GetEventSourceMapping operation: The resource you requested does not exist.")
}
