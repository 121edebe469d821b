package topic

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/pattern"
	"github.com/fogbank/fogbank/internal/store"
)

// PendingConfirmation is the SubscriptionArn AWS reports for unconfirmed subscriptions.
const PendingConfirmation = "pending confirmation"

var protocols = map[string]bool{
	"http": true, "https": true, "email": true, "email-json": true, "sms": true,
	"sqs": true, "application": true, "lambda": true, "firehose": true,
}

var subAttrNames = map[string]bool{
	"DeliveryPolicy": true, "FilterPolicy": true, "FilterPolicyScope": true, "RawMessageDelivery": true,
	"RedrivePolicy": true, "SubscriptionRoleArn": true, "ReplayPolicy": true,
}

// SubscribeInput is Subscribe's input.
type SubscribeInput struct {
	Caller       Caller
	TopicArn     string
	Protocol     string
	Endpoint     string
	Attributes   map[string]string
	ReturnSubArn bool
}

// Subscribe subscribes an endpoint to a topic. It returns the subscription
// ARN, or PendingConfirmation for an unconfirmed subscription unless
// ReturnSubArn.
func (s *Service) Subscribe(ctx context.Context, in SubscribeInput) (string, error) {
	if !protocols[in.Protocol] {
		return "", invalidParameter("Amazon SNS does not support this protocol string: " + in.Protocol)
	}
	s.mu.Lock()
	t, err := s.lookupTopic(in.Caller, in.TopicArn)
	if err == nil {
		err = s.checkEndpoint(t, in.Protocol, in.Endpoint)
	}
	var attrs map[string]string
	if err == nil {
		attrs, err = s.subscribeAttrs(t, in)
	}
	if err != nil {
		s.mu.Unlock()
		return "", err
	}
	for _, sa := range t.subs {
		old := s.subs[sa]
		if old.rec.Protocol == in.Protocol && old.rec.Endpoint == in.Endpoint {
			s.mu.Unlock()
			if !maps.Equal(withoutDefaults(old.rec.Attrs), withoutDefaults(attrs)) {
				return "", invalidAttrs("Subscription already exists with different attributes")
			}
			return old.rec.Arn, nil
		}
	}
	sub := &subscription{rec: subRecord{
		Arn: t.rec.Arn + ":" + s.ids.UUID(), TopicArn: t.rec.Arn, Protocol: in.Protocol, Endpoint: in.Endpoint,
		Owner: in.Caller.Account, Attrs: attrs, Created: s.clock.Now().UnixNano(),
	}}
	sub.compile()
	changes := []store.Change{putSub(sub)}
	var jobs []delivery.Job
	switch in.Protocol {
	case "sqs", "lambda", "firehose":
	case "http", "https":
		sub.rec.Pending, sub.rec.Token = true, s.ids.Token(64)
		job, err := s.confirmationJob(t, sub, in.Caller.Endpoint)
		if err != nil {
			s.mu.Unlock()
			return "", err
		}
		jobs = append(jobs, job)
		changes = append(changes, putSub(sub))
		changes = append(changes, s.delivery.Jobs(jobs)...)
	default:
		sub.rec.Pending = true
		changes = append(changes, putSub(sub))
		s.log.Warn("sns: subscription left pending confirmation: fogbank does not deliver to this protocol",
			slog.String("protocol", in.Protocol), slog.String("endpoint", in.Endpoint), slog.String("subscription", sub.rec.Arn))
	}
	s.subs[sub.rec.Arn] = sub
	t.subs = append(t.subs, sub.rec.Arn)
	pending, subArn := sub.rec.Pending, sub.rec.Arn // a confirmation may change sub once unlocked
	done := s.store.Submit(changes...)
	s.mu.Unlock()
	if err := commit(done); err != nil {
		return "", err
	}
	s.delivery.Wake(jobs)
	if pending && !in.ReturnSubArn {
		return PendingConfirmation, nil
	}
	return subArn, nil
}

func withoutDefaults(m map[string]string) map[string]string {
	out := maps.Clone(m)
	if out["RawMessageDelivery"] == "false" {
		delete(out, "RawMessageDelivery")
	}
	return out
}

