package lambda

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/function"
)

func (h *Handler) addPermission(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	var in addPermissionInput
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	st, err := h.svc.AddPermission(ctx, caller(r), function.PermissionInput{
		Function: name, Qualifier: r.HTTP.URL.Query().Get("Qualifier"), StatementID: in.StatementID,
		Action: in.Action, Principal: in.Principal, SourceArn: in.SourceArn, SourceAccount: in.SourceAccount,
		EventSourceToken: in.EventSourceToken, PrincipalOrgID: in.PrincipalOrgID,
		FunctionURLAuthType: in.FunctionURLAuthType, RevisionID: in.RevisionID,
	})
	if err != nil {
		return awsapi.Response{}, err
	}
	b, err := json.Marshal(st)
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusCreated, map[string]string{"Statement": string(b)})
}

func (h *Handler) removePermission(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	q := r.HTTP.URL.Query()
	err := h.svc.RemovePermission(ctx, caller(r), name, q.Get("Qualifier"), aliasName(r), q.Get("RevisionId"))
	if err != nil {
		return awsapi.Response{}, err
	}
	return awsapi.Response{Status: http.StatusNoContent, ContentType: "application/json"}, nil
}

func (h *Handler) getPolicy(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	p, err := h.svc.GetPolicy(ctx, caller(r), name, r.HTTP.URL.Query().Get("Qualifier"))
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, map[string]string{"Policy": p.Document(), "RevisionId": p.RevisionID})
}

func (h *Handler) tagResource(ctx context.Context, r *awsapi.Request, resource string) (awsapi.Response, error) {
	var in tagsBody
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	if err := h.svc.TagResource(ctx, caller(r), resource, in.Tags); err != nil {
		return awsapi.Response{}, err
	}
	return awsapi.Response{Status: http.StatusNoContent, ContentType: "application/json"}, nil
}

func (h *Handler) untagResource(ctx context.Context, r *awsapi.Request, resource string) (awsapi.Response, error) {
	keys, ok := r.HTTP.URL.Query()["tagKeys"]
	if !ok {
		keys = nil
	}
	if err := h.svc.UntagResource(ctx, caller(r), resource, keys); err != nil {
		return awsapi.Response{}, err
	}
	return awsapi.Response{Status: http.StatusNoContent, ContentType: "application/json"}, nil
}

func (h *Handler) listTags(ctx context.Context, r *awsapi.Request, resource string) (awsapi.Response, error) {
	tags, err := h.svc.ListTags(ctx, caller(r), resource)
	if err != nil {
		return awsapi.Response{}, err
	}
	if tags == nil {
		tags = map[string]string{}
	}
	return ok(http.StatusOK, tagsBody{Tags: tags})
}
