package sigv4_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/awsapi/sigv4"
)

// FuzzParse feeds arbitrary Authorization headers, query strings and dates
// to Parse and Verify. Neither may panic, every error must be a well-formed
// *sigv4.Error, and the two must agree: what Parse rejects Verify rejects,
// and what Verify accepts Parse reads identically.
func FuzzParse(f *testing.F) {
	for _, seed := range goldenSeeds(f) {
		f.Add(seed.auth, seed.query, seed.date)
	}
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/e,SignedHeaders=host,Signature=x", "", "20150830T123600Z")
	f.Add("AWS4-", "X-Amz-Algorithm", "")
	f.Add("", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%2F%2F%2F%2F&X-Amz-Date=1&X-Amz-SignedHeaders=;&X-Amz-Signature=1&X-Amz-Expires=-9", "")
	f.Fuzz(func(t *testing.T, auth, query, date string) {
		r := &http.Request{
			Method: http.MethodGet,
			URL:    &url.URL{Path: "/", RawQuery: query},
			Header: http.Header{},
			Host:   "127.0.0.1:4566",
		}
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		if date != "" {
			r.Header.Set("X-Amz-Date", date)
		}
		parsed, parseErr := sigv4.Parse(r)
		verified, verifyErr := setup(t).verifier.Verify(r, nil)
		requireWellFormed(t, parseErr)
		requireWellFormed(t, verifyErr)
		if parseErr != nil {
			require.Error(t, verifyErr, "Verify accepted what Parse rejected: %v", parseErr)
			require.Equal(t, sigv4.Credential{}, parsed)
			return
		}
		_, presigned := r.URL.Query()["X-Amz-Algorithm"]
		require.Equal(t, presigned, parsed.Presigned)
		if verifyErr == nil {
			require.Equal(t, parsed, verified)
		}
	})
}

// FuzzVerify is a differential test against the AWS SDK's signer: a request
// built from the inputs and signed (or presigned) by aws-sdk-go-v2 must
// verify exactly when its date is inside the allowed window, and must stop
// verifying when its body changes.
func FuzzVerify(f *testing.F) {
	f.Add(uint8(0), "", "Action", "ListQueues", "", []byte(nil), int16(0), false)
	f.Add(uint8(1), "123456789012/q", "a b", "c+d/é", "  x   y  ", []byte(`{"QueueName":"q"}`), int16(-900), false)
	f.Add(uint8(2), "a%2Fb/ c/~", "", "", "\t", []byte("Action=SendMessage&MessageBody=%F0%9F%98%80"), int16(901), false)
	f.Add(uint8(0), "000000000000/q", "Action", "ReceiveMessage", "v", []byte(nil), int16(-600), true)
	f.Add(uint8(3), "x", "k", "", "", []byte("body"), int16(-601), true)
	f.Fuzz(func(t *testing.T, method uint8, path, key, value, header string, body []byte, skew int16, presigned bool) {
		b := setup(t)
		r := fuzzRequest(t, method, path, key, value, header, body)
		offset := time.Duration(skew) * time.Second
		if presigned {
			r = presignForFuzz(t, b, r, body, b.now.Add(offset))
		} else {
			original := r.URL.RawQuery
			require.NoError(t, b.signer().SignHTTP(t.Context(), creds(exampleSecret), r, payloadHash(body), "sqs", "us-east-1", b.now.Add(offset)))
			r.URL.RawQuery = original // as sent, not as the SDK canonicalised it
		}

		_, err := b.verifier.Verify(r, body)
		if !inWindow(offset, presigned) {
			requireAuthError(t, err, sigv4.CodeSignatureDoesNotMatch, http.StatusForbidden, "")
			return
		}
		require.NoError(t, err)
		if len(body) > 0 {
			tampered := bytes.Clone(body)
			tampered[0] ^= 1
			_, err = b.verifier.Verify(r, tampered)
			requireAuthError(t, err, sigv4.CodeSignatureDoesNotMatch, http.StatusForbidden, msgBadSignature)
		}
	})
}

// fuzzPresignExpires is the X-Amz-Expires FuzzVerify puts on presigned URLs.
const fuzzPresignExpires = 600

// inWindow reports whether a request signed offset from now is still valid.
func inWindow(offset time.Duration, presigned bool) bool {
	if offset > 15*time.Minute {
		return false
	}
	if presigned {
		return offset >= -fuzzPresignExpires*time.Second
	}
	return offset >= -15*time.Minute
}

// fuzzRequest builds a request to the emulator from fuzz inputs.
func fuzzRequest(t *testing.T, method uint8, path, key, value, header string, body []byte) *http.Request {
	t.Helper()
	methods := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete}
	u := &url.URL{Scheme: "http", Host: "127.0.0.1:4566", Path: "/" + path}
	if key != "" || value != "" {
		u.RawQuery = url.Values{"k" + key: {value}}.Encode() // "k" keeps clear of X-Amz-*
	}
	r := &http.Request{
		Method:        methods[int(method)%len(methods)],
		URL:           u,
		Header:        http.Header{},
		Host:          u.Host,
		ContentLength: int64(len(body)),
	}
	r.Header.Set("X-Fuzz", header)
	return r
}

