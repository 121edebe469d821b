package topic

import (
	"context"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/store"
)

// CreateTopicInput is CreateTopic's input.
type CreateTopicInput struct {
	Caller     Caller
	Name       string
	Attributes map[string]string
	Tags       map[string]string
}

// settableTopicAttrs are the attributes CreateTopic and SetTopicAttributes take.
var settableTopicAttrs = map[string]bool{
	"Policy": true, "DisplayName": true, "DeliveryPolicy": true, "KmsMasterKeyId": true, "TracingConfig": true,
	"SignatureVersion": true, "ContentBasedDeduplication": true, "FifoTopic": true, "ArchivePolicy": true,
	"DataProtectionPolicy": true, "FifoThroughputScope": true,
	"HTTPSuccessFeedbackRoleArn": true, "HTTPFailureFeedbackRoleArn": true, "HTTPSuccessFeedbackSampleRate": true,
	"SQSSuccessFeedbackRoleArn": true, "SQSFailureFeedbackRoleArn": true, "SQSSuccessFeedbackSampleRate": true,
	"LambdaSuccessFeedbackRoleArn": true, "LambdaFailureFeedbackRoleArn": true, "LambdaSuccessFeedbackSampleRate": true,
	"ApplicationSuccessFeedbackRoleArn": true, "ApplicationFailureFeedbackRoleArn": true, "ApplicationSuccessFeedbackSampleRate": true,
	"FirehoseSuccessFeedbackRoleArn": true, "FirehoseFailureFeedbackRoleArn": true, "FirehoseSuccessFeedbackSampleRate": true,
}

var topicNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// CreateTopic creates a topic, or returns the existing one with the same
// name and attributes.
func (s *Service) CreateTopic(ctx context.Context, in CreateTopicInput) (string, error) {
	attrs, err := createAttrs(in)
	if err != nil {
		return "", err
	}
	a := topicArn(in.Caller.Region, in.Caller.Account, in.Name)
	s.mu.Lock()
	if t := s.topics[a]; t != nil {
		defer s.mu.Unlock()
		for k, v := range attrs {
			if t.rec.Attrs[k] != v && !(k == "FifoTopic" || k == "Policy") {
				return "", invalidAttrs("Topic already exists with different attributes")
			}
		}
		for k, v := range in.Tags {
			if cur, ok := t.rec.Tags[k]; !ok || cur != v {
				return "", invalidParameter("Tags Reason: Topic already exists with different tags")
			}
		}
		return a, nil
	}
	t := &topic{rec: topicRecord{Arn: a, Name: in.Name, Account: in.Caller.Account, Region: in.Caller.Region, Attrs: attrs, Tags: maps.Clone(in.Tags)}, dedup: newDedupSet()}
	s.topics[a] = t
	done := s.store.Submit(putTopic(t))
	s.mu.Unlock()
	return a, commit(done)
}

func createAttrs(in CreateTopicInput) (map[string]string, error) {
	fifoName := strings.HasSuffix(in.Name, ".fifo")
	base := strings.TrimSuffix(in.Name, ".fifo")
	if !topicNameRE.MatchString(base) || len(in.Name) > 256 {
		return nil, invalidParameter("Topic Name")
	}
	fifo := strings.EqualFold(in.Attributes["FifoTopic"], "true")
	if fifo != fifoName {
		return nil, invalidParameter("Topic Name")
	}
	attrs := map[string]string{}
	for k, v := range in.Attributes {
		if !settableTopicAttrs[k] {
			return nil, invalidAttrs("Invalid attribute name: " + k)
		}
		if err := validateTopicAttr(k, v, fifo); err != nil {
			return nil, err
		}
		attrs[k] = v
	}
	if fifo {
		attrs["FifoTopic"] = "true"
		if attrs["ContentBasedDeduplication"] == "" {
			attrs["ContentBasedDeduplication"] = "false"
		}
	} else {
		delete(attrs, "FifoTopic")
	}
	return attrs, nil
}

func validateTopicAttr(name, v string, fifo bool) error {
	switch name {
	case "ContentBasedDeduplication":
		if !fifo {
			return invalidAttrs("Content-based deduplication can only be set for FIFO topics")
		}
		if v != "true" && v != "false" {
			return invalidAttrs("ContentBasedDeduplication: Invalid value [" + v + "]. Must be true or false.")
		}
	case "SignatureVersion":
		if v != "1" && v != "2" {
			return invalidParameter("Attributes Reason: SignatureVersion: Invalid value [" + v + "]. Must be 1 or 2.")
		}
	case "TracingConfig":
		if v != "PassThrough" && v != "Active" {
			return invalidParameter("Attributes Reason: TracingConfig: Invalid value [" + v + "]. Must be PassThrough or Active.")
		}
	case "Policy", "DeliveryPolicy", "ArchivePolicy", "DataProtectionPolicy":
		if v != "" && !json.Valid([]byte(v)) {
			return invalidParameter("Attributes Reason: " + name + ": failed to parse JSON.")
		}
	}
	return nil
}