func (s *Service) checkEndpoint(t *topic, protocol, endpoint string) error {
	if t.fifoTopic() && protocol != "sqs" {
		return invalidParameter("Invalid parameter: Endpoint Reason: Please use FIFO SQS queue")
	}
	switch protocol {
	case "sqs":
		a, err := arn.Parse(endpoint)
		if err != nil || a.Service != "sqs" {
			return invalidParameter("SQS endpoint ARN")
		}
		if s.queues != nil && s.queues.IsFIFO(endpoint) && !t.fifoTopic() {
			return invalidParameter("Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics")
		}
	case "http", "https":
		u, err := url.Parse(endpoint)
		if err != nil || u.Scheme != protocol || u.Host == "" {
			return invalidParameter("Endpoint must match the specified protocol")
		}
	case "lambda":
		if a, err := arn.Parse(endpoint); err != nil || a.Service != "lambda" {
			return invalidParameter("Lambda endpoint ARN")
		}
	}
	return nil
}

func (s *Service) subscribeAttrs(t *topic, in SubscribeInput) (map[string]string, error) {
	attrs := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(in.Attributes)) {
		if !subAttrNames[k] {
			return nil, invalidAttrs("Invalid attribute name: " + k)
		}
	}
	for _, k := range []string{"FilterPolicyScope", "RawMessageDelivery", "FilterPolicy", "RedrivePolicy", "DeliveryPolicy", "SubscriptionRoleArn", "ReplayPolicy"} {
		v, ok := in.Attributes[k]
		if !ok {
			continue
		}
		norm, err := s.validateSubAttr(t, in.Protocol, in.Endpoint, k, v, attrs["FilterPolicyScope"])
		if err != nil {
			return nil, invalidAttrs(err.Error())
		}
		attrs[k] = norm
	}
	if _, ok := attrs["RawMessageDelivery"]; !ok {
		attrs["RawMessageDelivery"] = "false"
	}
	if attrs["FilterPolicy"] == "" {
		// An empty policy is no policy: AWS keeps neither it nor its scope.
		delete(attrs, "FilterPolicy")
		delete(attrs, "FilterPolicyScope")
	} else if attrs["FilterPolicyScope"] == "" {
		attrs["FilterPolicyScope"] = string(pattern.ScopeMessageAttributes)
	}
	return attrs, nil
}

// reasonError carries the reason of an attribute error; callers add the prefix.
type reasonError string

func (r reasonError) Error() string { return string(r) }

// validateSubAttr validates one subscription attribute and returns its
// stored form.
func (s *Service) validateSubAttr(t *topic, protocol, endpoint, name, v, scope string) (string, error) {
	switch name {
	case "RawMessageDelivery":
		switch strings.ToLower(v) {
		case "true", "false":
			return strings.ToLower(v), nil
		}
		return "", reasonError("RawMessageDelivery: Invalid value [" + v + "]. Must be true or false.")
	case "FilterPolicyScope":
		if _, err := pattern.ParseScope(v); err != nil {
			var pe *pattern.Error
			errors.As(err, &pe)
			return "", reasonError(pe.Message)
		}
	case "FilterPolicy":
		if v == "" {
			return "", nil
		}
		sc := pattern.Scope(scope)
		if sc == "" {
			sc = pattern.ScopeMessageAttributes
		}
		if !json.Valid([]byte(v)) {
			return "", reasonError("FilterPolicy: failed to parse JSON.")
		}
		if _, err := pattern.CompileFilterPolicy([]byte(v), sc); err != nil {
			var pe *pattern.Error
			if errors.As(err, &pe) {
				return "", reasonError(pe.Message)
			}
			return "", reasonError("FilterPolicy: " + err.Error())
		}
	case "RedrivePolicy":
		return v, s.validateRedrive(t, endpoint, v)
	case "DeliveryPolicy":
		if !json.Valid([]byte(v)) {
			return "", reasonError("DeliveryPolicy: failed to parse JSON.")
		}
		if protocol != "http" && protocol != "https" {
			return "", reasonError("DeliveryPolicy: Delivery policy can only be set for HTTP/S subscriptions")
		}
	}
	return v, nil
}

