package schemas

import (
	"context"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/schema"
)

type schemaOut struct {
	Content            *string           `json:"Content,omitempty"`
	Description        *string           `json:"Description,omitempty"`
	LastModified       *string           `json:"LastModified,omitempty"`
	SchemaArn          string            `json:"SchemaArn"`
	SchemaName         string            `json:"SchemaName"`
	SchemaVersion      string            `json:"SchemaVersion"`
	Tags               map[string]string `json:"tags,omitempty"`
	Type               string            `json:"Type"`
	VersionCreatedDate *string           `json:"VersionCreatedDate,omitempty"`
}

func toSchema(i schema.SchemaInfo) schemaOut {
	return schemaOut{
		Content: str(i.Content), Description: str(i.Description), LastModified: timestamp(i.LastModified),
		SchemaArn: i.Arn, SchemaName: i.Name, SchemaVersion: i.Version, Tags: i.Tags, Type: i.Type,
		VersionCreatedDate: timestamp(i.VersionDate),
	}
}

func (h *Handler) createSchema(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	var in struct {
		Content     string
		Description string
		Tags        map[string]string
		Type        string
	}
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	out, err := h.svc.CreateSchema(ctx, schema.CreateSchemaInput{
		Caller: caller(r), Registry: names[0], Name: names[1], Type: in.Type, Content: in.Content,
		Description: in.Description, Tags: in.Tags,
	})
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusCreated, toSchema(out))
}

func (h *Handler) updateSchema(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	var in struct {
		ClientTokenID *string `json:"ClientTokenId"`
		Content       *string
		Description   *string
		Type          *string
	}
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	if in.ClientTokenID != nil && len(*in.ClientTokenID) > 36 {
		return awsapi.Response{}, badRequest("ClientTokenId must be at most 36 characters long.")
	}
	out, err := h.svc.UpdateSchema(ctx, schema.UpdateSchemaInput{
		Caller: caller(r), Registry: names[0], Name: names[1], Type: in.Type, Content: in.Content, Description: in.Description,
	})
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusOK, toSchema(out))
}

func (h *Handler) describeSchema(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	out, err := h.svc.DescribeSchema(ctx, caller(r), names[0], names[1], query(r, "schemaVersion"))
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusOK, toSchema(out))
}

func (h *Handler) deleteSchema(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	if err := h.svc.DeleteSchema(ctx, caller(r), names[0], names[1]); err != nil {
		return awsapi.Response{}, err
	}
	return noContent()
}

func (h *Handler) deleteSchemaVersion(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	if err := h.svc.DeleteSchemaVersion(ctx, caller(r), names[0], names[1], names[2]); err != nil {
		return awsapi.Response{}, err
	}
	return noContent()
}

func (h *Handler) listSchemas(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	p, err := page(r)
	if err != nil {
		return awsapi.Response{}, err
	}
	list, next, err := h.svc.ListSchemas(ctx, caller(r), names[0], query(r, "schemaNamePrefix"), p)
	if err != nil {
		return awsapi.Response{}, err
	}
	type summary struct {
		LastModified *string           `json:"LastModified,omitempty"`
		SchemaArn    string            `json:"SchemaArn"`
		SchemaName   string            `json:"SchemaName"`
		Tags         map[string]string `json:"tags,omitempty"`
		VersionCount int64             `json:"VersionCount"`
	}
	out := struct {
		NextToken *string   `json:"NextToken,omitempty"`
		Schemas   []summary `json:"Schemas"`
	}{NextToken: str(next), Schemas: []summary{}}
	for _, s := range list {
		out.Schemas = append(out.Schemas, summary{timestamp(s.LastModified), s.Arn, s.Name, s.Tags, s.VersionCount})
	}
	return reply(http.StatusOK, out)
}

type versionOut struct {
	CreatedDate   *string `json:"CreatedDate,omitempty"`
	SchemaArn     string  `json:"SchemaArn,omitempty"`
	SchemaName    string  `json:"SchemaName,omitempty"`
	SchemaVersion string  `json:"SchemaVersion"`
	Type          string  `json:"Type"`
}

