package sigv4_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/awsapi/sigv4"
)

// The AWS documentation's example credentials.
const (
	exampleKeyID  = "AKIDEXAMPLE"
	exampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	accountKeyID  = "123456789012" // a key id that names an account
	accountSecret = "account-secret"
)

// exampleTime is the AWS documentation example's signing time, 20150830T123600Z.
func exampleTime() time.Time { return time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC) }

// bundle is what a verification test needs.
type bundle struct {
	now      time.Time
	verifier *sigv4.Verifier
}

// setup returns a verifier that knows the example key and an account key,
// with its clock fixed at exampleTime.
func setup(t *testing.T) bundle {
	t.Helper()
	now := exampleTime()
	secrets := map[string]string{exampleKeyID: exampleSecret, accountKeyID: accountSecret}
	return bundle{
		now: now,
		verifier: &sigv4.Verifier{
			Lookup: func(id string) (string, bool) { s, ok := secrets[id]; return s, ok },
			Now:    func() time.Time { return now },
		},
	}
}

// signer returns a new SDK signer. Each call gets its own: the SDK caches
// derived keys by access key id, so a shared signer would reuse the first
// secret it saw for a key.
func (bundle) signer() *v4.Signer { return v4.NewSigner() }

// creds returns static credentials for the example key with secret.
func creds(secret string) aws.Credentials {
	return aws.Credentials{AccessKeyID: exampleKeyID, SecretAccessKey: secret}
}

// payloadHash is the hex SHA-256 the SDK expects to be given.
func payloadHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// newRequest builds a client request with body.
func newRequest(t *testing.T, method, target string, body []byte) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, target, bytes.NewReader(body))
	require.NoError(t, err)
	return r
}

// sign signs r with the SDK's SigV4 signer as service sqs in us-east-1.
func (b bundle) sign(t *testing.T, r *http.Request, body []byte, secret string, at time.Time) {
	t.Helper()
	err := b.signer().SignHTTP(t.Context(), creds(secret), r, payloadHash(body), "sqs", "us-east-1", at)
	require.NoError(t, err)
}

// presign presigns r with the SDK (expires seconds, or none if negative) and
// returns the request a client would send to the presigned URL.
func (b bundle) presign(t *testing.T, r *http.Request, body []byte, expires int, at time.Time) *http.Request {
	t.Helper()
	if expires >= 0 {
		q := r.URL.Query()
		q.Set("X-Amz-Expires", strconv.Itoa(expires))
		r.URL.RawQuery = q.Encode()
	}
	signedURL, headers, err := b.signer().PresignHTTP(t.Context(), creds(exampleSecret), r, payloadHash(body), "sqs", "us-east-1", at)
	require.NoError(t, err)
	out := newRequest(t, r.Method, signedURL, body)
	for k, v := range headers {
		if k != "Host" {
			out.Header[k] = v
		}
	}
	return out
}

// requireAuthError asserts err is an *sigv4.Error with code and status, and
// message when message is not empty.
func requireAuthError(t *testing.T, err error, code string, status int, message string) {
	t.Helper()
	var authErr *sigv4.Error
	require.True(t, errors.As(err, &authErr), "want *sigv4.Error, got %v", err)
	require.Equal(t, code, authErr.Code, authErr.Message)
	require.Equal(t, status, authErr.HTTPStatus)
	if message != "" {
		require.Equal(t, message, authErr.Message)
	}
}
