package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"
)

// endpoint is an HTTP subscriber: it confirms its subscription through the
// SubscribeURL and answers notifications with fail(n) for the n-th one.
type endpoint struct {
	*httptest.Server
	mu       sync.Mutex
	requests int
	got      map[string]int // notification Message → deliveries
	fail     func(n int) bool
}

func newEndpoint(t *testing.T, fail func(n int) bool) *endpoint {
	t.Helper()
	ep := &endpoint{got: map[string]int{}, fail: fail}
	ep.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]string
		body, _ := io.ReadAll(r.Body)
		if json.Unmarshal(body, &m) != nil {
			m = map[string]string{"Type": "Notification", "Message": string(body)} // raw delivery
		}
		if m["Type"] == "SubscriptionConfirmation" {
			resp, err := http.Get(m["SubscribeURL"]) //nolint:noctx,gosec // the test's own fogbank
			if err == nil {
				_ = resp.Body.Close()
			}
			return
		}
		ep.mu.Lock()
		ep.requests++
		failed := ep.fail(ep.requests)
		if !failed {
			ep.got[m["Message"]]++
		}
		ep.mu.Unlock()
		if failed {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(ep.Close)
	return ep
}

func (ep *endpoint) received() map[string]int {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	out := make(map[string]int, len(ep.got))
	for k, v := range ep.got {
		out[k] = v
	}
	return out
}

// confirmed waits until a subscription is confirmed.
func confirmed(t *testing.T, c *sns.Client, subArn string) {
	t.Helper()
	require.Eventually(t, func() bool {
		out, err := c.GetSubscriptionAttributes(t.Context(), &sns.GetSubscriptionAttributesInput{SubscriptionArn: &subArn})
		return err == nil && out.Attributes["PendingConfirmation"] == "false"
	}, 10*time.Second, 10*time.Millisecond)
}

const fastRetries = `{"healthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":1,"numRetries":5}}`

func TestSNSFaultHTTPRecovers(t *testing.T) {
	t.Parallel()
	e := snsSetup(t)
	ep := newEndpoint(t, func(n int) bool { return n <= 4 }) // down for its first 4 requests
	topicArn := e.topic("flaky", nil)
	sub := e.subscribe(topicArn, "http", ep.URL, map[string]string{"DeliveryPolicy": fastRetries})
	confirmed(t, e.sns, sub)
	for i := range 5 {
		_, err := e.sns.Publish(e.ctx, &sns.PublishInput{TopicArn: &topicArn, Message: aws.String("m" + strconv.Itoa(i))})
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool { return len(ep.received()) == 5 }, 20*time.Second, 10*time.Millisecond, "every message arrives once the endpoint recovers")
}

func TestSNSFaultHTTPNeverRecoversToDLQ(t *testing.T) {
	t.Parallel()
	e := snsSetup(t)
	ep := newEndpoint(t, func(int) bool { return true })
	dlq := e.createQueue("sub-dlq", nil)
	topicArn := e.topic("down", nil)
	policy := `{"healthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":1,"numRetries":1}}`
	sub := e.subscribe(topicArn, "http", ep.URL, map[string]string{"DeliveryPolicy": policy, "RedrivePolicy": `{"deadLetterTargetArn":"` + e.arn(dlq) + `"}`})
	confirmed(t, e.sns, sub)
	ids := map[string]string{}
	for i := range 3 {
		msg := "lost-" + strconv.Itoa(i)
		out, err := e.sns.Publish(e.ctx, &sns.PublishInput{
			TopicArn: &topicArn, Message: &msg,
			MessageAttributes: map[string]snstypes.MessageAttributeValue{"n": {DataType: aws.String("Number"), StringValue: aws.String(strconv.Itoa(i))}},
		})
		require.NoError(t, err)
		ids[msg] = *out.MessageId
	}
	for _, m := range e.receive(dlq, 3) {
		// AWS puts what the endpoint would have received into the DLQ: the
		// signed envelope, with no message attributes of its own.
		require.Empty(t, m.MessageAttributes)
		var env map[string]any
		require.NoError(t, json.Unmarshal([]byte(*m.Body), &env))
		msg, _ := env["Message"].(string)
		require.Equal(t, ids[msg], env["MessageId"])
		require.Equal(t, "Notification", env["Type"])
		require.Equal(t, topicArn, env["TopicArn"])
		require.NotEmpty(t, env["Signature"])
		require.Equal(t, "Number", env["MessageAttributes"].(map[string]any)["n"].(map[string]any)["Type"])
		verifySNS(t, stringFields(env))
	}
	require.Empty(t, ep.received())
}

