package sns

import (
	"context"
	"encoding/base64"
	"maps"
	"slices"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/topic"
)

func (h *Handler) createTopic(ctx context.Context, r *awsapi.Request, in *createTopicInput) (any, error) {
	tags := map[string]string{}
	for _, t := range in.Tags {
		tags[t.Key] = t.Value
	}
	a, err := h.svc.CreateTopic(ctx, topic.CreateTopicInput{Caller: caller(r), Name: in.Name, Attributes: in.Attributes, Tags: tags})
	if err != nil {
		return nil, err
	}
	return &topicArnOutput{TopicArn: a}, nil
}

func (h *Handler) deleteTopic(ctx context.Context, r *awsapi.Request, in *topicArnInput) (any, error) {
	return nil, h.svc.DeleteTopic(ctx, caller(r), in.TopicArn)
}

func attrsOut(m map[string]string) *attributesOutput {
	out := &attributesOutput{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out.Attributes.Entry = append(out.Attributes.Entry, entry{Key: k, Value: m[k]})
	}
	return out
}

func (h *Handler) getTopicAttributes(ctx context.Context, r *awsapi.Request, in *topicArnInput) (any, error) {
	m, err := h.svc.GetTopicAttributes(ctx, caller(r), in.TopicArn)
	if err != nil {
		return nil, err
	}
	return attrsOut(m), nil
}

func (h *Handler) setTopicAttributes(ctx context.Context, r *awsapi.Request, in *setTopicAttributesInput) (any, error) {
	v := ""
	if in.AttributeValue != nil {
		v = *in.AttributeValue
	}
	return nil, h.svc.SetTopicAttributes(ctx, caller(r), in.TopicArn, in.AttributeName, v)
}

func (h *Handler) listTopics(ctx context.Context, r *awsapi.Request, in *nextTokenInput) (any, error) {
	res, err := h.svc.ListTopics(ctx, caller(r), decodeToken(in.NextToken))
	if err != nil {
		return nil, err
	}
	out := &listTopicsOutput{NextToken: encodeToken(res.NextToken)}
	for _, a := range res.Arns {
		out.Topics.Member = append(out.Topics.Member, topicArnOutput{TopicArn: a})
	}
	return out, nil
}

func (h *Handler) subscribe(ctx context.Context, r *awsapi.Request, in *subscribeInput) (any, error) {
	a, err := h.svc.Subscribe(ctx, topic.SubscribeInput{Caller: caller(r), TopicArn: in.TopicArn, Protocol: in.Protocol, Endpoint: in.Endpoint, Attributes: in.Attributes, ReturnSubArn: in.ReturnSubscriptionArn})
	if err != nil {
		return nil, err
	}
	return &subscriptionArnOutput{SubscriptionArn: a}, nil
}

func (h *Handler) confirmSubscription(ctx context.Context, r *awsapi.Request, in *confirmSubscriptionInput) (any, error) {
	a, err := h.svc.ConfirmSubscription(ctx, caller(r), in.TopicArn, in.Token)
	if err != nil {
		return nil, err
	}
	return &subscriptionArnOutput{SubscriptionArn: a}, nil
}

func (h *Handler) unsubscribe(ctx context.Context, _ *awsapi.Request, in *subscriptionArnInput) (any, error) {
	return nil, h.svc.Unsubscribe(ctx, in.SubscriptionArn)
}

func (h *Handler) getSubscriptionAttributes(ctx context.Context, _ *awsapi.Request, in *subscriptionArnInput) (any, error) {
	m, err := h.svc.GetSubscriptionAttributes(ctx, in.SubscriptionArn)
	if err != nil {
		return nil, err
	}
	return attrsOut(m), nil
}

func (h *Handler) setSubscriptionAttributes(ctx context.Context, _ *awsapi.Request, in *setSubscriptionAttributesInput) (any, error) {
	v := ""
	if in.AttributeValue != nil {
		v = *in.AttributeValue
	}
	return nil, h.svc.SetSubscriptionAttributes(ctx, in.SubscriptionArn, in.AttributeName, v)
}

func (h *Handler) listSubscriptions(ctx context.Context, r *awsapi.Request, in *nextTokenInput) (any, error) {
	return h.listSubs(ctx, r, "", in.NextToken)
}

func (h *Handler) listSubscriptionsByTopic(ctx context.Context, r *awsapi.Request, in *listSubscriptionsByTopicInput) (any, error) {
	if in.TopicArn == "" {
		return nil, invalidParameter("TopicArn")
	}
	return h.listSubs(ctx, r, in.TopicArn, in.NextToken)
}

func (h *Handler) listSubs(ctx context.Context, r *awsapi.Request, topicArn, token string) (any, error) {
	res, err := h.svc.ListSubscriptions(ctx, caller(r), topicArn, decodeToken(token))
	if err != nil {
		return nil, err
	}
	out := &listSubscriptionsOutput{NextToken: encodeToken(res.NextToken)}
	for _, s := range res.Subscriptions {
		out.Subscriptions.Member = append(out.Subscriptions.Member, subscriptionXML(s))
	}
	return out, nil
}

