package lambda

import (
	"context"
	"net/http"
	"path"
	"strconv"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/function"
)

func (h *Handler) publishVersion(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	var in publishVersionInput
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	v, err := h.svc.PublishVersion(ctx, caller(r), function.PublishInput{
		Name: name, CodeSha256: in.CodeSha256, Description: in.Description, RevisionID: in.RevisionID,
	})
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusCreated, toConfiguration(v))
}

// paging reads Marker and MaxItems.
func paging(r *awsapi.Request) (string, int, error) {
	q := r.HTTP.URL.Query()
	maxItems := 0
	if s := q.Get("MaxItems"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return "", 0, &function.Error{Code: function.CodeInvalidParameterValue, Message: "Invalid MaxItems: " + s}
		}
		maxItems = n
	}
	return q.Get("Marker"), maxItems, nil
}

func (h *Handler) listVersions(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	marker, maxItems, err := paging(r)
	if err != nil {
		return awsapi.Response{}, err
	}
	page, err := h.svc.ListVersions(ctx, caller(r), name, marker, maxItems)
	if err != nil {
		return awsapi.Response{}, err
	}
	out := listVersionsOutput{Versions: make([]configuration, 0, len(page.Versions)), NextMarker: page.NextMarker}
	for _, v := range page.Versions {
		out.Versions = append(out.Versions, toListed(v))
	}
	return ok(http.StatusOK, out)
}

func (h *Handler) createAlias(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	var in aliasInput
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	a, err := h.svc.CreateAlias(ctx, caller(r), aliasArgs(name, in.Name, &in))
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusCreated, toAlias(a))
}

func aliasArgs(fn, alias string, in *aliasInput) function.AliasInput {
	out := function.AliasInput{
		Function: fn, Name: alias, FunctionVersion: in.FunctionVersion,
		Description: in.Description, RevisionID: in.RevisionID,
	}
	if in.RoutingConfig != nil {
		w := in.RoutingConfig.AdditionalVersionWeights
		if w == nil {
			w = map[string]float64{}
		}
		out.Weights = &w
	}
	return out
}

// aliasName is the alias segment of an alias operation's path.
func aliasName(r *awsapi.Request) string { return path.Base(r.HTTP.URL.Path) }

func (h *Handler) getAlias(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	a, err := h.svc.GetAlias(ctx, caller(r), name, aliasName(r))
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, toAlias(a))
}

func (h *Handler) updateAlias(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	var in aliasInput
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	a, err := h.svc.UpdateAlias(ctx, caller(r), aliasArgs(name, aliasName(r), &in))
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, toAlias(a))
}

func (h *Handler) deleteAlias(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	if err := h.svc.DeleteAlias(ctx, caller(r), name, aliasName(r)); err != nil {
		return awsapi.Response{}, err
	}
	return awsapi.Response{Status: http.StatusNoContent, ContentType: "application/json"}, nil
}

func (h *Handler) listAliases(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	marker, maxItems, err := paging(r)
	if err != nil {
		return awsapi.Response{}, err
	}
	page, err := h.svc.ListAliases(ctx, caller(r), name, r.HTTP.URL.Query().Get("FunctionVersion"), marker, maxItems)
	if err != nil {
		return awsapi.Response{}, err
	}
	out := listAliasesOutput{Aliases: make([]aliasConfiguration, 0, len(page.Aliases)), NextMarker: page.NextMarker}
	for _, a := range page.Aliases {
		out.Aliases = append(out.Aliases, toAlias(a))
	}
	return ok(http.StatusOK, out)
}
