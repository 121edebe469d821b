package sigv4_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/awsapi/sigv4"
)

// verifyingServer answers 200 {} to requests that verify, and otherwise an
// SQS-style JSON error (with x-amzn-query-error) built from the *sigv4.Error.
func verifyingServer(t *testing.T, v *sigv4.Verifier) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		if _, err := v.Verify(r, body); err != nil {
			var authErr *sigv4.Error
			if !errors.As(err, &authErr) {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("X-Amzn-Query-Error", authErr.Code+";Sender")
			w.WriteHeader(authErr.HTTPStatus)
			_ = json.NewEncoder(w).Encode(map[string]string{
				"__type":  "com.amazon.coral.service#" + authErr.JSONType(),
				"message": authErr.Message,
			})
			return
		}
		_, _ = io.WriteString(w, "{}")
	}))
	t.Cleanup(srv.Close)
	return srv
}

// realClockVerifier knows the example key and reads the real clock, as the
// SDK clients sign with the real clock.
func realClockVerifier() *sigv4.Verifier {
	return &sigv4.Verifier{
		Lookup: func(id string) (string, bool) { return exampleSecret, id == exampleKeyID },
		Now:    time.Now,
	}
}

func TestVerifyOverHTTPWithSQSClient(t *testing.T) {
	t.Parallel()
	srv := verifyingServer(t, realClockVerifier())
	client := func(secret string) *sqs.Client {
		return sqs.New(sqs.Options{
			Region:           "us-east-1",
			BaseEndpoint:     aws.String(srv.URL),
			Credentials:      credentials.NewStaticCredentialsProvider(exampleKeyID, secret, ""),
			RetryMaxAttempts: 1,
		})
	}

	_, err := client(exampleSecret).ListQueues(t.Context(), &sqs.ListQueuesInput{QueueNamePrefix: aws.String("a b/€")})
	require.NoError(t, err)
	_, err = client(exampleSecret).SendMessage(t.Context(), &sqs.SendMessageInput{
		QueueUrl: aws.String(srv.URL + "/000000000000/q"), MessageBody: aws.String(strings.Repeat("x  y ", 1000)),
	})
	require.NoError(t, err)

	_, err = client("wrong secret").ListQueues(t.Context(), &sqs.ListQueuesInput{})
	var apiErr smithy.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, sigv4.CodeSignatureDoesNotMatch, apiErr.ErrorCode())
}

func TestVerifyOverHTTPSignedAndPresigned(t *testing.T) {
	t.Parallel()
	b := setup(t)
	srv := verifyingServer(t, realClockVerifier())
	now := time.Now()

	body := []byte(`{"QueueName":"q"}`)
	r := newRequest(t, http.MethodPost, srv.URL+"/?x=1", body)
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	b.sign(t, r, body, exampleSecret, now)
	requireStatus(t, r, http.StatusOK)

	p := b.presign(t, newRequest(t, http.MethodGet, srv.URL+"/000000000000/q?Action=ReceiveMessage", nil), nil, 60, now)
	requireStatus(t, p, http.StatusOK)

	stale := b.presign(t, newRequest(t, http.MethodGet, srv.URL+"/?Action=ListQueues", nil), nil, 60, now.Add(-time.Hour))
	requireStatus(t, stale, http.StatusForbidden)

	unsigned := newRequest(t, http.MethodGet, srv.URL+"/?Action=ListQueues", nil)
	requireStatus(t, unsigned, http.StatusForbidden)
}

// requireStatus sends r and checks the response status.
func requireStatus(t *testing.T, r *http.Request, status int) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	msg, _ := io.ReadAll(resp.Body)
	require.Equal(t, status, resp.StatusCode, string(msg))
}
