package bus

import (
	"cmp"
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/topic"
)

// senderID is what SenderId reports on messages EventBridge sends to SQS.
const senderID = "AIDAIEVENTBRIDGE0000000"

// targetError is a delivery failure with the code put on dead letters.
type targetError struct {
	code string
	msg  string
}

func (e *targetError) Error() string { return e.code + ": " + e.msg }

// Handler returns the delivery handler of JobKind.
func (s *Service) Handler() delivery.Handler { return handler{s} }

type handler struct{ s *Service }

// Deliver sends one event to one target.
func (h handler) Deliver(ctx context.Context, j delivery.Job, remove store.Change) (bool, error) {
	a, err := arn.Parse(j.Target)
	if err != nil {
		return false, delivery.Permanent(&targetError{"InvalidTarget", "Target " + j.Target + " is not a valid ARN."})
	}
	switch a.Service {
	case "sqs":
		return h.toQueue(ctx, j, remove)
	case "sns":
		if h.s.topics != nil {
			return h.toTopic(ctx, j, remove)
		}
	case "lambda":
		if h.s.funcs != nil {
			return h.toFunction(ctx, j, remove)
		}
	case "states":
		return h.toStateMachine(ctx, j)
	case "events":
		if strings.HasPrefix(a.Resource, "event-bus/") {
			return h.toBus(ctx, j, a, remove)
		}
		if strings.HasPrefix(a.Resource, "api-destination/") {
			return h.toAPIDestination(ctx, j)
		}
	}
	return false, &targetError{"UnsupportedTarget", "fogbank does not deliver to " + a.Service + " targets yet."}
}

func (h handler) toQueue(ctx context.Context, j delivery.Job, remove store.Change) (bool, error) {
	in := queue.DeliverInput{QueueArn: j.Target, Body: string(j.Payload), SenderID: senderID}
	if g, ok := j.Attrs[attrGroup]; ok {
		in.GroupID = &g
	}
	if t, ok := j.Attrs[attrTrace]; ok {
		in.SystemAttributes = map[string]queue.MessageAttribute{"AWSTraceHeader": {DataType: "String", StringValue: &t}}
	}
	if _, err := h.s.queues.Deliver(ctx, in, remove); err != nil {
		if queue.IsCode(err, queue.CodeQueueDoesNotExist) {
			return false, delivery.Permanent(&targetError{"SQS.NonExistentQueue", "The specified queue does not exist."})
		}
		var qe *queue.Error
		if errors.As(err, &qe) {
			return false, &targetError{"SQS.ClientError", qe.Message}
		}
		return false, err
	}
	return true, nil
}

// toTopic publishes the event to an SNS topic, committing the
// subscriptions' jobs with the removal of this one.
func (h handler) toTopic(ctx context.Context, j delivery.Job, remove store.Change) (bool, error) {
	in := topic.PublishInput{
		Caller: topic.Caller{Endpoint: h.s.endpoint()}, TopicArn: j.Target, TraceHeader: j.Attrs[attrTrace],
		Message: topic.Message{Message: string(j.Payload)},
	}
	if strings.HasSuffix(j.Target, ".fifo") {
		in.GroupID = cmp.Or(j.Attrs[attrGroup], j.Attrs[attrRule])
		in.DedupID = j.Attrs[attrEventID]
	}
	if _, err := h.s.topics.PublishInternal(ctx, in, remove); err != nil {
		var te *topic.Error
		if errors.As(err, &te) {
			if te.Code == topic.CodeNotFound {
				return false, delivery.Permanent(&targetError{"SNS.NotFound", "Topic does not exist"})
			}
			return false, &targetError{"SNS.ClientError", te.Message}
		}
		return false, err
	}
	return true, nil
}

// toBus puts the event on another bus of fogbank, committing the new jobs
// with the removal of this one.
func (h handler) toBus(ctx context.Context, j delivery.Job, a arn.ARN, remove store.Change) (bool, error) {
	name := strings.TrimPrefix(a.Resource, "event-bus/")
	s := h.s
	s.mu.RLock()
	exists := s.buses[busKey{a.Account, a.Region, name}] != nil
	s.mu.RUnlock()
	if !exists {
		return false, delivery.Permanent(&targetError{"ResourceNotFoundException", "Event bus " + name + " does not exist."})
	}
	now := s.clock.Now()
	c := Caller{a.Account, a.Region}
	jobs := s.route(c, name, j.Payload, j.Attrs[attrTrace], now, nil, nil)
	changes := s.archive(c, name, j.Attrs[attrEventID], j.Payload, now, []store.Change{remove})
	if err := s.accept(ctx, jobs, changes...); err != nil {
		return false, err
	}
	s.observe(c, name, j.Payload)
	return true, nil
}

// DeadLetter builds the dead-letter message: the event with the failure
// described in message attributes.
func (h handler) DeadLetter(j delivery.Job, cause error) queue.DeliverInput {
	body := j.Attrs[attrEvent]
	if body == "" {
		body = string(j.Payload)
	}
	code, msg := "InternalException", cause.Error()
	var te *targetError
	if errors.As(cause, &te) {
		code, msg = te.code, te.msg
	}
	str := func(v string) queue.MessageAttribute {
		return queue.MessageAttribute{DataType: "String", StringValue: &v}
	}
	attrs := map[string]queue.MessageAttribute{
		"RULE_ARN":       str(j.Attrs[attrRule]),
		"TARGET_ARN":     str(j.Target),
		"ERROR_CODE":     str(code),
		"ERROR_MESSAGE":  str(msg),
		"RETRY_ATTEMPTS": {DataType: "Number", StringValue: ptr(strconv.Itoa(max(j.Attempts-1, 0)))},
	}
	if !delivery.IsPermanent(cause) {
		cond := "MaximumRetryAttempts"
		if j.Attempts < max(j.Policy.MaxAttempts, 1) {
			cond = "MaximumEventAgeInSeconds"
		}
		attrs["EXHAUSTED_RETRY_CONDITION"] = str(cond)
	}
	return queue.DeliverInput{Body: body, Attributes: attrs, SenderID: senderID}
}

func ptr[T any](v T) *T { return &v }
