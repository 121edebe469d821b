package topic

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/function"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
)

// lambdaPolicy is SNS's AWS-managed delivery policy, which covers Lambda as
// it covers SQS. Only a failed hand-off is retried: once Lambda accepted
// the event, the function's own async retries apply.
var lambdaPolicy = sqsPolicy

// lambdaPayload is the event a lambda subscription's function receives
// (aws-lambda-go's events.SNSEvent).
type lambdaPayload struct {
	Records []lambdaRecord `json:"Records"`
}

type lambdaRecord struct {
	EventSource          string    `json:"EventSource"`
	EventVersion         string    `json:"EventVersion"`
	EventSubscriptionArn string    `json:"EventSubscriptionArn"`
	SNS                  lambdaSNS `json:"Sns"`
}

// lambdaSNS is the notification envelope in Lambda's shape: SigningCertUrl
// and UnsubscribeUrl in that casing, Subject null when absent, and
// MessageAttributes always present.
type lambdaSNS struct {
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

// lambdaEvent renders a lambda subscription's event from the signed
// envelope the job carries. A body that already is an event (a job
// accepted by an older fogbank) is passed on unchanged.
func lambdaEvent(subArn, body string) ([]byte, error) {
	var e struct {
		envelope
		Records json.RawMessage `json:"Records"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		return nil, err
	}
	if e.Records != nil {
		return []byte(body), nil
	}
	r := lambdaSNS{
		Type: e.Type, MessageID: e.MessageID, TopicArn: e.TopicArn, Message: e.Message, Timestamp: e.Timestamp,
		// AWS reports SignatureVersion 1 to Lambda even when the topic signs
		// with version 2 (SHA256); the signature itself follows the topic.
		SignatureVersion: "1", Signature: e.Signature, SigningCertURL: e.SigningCertURL, UnsubscribeURL: e.UnsubscribeURL,
		MessageAttributes: e.MessageAttributes,
	}
	if e.Subject != "" {
		r.Subject = &e.Subject
	}
	if r.MessageAttributes == nil {
		r.MessageAttributes = map[string]envelopeValue{}
	}
	return json.Marshal(lambdaPayload{Records: []lambdaRecord{{
		EventSource: "aws:sns", EventVersion: "1.0", EventSubscriptionArn: subArn, SNS: r,
	}}})
}

// lambdaHandler hands notifications to Lambda as asynchronous invocations,
// committing the job's removal with the invocation's acceptance (exactly
// once). A missing function is a client error: no retries, straight to the
// subscription DLQ, as AWS does.
type lambdaHandler struct{ s *Service }

func (h lambdaHandler) Deliver(ctx context.Context, j delivery.Job, remove store.Change) (bool, error) {
	n, err := decodeNotification(j)
	if err != nil {
		return false, err
	}
	if h.s.funcs == nil {
		return false, delivery.Permanent(errors.New("sns: no Lambda service to deliver to"))
	}
	payload, err := lambdaEvent(n.SubArn, n.Body)
	if err != nil {
		return false, delivery.Permanent(err)
	}
	_, err = h.s.funcs.InvokeEvent(ctx, function.EventInvokeInput{FunctionArn: j.Target, Payload: payload, TraceID: n.Trace}, remove)
	var fe *function.Error
	if errors.As(err, &fe) {
		return false, delivery.Permanent(err)
	}
	return err == nil, err
}

// DeadLetter is the notification envelope, as SNS dead-letters a lambda
// subscription's messages.
func (lambdaHandler) DeadLetter(j delivery.Job, _ error) queue.DeliverInput { return deadLetter(j) }
