package topic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
)

// notification is a job's payload: what one subscription receives.
type notification struct {
	Type      string                            `json:"type"`
	MessageID string                            `json:"messageId"`
	TopicArn  string                            `json:"topicArn"`
	SubArn    string                            `json:"subArn,omitempty"`
	Body      string                            `json:"body"`
	Raw       bool                              `json:"raw,omitempty"`
	Attrs     map[string]queue.MessageAttribute `json:"attrs,omitempty"`
	GroupID   string                            `json:"groupId,omitempty"`
	DedupID   string                            `json:"dedupId,omitempty"`
	Trace     string                            `json:"trace,omitempty"`
}

// Retry policies: SNS's AWS-managed policy for SQS (and Lambda, which fails
// fast while fogbank has no Lambda), and HTTP's default.
var (
	sqsPolicy    = delivery.RetryPolicy{MaxAttempts: 100015, MaxAge: 23 * 24 * time.Hour, BaseDelay: time.Second, MaxDelay: 20 * time.Second}
	lambdaPolicy = delivery.RetryPolicy{MaxAttempts: 3, BaseDelay: 10 * time.Millisecond, MaxDelay: 10 * time.Millisecond}
)

// retryPolicyDoc is the healthyRetryPolicy of a DeliveryPolicy.
type retryPolicyDoc struct {
	MinDelay   int `json:"minDelayTarget"`
	MaxDelay   int `json:"maxDelayTarget"`
	NumRetries int `json:"numRetries"`
}

func (s *Service) httpPolicy(t *topic, sub *subscription) delivery.RetryPolicy {
	rp := retryPolicyDoc{MinDelay: 20, MaxDelay: 20, NumRetries: 3}
	var topicDoc struct {
		HTTP struct {
			Default *retryPolicyDoc `json:"defaultHealthyRetryPolicy"`
		} `json:"http"`
	}
	if json.Unmarshal([]byte(t.rec.Attrs["DeliveryPolicy"]), &topicDoc) == nil && topicDoc.HTTP.Default != nil {
		rp = *topicDoc.HTTP.Default
	}
	var subDoc struct {
		Healthy *retryPolicyDoc `json:"healthyRetryPolicy"`
	}
	if json.Unmarshal([]byte(sub.rec.Attrs["DeliveryPolicy"]), &subDoc) == nil && subDoc.Healthy != nil {
		rp = *subDoc.Healthy
	}
	return delivery.RetryPolicy{
		MaxAttempts: rp.NumRetries + 1, MaxAge: time.Hour,
		BaseDelay: time.Duration(max(rp.MinDelay, 1)) * time.Second,
		MaxDelay:  time.Duration(max(rp.MaxDelay, rp.MinDelay, 1)) * time.Second,
	}
}

// confirmationJob builds the SubscriptionConfirmation of an HTTP/S
// subscription. Call with s.mu held.
func (s *Service) confirmationJob(t *topic, sub *subscription, endpoint string) (delivery.Job, error) {
	if err := s.signer.ensure(context.Background()); err != nil {
		return delivery.Job{}, err
	}
	e := &envelope{
		Type: "SubscriptionConfirmation", MessageID: s.ids.UUID(), Token: sub.rec.Token, TopicArn: t.rec.Arn,
		Message:      "You have chosen to subscribe to the topic " + t.rec.Arn + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.",
		SubscribeURL: endpoint + "/?Action=ConfirmSubscription&TopicArn=" + url.QueryEscape(t.rec.Arn) + "&Token=" + sub.rec.Token,
		Timestamp:    timestamp(s.clock.Now()),
	}
	version := t.rec.Attrs["SignatureVersion"]
	if version == "" {
		version = "1"
	}
	n := notification{Type: e.Type, MessageID: e.MessageID, TopicArn: t.rec.Arn, Body: string(s.finish(e, version, endpoint))}
	payload, _ := json.Marshal(n)
	return delivery.Job{ID: s.ids.UUID(), Kind: "sns-http", Target: sub.rec.Endpoint, Payload: payload, Policy: s.httpPolicy(t, sub)}, nil
}

func lambdaEvent(subArn string, e *envelope) []byte {
	type snsRecord struct {
		Type              string                   `json:"Type"`
		MessageID         string                   `json:"MessageId"`
		TopicArn          string                   `json:"TopicArn"`
		Subject           *string                  `json:"Subject"`
		Message           string                   `json:"Message"`
		Timestamp         string                   `json:"Timestamp"`
		SignatureVersion  string                   `json:"SignatureVersion"`
		Signature         string                   `json:"Signature"`
		SigningCertURL    string                   `json:"SigningCertUrl"`
		UnsubscribeURL    string                   `json:"UnsubscribeUrl"`
		MessageAttributes map[string]envelopeValue `json:"MessageAttributes"`
	}
	r := snsRecord{Type: e.Type, MessageID: e.MessageID, TopicArn: e.TopicArn, Message: e.Message, Timestamp: e.Timestamp,
		SignatureVersion: e.SignatureVersion, Signature: e.Signature, SigningCertURL: e.SigningCertURL, UnsubscribeURL: e.UnsubscribeURL,
		MessageAttributes: e.MessageAttributes}
	if e.Subject != "" {
		r.Subject = &e.Subject
	}
	if r.MessageAttributes == nil {
		r.MessageAttributes = map[string]envelopeValue{}
	}
	b, _ := json.Marshal(map[string]any{"Records": []any{map[string]any{
		"EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn": subArn, "Sns": r,
	}}})
	return b
}

