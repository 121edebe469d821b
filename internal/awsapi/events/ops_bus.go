package events

import (
	"context"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/bus"
)

type createEventBusInput struct {
	Name             string            `json:"Name"`
	Description      *string           `json:"Description"`
	DeadLetterConfig *deadLetterConfig `json:"DeadLetterConfig"`
	Tags             []tag             `json:"Tags"`
}

type createEventBusOutput struct {
	EventBusArn      string            `json:"EventBusArn"`
	Description      string            `json:"Description,omitempty"`
	DeadLetterConfig *deadLetterConfig `json:"DeadLetterConfig,omitempty"`
}

func (h *Handler) createEventBus(ctx context.Context, r *awsapi.Request, in *createEventBusInput) (any, error) {
	b, err := h.svc.CreateEventBus(ctx, bus.CreateEventBusInput{
		Caller: caller(r), Name: in.Name, Description: in.Description,
		DeadLetterArn: dlqArn(in.DeadLetterConfig), Tags: tagMap(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	return createEventBusOutput{EventBusArn: b.Arn, Description: b.Description, DeadLetterConfig: dlqOut(b.DeadLetterArn)}, nil
}

type nameInput struct {
	Name string `json:"Name"`
}

func (h *Handler) describeEventBus(ctx context.Context, r *awsapi.Request, in *nameInput) (any, error) {
	b, err := h.svc.DescribeEventBus(ctx, caller(r), in.Name)
	if err != nil {
		return nil, err
	}
	return busOut(b), nil
}

type updateEventBusInput struct {
	Name             string            `json:"Name"`
	Description      *string           `json:"Description"`
	DeadLetterConfig *deadLetterConfig `json:"DeadLetterConfig"`
}

func (h *Handler) updateEventBus(ctx context.Context, r *awsapi.Request, in *updateEventBusInput) (any, error) {
	b, err := h.svc.UpdateEventBus(ctx, bus.UpdateEventBusInput{Caller: caller(r), Name: in.Name, Description: in.Description, DeadLetterArn: dlqArn(in.DeadLetterConfig)})
	if err != nil {
		return nil, err
	}
	return struct {
		Arn              string            `json:"Arn"`
		Name             string            `json:"Name"`
		Description      string            `json:"Description,omitempty"`
		DeadLetterConfig *deadLetterConfig `json:"DeadLetterConfig,omitempty"`
	}{b.Arn, b.Name, b.Description, dlqOut(b.DeadLetterArn)}, nil
}

func (h *Handler) deleteEventBus(ctx context.Context, r *awsapi.Request, in *nameInput) (any, error) {
	return nil, h.svc.DeleteEventBus(ctx, caller(r), in.Name)
}

type listInput struct {
	NamePrefix   string `json:"NamePrefix"`
	EventBusName string `json:"EventBusName"`
	NextToken    string `json:"NextToken"`
	Limit        int    `json:"Limit"`
}

type listEventBusesOutput struct {
	EventBuses []eventBus `json:"EventBuses"`
	NextToken  string     `json:"NextToken,omitempty"`
}

func (h *Handler) listEventBuses(ctx context.Context, r *awsapi.Request, in *listInput) (any, error) {
	buses, next, err := h.svc.ListEventBuses(ctx, bus.ListEventBusesInput{Caller: caller(r), NamePrefix: in.NamePrefix, Limit: in.Limit, NextToken: in.NextToken})
	if err != nil {
		return nil, err
	}
	out := listEventBusesOutput{EventBuses: make([]eventBus, 0, len(buses)), NextToken: next}
	for _, b := range buses {
		out.EventBuses = append(out.EventBuses, busOut(b))
	}
	return out, nil
}

type tagResourceInput struct {
	ResourceARN string   `json:"ResourceARN"`
	Tags        []tag    `json:"Tags"`
	TagKeys     []string `json:"TagKeys"`
}

func (h *Handler) tagResource(ctx context.Context, r *awsapi.Request, in *tagResourceInput) (any, error) {
	return nil, h.svc.TagResource(ctx, caller(r), in.ResourceARN, tagMap(in.Tags))
}

func (h *Handler) untagResource(ctx context.Context, r *awsapi.Request, in *tagResourceInput) (any, error) {
	return nil, h.svc.UntagResource(ctx, caller(r), in.ResourceARN, in.TagKeys)
}

func (h *Handler) listTagsForResource(ctx context.Context, r *awsapi.Request, in *tagResourceInput) (any, error) {
	tags, err := h.svc.ListTagsForResource(ctx, caller(r), in.ResourceARN)
	if err != nil {
		return nil, err
	}
	return struct {
		Tags []tag `json:"Tags"`
	}{tagList(tags)}, nil
}
