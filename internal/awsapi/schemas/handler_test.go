package schemas

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/schema"
)

func serve(t *testing.T, method, target, body string) awsapi.Response {
	t.Helper()
	h := New(schema.New(schema.Config{}), slog.New(slog.DiscardHandler))
	req := httptest.NewRequest(method, target, io.NopCloser(strings.NewReader(body)))
	return h.Serve(context.Background(), &awsapi.Request{
		HTTP: req, Body: []byte(body), Identity: awsapi.Identity{Account: "000000000000", Region: "us-east-1"},
	})
}

// TestRenderedErrors: errors carry X-Amzn-ErrorType and {"Code","Message"}.
func TestRenderedErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		method, target, body string
		status               int
		typ, body2           string
	}{
		{http.MethodGet, "/v1/registries/name/nope", "", 404, "NotFoundException", `{"Code":"NotFoundException","Message":"Registry with name nope does not exist."}`},
		{http.MethodPost, "/v1/registries/name/x", "{", 400, "BadRequestException", `{"Code":"BadRequestException","Message":"The request body is not valid JSON: unexpected end of JSON input"}`},
		{http.MethodGet, "/v1/registries?limit=abc", "", 400, "BadRequestException", `{"Code":"BadRequestException","Message":"limit must be an integer."}`},
		{http.MethodPatch, "/v1/registries", "", 404, "NotFoundException", `{"Code":"NotFoundException","Message":"Unknown operation PATCH /v1/registries"}`},
		{http.MethodGet, "/v1/registries/name/aws.events/schemas/name/nope/language/Go1", "", 404, "NotFoundException", `{"Code":"NotFoundException","Message":"Schema with name nope does not exist."}`},
	} {
		resp := serve(t, c.method, c.target, c.body)
		require.Equal(t, c.status, resp.Status, c.target)
		require.Equal(t, c.typ, resp.Header.Get("X-Amzn-ErrorType"), c.target)
		require.JSONEq(t, c.body2, string(resp.Body), c.target)
	}
}

// TestEscapedNames: names and ARNs in the path are unescaped per segment.
func TestEscapedNames(t *testing.T) {
	t.Parallel()
	resp := serve(t, http.MethodGet, "/v1/registries/name/aws.events/schemas/name/aws.ec2%40EC2InstanceStateChangeNotification", "")
	require.Equal(t, http.StatusOK, resp.Status, string(resp.Body))
	require.Contains(t, string(resp.Body), `"SchemaName":"aws.ec2@EC2InstanceStateChangeNotification"`)
	resp = serve(t, http.MethodGet, "/tags/arn%3Aaws%3Aschemas%3Aus-east-1%3A000000000000%3Aschema%2Fr%2Fs", "")
	require.Equal(t, http.StatusNotFound, resp.Status)
	require.Contains(t, string(resp.Body), "arn:aws:schemas:us-east-1:000000000000:schema/r/s does not exist.")
}
