package sfn

import (
	"context"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/flow"
)

type publishInput struct {
	StateMachineArn *string `json:"stateMachineArn"`
	RevisionID      string  `json:"revisionId"`
	Description     string  `json:"description"`
}

func (h *Handler) publishVersion(ctx context.Context, _ *awsapi.Request, in *publishInput) (any, error) {
	if in.StateMachineArn == nil {
		return nil, missing("stateMachineArn")
	}
	a, created, err := h.svc.PublishStateMachineVersion(ctx, *in.StateMachineArn, in.RevisionID, in.Description)
	if err != nil {
		return nil, err
	}
	return struct {
		CreationDate           epoch  `json:"creationDate"`
		StateMachineVersionArn string `json:"stateMachineVersionArn"`
	}{epoch(created), a}, nil
}

type listByMachineInput struct {
	StateMachineArn *string `json:"stateMachineArn"`
	pageInput
}

type versionItem struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
	CreationDate           epoch  `json:"creationDate"`
}

func (h *Handler) listVersions(ctx context.Context, _ *awsapi.Request, in *listByMachineInput) (any, error) {
	if in.StateMachineArn == nil {
		return nil, missing("stateMachineArn")
	}
	items, next, err := h.svc.ListStateMachineVersions(ctx, *in.StateMachineArn, in.page())
	if err != nil {
		return nil, err
	}
	out := make([]versionItem, 0, len(items))
	for _, v := range items {
		out = append(out, versionItem{v.StateMachineVersionArn, epoch(v.CreationDate)})
	}
	return struct {
		StateMachineVersions []versionItem `json:"stateMachineVersions"`
		NextToken            *string       `json:"nextToken,omitempty"`
	}{out, str(next)}, nil
}

type versionArnInput struct {
	StateMachineVersionArn *string `json:"stateMachineVersionArn"`
}

func (h *Handler) deleteVersion(ctx context.Context, _ *awsapi.Request, in *versionArnInput) (any, error) {
	if in.StateMachineVersionArn == nil {
		return nil, missing("stateMachineVersionArn")
	}
	return nil, h.svc.DeleteStateMachineVersion(ctx, *in.StateMachineVersionArn)
}

type aliasInput struct {
	StateMachineAliasArn *string             `json:"stateMachineAliasArn"`
	Name                 *string             `json:"name"`
	Description          *string             `json:"description"`
	RoutingConfiguration []flow.RoutingEntry `json:"routingConfiguration"`
}

func (h *Handler) createAlias(ctx context.Context, _ *awsapi.Request, in *aliasInput) (any, error) {
	switch {
	case in.Name == nil:
		return nil, missing("name")
	case in.RoutingConfiguration == nil:
		return nil, missing("routingConfiguration")
	}
	a, created, err := h.svc.CreateStateMachineAlias(ctx, flow.AliasInput{Name: *in.Name, Description: in.Description, Routing: in.RoutingConfiguration})
	if err != nil {
		return nil, err
	}
	return struct {
		StateMachineAliasArn string `json:"stateMachineAliasArn"`
		CreationDate         epoch  `json:"creationDate"`
	}{a, epoch(created)}, nil
}

func (h *Handler) describeAlias(ctx context.Context, _ *awsapi.Request, in *aliasInput) (any, error) {
	if in.StateMachineAliasArn == nil {
		return nil, missing("stateMachineAliasArn")
	}
	al, err := h.svc.DescribeStateMachineAlias(ctx, *in.StateMachineAliasArn)
	if err != nil {
		return nil, err
	}
	return struct {
		StateMachineAliasArn string              `json:"stateMachineAliasArn"`
		Name                 string              `json:"name"`
		Description          *string             `json:"description,omitempty"`
		RoutingConfiguration []flow.RoutingEntry `json:"routingConfiguration"`
		CreationDate         epoch               `json:"creationDate"`
		UpdateDate           *epoch              `json:"updateDate,omitempty"`
	}{al.StateMachineAliasArn, al.Name, str(al.Description), al.Routing, epoch(al.CreationDate), opt(al.UpdateDate)}, nil
}

func (h *Handler) updateAlias(ctx context.Context, _ *awsapi.Request, in *aliasInput) (any, error) {
	if in.StateMachineAliasArn == nil {
		return nil, missing("stateMachineAliasArn")
	}
	updated, err := h.svc.UpdateStateMachineAlias(ctx, flow.AliasInput{StateMachineAliasArn: *in.StateMachineAliasArn, Description: in.Description, Routing: in.RoutingConfiguration})
	if err != nil {
		return nil, err
	}
	return struct {
		UpdateDate epoch `json:"updateDate"`
	}{epoch(updated)}, nil
}

func (h *Handler) deleteAlias(ctx context.Context, _ *awsapi.Request, in *aliasInput) (any, error) {
	if in.StateMachineAliasArn == nil {
		return nil, missing("stateMachineAliasArn")
	}
	return nil, h.svc.DeleteStateMachineAlias(ctx, *in.StateMachineAliasArn)
}

type aliasItem struct {
	StateMachineAliasArn string `json:"stateMachineAliasArn"`
	CreationDate         epoch  `json:"creationDate"`
}

func (h *Handler) listAliases(ctx context.Context, _ *awsapi.Request, in *listByMachineInput) (any, error) {
	if in.StateMachineArn == nil {
		return nil, missing("stateMachineArn")
	}
	items, next, err := h.svc.ListStateMachineAliases(ctx, *in.StateMachineArn, in.page())
	if err != nil {
		return nil, err
	}
	out := make([]aliasItem, 0, len(items))
	for _, a := range items {
		out = append(out, aliasItem{a.StateMachineAliasArn, epoch(a.CreationDate)})
	}
	return struct {
		StateMachineAliases []aliasItem `json:"stateMachineAliases"`
		NextToken           *string     `json:"nextToken,omitempty"`
	}{out, str(next)}, nil
}