// Handlers returns the delivery handlers by job kind.
func (s *Service) Handlers() map[string]delivery.Handler {
	return map[string]delivery.Handler{
		"sns-sqs":    sqsHandler{s},
		"sns-http":   httpHandler{s},
		"sns-lambda": lambdaHandler{},
	}
}

func decodeNotification(j delivery.Job) (notification, error) {
	var n notification
	if err := json.Unmarshal(j.Payload, &n); err != nil {
		return n, delivery.Permanent(fmt.Errorf("sns: bad job payload: %w", err))
	}
	return n, nil
}

// deadLetter is the message a subscription DLQ receives: what the endpoint
// would have received.
func deadLetter(j delivery.Job) queue.DeliverInput {
	n, _ := decodeNotification(j)
	in := queue.DeliverInput{Body: n.Body, SenderID: "AIDAFOGBANKSNS"}
	if n.Raw {
		in.Attributes = n.Attrs
	}
	if n.GroupID != "" {
		in.GroupID, in.DedupID = &n.GroupID, &n.DedupID
	}
	return in
}

type sqsHandler struct{ s *Service }

func (h sqsHandler) Deliver(ctx context.Context, j delivery.Job, remove store.Change) (bool, error) {
	n, err := decodeNotification(j)
	if err != nil {
		return false, err
	}
	if !h.s.fifo.turn(j) {
		return false, errNotYourTurn
	}
	in := queue.DeliverInput{QueueArn: j.Target, Body: n.Body, SenderID: "AIDAFOGBANKSNS"}
	if n.Raw {
		in.Attributes = n.Attrs
	}
	if n.Trace != "" {
		v := n.Trace
		in.SystemAttributes = map[string]queue.MessageAttribute{"AWSTraceHeader": {DataType: "String", StringValue: &v}}
	}
	if n.GroupID != "" && h.s.queues.IsFIFO(j.Target) {
		in.GroupID, in.DedupID = &n.GroupID, &n.DedupID
	}
	_, err = h.s.queues.Deliver(ctx, in, remove)
	var qe *queue.Error
	if errors.As(err, &qe) {
		err = delivery.Permanent(err)
	}
	if err == nil || delivery.IsPermanent(err) || j.Attempts >= j.Policy.MaxAttempts {
		h.s.fifo.done(j)
	}
	return err == nil, err
}

func (h sqsHandler) DeadLetter(j delivery.Job, _ error) queue.DeliverInput {
	h.s.fifo.done(j)
	return deadLetter(j)
}

var errNotYourTurn = errors.New("sns: an earlier message of the group is pending")

type httpHandler struct{ s *Service }

func (h httpHandler) Deliver(ctx context.Context, j delivery.Job, _ store.Change) (bool, error) {
	n, err := decodeNotification(j)
	if err != nil {
		return false, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.Target, bytes.NewReader([]byte(n.Body)))
	if err != nil {
		return false, delivery.Permanent(err)
	}
	req.Header.Set("Content-Type", "text/plain; charset=UTF-8")
	req.Header.Set("User-Agent", "Amazon Simple Notification Service Agent")
	req.Header.Set("x-amz-sns-message-type", n.Type)
	req.Header.Set("x-amz-sns-message-id", n.MessageID)
	req.Header.Set("x-amz-sns-topic-arn", n.TopicArn)
	if n.SubArn != "" {
		req.Header.Set("x-amz-sns-subscription-arn", n.SubArn)
	}
	if n.Raw {
		req.Header.Set("x-amz-sns-rawdelivery", "true")
	}
	resp, err := h.s.http.Do(req)
	if err != nil {
		return false, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	_ = resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return false, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return false, fmt.Errorf("sns: endpoint answered %d", resp.StatusCode)
	default:
		h.s.log.Warn("sns: endpoint rejected delivery", slog.String("endpoint", j.Target), slog.Int("status", resp.StatusCode))
		return false, delivery.Permanent(fmt.Errorf("sns: endpoint answered %d", resp.StatusCode))
	}
}

func (h httpHandler) DeadLetter(j delivery.Job, _ error) queue.DeliverInput { return deadLetter(j) }

type lambdaHandler struct{}

func (lambdaHandler) Deliver(context.Context, delivery.Job, store.Change) (bool, error) {
	return false, errors.New("sns: fogbank does not serve Lambda yet; the delivery fails and goes to the subscription DLQ")
}

func (lambdaHandler) DeadLetter(j delivery.Job, _ error) queue.DeliverInput { return deadLetter(j) }