func (s *Service) validateRedrive(t *topic, endpoint, v string) error {
	if v == "" {
		return nil
	}
	var rp struct {
		DLQ string `json:"deadLetterTargetArn"`
	}
	if err := json.Unmarshal([]byte(v), &rp); err != nil {
		return reasonError("RedrivePolicy: failed to parse JSON.")
	}
	a, err := arn.Parse(rp.DLQ)
	if err != nil || a.Service != "sqs" {
		return reasonError("RedrivePolicy: deadLetterTargetArn is an invalid arn")
	}
	if t != nil && t.fifoTopic() && strings.HasSuffix(endpoint, ".fifo") && !strings.HasSuffix(a.Resource, ".fifo") {
		return reasonError("RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.")
	}
	return nil
}

// ConfirmSubscription confirms a pending subscription by its token. It is
// addressed by the topic ARN alone, as the SubscribeURL is (unsigned).
func (s *Service) ConfirmSubscription(ctx context.Context, c Caller, topicArnStr, token string) (string, error) {
	if !validToken(token) {
		return "", &Error{Code: CodeInvalidParameter, Message: "Invalid token"}
	}
	s.mu.Lock()
	t, err := s.lookupTopic(Caller{}, topicArnStr)
	if err != nil {
		s.mu.Unlock()
		if _, ok := err.(*Error); ok && err != errTopicNotFound { //nolint:errorlint // sentinel identity
			return "", err
		}
		return "", invalidParameter("Token")
	}
	for _, sa := range t.subs {
		sub := s.subs[sa]
		if sub.rec.Token == "" || sub.rec.Token != token {
			continue
		}
		sub.rec.Pending, sub.rec.Authed = false, c.Account != ""
		done := s.store.Submit(putSub(sub))
		s.mu.Unlock()
		return sa, commit(done)
	}
	s.mu.Unlock()
	return "", invalidParameter("Token")
}

// validToken reports whether a token looks like one SNS hands out (hex).
func validToken(token string) bool {
	if len(token) < 32 {
		return false
	}
	_, err := hex.DecodeString(token)
	return err == nil
}

// Unsubscribe deletes a subscription. Unknown subscriptions succeed.
func (s *Service) Unsubscribe(ctx context.Context, subArn string) error {
	if a, err := arn.Parse(subArn); err == nil && !strings.Contains(a.Resource, ":") {
		return invalidParameter("SubscriptionId")
	}
	s.mu.Lock()
	sub, err := s.lookupSub(subArn)
	if err != nil {
		s.mu.Unlock()
		if err == errSubscriptionNotFound { //nolint:errorlint // sentinel identity
			return nil
		}
		return err
	}
	delete(s.subs, subArn)
	changes := []store.Change{store.DeleteRecord{Kind: kindSubscription, Key: subArn}}
	if t := s.topics[sub.rec.TopicArn]; t != nil {
		t.subs = slices.DeleteFunc(t.subs, func(a string) bool { return a == subArn })
		t.rec.Deleted++
		changes = append(changes, putTopic(t))
	}
	done := s.store.Submit(changes...)
	s.mu.Unlock()
	return commit(done)
}

// GetSubscriptionAttributes returns a subscription's attributes.
func (s *Service) GetSubscriptionAttributes(_ context.Context, subArn string) (map[string]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sub, err := s.lookupSub(subArn)
	if err != nil {
		return nil, err
	}
	out := maps.Clone(sub.rec.Attrs)
	if out["FilterPolicy"] == "" {
		delete(out, "FilterPolicyScope") // kept, but shown only with a policy
	}
	out["SubscriptionArn"] = sub.rec.Arn
	out["TopicArn"] = sub.rec.TopicArn
	out["Protocol"] = sub.rec.Protocol
	out["Endpoint"] = sub.rec.Endpoint
	out["Owner"] = sub.rec.Owner
	out["PendingConfirmation"] = boolText(sub.rec.Pending)
	out["ConfirmationWasAuthenticated"] = boolText(!sub.rec.Pending && (sub.rec.Authed || sub.rec.Token == ""))
	out["SubscriptionPrincipal"] = "arn:aws:iam::" + sub.rec.Owner + ":root"
	if sub.rec.Protocol == "http" || sub.rec.Protocol == "https" {
		out["EffectiveDeliveryPolicy"] = s.effectiveSubPolicy(sub)
	}
	return out, nil
}