// DeleteTopic deletes a topic and its subscriptions. Deleting a topic that
// does not exist succeeds, as on AWS.
func (s *Service) DeleteTopic(ctx context.Context, c Caller, arnStr string) error {
	s.mu.Lock()
	t, err := s.lookupTopic(c, arnStr)
	if err != nil {
		s.mu.Unlock()
		if err == errTopicNotFound { //nolint:errorlint // sentinel identity
			return nil
		}
		return err
	}
	changes := []store.Change{store.DeleteRecord{Kind: kindTopic, Key: t.rec.Arn}}
	t.mu.Lock()
	changes = append(changes, t.dedup.deleteAll(t.rec.Arn)...)
	t.mu.Unlock()
	for _, sa := range t.subs {
		delete(s.subs, sa)
		changes = append(changes, store.DeleteRecord{Kind: kindSubscription, Key: sa})
	}
	delete(s.topics, t.rec.Arn)
	done := s.store.Submit(changes...)
	s.mu.Unlock()
	return commit(done)
}

// GetTopicAttributes returns every attribute of a topic, computed ones included.
func (s *Service) GetTopicAttributes(_ context.Context, c Caller, arnStr string) (map[string]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, err := s.lookupTopic(c, arnStr)
	if err != nil {
		return nil, err
	}
	out := maps.Clone(t.rec.Attrs)
	out["TopicArn"] = t.rec.Arn
	out["Owner"] = t.rec.Account
	if out["Policy"] == "" {
		out["Policy"] = defaultPolicy(t.rec.Arn, t.rec.Account)
	}
	if _, ok := out["DisplayName"]; !ok && !t.fifoTopic() {
		out["DisplayName"] = ""
	}
	confirmed, pending := 0, 0
	for _, sa := range t.subs {
		if s.subs[sa].rec.Pending {
			pending++
		} else {
			confirmed++
		}
	}
	out["SubscriptionsConfirmed"] = strconv.Itoa(confirmed)
	out["SubscriptionsPending"] = strconv.Itoa(pending)
	out["SubscriptionsDeleted"] = strconv.Itoa(t.rec.Deleted)
	out["EffectiveDeliveryPolicy"] = effectiveDeliveryPolicy(t.rec.Attrs["DeliveryPolicy"])
	return out, nil
}

// SetTopicAttributes sets one attribute.
func (s *Service) SetTopicAttributes(ctx context.Context, c Caller, arnStr, name, value string) error {
	s.mu.Lock()
	t, err := s.lookupTopic(c, arnStr)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	if !settableTopicAttrs[name] || name == "FifoTopic" {
		s.mu.Unlock()
		return invalidParameter("AttributeName")
	}
	if err := validateTopicAttr(name, value, t.fifoTopic()); err != nil {
		s.mu.Unlock()
		return err
	}
	t.rec.Attrs = maps.Clone(t.rec.Attrs)
	t.rec.Attrs[name] = value
	if value == "" && name != "DisplayName" {
		delete(t.rec.Attrs, name)
	}
	done := s.store.Submit(putTopic(t))
	s.mu.Unlock()
	return commit(done)
}

// ListTopicsOutput is a page of topic ARNs.
type ListTopicsOutput struct {
	Arns      []string
	NextToken string
}

const listPage = 100

// ListTopics lists the caller's topics in the caller's region, 100 a page;
// after is the last ARN of the previous page.
func (s *Service) ListTopics(_ context.Context, c Caller, after string) (ListTopicsOutput, error) {
	s.mu.RLock()
	var all []string
	for a, t := range s.topics {
		if t.rec.Account == c.Account && t.rec.Region == c.Region && a > after {
			all = append(all, a)
		}
	}
	s.mu.RUnlock()
	slices.Sort(all)
	out := ListTopicsOutput{Arns: all}
	if len(all) > listPage {
		out.Arns, out.NextToken = all[:listPage], all[listPage-1]
	}
	return out, nil
}

func defaultPolicy(topicArn, account string) string {
	p := map[string]any{
		"Version": "2008-10-17", "Id": "__default_policy_ID",
		"Statement": []any{map[string]any{
			"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": map[string]any{"AWS": "*"},
			"Action": []string{
				"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
				"SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish",
			},
			"Resource":  topicArn,
			"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceOwner": account}},
		}},
	}
	b, _ := json.Marshal(p)
	return string(b)
}

const defaultEffectiveDeliveryPolicy = `{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}`

func effectiveDeliveryPolicy(set string) string {
	if set == "" {
		return defaultEffectiveDeliveryPolicy
	}
	return set
}
