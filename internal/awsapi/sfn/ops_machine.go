package sfn

import (
	"context"
	"encoding/json"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/flow"
)

type createStateMachineInput struct {
	Name                    *string         `json:"name"`
	Definition              *string         `json:"definition"`
	RoleArn                 *string         `json:"roleArn"`
	Type                    string          `json:"type"`
	LoggingConfiguration    json.RawMessage `json:"loggingConfiguration"`
	TracingConfiguration    json.RawMessage `json:"tracingConfiguration"`
	EncryptionConfiguration json.RawMessage `json:"encryptionConfiguration"`
	Tags                    []tag           `json:"tags"`
	Publish                 bool            `json:"publish"`
	VersionDescription      string          `json:"versionDescription"`
}

func (h *Handler) createStateMachine(ctx context.Context, r *awsapi.Request, in *createStateMachineInput) (any, error) {
	switch {
	case in.Name == nil:
		return nil, missing("name")
	case in.Definition == nil:
		return nil, missing("definition")
	case in.RoleArn == nil:
		return nil, missing("roleArn")
	}
	out, err := h.svc.CreateStateMachine(ctx, flow.CreateStateMachineInput{
		Caller: caller(r), Name: *in.Name, Type: in.Type, Tags: tagsIn(in.Tags), Publish: in.Publish,
		VersionDescription: in.VersionDescription,
		Config: flow.StateMachineConfig{
			Definition: *in.Definition, RoleArn: *in.RoleArn, Logging: in.LoggingConfiguration,
			Tracing: in.TracingConfiguration, Encryption: in.EncryptionConfiguration,
		},
	})
	if err != nil {
		return nil, err
	}
	return struct {
		StateMachineArn        string  `json:"stateMachineArn"`
		CreationDate           epoch   `json:"creationDate"`
		StateMachineVersionArn *string `json:"stateMachineVersionArn,omitempty"`
	}{out.StateMachineArn, epoch(out.CreationDate), str(out.StateMachineVersionArn)}, nil
}

type stateMachineArnInput struct {
	StateMachineArn *string `json:"stateMachineArn"`
	IncludedData    string  `json:"includedData"`
}

