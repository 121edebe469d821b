package lambda

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/function"
)

// LayerPrefix is the API version path layers are served under.
const LayerPrefix = "/2018-10-31/"

// layerPath is a layer operation's path: /2018-10-31/layers/{LayerName}
// /versions/{VersionNumber}/policy/{StatementId}, as far as it goes.
type layerPath struct {
	version   int64
	statement string
}

// parseLayerPath reads the version number and statement id from the path.
func parseLayerPath(r *awsapi.Request) (layerPath, error) {
	parts := strings.Split(strings.TrimSuffix(r.HTTP.URL.Path, "/"), "/")
	var p layerPath
	if len(parts) > 5 {
		n, err := strconv.ParseInt(parts[5], 10, 64)
		if err != nil {
			return p, &function.Error{Code: function.CodeValidation, Message: "1 validation error detected: Value '" + parts[5] + "' at 'versionNumber' failed to satisfy constraint: Member must be a number"}
		}
		p.version = n
	}
	if len(parts) > 7 {
		p.statement = parts[7]
	}
	return p, nil
}

func (h *Handler) publishLayerVersion(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	var in publishLayerInput
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	if in.Content == nil {
		return awsapi.Response{}, &function.Error{Code: function.CodeValidation, Message: "1 validation error detected: Value null at 'content' failed to satisfy constraint: Member must not be null"}
	}
	v, err := h.svc.PublishLayerVersion(ctx, caller(r), function.PublishLayerInput{
		Name: name, Description: in.Description, LicenseInfo: in.LicenseInfo,
		CompatibleRuntimes: in.CompatibleRuntimes, CompatibleArchitectures: in.CompatibleArchitectures,
		ZipFile: in.Content.ZipFile, HasS3Code: in.Content.S3Bucket != nil || in.Content.S3Key != nil,
	})
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusCreated, toLayerVersion(v, r.Host))
}

func (h *Handler) getLayerVersion(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	p, err := parseLayerPath(r)
	if err != nil {
		return awsapi.Response{}, err
	}
	v, err := h.svc.GetLayerVersion(ctx, caller(r), name, p.version)
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, toLayerVersion(v, r.Host))
}

// listLayers serves ListLayers, and GetLayerVersionByArn, which shares its
// path and is told apart by ?find=LayerVersion.
func (h *Handler) listLayers(ctx context.Context, r *awsapi.Request, _ string) (awsapi.Response, error) {
	q := r.HTTP.URL.Query()
	if q.Get("find") == "LayerVersion" {
		r.Operation = "GetLayerVersionByArn"
		v, err := h.svc.GetLayerVersionByArn(ctx, caller(r), q.Get("Arn"))
		if err != nil {
			return awsapi.Response{}, err
		}
		return ok(http.StatusOK, toLayerVersion(v, r.Host))
	}
	in, err := layerListInput(r, "")
	if err != nil {
		return awsapi.Response{}, err
	}
	layers, next, err := h.svc.ListLayers(ctx, caller(r), in)
	if err != nil {
		return awsapi.Response{}, err
	}
	out := listLayersOutput{Layers: make([]layersListItem, 0, len(layers)), NextMarker: next}
	for _, l := range layers {
		out.Layers = append(out.Layers, layersListItem{LayerName: l.Name, LayerArn: l.Arn, LatestMatchingVersion: toLayerListItem(l.Latest)})
	}
	return ok(http.StatusOK, out)
}

func layerListInput(r *awsapi.Request, name string) (function.ListLayersInput, error) {
	q := r.HTTP.URL.Query()
	in := function.ListLayersInput{
		Name: name, CompatibleRuntime: q.Get("CompatibleRuntime"), CompatibleArchitecture: q.Get("CompatibleArchitecture"), Marker: q.Get("Marker"),
	}
	if s := q.Get("MaxItems"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return in, &function.Error{Code: function.CodeInvalidParameterValue, Message: "Invalid MaxItems: " + s}
		}
		in.MaxItems = n
	}
	return in, nil
}

func (h *Handler) listLayerVersions(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	in, err := layerListInput(r, name)
	if err != nil {
		return awsapi.Response{}, err
	}
	versions, next, err := h.svc.ListLayerVersions(ctx, caller(r), in)
	if err != nil {
		return awsapi.Response{}, err
	}
	out := listLayerVersionsOutput{LayerVersions: make([]layerVersionsListItem, 0, len(versions)), NextMarker: next}
	for _, v := range versions {
		out.LayerVersions = append(out.LayerVersions, toLayerListItem(v))
	}
	return ok(http.StatusOK, out)
}

func (h *Handler) deleteLayerVersion(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	p, err := parseLayerPath(r)
	if err != nil {
		return awsapi.Response{}, err
	}
	if err := h.svc.DeleteLayerVersion(ctx, caller(r), name, p.version); err != nil {
		return awsapi.Response{}, err
	}
	return awsapi.Response{Status: http.StatusNoContent, ContentType: "application/json"}, nil
}

func (h *Handler) addLayerVersionPermission(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	p, err := parseLayerPath(r)
	if err != nil {
		return awsapi.Response{}, err
	}
	var in addLayerPermissionInput
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	st, rev, err := h.svc.AddLayerVersionPermission(ctx, caller(r), function.AddLayerPermissionInput{
		Name: name, Version: p.version, StatementID: in.StatementID, Action: in.Action, Principal: in.Principal,
		OrganizationID: in.OrganizationID, RevisionID: r.HTTP.URL.Query().Get("RevisionId"),
	})
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusCreated, addLayerPermissionOutput{Statement: st, RevisionID: rev})
}

func (h *Handler) removeLayerVersionPermission(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	p, err := parseLayerPath(r)
	if err != nil {
		return awsapi.Response{}, err
	}
	if err := h.svc.RemoveLayerVersionPermission(ctx, caller(r), name, p.version, p.statement, r.HTTP.URL.Query().Get("RevisionId")); err != nil {
		return awsapi.Response{}, err
	}
	return awsapi.Response{Status: http.StatusNoContent, ContentType: "application/json"}, nil
}

func (h *Handler) getLayerVersionPolicy(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	p, err := parseLayerPath(r)
	if err != nil {
		return awsapi.Response{}, err
	}
	pol, err := h.svc.GetLayerVersionPolicy(ctx, caller(r), name, p.version)
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, layerPolicyOutput{Policy: pol.Policy, RevisionID: pol.RevisionID})
}