func stringFields(m map[string]any) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// TestSNSKillNineLosesNothing publishes to a topic with an SQS and an HTTP
// subscription, SIGKILLs fogbank mid-way, restarts it on the same data
// directory, and checks that every acknowledged Publish reaches both: SQS
// exactly once (the hop commits with the job's removal), HTTP at least once.
func TestSNSKillNineLosesNothing(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs a fogbank subprocess")
	}
	p := startSubprocess(t, fogbankBinary(t), t.TempDir())
	cfg := aws.Config{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String("http://" + p.addr), RetryMaxAttempts: 1,
		HTTPClient: &http.Client{Timeout: 10 * time.Second},
	}
	sc, qc := sns.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
	ctx := t.Context()
	q, err := qc.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("kill9")})
	require.NoError(t, err)
	qa, err := qc.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []types.QueueAttributeName{"QueueArn"}})
	require.NoError(t, err)
	tp, err := sc.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("kill9")})
	require.NoError(t, err)
	_, err = sc.Subscribe(ctx, &sns.SubscribeInput{TopicArn: tp.TopicArn, Protocol: aws.String("sqs"), Endpoint: aws.String(qa.Attributes["QueueArn"]), Attributes: map[string]string{"RawMessageDelivery": "true"}})
	require.NoError(t, err)
	ep := newEndpoint(t, func(int) bool { return false })
	hs, err := sc.Subscribe(ctx, &sns.SubscribeInput{
		TopicArn: tp.TopicArn, Protocol: aws.String("http"), Endpoint: &ep.URL, ReturnSubscriptionArn: true,
		Attributes: map[string]string{"RawMessageDelivery": "true", "DeliveryPolicy": fastRetries},
	})
	require.NoError(t, err)
	confirmed(t, sc, *hs.SubscriptionArn)

	// Publishers run until told to stop; the kill lands while they publish.
	const publishers = 4
	var acked sync.Map
	var n atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range publishers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				msg := strconv.Itoa(w) + "-" + strconv.Itoa(i)
				if _, err := sc.Publish(ctx, &sns.PublishInput{TopicArn: tp.TopicArn, Message: &msg}); err == nil {
					acked.Store(msg, true)
					n.Add(1)
				}
			}
		}()
	}
	require.Eventually(t, func() bool { return n.Load() >= 100 }, 10*time.Second, time.Millisecond)
	p.kill()
	close(stop)
	wg.Wait()
	p.start()

	var want []string
	acked.Range(func(k, _ any) bool { want = append(want, k.(string)); return true })
	t.Logf("%d acknowledged publishes before the kill", len(want))
	seen := map[string]int{}
	require.Eventually(t, func() bool {
		out, err := qc.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			return false
		}
		for _, m := range out.Messages {
			seen[*m.Body]++
			_, err := qc.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: q.QueueUrl, ReceiptHandle: m.ReceiptHandle})
			require.NoError(t, err)
		}
		for _, id := range want {
			if seen[id] == 0 {
				return false
			}
		}
		return true
	}, 20*time.Second, time.Millisecond, "every acknowledged publish reaches the queue")
	for id, c := range seen {
		require.Equal(t, 1, c, "SQS delivery of %s is exactly once", id)
	}
	require.Eventually(t, func() bool {
		got := ep.received()
		for _, id := range want {
			if got[id] == 0 {
				return false
			}
		}
		return true
	}, 20*time.Second, 10*time.Millisecond, "every acknowledged publish reaches the HTTP endpoint")
}
