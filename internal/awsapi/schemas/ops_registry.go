package schemas

import (
	"context"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/schema"
)

type registryOut struct {
	Description  *string           `json:"Description,omitempty"`
	RegistryArn  string            `json:"RegistryArn"`
	RegistryName string            `json:"RegistryName"`
	Tags         map[string]string `json:"tags,omitempty"`
}

func toRegistry(i schema.RegistryInfo) registryOut {
	return registryOut{Description: str(i.Description), RegistryArn: i.Arn, RegistryName: i.Name, Tags: i.Tags}
}

func (h *Handler) createRegistry(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	var in struct {
		Description string
		Tags        map[string]string
	}
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	out, err := h.svc.CreateRegistry(ctx, schema.CreateRegistryInput{Caller: caller(r), Name: names[0], Description: in.Description, Tags: in.Tags})
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusCreated, toRegistry(out))
}

func (h *Handler) describeRegistry(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	out, err := h.svc.DescribeRegistry(ctx, caller(r), names[0])
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusOK, toRegistry(out))
}

func (h *Handler) updateRegistry(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	var in struct{ Description string }
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	out, err := h.svc.UpdateRegistry(ctx, caller(r), names[0], in.Description)
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusOK, toRegistry(out))
}

func (h *Handler) deleteRegistry(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	if err := h.svc.DeleteRegistry(ctx, caller(r), names[0]); err != nil {
		return awsapi.Response{}, err
	}
	return noContent()
}

func (h *Handler) listRegistries(ctx context.Context, r *awsapi.Request, _ []string) (awsapi.Response, error) {
	p, err := page(r)
	if err != nil {
		return awsapi.Response{}, err
	}
	regs, next, err := h.svc.ListRegistries(ctx, schema.ListRegistriesInput{
		Caller: caller(r), Prefix: query(r, "registryNamePrefix"), Scope: query(r, "scope"), Page: p,
	})
	if err != nil {
		return awsapi.Response{}, err
	}
	out := struct {
		NextToken  *string       `json:"NextToken,omitempty"`
		Registries []registryOut `json:"Registries"`
	}{NextToken: str(next), Registries: []registryOut{}}
	for _, g := range regs {
		out.Registries = append(out.Registries, toRegistry(g))
	}
	return reply(http.StatusOK, out)
}

func (h *Handler) putResourcePolicy(ctx context.Context, r *awsapi.Request, _ []string) (awsapi.Response, error) {
	var in struct {
		Policy     string
		RevisionID string `json:"RevisionId"`
	}
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	p, err := h.svc.PutResourcePolicy(ctx, caller(r), query(r, "registryName"), in.Policy, in.RevisionID)
	if err != nil {
		return awsapi.Response{}, err
	}
	return replyPolicy(p)
}

func replyPolicy(p schema.Policy) (awsapi.Response, error) {
	// Policy is a JSON document in the model (jsonvalue): it goes on the
	// wire as a JSON string.
	return reply(http.StatusOK, map[string]string{"Policy": p.Policy, "RevisionId": p.Revision})
}

func (h *Handler) getResourcePolicy(ctx context.Context, r *awsapi.Request, _ []string) (awsapi.Response, error) {
	p, err := h.svc.GetResourcePolicy(ctx, caller(r), query(r, "registryName"))
	if err != nil {
		return awsapi.Response{}, err
	}
	return replyPolicy(p)
}

func (h *Handler) deleteResourcePolicy(ctx context.Context, r *awsapi.Request, _ []string) (awsapi.Response, error) {
	if err := h.svc.DeleteResourcePolicy(ctx, caller(r), query(r, "registryName")); err != nil {
		return awsapi.Response{}, err
	}
	return noContent()
}

func (h *Handler) tagResource(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	var in struct{ Tags map[string]string }
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	if err := h.svc.TagResource(ctx, caller(r), names[0], in.Tags); err != nil {
		return awsapi.Response{}, err
	}
	return noContent()
}

func (h *Handler) untagResource(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	if err := h.svc.UntagResource(ctx, caller(r), names[0], r.HTTP.URL.Query()["tagKeys"]); err != nil {
		return awsapi.Response{}, err
	}
	return noContent()
}

func (h *Handler) listTagsForResource(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	tags, err := h.svc.ListTagsForResource(ctx, caller(r), names[0])
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusOK, map[string]any{"tags": tags})
}
