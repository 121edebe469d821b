package topic

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // SignatureVersion 1 is SHA1withRSA
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/sqlite"
)

var caller = Caller{Account: "123456789012", Region: "us-east-1", Endpoint: "http://127.0.0.1:4566"}

type bundle struct {
	svc *Service
	st  store.Store
	clk *clock.Fake
}

// setup builds a service on a sqlite store at path ("" for a fresh one of
// the test's own). The dispatcher is never started: the tests read the
// committed jobs.
func setup(t *testing.T, path string, clk *clock.Fake) *bundle {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "fogbank.db")
	}
	st, err := sqlite.Open(path)
	require.NoError(t, err)
	q := queue.New(queue.Config{Store: st, Clock: clk})
	require.NoError(t, q.Start(t.Context()))
	d := delivery.New(delivery.Config{Store: st, Clock: clk, Queues: q})
	svc := New(Config{Store: st, Clock: clk, Queues: q, Delivery: d})
	require.NoError(t, svc.Start(t.Context()))
	t.Cleanup(func() {
		svc.Stop()
		q.Stop()
		_ = st.Close()
	})
	return &bundle{svc: svc, st: st, clk: clk}
}

func newClock() *clock.Fake { return clock.NewFake(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) }

func (b *bundle) topic(t *testing.T, name string, attrs map[string]string) string {
	t.Helper()
	a, err := b.svc.CreateTopic(t.Context(), CreateTopicInput{Caller: caller, Name: name, Attributes: attrs})
	require.NoError(t, err)
	return a
}

func (b *bundle) subscribe(t *testing.T, topicArn, protocol, endpoint string, attrs map[string]string) string {
	t.Helper()
	a, err := b.svc.Subscribe(t.Context(), SubscribeInput{Caller: caller, TopicArn: topicArn, Protocol: protocol, Endpoint: endpoint, Attributes: attrs, ReturnSubArn: true})
	require.NoError(t, err)
	return a
}

// jobs returns the committed delivery jobs, oldest first.
func (b *bundle) jobs(t *testing.T) []delivery.Job {
	t.Helper()
	recs, err := b.st.LoadRecords(t.Context(), delivery.RecordKind)
	require.NoError(t, err)
	out := make([]delivery.Job, 0, len(recs))
	for _, r := range recs {
		var j delivery.Job
		require.NoError(t, json.Unmarshal(r.Data, &j))
		out = append(out, j)
	}
	sort.Slice(out, func(i, k int) bool { return out[i].FirstAt < out[k].FirstAt })
	return out
}

func str(s string) *string { return &s }

func TestFilterPolicyRouting(t *testing.T) {
	t.Parallel()
	b := setup(t, "", newClock())
	ta := b.topic(t, "orders", nil)
	q := func(n string) string { return "arn:aws:sqs:us-east-1:123456789012:" + n }
	b.subscribe(t, ta, "sqs", q("all"), nil)
	b.subscribe(t, ta, "sqs", q("red"), map[string]string{"FilterPolicy": `{"color":["red"]}`})
	b.subscribe(t, ta, "sqs", q("big"), map[string]string{"FilterPolicy": `{"size":[{"numeric":[">",10]}]}`, "FilterPolicyScope": "MessageBody"})
	pub := func(body string, attrs map[string]MessageAttribute) {
		_, err := b.svc.Publish(t.Context(), PublishInput{Caller: caller, TopicArn: ta, Message: Message{Message: body, Attributes: attrs}})
		require.NoError(t, err)
	}
	pub(`{"size": 5}`, map[string]MessageAttribute{"color": {DataType: "String", StringValue: str("red")}})
	pub(`{"size": 50}`, map[string]MessageAttribute{"color": {DataType: "String", StringValue: str("blue")}})
	got := map[string]int{}
	for _, j := range b.jobs(t) {
		got[j.Target[strings.LastIndex(j.Target, ":")+1:]]++
	}
	require.Equal(t, map[string]int{"all": 2, "red": 1, "big": 1}, got)
}

func TestFIFODedupWindow(t *testing.T) {
	t.Parallel()
	b := setup(t, "", newClock())
	ta := b.topic(t, "t.fifo", map[string]string{"FifoTopic": "true", "ContentBasedDeduplication": "true"})
	b.subscribe(t, ta, "sqs", "arn:aws:sqs:us-east-1:123456789012:q.fifo", nil)
	pub := func() PublishOutput {
		out, err := b.svc.Publish(t.Context(), PublishInput{Caller: caller, TopicArn: ta, Message: Message{Message: "same", GroupID: "g"}})
		require.NoError(t, err)
		return out
	}
	first := pub()
	b.clk.Advance(4 * time.Minute)
	require.Equal(t, first, pub(), "a duplicate within 5 minutes returns the first message")
	require.Equal(t, 1, len(b.jobs(t)))
	b.clk.Advance(time.Minute + time.Second)
	third := pub()
	require.NotEqual(t, first.MessageID, third.MessageID)
	require.Greater(t, third.SequenceNumber, first.SequenceNumber)
	require.Equal(t, 2, len(b.jobs(t)))
	recs, err := b.st.LoadRecords(t.Context(), kindDedup)
	require.NoError(t, err)
	require.Len(t, recs, 1, "the expired entry's record is deleted")
}

func TestFIFODedupSurvivesRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "fogbank.db")
	clk := newClock()
	b := setup(t, path, clk)
	ta := b.topic(t, "t.fifo", map[string]string{"FifoTopic": "true"})
	in := PublishInput{Caller: caller, TopicArn: ta, Message: Message{Message: "m", GroupID: "g", DedupID: "d1"}}
	first, err := b.svc.Publish(t.Context(), in)
	require.NoError(t, err)
	b.svc.Stop()
	require.NoError(t, b.st.Close())

	clk.Advance(2 * time.Minute)
	b2 := setup(t, path, clk)
	again, err := b2.svc.Publish(t.Context(), in)
	require.NoError(t, err)
	require.Equal(t, first, again, "the dedup window survives a restart")
	clk.Advance(3*time.Minute + time.Second)
	later, err := b2.svc.Publish(t.Context(), in)
	require.NoError(t, err)
	require.NotEqual(t, first.MessageID, later.MessageID)
}

// envelopeOf decodes the envelope a job delivers.
func envelopeOf(t *testing.T, j delivery.Job) map[string]any {
	t.Helper()
	var n notification
	require.NoError(t, json.Unmarshal(j.Payload, &n))
	var env map[string]any
	require.NoError(t, json.Unmarshal([]byte(n.Body), &env))
	return env
}

// checkSignature verifies a signature with the standard SNS algorithm: the
// canonical "Key\nValue\n" string of the message type's fields,
// SHA1withRSA (v1) or SHA256withRSA (v2), against the public key of the
// served certificate.
func checkSignature(certPEM []byte, env map[string]any) error {
	keys := []string{"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}
	if env["Type"] != "Notification" {
		keys = []string{"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"}
	}
	var sb strings.Builder
	for _, k := range keys {
		if v, ok := env[k].(string); ok {
			sb.WriteString(k + "\n" + v + "\n")
		}
	}
	block, _ := pem.Decode(certPEM)
	if block == nil {
		return errors.New("no PEM block")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return err
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return errors.New("not an RSA key")
	}
	sig, err := base64.StdEncoding.DecodeString(env["Signature"].(string))
	if err != nil {
		return err
	}
	if env["SignatureVersion"] == "2" {
		h := sha256.Sum256([]byte(sb.String()))
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig)
	}
	h := sha1.Sum([]byte(sb.String())) //nolint:gosec // SignatureVersion 1
	return rsa.VerifyPKCS1v15(pub, crypto.SHA1, h[:], sig)
}

func TestEnvelopeAndSignatures(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"1", "2"} {
		t.Run("v"+version, func(t *testing.T) {
			t.Parallel()
			b := setup(t, "", newClock())
			ta := b.topic(t, "signed", map[string]string{"SignatureVersion": version})
			sa := b.subscribe(t, ta, "sqs", "arn:aws:sqs:us-east-1:123456789012:q", nil)
			out, err := b.svc.Publish(t.Context(), PublishInput{Caller: caller, TopicArn: ta, Message: Message{
				Message: "hello", Subject: str("greeting"),
				Attributes: map[string]MessageAttribute{"n": {DataType: "Number", StringValue: str("7")}, "b": {DataType: "Binary", BinaryValue: []byte{1, 2}}},
			}})
			require.NoError(t, err)
			jobs := b.jobs(t)
			require.Equal(t, 1, len(jobs))
			env := envelopeOf(t, jobs[0])
			require.Equal(t, "Notification", env["Type"])
			require.Equal(t, out.MessageID, env["MessageId"])
			require.Equal(t, ta, env["TopicArn"])
			require.Equal(t, "greeting", env["Subject"])
			require.Equal(t, "hello", env["Message"])
			require.Equal(t, "2026-01-02T03:04:05.000Z", env["Timestamp"])
			require.Equal(t, version, env["SignatureVersion"])
			require.Equal(t, caller.Endpoint+CertPath, env["SigningCertURL"])
			require.Equal(t, caller.Endpoint+"/?Action=Unsubscribe&SubscriptionArn="+sa, env["UnsubscribeURL"])
			require.Equal(t, map[string]any{
				"n": map[string]any{"Type": "Number", "Value": "7"},
				"b": map[string]any{"Type": "Binary", "Value": "AQI="},
			}, env["MessageAttributes"])
			cert, err := b.svc.CertificatePEM(t.Context())
			require.NoError(t, err)
			require.NoError(t, checkSignature(cert, env))
			env["Message"] = "tampered"
			require.Error(t, checkSignature(cert, env))
		})
	}
}