func (s *Service) effectiveSubPolicy(sub *subscription) string {
	if p := sub.rec.Attrs["DeliveryPolicy"]; p != "" {
		return p
	}
	if t := s.topics[sub.rec.TopicArn]; t != nil && t.rec.Attrs["DeliveryPolicy"] != "" {
		return t.rec.Attrs["DeliveryPolicy"]
	}
	return `{"healthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"sicklyRetryPolicy":null,"throttlePolicy":null,"guaranteed":false}`
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// SetSubscriptionAttributes sets one subscription attribute.
func (s *Service) SetSubscriptionAttributes(ctx context.Context, subArn, name, value string) error {
	s.mu.Lock()
	sub, err := s.lookupSub(subArn)
	if err == nil && !subAttrNames[name] {
		err = invalidParameter("AttributeName")
	}
	if err != nil {
		s.mu.Unlock()
		return err
	}
	scope := sub.rec.Attrs["FilterPolicyScope"]
	norm, err := s.validateSubAttr(s.topics[sub.rec.TopicArn], sub.rec.Protocol, sub.rec.Endpoint, name, value, scope)
	if err == nil && name == "FilterPolicyScope" && sub.rec.Attrs["FilterPolicy"] != "" {
		_, err = s.validateSubAttr(nil, sub.rec.Protocol, sub.rec.Endpoint, "FilterPolicy", sub.rec.Attrs["FilterPolicy"], value)
	}
	if err != nil {
		s.mu.Unlock()
		return invalidParameter(err.Error())
	}
	sub.rec.Attrs = maps.Clone(sub.rec.Attrs)
	sub.rec.Attrs[name] = norm
	if norm == "" {
		delete(sub.rec.Attrs, name)
	}
	if name == "FilterPolicy" && norm != "" && sub.rec.Attrs["FilterPolicyScope"] == "" {
		sub.rec.Attrs["FilterPolicyScope"] = string(pattern.ScopeMessageAttributes)
	}
	sub.compile()
	done := s.store.Submit(putSub(sub))
	s.mu.Unlock()
	return commit(done)
}

// SubscriptionSummary is one entry of ListSubscriptions.
type SubscriptionSummary struct {
	SubscriptionArn, Owner, Protocol, Endpoint, TopicArn string
}

// ListSubscriptionsOutput is one page of subscriptions.
type ListSubscriptionsOutput struct {
	Subscriptions []SubscriptionSummary
	NextToken     string
}

// ListSubscriptions lists the caller's subscriptions (of one topic when
// topicArn is set), 100 a page; after is the previous page's last ARN.
func (s *Service) ListSubscriptions(_ context.Context, c Caller, topicArnStr, after string) (ListSubscriptionsOutput, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var arns []string
	if topicArnStr != "" {
		t, err := s.lookupTopic(c, topicArnStr)
		if err != nil {
			return ListSubscriptionsOutput{}, err
		}
		arns = slices.Clone(t.subs)
	} else {
		for a, sub := range s.subs {
			if sub.rec.Owner == c.Account && s.topics[sub.rec.TopicArn] != nil && s.topics[sub.rec.TopicArn].rec.Region == c.Region {
				arns = append(arns, a)
			}
		}
	}
	slices.Sort(arns)
	var out ListSubscriptionsOutput
	last := ""
	for _, a := range arns {
		if a <= after {
			continue
		}
		if len(out.Subscriptions) == listPage {
			out.NextToken = last
			break
		}
		last = a
		sub := s.subs[a]
		sa := sub.rec.Arn
		if sub.rec.Pending {
			sa = "PendingConfirmation"
		}
		out.Subscriptions = append(out.Subscriptions, SubscriptionSummary{SubscriptionArn: sa, Owner: sub.rec.Owner, Protocol: sub.rec.Protocol, Endpoint: sub.rec.Endpoint, TopicArn: sub.rec.TopicArn})
	}
	return out, nil
}
