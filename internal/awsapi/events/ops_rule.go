package events

import (
	"context"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/bus"
)

type putRuleInput struct {
	Name               string  `json:"Name"`
	EventBusName       string  `json:"EventBusName"`
	EventPattern       *string `json:"EventPattern"`
	ScheduleExpression *string `json:"ScheduleExpression"`
	State              *string `json:"State"`
	Description        *string `json:"Description"`
	RoleArn            *string `json:"RoleArn"`
	Tags               []tag   `json:"Tags"`
}

func (h *Handler) putRule(ctx context.Context, r *awsapi.Request, in *putRuleInput) (any, error) {
	arn, err := h.svc.PutRule(ctx, bus.PutRuleInput{
		Caller: caller(r), Name: in.Name, EventBusName: in.EventBusName, EventPattern: in.EventPattern,
		ScheduleExpression: in.ScheduleExpression, State: in.State, Description: in.Description, RoleArn: in.RoleArn, Tags: tagMap(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	return struct {
		RuleArn string `json:"RuleArn"`
	}{arn}, nil
}

type ruleInput struct {
	Name         string `json:"Name"`
	EventBusName string `json:"EventBusName"`
	Force        bool   `json:"Force"`
}

func (h *Handler) describeRule(ctx context.Context, r *awsapi.Request, in *ruleInput) (any, error) {
	ru, err := h.svc.DescribeRule(ctx, caller(r), in.EventBusName, in.Name)
	if err != nil {
		return nil, err
	}
	return struct {
		ruleOut
		CreatedBy string `json:"CreatedBy"`
	}{ruleShape(ru), ru.CreatedBy}, nil
}

func (h *Handler) deleteRule(ctx context.Context, r *awsapi.Request, in *ruleInput) (any, error) {
	return nil, h.svc.DeleteRule(ctx, caller(r), in.EventBusName, in.Name)
}

func (h *Handler) enableRule(ctx context.Context, r *awsapi.Request, in *ruleInput) (any, error) {
	return nil, h.svc.SetRuleState(ctx, caller(r), in.EventBusName, in.Name, true)
}

func (h *Handler) disableRule(ctx context.Context, r *awsapi.Request, in *ruleInput) (any, error) {
	return nil, h.svc.SetRuleState(ctx, caller(r), in.EventBusName, in.Name, false)
}

func (h *Handler) listRules(ctx context.Context, r *awsapi.Request, in *listInput) (any, error) {
	rules, next, err := h.svc.ListRules(ctx, bus.ListRulesInput{Caller: caller(r), EventBusName: in.EventBusName, NamePrefix: in.NamePrefix, Limit: in.Limit, NextToken: in.NextToken})
	if err != nil {
		return nil, err
	}
	out := struct {
		Rules     []ruleOut `json:"Rules"`
		NextToken string    `json:"NextToken,omitempty"`
	}{Rules: make([]ruleOut, 0, len(rules)), NextToken: next}
	for _, ru := range rules {
		out.Rules = append(out.Rules, ruleShape(ru))
	}
	return out, nil
}

type listRuleNamesByTargetInput struct {
	TargetArn    string `json:"TargetArn"`
	EventBusName string `json:"EventBusName"`
	NextToken    string `json:"NextToken"`
	Limit        int    `json:"Limit"`
}

func (h *Handler) listRuleNamesByTarget(ctx context.Context, r *awsapi.Request, in *listRuleNamesByTargetInput) (any, error) {
	names, next, err := h.svc.ListRuleNamesByTarget(ctx, bus.ListRuleNamesByTargetInput{Caller: caller(r), EventBusName: in.EventBusName, TargetArn: in.TargetArn, Limit: in.Limit, NextToken: in.NextToken})
	if err != nil {
		return nil, err
	}
	if names == nil {
		names = []string{}
	}
	return struct {
		RuleNames []string `json:"RuleNames"`
		NextToken string   `json:"NextToken,omitempty"`
	}{names, next}, nil
}

type testEventPatternInput struct {
	EventPattern string `json:"EventPattern"`
	Event        string `json:"Event"`
}

func (h *Handler) testEventPattern(ctx context.Context, _ *awsapi.Request, in *testEventPatternInput) (any, error) {
	ok, err := h.svc.TestEventPattern(ctx, in.EventPattern, in.Event)
	if err != nil {
		return nil, err
	}
	return struct {
		Result bool `json:"Result"`
	}{ok}, nil
}
