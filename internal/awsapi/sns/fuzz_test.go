package sns

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store/sqlite"
	"github.com/fogbank/fogbank/internal/topic"
)

func fuzzHandler(f *testing.F) *Handler {
	f.Helper()
	st, err := sqlite.Open(filepath.Join(f.TempDir(), "fogbank.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = st.Close() })
	q := queue.New(queue.Config{Store: st})
	if err := q.Start(context.Background()); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(q.Stop)
	// The dispatcher is not started: jobs are committed, never attempted.
	d := delivery.New(delivery.Config{Store: st, Queues: q})
	svc := topic.New(topic.Config{Store: st, Queues: q, Delivery: d})
	if err := svc.Start(context.Background()); err != nil {
		f.Fatal(err)
	}
	c := topic.Caller{Account: "000000000000", Region: "us-east-1", Endpoint: "http://127.0.0.1:4566"}
	// Topics for the fuzzer to hit, so decoding reaches the domain.
	for _, in := range []topic.CreateTopicInput{{Caller: c, Name: "t"}, {Caller: c, Name: "t.fifo", Attributes: map[string]string{"FifoTopic": "true"}}} {
		if _, err := svc.CreateTopic(context.Background(), in); err != nil {
			f.Fatal(err)
		}
	}
	if _, err := svc.Subscribe(context.Background(), topic.SubscribeInput{Caller: c, TopicArn: "arn:aws:sns:us-east-1:000000000000:t", Protocol: "sqs", Endpoint: "arn:aws:sqs:us-east-1:000000000000:q", ReturnSubArn: true}); err != nil {
		f.Fatal(err)
	}
	return New(svc, slog.New(slog.DiscardHandler))
}

func serve(h *Handler, op string, body []byte) awsapi.Response {
	hr := httptest.NewRequest("POST", "/", strings.NewReader(string(body)))
	r := &awsapi.Request{
		ID: "r", Protocol: awsapi.ProtocolQuery, Operation: op, Host: "127.0.0.1:4566", HTTP: hr, Body: body,
		Identity: awsapi.Identity{Account: "000000000000", Region: "us-east-1"},
	}
	return h.Serve(context.Background(), r)
}

// FuzzServeQuery feeds arbitrary forms to every operation: the handler must
// answer with a 2xx or a 4xx AWS error, never panic or answer 5xx.
func FuzzServeQuery(f *testing.F) {
	h := fuzzHandler(f)
	ops := h.Operations()
	slices.Sort(ops)
	seeds := []string{
		"Name=n&Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=x&Tags.member.1.Key=k&Tags.member.1.Value=v",
		"TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Message=hi&MessageAttributes.entry.1.Name=a&MessageAttributes.entry.1.Value.DataType=Number&MessageAttributes.entry.1.Value.StringValue=1",
		"TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Message=%7B%22default%22%3A%22x%22%7D&MessageStructure=json",
		"TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At.fifo&PublishBatchRequestEntries.member.1.Id=1&PublishBatchRequestEntries.member.1.Message=m&PublishBatchRequestEntries.member.1.MessageGroupId=g&PublishBatchRequestEntries.member.1.MessageDeduplicationId=d",
		"TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Protocol=sqs&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aq&Attributes.entry.1.key=FilterPolicy&Attributes.entry.1.value=%7B%22a%22%3A%5B%7B%22numeric%22%3A%5B%22%3E%22%2C1%5D%7D%5D%7D",
		"TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Protocol=http&Endpoint=http%3A%2F%2F127.0.0.1%3A1%2F",
		"TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&AttributeName=DeliveryPolicy&AttributeValue=%7B%22http%22%3A%7B%7D%7D",
		"SubscriptionArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At%3Ax&AttributeName=RedrivePolicy&AttributeValue=%7B%7D",
		"ResourceArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&TagKeys.member.1=k",
		"TopicArn=x&Token=zz", "%", "a.member.999999999999=1", "MessageAttributes.entry.1.Value.BinaryValue=!!",
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, opIdx uint8, body []byte) {
		resp := serve(h, ops[int(opIdx)%len(ops)], body)
		if resp.Status >= 500 {
			t.Fatalf("status %d: %s", resp.Status, resp.Body)
		}
	})
}