// presignForFuzz presigns r and returns the request a client would send.
func presignForFuzz(t *testing.T, b bundle, r *http.Request, body []byte, at time.Time) *http.Request {
	t.Helper()
	q := r.URL.Query()
	q.Set("X-Amz-Expires", strconv.Itoa(fuzzPresignExpires))
	r.URL.RawQuery = q.Encode()
	signedURL, headers, err := b.signer().PresignHTTP(t.Context(), creds(exampleSecret), r, payloadHash(body), "sqs", "us-east-1", at)
	require.NoError(t, err)
	u, err := url.Parse(signedURL)
	require.NoError(t, err)
	out := &http.Request{Method: r.Method, URL: u, Header: http.Header{}, Host: u.Host, ContentLength: int64(len(body))}
	for k, v := range headers {
		if k != "Host" {
			out.Header[k] = v
		}
	}
	return out
}

// requireWellFormed checks that a non-nil error is an *sigv4.Error with a
// known code, its status, a message, and matches ErrNoSignature exactly when
// it is MissingAuthenticationToken.
func requireWellFormed(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var authErr *sigv4.Error
	require.True(t, errors.As(err, &authErr), "not a *sigv4.Error: %v", err)
	require.NotEmpty(t, authErr.Message)
	switch authErr.Code {
	case sigv4.CodeIncompleteSignature:
		require.Equal(t, http.StatusBadRequest, authErr.HTTPStatus)
	case sigv4.CodeInvalidClientTokenID, sigv4.CodeSignatureDoesNotMatch, sigv4.CodeMissingAuthenticationToken:
		require.Equal(t, http.StatusForbidden, authErr.HTTPStatus)
	default:
		t.Fatalf("unknown code %q", authErr.Code)
	}
	require.Equal(t, authErr.Code == sigv4.CodeMissingAuthenticationToken, errors.Is(err, sigv4.ErrNoSignature))
}

// goldenSeed is the signature-bearing part of a golden request.
type goldenSeed struct{ auth, query, date string }

// goldenSeeds reads the golden requests' Authorization, query and date.
func goldenSeeds(f *testing.F) []goldenSeed {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "requests", "*.http"))
	require.NoError(f, err)
	seeds := make([]goldenSeed, 0, len(files))
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(f, err)
		seeds = append(seeds, seedFromRaw(string(data)))
	}
	return seeds
}

// seedFromRaw picks the request target's query and two headers out of a raw request.
func seedFromRaw(raw string) goldenSeed {
	var s goldenSeed
	lines := strings.Split(raw, "\n")
	if fields := strings.Fields(lines[0]); len(fields) > 1 {
		_, s.query, _ = strings.Cut(fields[1], "?")
	}
	for _, line := range lines[1:] {
		name, value, _ := strings.Cut(line, ": ")
		switch name {
		case "Authorization":
			s.auth = value
		case "X-Amz-Date":
			s.date = value
		}
	}
	return s
}
