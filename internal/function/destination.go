package function

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
)

// DestinationJobKind is the delivery job kind of invocation records and
// dead letters on their way to a destination.
const DestinationJobKind = "lambda-destination"

// Conditions of an invocation record.
const (
	CondSuccess          = "Success"
	CondRetriesExhausted = "RetriesExhausted"
	CondEventAgeExceeded = "EventAgeExceeded"
)

// Attribute is a string or number message attribute of a dead letter.
type Attribute struct {
	DataType string // "String" or "Number"
	Value    string
}

// BusEvent is an event a destination puts on an EventBridge bus.
type BusEvent struct {
	Source, DetailType, Detail string
	Resources                  []string
}

// Targets delivers into the other fogbank services. Each method MUST commit
// extra in the same transaction as its write (the caller's job removal), so
// that hop is exactly once. An error wrapped with
// delivery.Permanent (no such queue, topic or bus) is not retried.
type Targets interface {
	SendMessage(ctx context.Context, queueArn, body string, attrs map[string]Attribute, extra ...store.Change) error
	Publish(ctx context.Context, topicArn, message string, attrs map[string]Attribute, extra ...store.Change) error
	PutEvent(ctx context.Context, busArn string, ev BusEvent, extra ...store.Change) error
}

// Job attributes of destination jobs.
const (
	attrMode      = "mode" // "record" or "dlq"
	attrCondition = "condition"
	attrFunction  = "function" // qualified function ARN
	attrRequestID = "requestId"
	attrErrorMsg  = "errorMessage"
	modeDLQ       = "dlq"
)

// record is AWS's invocation record.
type record struct {
	Version         string          `json:"version"`
	Timestamp       string          `json:"timestamp"`
	RequestContext  requestContext  `json:"requestContext"`
	RequestPayload  json.RawMessage `json:"requestPayload"`
	ResponseContext responseContext `json:"responseContext"`
	ResponsePayload json.RawMessage `json:"responsePayload,omitempty"`
}

type requestContext struct {
	RequestID              string `json:"requestId"`
	FunctionArn            string `json:"functionArn"`
	Condition              string `json:"condition"`
	ApproximateInvokeCount int    `json:"approximateInvokeCount"`
}

type responseContext struct {
	StatusCode      int    `json:"statusCode"`
	ExecutedVersion string `json:"executedVersion"`
	FunctionError   string `json:"functionError,omitempty"`
}

// outcome is how an asynchronous invocation ended.
type outcome struct {
	condition string
	attempts  int
	out       *InvokeOutput // the last attempt's result; nil if none ran
}

// recordJob is the job that carries the invocation record to dest.
func (a *Async) recordJob(j delivery.Job, qualified, dest string, o outcome) delivery.Job {
	rec := record{
		Version: "1.0", Timestamp: a.clock.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		RequestContext: requestContext{
			RequestID: j.ID, FunctionArn: qualified, Condition: o.condition, ApproximateInvokeCount: o.attempts,
		},
		RequestPayload:  j.Payload,
		ResponseContext: responseContext{StatusCode: 200, ExecutedVersion: latest},
	}
	if o.out != nil {
		rec.ResponseContext.FunctionError = o.out.FunctionError
		rec.ResponseContext.ExecutedVersion = o.out.ExecutedVersion
		if json.Valid(o.out.Payload) {
			rec.ResponsePayload = o.out.Payload
		}
	}
	b, _ := json.Marshal(rec)
	return a.destinationJob(dest, b, map[string]string{attrMode: "record", attrCondition: o.condition, attrFunction: qualified})
}

// deadLetterJob is the job that carries the event to the function's DLQ.
func (a *Async) deadLetterJob(j delivery.Job, dlq string, o outcome) delivery.Job {
	msg := "Event age exceeded"
	if o.out != nil {
		var e struct {
			ErrorMessage string `json:"errorMessage"`
		}
		if json.Unmarshal(o.out.Payload, &e) == nil && e.ErrorMessage != "" {
			msg = e.ErrorMessage
		} else {
			msg = string(o.out.Payload)
		}
	}
	return a.destinationJob(dlq, j.Payload, map[string]string{attrMode: modeDLQ, attrRequestID: j.ID, attrErrorMsg: msg})
}

func (a *Async) destinationJob(dest string, payload []byte, attrs map[string]string) delivery.Job {
	return delivery.Job{
		ID: a.fn.ids.UUID(), Kind: DestinationJobKind, Target: dest, Payload: payload, Attrs: attrs,
		Policy: delivery.RetryPolicy{MaxAttempts: 10, MaxAge: asyncMaxAge, BaseDelay: time.Second, MaxDelay: time.Minute},
	}
}

// DestinationHandler delivers destination jobs.
func (a *Async) DestinationHandler() delivery.Handler { return destinationHandler{a} }

type destinationHandler struct{ a *Async }

// Deliver sends one record or dead letter to its SQS queue, SNS topic,
// function or event bus.
func (h destinationHandler) Deliver(ctx context.Context, j delivery.Job, remove store.Change) (bool, error) {
	p, err := arn.Parse(j.Target)
	if err != nil {
		return false, delivery.Permanent(err)
	}
	a := h.a
	var attrs map[string]Attribute
	if j.Attrs[attrMode] == modeDLQ {
		attrs = map[string]Attribute{
			"RequestID":    {DataType: "String", Value: j.Attrs[attrRequestID]},
			"ErrorCode":    {DataType: "Number", Value: strconv.Itoa(200)},
			"ErrorMessage": {DataType: "String", Value: j.Attrs[attrErrorMsg]},
		}
	}
	switch p.Service {
	case "sqs":
		return true, a.cfg.Targets.SendMessage(ctx, j.Target, string(j.Payload), attrs, remove)
	case "sns":
		return true, a.cfg.Targets.Publish(ctx, j.Target, string(j.Payload), attrs, remove)
	case "lambda":
		_, err := a.fn.InvokeEvent(ctx, EventInvokeInput{FunctionArn: j.Target, Payload: j.Payload}, remove)
		var fe *Error
		if errors.As(err, &fe) {
			return false, delivery.Permanent(err)
		}
		return true, err
	case "events":
		typ := "Lambda Function Invocation Result - Success"
		if j.Attrs[attrCondition] != CondSuccess {
			typ = "Lambda Function Invocation Result - Failure"
		}
		return true, a.cfg.Targets.PutEvent(ctx, j.Target, BusEvent{
			Source: "lambda", DetailType: typ, Detail: string(j.Payload), Resources: []string{j.Target, j.Attrs[attrFunction]},
		}, remove)
	}
	return false, delivery.Permanent(errors.New("function: unsupported destination " + j.Target))
}

// DeadLetter is unused: destination jobs carry no dead-letter queue.
func (h destinationHandler) DeadLetter(j delivery.Job, _ error) queue.DeliverInput {
	return queue.DeliverInput{Body: string(j.Payload)}
}