func (h *Handler) listSchemaVersions(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	p, err := page(r)
	if err != nil {
		return awsapi.Response{}, err
	}
	list, next, err := h.svc.ListSchemaVersions(ctx, caller(r), names[0], names[1], p)
	if err != nil {
		return awsapi.Response{}, err
	}
	out := struct {
		NextToken      *string      `json:"NextToken,omitempty"`
		SchemaVersions []versionOut `json:"SchemaVersions"`
	}{NextToken: str(next), SchemaVersions: []versionOut{}}
	for _, v := range list {
		out.SchemaVersions = append(out.SchemaVersions, versionOut{SchemaArn: v.Arn, SchemaName: v.Name, SchemaVersion: v.Version, Type: v.Type})
	}
	return reply(http.StatusOK, out)
}

func (h *Handler) searchSchemas(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	p, err := page(r)
	if err != nil {
		return awsapi.Response{}, err
	}
	if _, ok := r.HTTP.URL.Query()["keywords"]; !ok {
		return awsapi.Response{}, badRequest("Keywords is required.")
	}
	list, next, err := h.svc.SearchSchemas(ctx, caller(r), names[0], query(r, "keywords"), p)
	if err != nil {
		return awsapi.Response{}, err
	}
	type summary struct {
		RegistryName   string       `json:"RegistryName"`
		SchemaArn      string       `json:"SchemaArn"`
		SchemaName     string       `json:"SchemaName"`
		SchemaVersions []versionOut `json:"SchemaVersions"`
	}
	out := struct {
		NextToken *string   `json:"NextToken,omitempty"`
		Schemas   []summary `json:"Schemas"`
	}{NextToken: str(next), Schemas: []summary{}}
	for _, s := range list {
		sum := summary{RegistryName: s.Registry, SchemaArn: s.Arn, SchemaName: s.Name, SchemaVersions: []versionOut{}}
		for _, v := range s.Versions {
			sum.SchemaVersions = append(sum.SchemaVersions, versionOut{CreatedDate: timestamp(v.Created), SchemaVersion: v.Version, Type: v.Type})
		}
		out.Schemas = append(out.Schemas, sum)
	}
	return reply(http.StatusOK, out)
}

func (h *Handler) exportSchema(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	out, err := h.svc.ExportSchema(ctx, caller(r), names[0], names[1], query(r, "schemaVersion"), query(r, "type"))
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusOK, map[string]string{
		"Content": out.Content, "SchemaArn": out.Arn, "SchemaName": out.Name, "SchemaVersion": out.Version, "Type": out.Type,
	})
}

func (h *Handler) getDiscoveredSchema(_ context.Context, r *awsapi.Request, _ []string) (awsapi.Response, error) {
	var in struct {
		Events []string
		Type   string
	}
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	content, err := schema.DiscoverSchema(in.Events, in.Type)
	if err != nil {
		return awsapi.Response{}, err
	}
	return reply(http.StatusOK, map[string]string{"Content": content})
}

func bindingIn(r *awsapi.Request, names []string) schema.BindingInput {
	return schema.BindingInput{Caller: caller(r), Registry: names[0], Name: names[1], Language: names[2], Version: query(r, "schemaVersion")}
}

func replyBinding(status int, b schema.BindingInfo) (awsapi.Response, error) {
	return reply(status, map[string]any{
		"CreationDate": timestamp(b.Created), "LastModified": timestamp(b.LastModified),
		"SchemaVersion": b.Version, "Status": b.Status,
	})
}

func (h *Handler) putCodeBinding(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	b, err := h.svc.PutCodeBinding(ctx, bindingIn(r, names))
	if err != nil {
		return awsapi.Response{}, err
	}
	return replyBinding(http.StatusAccepted, b)
}

func (h *Handler) describeCodeBinding(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	b, err := h.svc.DescribeCodeBinding(ctx, bindingIn(r, names))
	if err != nil {
		return awsapi.Response{}, err
	}
	return replyBinding(http.StatusOK, b)
}

func (h *Handler) getCodeBindingSource(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error) {
	zip, err := h.svc.GetCodeBindingSource(ctx, bindingIn(r, names))
	if err != nil {
		return awsapi.Response{}, err
	}
	return awsapi.Response{Status: http.StatusOK, ContentType: "application/octet-stream", Body: zip}, nil
}
