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
	"strings"
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

// sqsPolicy is SNS's AWS-managed delivery policy for SQS (Lambda's is in
// deliver_lambda.go).
// Its phases: 3 immediate retries, 2 one second apart, 10 exponential from 1
// to 20 s, 100,000 twenty seconds apart (about 23 days).
var sqsPolicy = delivery.RetryPolicy{
	MaxAttempts: 1 + 3 + 2 + 10 + 100000, MaxAge: 23 * 24 * time.Hour, BaseDelay: time.Second, MaxDelay: 20 * time.Second,
	Backoff: delivery.BackoffExponential, Jitter: true, NoDelayRetries: 3, MinDelayRetries: 2, MaxDelayRetries: 100000,
}

// retryPolicyDoc is the healthyRetryPolicy of a DeliveryPolicy.
type retryPolicyDoc struct {
	MinDelay        int    `json:"minDelayTarget"`
	MaxDelay        int    `json:"maxDelayTarget"`
	NumRetries      int    `json:"numRetries"`
	NumNoDelay      int    `json:"numNoDelayRetries"`
	NumMinDelay     int    `json:"numMinDelayRetries"`
	NumMaxDelay     int    `json:"numMaxDelayRetries"`
	BackoffFunction string `json:"backoffFunction"`
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
	return rp.policy()
}

// policy maps a healthyRetryPolicy onto the dispatcher's phases. AWS caps
// HTTP/S retries at an hour; an unknown backoffFunction (the default) is
// linear.
func (rp retryPolicyDoc) policy() delivery.RetryPolicy {
	backoff := strings.ToLower(rp.BackoffFunction)
	switch backoff {
	case delivery.BackoffArithmetic, delivery.BackoffGeometric, delivery.BackoffExponential:
	default:
		backoff = delivery.BackoffLinear
	}
	return delivery.RetryPolicy{
		MaxAttempts: max(rp.NumRetries, 0) + 1, MaxAge: time.Hour,
		BaseDelay: time.Duration(max(rp.MinDelay, 1)) * time.Second,
		MaxDelay:  time.Duration(max(rp.MaxDelay, rp.MinDelay, 1)) * time.Second,
		Backoff:   backoff, Jitter: true,
		NoDelayRetries: max(rp.NumNoDelay, 0), MinDelayRetries: max(rp.NumMinDelay, 0), MaxDelayRetries: max(rp.NumMaxDelay, 0),
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

// Handlers returns the delivery handlers by job kind.
func (s *Service) Handlers() map[string]delivery.Handler {
	return map[string]delivery.Handler{
		"sns-sqs":    sqsHandler{s},
		"sns-http":   httpHandler{s},
		"sns-lambda": lambdaHandler{s},
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
	return err == nil, err
}

func (h sqsHandler) DeadLetter(j delivery.Job, _ error) queue.DeliverInput { return deadLetter(j) }

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
