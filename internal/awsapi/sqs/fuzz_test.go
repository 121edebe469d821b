package sqs

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store/sqlite"
)

func fuzzHandler(f *testing.F) *Handler {
	f.Helper()
	st, err := sqlite.Open(":memory:")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = st.Close() })
	svc := queue.New(queue.Config{Store: st})
	if err := svc.Start(context.Background()); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(svc.Stop)
	h := New(svc, slog.New(slog.DiscardHandler))
	// A queue for the fuzzer to hit, so decoding reaches the domain.
	_, _ = svc.CreateQueue(context.Background(), queue.CreateQueueInput{Caller: queue.Caller{Account: "000000000000", Region: "us-east-1"}, Name: "q"})
	_, _ = svc.CreateQueue(context.Background(), queue.CreateQueueInput{Caller: queue.Caller{Account: "000000000000", Region: "us-east-1"}, Name: "q.fifo"})
	return h
}

func serve(h *Handler, proto awsapi.Protocol, op string, body []byte) awsapi.Response {
	hr := httptest.NewRequest("POST", "/", strings.NewReader(string(body)))
	r := &awsapi.Request{
		ID: "r", Protocol: proto, Operation: op, Host: "127.0.0.1:4566", HTTP: hr, Body: body,
		Identity: awsapi.Identity{Account: "000000000000", Region: "us-east-1"},
	}
	// Never wait in a fuzz iteration.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return h.Serve(ctx, r)
}

// FuzzServeJSON feeds arbitrary JSON bodies to every operation: the handler
// must answer with a 2xx or a 4xx AWS error, never panic or answer 5xx.
func FuzzServeJSON(f *testing.F) {
	h := fuzzHandler(f)
	ops := h.Operations()
	slices.Sort(ops)
	seeds := []string{
		`{"QueueUrl":"http://x/000000000000/q","MessageBody":"hi","MessageAttributes":{"a":{"DataType":"Number","StringValue":"1"}}}`,
		`{"QueueName":"n","Attributes":{"VisibilityTimeout":"5","RedrivePolicy":"{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:q\",\"maxReceiveCount\":1}"}}`,
		`{"QueueUrl":"http://x/000000000000/q.fifo","Entries":[{"Id":"1","MessageBody":"b","MessageGroupId":"g","MessageDeduplicationId":"d"}]}`,
		`{"QueueUrl":"http://x/000000000000/q","ReceiptHandle":"!!"}`,
		`{"SourceArn":"arn:aws:sqs:us-east-1:000000000000:q","MaxNumberOfMessagesPerSecond":0}`,
		`{"QueueUrl":"http://x/000000000000/q","MaxNumberOfMessages":10,"WaitTimeSeconds":0,"AttributeNames":["All"]}`,
		`{"QueueName":"n2","Attributes":{"RedrivePolicy":"{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:q\",\"maxReceiveCount\":\"1\"}"}}`,
		`{"QueueUrl":"http://x/000000000000/q","Attributes":{"RedriveAllowPolicy":"{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[1]}"}}`,
		`[]`, `{"QueueUrl":1}`, `{`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, opIdx uint8, body []byte) {
		resp := serve(h, awsapi.ProtocolJSON, ops[int(opIdx)%len(ops)], body)
		if resp.Status >= 500 {
			t.Fatalf("status %d: %s", resp.Status, resp.Body)
		}
	})
}

// FuzzServeQuery does the same through the query protocol's form decoder.
func FuzzServeQuery(f *testing.F) {
	h := fuzzHandler(f)
	ops := h.Operations()
	slices.Sort(ops)
	seeds := []string{
		"QueueUrl=http%3A%2F%2Fx%2F000000000000%2Fq&MessageBody=hi&MessageAttribute.1.Name=a&MessageAttribute.1.Value.DataType=Binary&MessageAttribute.1.Value.BinaryValue=aGk%3D",
		"QueueName=n&Attribute.1.Name=DelaySeconds&Attribute.1.Value=5&Tag.1.Key=k&Tag.1.Value=v",
		"QueueUrl=http%3A%2F%2Fx%2F000000000000%2Fq&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=b",
		"QueueUrl=http%3A%2F%2Fx%2F000000000000%2Fq&AttributeName.1=All&MaxNumberOfMessages=x",
		"%zz", "a=b&a=c",
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, opIdx uint8, body []byte) {
		resp := serve(h, awsapi.ProtocolQuery, ops[int(opIdx)%len(ops)], body)
		if resp.Status >= 500 {
			t.Fatalf("status %d: %s", resp.Status, resp.Body)
		}
	})
}
