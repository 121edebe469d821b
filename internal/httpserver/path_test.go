package httpserver

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/awsapi"
)

func TestPathRouting(t *testing.T) {
	t.Parallel()
	sqsRec, lambdaRec := &recorder{}, &recorder{}
	rt := NewRouter()
	rt.Handle(Route{Name: "sqs", TargetPrefix: "AmazonSQS", QueryActions: []string{"SendMessage"}}, sqsRec)
	rt.Handle(Route{Name: "lambda", PathPrefixes: []string{"/2015-03-31/"}, MaxBody: 8 << 20}, lambdaRec)
	s := New(Config{Addr: "127.0.0.1:0", Router: rt})
	require.NoError(t, s.Start(t.Context()))
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	url := "http://" + s.Addr()

	resp, _ := do(t, must(http.NewRequest(http.MethodGet, url+"/2015-03-31/functions/f", nil)))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "/2015-03-31/functions/f", lambdaRec.got.HTTP.URL.Path)
	require.Equal(t, awsapi.ProtocolJSON, lambdaRec.got.Protocol)
	require.Equal(t, "us-east-1", lambdaRec.got.Identity.Region)

	// A path-routed service's own body limit applies (above the 4 MiB default).
	big := strings.Repeat("x", 5<<20)
	resp, _ = do(t, must(http.NewRequest(http.MethodPost, url+"/2015-03-31/functions", strings.NewReader(big))))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, lambdaRec.got.Body, 5<<20)
	resp, _ = do(t, must(http.NewRequest(http.MethodPost, url+"/2015-03-31/functions", strings.NewReader(big+big))))
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)

	// X-Amz-Target still wins, and other paths still route by Action.
	req := must(http.NewRequest(http.MethodPost, url+"/2015-03-31/x", strings.NewReader(`{}`)))
	req.Header.Set("X-Amz-Target", "AmazonSQS.ListQueues")
	_, body := do(t, req)
	require.Equal(t, "ListQueues", body)
	_, body = do(t, must(http.NewRequest(http.MethodGet, url+"/?Action=SendMessage", nil)))
	require.Equal(t, "SendMessage", body)
}