func (h *Handler) describeStateMachine(ctx context.Context, _ *awsapi.Request, in *stateMachineArnInput) (any, error) {
	if in.StateMachineArn == nil {
		return nil, missing("stateMachineArn")
	}
	m, err := h.svc.DescribeStateMachine(ctx, *in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	return stateMachineOut(m), nil
}

type updateStateMachineInput struct {
	StateMachineArn         *string         `json:"stateMachineArn"`
	Definition              *string         `json:"definition"`
	RoleArn                 *string         `json:"roleArn"`
	LoggingConfiguration    json.RawMessage `json:"loggingConfiguration"`
	TracingConfiguration    json.RawMessage `json:"tracingConfiguration"`
	EncryptionConfiguration json.RawMessage `json:"encryptionConfiguration"`
	Publish                 bool            `json:"publish"`
	VersionDescription      string          `json:"versionDescription"`
}

func (h *Handler) updateStateMachine(ctx context.Context, _ *awsapi.Request, in *updateStateMachineInput) (any, error) {
	if in.StateMachineArn == nil {
		return nil, missing("stateMachineArn")
	}
	out, err := h.svc.UpdateStateMachine(ctx, flow.UpdateStateMachineInput{
		StateMachineArn: *in.StateMachineArn, Definition: in.Definition, RoleArn: in.RoleArn,
		Logging: in.LoggingConfiguration, Tracing: in.TracingConfiguration, Encryption: in.EncryptionConfiguration,
		Publish: in.Publish, VersionDescription: in.VersionDescription,
	})
	if err != nil {
		return nil, err
	}
	return struct {
		UpdateDate             epoch   `json:"updateDate"`
		RevisionID             string  `json:"revisionId"`
		StateMachineVersionArn *string `json:"stateMachineVersionArn,omitempty"`
	}{epoch(out.UpdateDate), out.RevisionID, str(out.StateMachineVersionArn)}, nil
}

func (h *Handler) deleteStateMachine(ctx context.Context, _ *awsapi.Request, in *stateMachineArnInput) (any, error) {
	if in.StateMachineArn == nil {
		return nil, missing("stateMachineArn")
	}
	return nil, h.svc.DeleteStateMachine(ctx, *in.StateMachineArn)
}

type pageInput struct {
	MaxResults int    `json:"maxResults"`
	NextToken  string `json:"nextToken"`
}

func (p pageInput) page() flow.Page {
	return flow.Page{MaxResults: p.MaxResults, NextToken: p.NextToken}
}

type smListItem struct {
	StateMachineArn string `json:"stateMachineArn"`
	Name            string `json:"name"`
	Type            string `json:"type"`
	CreationDate    epoch  `json:"creationDate"`
}

func (h *Handler) listStateMachines(ctx context.Context, r *awsapi.Request, in *pageInput) (any, error) {
	items, next, err := h.svc.ListStateMachines(ctx, caller(r), in.page())
	if err != nil {
		return nil, err
	}
	out := make([]smListItem, 0, len(items))
	for _, m := range items {
		out = append(out, smListItem{m.StateMachineArn, m.Name, m.Type, epoch(m.CreationDate)})
	}
	return struct {
		StateMachines []smListItem `json:"stateMachines"`
		NextToken     *string      `json:"nextToken,omitempty"`
	}{out, str(next)}, nil
}

type validateInput struct {
	Definition *string `json:"definition"`
	Type       string  `json:"type"`
	Severity   string  `json:"severity"`
	MaxResults int     `json:"maxResults"`
}

type diagnostic struct {
	Severity string  `json:"severity"`
	Code     string  `json:"code"`
	Message  string  `json:"message"`
	Location *string `json:"location,omitempty"`
}

func (h *Handler) validateDefinition(ctx context.Context, _ *awsapi.Request, in *validateInput) (any, error) {
	if in.Definition == nil {
		return nil, missing("definition")
	}
	result, diags, truncated, err := h.svc.ValidateStateMachineDefinition(ctx, flow.ValidateDefinitionInput{
		Definition: *in.Definition, Type: in.Type, Severity: in.Severity, MaxResults: in.MaxResults,
	})
	if err != nil {
		return nil, err
	}
	out := make([]diagnostic, 0, len(diags))
	for _, d := range diags {
		out = append(out, diagnostic{d.Severity, d.Code, d.Message, str(d.Location)})
	}
	return struct {
		Result      string       `json:"result"`
		Diagnostics []diagnostic `json:"diagnostics"`
		Truncated   bool         `json:"truncated"`
	}{result, out, truncated}, nil
}

type tagInput struct {
	ResourceArn *string  `json:"resourceArn"`
	Tags        []tag    `json:"tags"`
	TagKeys     []string `json:"tagKeys"`
}

func (h *Handler) tagResource(ctx context.Context, _ *awsapi.Request, in *tagInput) (any, error) {
	if in.ResourceArn == nil {
		return nil, missing("resourceArn")
	}
	return nil, h.svc.TagResource(ctx, *in.ResourceArn, tagsIn(in.Tags))
}

func (h *Handler) untagResource(ctx context.Context, _ *awsapi.Request, in *tagInput) (any, error) {
	if in.ResourceArn == nil {
		return nil, missing("resourceArn")
	}
	return nil, h.svc.UntagResource(ctx, *in.ResourceArn, in.TagKeys)
}

func (h *Handler) listTagsForResource(ctx context.Context, _ *awsapi.Request, in *tagInput) (any, error) {
	if in.ResourceArn == nil {
		return nil, missing("resourceArn")
	}
	tags, err := h.svc.ListTagsForResource(ctx, *in.ResourceArn)
	if err != nil {
		return nil, err
	}
	return struct {
		Tags []tag `json:"tags"`
	}{tagsOut(tags)}, nil
}