func messageAttributes(in map[string]messageAttributeValue) (map[string]topic.MessageAttribute, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string]topic.MessageAttribute, len(in))
	for k, v := range in {
		a := topic.MessageAttribute{DataType: v.DataType, StringValue: v.StringValue}
		if v.BinaryValue != nil {
			b, err := base64.StdEncoding.DecodeString(*v.BinaryValue)
			if err != nil {
				return nil, invalidParameter("MessageAttributes Reason: BinaryValue is not valid base64")
			}
			if b == nil {
				b = []byte{}
			}
			a.BinaryValue = b
		}
		out[k] = a
	}
	return out, nil
}

func (h *Handler) publish(ctx context.Context, r *awsapi.Request, in *publishInput) (any, error) {
	attrs, err := messageAttributes(in.MessageAttributes)
	if err != nil {
		return nil, err
	}
	target := in.TopicArn
	if target == "" {
		target = in.TargetArn
	}
	res, err := h.svc.Publish(ctx, topic.PublishInput{
		Caller: caller(r), TopicArn: target, PhoneNumber: in.PhoneNumber, TraceHeader: r.HTTP.Header.Get("X-Amzn-Trace-Id"),
		Message: topic.Message{Message: in.Message, Subject: in.Subject, MessageStructure: in.MessageStructure, Attributes: attrs, GroupID: in.MessageGroupID, DedupID: in.MessageDeduplicationID},
	})
	if err != nil {
		return nil, err
	}
	return &publishOutput{MessageID: res.MessageID, SequenceNumber: res.SequenceNumber}, nil
}

func (h *Handler) publishBatch(ctx context.Context, r *awsapi.Request, in *publishBatchInput) (any, error) {
	entries := make([]topic.BatchEntry, 0, len(in.Entries))
	for _, e := range in.Entries {
		attrs, err := messageAttributes(e.MessageAttributes)
		if err != nil {
			return nil, err
		}
		entries = append(entries, topic.BatchEntry{ID: e.ID, Message: topic.Message{Message: e.Message, Subject: e.Subject, MessageStructure: e.MessageStructure, Attributes: attrs, GroupID: e.MessageGroupID, DedupID: e.MessageDeduplicationID}})
	}
	ok, failed, err := h.svc.PublishBatch(ctx, topic.PublishBatchInput{Caller: caller(r), TopicArn: in.TopicArn, TraceHeader: r.HTTP.Header.Get("X-Amzn-Trace-Id"), Entries: entries})
	if err != nil {
		return nil, err
	}
	out := &publishBatchOutput{}
	for _, s := range ok {
		out.Successful.Member = append(out.Successful.Member, batchSuccess{ID: s.ID, MessageID: s.MessageID, SequenceNumber: s.SequenceNumber})
	}
	for _, f := range failed {
		out.Failed.Member = append(out.Failed.Member, batchFailed{ID: f.ID, Code: f.Code, Message: f.Message, SenderFault: f.SenderFault})
	}
	return out, nil
}

func (h *Handler) tagResource(ctx context.Context, r *awsapi.Request, in *tagResourceInput) (any, error) {
	tags := map[string]string{}
	for _, t := range in.Tags {
		if _, dup := tags[t.Key]; dup {
			return nil, &topic.Error{Code: topic.CodeInvalidParameter, Message: "Invalid parameter: Duplicated keys are not allowed."}
		}
		tags[t.Key] = t.Value
	}
	return &empty{}, h.svc.TagResource(ctx, caller(r), in.ResourceArn, tags)
}

func (h *Handler) untagResource(ctx context.Context, r *awsapi.Request, in *untagResourceInput) (any, error) {
	return &empty{}, h.svc.UntagResource(ctx, caller(r), in.ResourceArn, in.TagKeys)
}

func (h *Handler) listTagsForResource(ctx context.Context, r *awsapi.Request, in *resourceArnInput) (any, error) {
	tags, err := h.svc.ListTagsForResource(ctx, caller(r), in.ResourceArn)
	if err != nil {
		return nil, err
	}
	out := &listTagsOutput{}
	for _, t := range tags {
		out.Tags.Member = append(out.Tags.Member, tag{Key: t[0], Value: t[1]})
	}
	return out, nil
}

func (h *Handler) addPermission(ctx context.Context, r *awsapi.Request, in *addPermissionInput) (any, error) {
	return nil, h.svc.AddPermission(ctx, caller(r), in.TopicArn, in.Label, in.AWSAccountID, in.ActionName)
}

func (h *Handler) removePermission(ctx context.Context, r *awsapi.Request, in *removePermissionInput) (any, error) {
	return nil, h.svc.RemovePermission(ctx, caller(r), in.TopicArn, in.Label)
}

func encodeToken(s string) string {
	if s == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func decodeToken(s string) string {
	b, _ := base64.RawURLEncoding.DecodeString(s)
	return string(b)
}
