package sqs

import (
	"context"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/queue"
)

func (h *Handler) createQueue(ctx context.Context, r *awsapi.Request, in *createQueueInput) (any, error) {
	if in.QueueName == "" {
		return nil, missingParameter("QueueName")
	}
	ref, err := h.svc.CreateQueue(ctx, queue.CreateQueueInput{Caller: caller(r), Name: in.QueueName, Attributes: in.Attributes, Tags: in.Tags})
	if err != nil {
		return nil, err
	}
	return &queueURLOutput{QueueURL: queueURL(r, ref)}, nil
}

func (h *Handler) deleteQueue(ctx context.Context, r *awsapi.Request, in *queueURLInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.DeleteQueue(ctx, caller(r), ref)
}

func (h *Handler) getQueueURL(ctx context.Context, r *awsapi.Request, in *getQueueURLInput) (any, error) {
	if in.QueueName == "" {
		return nil, missingParameter("QueueName")
	}
	ref, err := h.svc.GetQueueURL(ctx, caller(r), in.QueueName, in.QueueOwnerAWSAccountID)
	if err != nil {
		return nil, err
	}
	return &queueURLOutput{QueueURL: queueURL(r, ref)}, nil
}

func (h *Handler) listQueues(ctx context.Context, r *awsapi.Request, in *listQueuesInput) (any, error) {
	after, err := afterToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	res, err := h.svc.ListQueues(ctx, queue.ListQueuesInput{Caller: caller(r), Prefix: in.QueueNamePrefix, MaxResults: in.MaxResults, After: after})
	if err != nil {
		return nil, err
	}
	out := &listQueuesOutput{}
	for _, ref := range res.Queues {
		out.QueueUrls = append(out.QueueUrls, queueURL(r, ref))
	}
	if res.More && len(out.QueueUrls) > 0 {
		out.NextToken = nextToken(out.QueueUrls[len(out.QueueUrls)-1])
	}
	return out, nil
}

func (h *Handler) listDeadLetterSourceQueues(ctx context.Context, r *awsapi.Request, in *listDLQSourcesInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	after, err := afterToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	res, err := h.svc.ListDeadLetterSourceQueues(ctx, caller(r), ref, in.MaxResults, after)
	if err != nil {
		return nil, err
	}
	out := &listDLQSourcesOutput{QueueUrls: []string{}}
	for _, q := range res.Queues {
		out.QueueUrls = append(out.QueueUrls, queueURL(r, q))
	}
	if res.More && len(out.QueueUrls) > 0 {
		out.NextToken = nextToken(out.QueueUrls[len(out.QueueUrls)-1])
	}
	return out, nil
}

func (h *Handler) getQueueAttributes(ctx context.Context, r *awsapi.Request, in *getQueueAttributesInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	attrs, err := h.svc.GetQueueAttributes(ctx, caller(r), ref, in.AttributeNames)
	if err != nil {
		return nil, err
	}
	return &attributesOutput{Attributes: attrs}, nil
}

func (h *Handler) setQueueAttributes(ctx context.Context, r *awsapi.Request, in *setQueueAttributesInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.SetQueueAttributes(ctx, caller(r), ref, in.Attributes)
}

func (h *Handler) purgeQueue(ctx context.Context, r *awsapi.Request, in *queueURLInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.PurgeQueue(ctx, caller(r), ref)
}

func (h *Handler) tagQueue(ctx context.Context, r *awsapi.Request, in *tagQueueInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.TagQueue(ctx, caller(r), ref, in.Tags)
}

func (h *Handler) untagQueue(ctx context.Context, r *awsapi.Request, in *untagQueueInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.UntagQueue(ctx, caller(r), ref, in.TagKeys)
}

func (h *Handler) listQueueTags(ctx context.Context, r *awsapi.Request, in *queueURLInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	tags, err := h.svc.ListQueueTags(ctx, caller(r), ref)
	if err != nil {
		return nil, err
	}
	return &tagsOutput{Tags: tags}, nil
}

func (h *Handler) addPermission(ctx context.Context, r *awsapi.Request, in *addPermissionInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.AddPermission(ctx, queue.AddPermissionInput{Caller: caller(r), Queue: ref, Label: in.Label, Accounts: in.AWSAccountIDs, Actions: in.Actions})
}

func (h *Handler) removePermission(ctx context.Context, r *awsapi.Request, in *removePermissionInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.RemovePermission(ctx, caller(r), ref, in.Label)
}