func TestSubscriptionLifecycle(t *testing.T) {
	t.Parallel()
	b := setup(t, "", newClock())
	ta := b.topic(t, "life", nil)
	sa, err := b.svc.Subscribe(t.Context(), SubscribeInput{Caller: caller, TopicArn: ta, Protocol: "https", Endpoint: "https://example.com/hook", ReturnSubArn: true})
	require.NoError(t, err)
	attrs, err := b.svc.GetSubscriptionAttributes(t.Context(), sa)
	require.NoError(t, err)
	require.Equal(t, "true", attrs["PendingConfirmation"])
	jobs := b.jobs(t)
	require.Equal(t, 1, len(jobs), "a SubscriptionConfirmation is sent")
	env := envelopeOf(t, jobs[0])
	require.Equal(t, "SubscriptionConfirmation", env["Type"])
	cert, err := b.svc.CertificatePEM(t.Context())
	require.NoError(t, err)
	require.NoError(t, checkSignature(cert, env))

	_, err = b.svc.ConfirmSubscription(t.Context(), caller, ta, strings.Repeat("ab", 32))
	require.Error(t, err, "a wrong token is refused")
	got, err := b.svc.ConfirmSubscription(t.Context(), caller, ta, env["Token"].(string))
	require.NoError(t, err)
	require.Equal(t, sa, got)
	attrs, err = b.svc.GetSubscriptionAttributes(t.Context(), sa)
	require.NoError(t, err)
	require.Equal(t, "false", attrs["PendingConfirmation"])

	require.NoError(t, b.svc.Unsubscribe(t.Context(), sa))
	_, err = b.svc.GetSubscriptionAttributes(t.Context(), sa)
	require.ErrorIs(t, err, errSubscriptionNotFound)
	require.NoError(t, b.svc.Unsubscribe(t.Context(), sa), "unsubscribing twice succeeds")
}

func TestDeliveryPolicyMapping(t *testing.T) {
	t.Parallel()
	b := setup(t, "", newClock())
	ta := b.topic(t, "policy", nil)
	sa := b.subscribe(t, ta, "http", "http://example.com/", nil)
	policy := func() delivery.RetryPolicy {
		b.svc.mu.RLock()
		defer b.svc.mu.RUnlock()
		return b.svc.httpPolicy(b.svc.topics[ta], b.svc.subs[sa])
	}
	linear := func(attempts int, lo, hi time.Duration) delivery.RetryPolicy {
		return delivery.RetryPolicy{MaxAttempts: attempts, MaxAge: time.Hour, BaseDelay: lo, MaxDelay: hi, Backoff: "linear", Jitter: true}
	}
	require.Equal(t, linear(4, 20*time.Second, 20*time.Second), policy(), "AWS's default: 3 retries 20 s apart")

	require.NoError(t, b.svc.SetTopicAttributes(t.Context(), caller, ta, "DeliveryPolicy", `{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":5,"maxDelayTarget":6,"numRetries":1}}}`))
	require.Equal(t, linear(2, 5*time.Second, 6*time.Second), policy())

	require.NoError(t, b.svc.SetSubscriptionAttributes(t.Context(), sa, "DeliveryPolicy", `{"healthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":30,"numRetries":10}}`))
	require.Equal(t, linear(11, time.Second, 30*time.Second), policy(), "the subscription's policy overrides the topic's")

	require.NoError(t, b.svc.SetSubscriptionAttributes(t.Context(), sa, "DeliveryPolicy", `{"healthyRetryPolicy":{"minDelayTarget":2,"maxDelayTarget":16,"numRetries":8,
		"numNoDelayRetries":1,"numMinDelayRetries":2,"numMaxDelayRetries":1,"backoffFunction":"geometric"}}`))
	p := policy()
	require.Equal(t, delivery.RetryPolicy{
		MaxAttempts: 9, MaxAge: time.Hour, BaseDelay: 2 * time.Second, MaxDelay: 16 * time.Second,
		Backoff: "geometric", Jitter: true, NoDelayRetries: 1, MinDelayRetries: 2, MaxDelayRetries: 1,
	}, p)
	var got []time.Duration
	for a := 1; a < p.MaxAttempts; a++ {
		got = append(got, p.Delay(a, 0))
	}
	s := time.Second
	require.Equal(t, []time.Duration{0, 2 * s, 2 * s, 2 * s, 4 * s, 8 * s, 16 * s, 16 * s}, got,
		"1 immediate, 2 at the minimum, 4 geometric from 2 to 16 s, 1 at the maximum")
}
