package conformance

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

// snsCase is one recorded case: its pytest node id after "::" and the
// scenario.
type snsCase struct {
	id  string
	run func(e *snsEnv)
}

func oneSNS(id string, run func(e *snsEnv)) snsCase { return snsCase{id: id, run: run} }

// snsEnv is what a scenario needs: the SNS query client (aws_client.sns), the
// SQS JSON client (aws_client.sqs), and the snapshot.
type snsEnv struct {
	t    *testing.T
	srv  *fogbanktest.Server
	sns  *snsClient
	sqs  *jsonClient
	snap *snapshot
}

func runSNSCases(t *testing.T, file string, cases []snsCase) {
	t.Helper()
	seen := map[string]bool{}
	for _, tc := range cases {
		require.False(t, seen[tc.id], "duplicate case %s", tc.id)
		seen[tc.id] = true
		t.Run(tc.id, func(t *testing.T) {
			t.Parallel()
			want := recorded(t, "sns", file, tc.id)
			if why, ok := gaps[tc.id]; ok {
				t.Skip("fogbank gap: " + why)
			}
			e := newSNSEnv(t)
			tc.run(e)
			if !t.Failed() {
				e.snap.verify(t, want)
			}
		})
	}
}

func newSNSEnv(t *testing.T) *snsEnv {
	srv := fogbanktest.Start(t)
	snap := newSnapshot(account, region, snsAPI)
	// fogbank has no IAM users: a subscription's principal is the account
	// root, where AWS records the calling user (arn:…:iam::…:user/NAME).
	snap.skip("$..SubscriptionPrincipal")
	return &snsEnv{
		t: t, srv: srv,
		sns:  newSNSClient(srv.URL, accessKey, "secret", region),
		sqs:  newJSONClient(srv.AWSConfigFor(accessKey, "secret", region)),
		snap: snap,
	}
}

// call sends op and returns botocore's response dict (success or error).
func (e *snsEnv) call(c caller, op string, params M) M {
	e.t.Helper()
	r, err := c.call(e.t.Context(), op, params)
	require.NoError(e.t, err, op)
	return r
}

// ok sends op and requires success.
func (e *snsEnv) ok(c caller, op string, params M) M {
	e.t.Helper()
	r := e.call(c, op, params)
	require.NotContains(e.t, r, "Error", "%s: %v", op, r["Error"])
	return r
}

// fail sends op and requires an error response.
func (e *snsEnv) fail(c caller, op string, params M) M {
	e.t.Helper()
	r := e.call(c, op, params)
	require.Contains(e.t, r, "Error", "%s succeeded: %v", op, r)
	return r
}

func (e *snsEnv) match(key string, v any) { e.snap.match(key, v) }

// createTopic is LocalStack's sns_create_topic fixture.
func (e *snsEnv) createTopic(params M) string {
	e.t.Helper()
	if params == nil {
		params = M{}
	}
	if _, ok := params["Name"]; !ok {
		params["Name"] = "topic-" + shortUID()
	}
	return e.ok(e.sns, "CreateTopic", params)["TopicArn"].(string)
}

// createQueue is LocalStack's sqs_create_queue fixture.
func (e *snsEnv) createQueue(params M) string {
	e.t.Helper()
	if params == nil {
		params = M{}
	}
	if _, ok := params["QueueName"]; !ok {
		params["QueueName"] = "test-queue-" + shortUID()
	}
	return e.ok(e.sqs, "CreateQueue", params)["QueueUrl"].(string)
}

func (e *snsEnv) queueArn(url string) string {
	e.t.Helper()
	r := e.ok(e.sqs, "GetQueueAttributes", M{"QueueUrl": url, "AttributeNames": []string{"QueueArn"}})
	return r["Attributes"].(M)["QueueArn"].(string)
}

// subscribe is the sns_create_sqs_subscription fixture: an SQS queue
// subscribed to the topic (fogbank needs no queue policy).
func (e *snsEnv) subscribe(topicArn, queueURL string, attrs map[string]string) string {
	e.t.Helper()
	p := M{"TopicArn": topicArn, "Protocol": "sqs", "Endpoint": e.queueArn(queueURL), "ReturnSubscriptionArn": true}
	if attrs != nil {
		p["Attributes"] = attrs
	}
	return e.ok(e.sns, "Subscribe", p)["SubscriptionArn"].(string)
}

// receive polls a queue until it returns n messages in total (or 10 s pass)
// and returns them as one ReceiveMessage response.
func (e *snsEnv) receive(queueURL string, n int, extra M) M {
	e.t.Helper()
	var msgs []any
	var last M
	deadline := time.Now().Add(10 * time.Second)
	for len(msgs) < n && time.Now().Before(deadline) {
		p := M{"QueueUrl": queueURL, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 1}
		for k, v := range extra {
			p[k] = v
		}
		last = e.ok(e.sqs, "ReceiveMessage", p)
		l, _ := last["Messages"].([]any)
		msgs = append(msgs, l...)
		for _, m := range l {
			e.ok(e.sqs, "DeleteMessage", M{"QueueUrl": queueURL, "ReceiptHandle": m.(M)["ReceiptHandle"]})
		}
	}
	require.Len(e.t, msgs, n, "messages on %s", queueURL)
	last["Messages"] = msgs
	return last
}
