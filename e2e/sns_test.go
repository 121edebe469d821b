package e2e

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // SNS SignatureVersion 1
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"
)

type snsEnv struct {
	sdkEnv
	sns *sns.Client
}

func snsSetup(t *testing.T) snsEnv {
	t.Helper()
	e := setup(t)
	return snsEnv{sdkEnv: e, sns: sns.NewFromConfig(e.srv.AWSConfig())}
}

func (e snsEnv) topic(name string, attrs map[string]string) string {
	e.t.Helper()
	out, err := e.sns.CreateTopic(e.ctx, &sns.CreateTopicInput{Name: &name, Attributes: attrs})
	require.NoError(e.t, err)
	return *out.TopicArn
}

func (e snsEnv) subscribe(topicArn, protocol, endpoint string, attrs map[string]string) string {
	e.t.Helper()
	out, err := e.sns.Subscribe(e.ctx, &sns.SubscribeInput{TopicArn: &topicArn, Protocol: &protocol, Endpoint: &endpoint, Attributes: attrs, ReturnSubscriptionArn: true})
	require.NoError(e.t, err)
	return *out.SubscriptionArn
}

// receive waits for n messages on a queue.
func (e snsEnv) receive(url string, n int) []types.Message {
	e.t.Helper()
	var got []types.Message
	deadline := time.Now().Add(10 * time.Second)
	for len(got) < n && time.Now().Before(deadline) {
		out, err := e.c.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{
			QueueUrl: &url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
			MessageAttributeNames: []string{"All"}, MessageSystemAttributeNames: []types.MessageSystemAttributeName{"All"},
		})
		require.NoError(e.t, err)
		for _, m := range out.Messages {
			got = append(got, m)
			_, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: m.ReceiptHandle})
			require.NoError(e.t, err)
		}
	}
	require.Len(e.t, got, n)
	return got
}

func TestSNSFanOutFilterPolicies(t *testing.T) {
	t.Parallel()
	e := snsSetup(t)
	topicArn := e.topic("orders", nil)
	qAll, qRed, qBody := e.createQueue("all", nil), e.createQueue("red", nil), e.createQueue("body", nil)
	e.subscribe(topicArn, "sqs", e.arn(qAll), map[string]string{"RawMessageDelivery": "true"})
	e.subscribe(topicArn, "sqs", e.arn(qRed), map[string]string{"FilterPolicy": `{"color":["red"]}`})
	e.subscribe(topicArn, "sqs", e.arn(qBody), map[string]string{"FilterPolicy": `{"size":[{"numeric":[">",10]}]}`, "FilterPolicyScope": "MessageBody"})

	publish := func(msg, color string) {
		_, err := e.sns.Publish(e.ctx, &sns.PublishInput{
			TopicArn: &topicArn, Message: &msg, Subject: aws.String("hello"),
			MessageAttributes: map[string]snstypes.MessageAttributeValue{"color": {DataType: aws.String("String"), StringValue: &color}},
		})
		require.NoError(t, err)
	}
	publish(`{"size":5}`, "red")
	publish(`{"size":50}`, "blue")

	raw := e.receive(qAll, 2)
	for _, m := range raw {
		require.Contains(t, []string{`{"size":5}`, `{"size":50}`}, *m.Body)
		require.Equal(t, "String", *m.MessageAttributes["color"].DataType)
	}
	red := e.receive(qRed, 1)
	var env map[string]any
	require.NoError(t, json.Unmarshal([]byte(*red[0].Body), &env))
	require.Equal(t, "Notification", env["Type"])
	require.Equal(t, `{"size":5}`, env["Message"])
	require.Equal(t, "hello", env["Subject"])
	require.Equal(t, topicArn, env["TopicArn"])
	require.Equal(t, "1", env["SignatureVersion"])
	require.Equal(t, map[string]any{"color": map[string]any{"Type": "String", "Value": "red"}}, env["MessageAttributes"])
	require.Contains(t, env["UnsubscribeURL"], "Action=Unsubscribe")
	body := e.receive(qBody, 1)
	require.Contains(t, *body[0].Body, `{\"size\":50}`)
}

