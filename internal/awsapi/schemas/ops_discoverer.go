package schemas

import (
	"context"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/schema"
)

type discovererOut struct {
	Description   *string           `json:"Description,omitempty"`
	DiscovererArn string            `json:"DiscovererArn"`
	DiscovererID  string            `json:"DiscovererId"`
	SourceArn     string            `json:"SourceArn"`
	State         string            `json:"State"`
	CrossAccount  bool              `json:"CrossAccount"`
	Tags          map[string]string `json:"tags,omitempty"`
}

func toDiscoverer(d schema.DiscovererInfo) discovererOut {
	return discovererOut{
		Description: str(d.Description), DiscovererArn: d.Arn, DiscovererID: d.ID, SourceArn: d.SourceArn,
		State: d.State, CrossAccount: d.CrossAccount, Tags: d.Tags,
	}
}

func (h *Handler) createDiscoverer(ctx context.Context, r *awsapi.Request, _ []string) (awsapi.Response, error) {
	var in struct {
		Description  string
		SourceArn    string
		CrossAccount *bool
		Tags         map[string]string
	}
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	if n := len(in.SourceArn); n < 20 || n > 1600 {
		return awsapi.Response{}, badRequest("SourceArn must be between 20 and 1600 characters long.")
	}
	d, err := h.svc.CreateDiscoverer(ctx, schema.CreateDiscovererInput{
		Caller: caller(r), SourceArn: in.SourceArn, Description: in.Description, CrossAccount: in.CrossAccount, Tags: in.Tags,
	})
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusCreated, toDiscoverer(d))
}

func (h *Handler) describeDiscoverer(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	d, err := h.svc.DescribeDiscoverer(ctx, caller(r), names[0])
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusOK, toDiscoverer(d))
}

func (h *Handler) updateDiscoverer(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	var in struct {
		Description  *string
		CrossAccount *bool
	}
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	d, err := h.svc.UpdateDiscoverer(ctx, schema.UpdateDiscovererInput{Caller: caller(r), ID: names[0], Description: in.Description, CrossAccount: in.CrossAccount})
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusOK, toDiscoverer(d))
}

func (h *Handler) deleteDiscoverer(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	if err := h.svc.DeleteDiscoverer(ctx, caller(r), names[0]); err != nil {
		return awsapi.Response{}, err
	}
	return noContent()
}

func (h *Handler) startDiscoverer(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	d, err := h.svc.StartDiscoverer(ctx, caller(r), names[0])
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusOK, map[string]string{"DiscovererId": d.ID, "State": d.State})
}

func (h *Handler) stopDiscoverer(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	d, err := h.svc.StopDiscoverer(ctx, caller(r), names[0])
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusOK, map[string]string{"DiscovererId": d.ID, "State": d.State})
}

func (h *Handler) listDiscoverers(ctx context.Context, r *awsapi.Request, _ []string) (awsapi.Response, error) {
	p, err := page(r)
	if err != nil {
		return awsapi.Response{}, err
	}
	list, next, err := h.svc.ListDiscoverers(ctx, schema.ListDiscoverersInput{
		Caller: caller(r), IDPrefix: query(r, "discovererIdPrefix"), SourceArnPrefix: query(r, "sourceArnPrefix"), Page: p,
	})
	if err != nil {
		return awsapi.Response{}, err
	}
	out := struct {
		Discoverers []discovererOut `json:"Discoverers"`
		NextToken   *string         `json:"NextToken,omitempty"`
	}{Discoverers: []discovererOut{}, NextToken: str(next)}
	for _, d := range list {
		o := toDiscoverer(d)
		o.Description = nil // not in DiscovererSummary
		out.Discoverers = append(out.Discoverers, o)
	}
	return reply(http.StatusOK, out)
}