func TestSNSErrorsAndAttributes(t *testing.T) {
	t.Parallel()
	e := snsSetup(t)
	_, err := e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String("arn:aws:sns:us-east-1:000000000000:nope")})
	var nf *snstypes.NotFoundException
	require.ErrorAs(t, err, &nf)
	require.Equal(t, "Topic does not exist", nf.ErrorMessage())
	topicArn := e.topic("t1", map[string]string{"DisplayName": "d"})
	attrs, err := e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: &topicArn})
	require.NoError(t, err)
	require.Equal(t, "d", attrs.Attributes["DisplayName"])
	require.Equal(t, "0", attrs.Attributes["SubscriptionsConfirmed"])
	_, err = e.sns.Publish(e.ctx, &sns.PublishInput{TopicArn: &topicArn, Message: aws.String("")})
	var ip *snstypes.InvalidParameterException
	require.ErrorAs(t, err, &ip)
	require.Equal(t, "Invalid parameter: Empty message", ip.ErrorMessage())
	_, err = e.sns.TagResource(e.ctx, &sns.TagResourceInput{ResourceArn: &topicArn, Tags: []snstypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	require.NoError(t, err)
	tags, err := e.sns.ListTagsForResource(e.ctx, &sns.ListTagsForResourceInput{ResourceArn: &topicArn})
	require.NoError(t, err)
	require.Len(t, tags.Tags, 1)
	list, err := e.sns.ListTopics(e.ctx, &sns.ListTopicsInput{})
	require.NoError(t, err)
	require.Len(t, list.Topics, 1)
	batch, err := e.sns.PublishBatch(e.ctx, &sns.PublishBatchInput{TopicArn: &topicArn, PublishBatchRequestEntries: []snstypes.PublishBatchRequestEntry{
		{Id: aws.String("a"), Message: aws.String("m1")}, {Id: aws.String("b"), Message: aws.String("m2")},
	}})
	require.NoError(t, err)
	require.Len(t, batch.Successful, 2)
}

func TestSNSFIFOOrdering(t *testing.T) {
	t.Parallel()
	e := snsSetup(t)
	topicArn := e.topic("f.fifo", map[string]string{"FifoTopic": "true", "ContentBasedDeduplication": "true"})
	q := e.createQueue("f.fifo", map[string]string{"FifoQueue": "true"})
	e.subscribe(topicArn, "sqs", e.arn(q), map[string]string{"RawMessageDelivery": "true"})
	for i := range 20 {
		_, err := e.sns.Publish(e.ctx, &sns.PublishInput{TopicArn: &topicArn, Message: aws.String(strconv.Itoa(i)), MessageGroupId: aws.String("g")})
		require.NoError(t, err)
	}
	dup, err := e.sns.Publish(e.ctx, &sns.PublishInput{TopicArn: &topicArn, Message: aws.String("0"), MessageGroupId: aws.String("g")})
	require.NoError(t, err)
	require.NotEmpty(t, *dup.SequenceNumber)
	got := e.receive(q, 20)
	for i, m := range got {
		require.Equal(t, strconv.Itoa(i), *m.Body)
	}
}

// verifySNS checks an SNS message signature with the standard algorithm.
func verifySNS(t *testing.T, msg map[string]string) {
	t.Helper()
	resp, err := http.Get(msg["SigningCertURL"]) //nolint:noctx // test
	require.NoError(t, err)
	pemBytes, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	block, _ := pem.Decode(pemBytes)
	require.NotNil(t, block)
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	keys := []string{"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}
	if msg["Type"] != "Notification" {
		keys = []string{"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"}
	}
	var b strings.Builder
	for _, k := range keys {
		if v, ok := msg[k]; ok {
			b.WriteString(k + "\n" + v + "\n")
		}
	}
	sig, err := base64.StdEncoding.DecodeString(msg["Signature"])
	require.NoError(t, err)
	pub := cert.PublicKey.(*rsa.PublicKey)
	if msg["SignatureVersion"] == "2" {
		h := sha256.Sum256([]byte(b.String()))
		require.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig))
	} else {
		h := sha1.Sum([]byte(b.String())) //nolint:gosec // SignatureVersion 1
		require.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA1, h[:], sig))
	}
}

func TestSNSHTTPConfirmSignAndDLQ(t *testing.T) {
	t.Parallel()
	e := snsSetup(t)
	msgs := make(chan map[string]string, 10)
	var mu sync.Mutex
	fail := 0
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]string
		_ = json.NewDecoder(r.Body).Decode(&m)
		m["header-type"] = r.Header.Get("x-amz-sns-message-type")
		mu.Lock()
		fail++
		f := fail == 2 // the first notification fails once, then recovers
		mu.Unlock()
		if f {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		msgs <- m
	}))
	defer ok.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("x-amz-sns-message-type") == "SubscriptionConfirmation" {
			var m map[string]string
			_ = json.NewDecoder(r.Body).Decode(&m)
			resp, err := http.Get(m["SubscribeURL"]) //nolint:noctx // test
			if err == nil {
				_ = resp.Body.Close()
			}
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer broken.Close()

	topicArn := e.topic("web", map[string]string{"SignatureVersion": "2"})
	policy := `{"healthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":1,"numRetries":2}}`
	e.subscribe(topicArn, "http", ok.URL, map[string]string{"DeliveryPolicy": policy})
	conf := <-msgs
	require.Equal(t, "SubscriptionConfirmation", conf["Type"])
	require.Equal(t, "SubscriptionConfirmation", conf["header-type"])
	verifySNS(t, conf)
	_, err := e.sns.ConfirmSubscription(e.ctx, &sns.ConfirmSubscriptionInput{TopicArn: &topicArn, Token: aws.String(conf["Token"])})
	require.NoError(t, err)

	dlq := e.createQueue("dlq", nil)
	brokenSub := e.subscribe(topicArn, "http", broken.URL, map[string]string{"DeliveryPolicy": policy, "RedrivePolicy": `{"deadLetterTargetArn":"` + e.arn(dlq) + `"}`})
	require.Eventually(t, func() bool { // the endpoint confirms through the SubscribeURL
		out, err := e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: &brokenSub})
		return err == nil && out.Attributes["PendingConfirmation"] == "false"
	}, 5*time.Second, 20*time.Millisecond)

	_, err = e.sns.Publish(e.ctx, &sns.PublishInput{TopicArn: &topicArn, Message: aws.String("hi"), Subject: aws.String("s")})
	require.NoError(t, err)
	n := <-msgs
	require.Equal(t, "hi", n["Message"])
	require.Equal(t, "2", n["SignatureVersion"])
	verifySNS(t, n)
	dead := e.receive(dlq, 1)
	require.Contains(t, *dead[0].Body, `"Message":"hi"`)
}
