package sigv4_test

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/awsapi/sigv4"
)

const (
	docAuthorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, " +
		"SignedHeaders=content-type;host;x-amz-date, " +
		"Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
	msgBadSignature = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	sqsJSONBody = `{"QueueUrl":"http://127.0.0.1:4566/000000000000/q","MessageBody":"hello  world"}`
)

// docRequest is the AWS documentation's SigV4 example request, unsigned.
func docRequest(t *testing.T) *http.Request {
	t.Helper()
	r := newRequest(t, http.MethodGet, "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08", nil)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	return r
}

func TestVerifyAWSDocumentationExample(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := docRequest(t)
	r.Header.Set("X-Amz-Date", "20150830T123600Z")
	r.Header.Set("Authorization", docAuthorization)

	cred, err := b.verifier.Verify(r, nil)
	require.NoError(t, err)
	require.Equal(t, sigv4.Credential{AccessKeyID: exampleKeyID, Date: "20150830", Region: "us-east-1", Service: "iam"}, cred)

	r.Header.Set("Authorization", strings.Replace(docAuthorization, "5d672d79", "5d672d78", 1))
	_, err = b.verifier.Verify(r, nil)
	requireAuthError(t, err, sigv4.CodeSignatureDoesNotMatch, http.StatusForbidden, msgBadSignature)
}

func TestSDKSignerReproducesAWSDocumentationExample(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := docRequest(t)
	err := b.signer().SignHTTP(t.Context(), creds(exampleSecret), r, payloadHash(nil), "iam", "us-east-1", exampleTime())
	require.NoError(t, err)
	require.Equal(t, docAuthorization, r.Header.Get("Authorization"))
}

func TestVerifyAcceptsSDKSignedRequests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		method  string
		target  string
		body    string
		headers map[string]string
		skew    time.Duration
	}{
		{name: "query GET", method: http.MethodGet, target: "http://127.0.0.1:4566/?Action=ListQueues&Version=2012-11-05"},
		{
			name: "JSON POST", method: http.MethodPost, target: "http://127.0.0.1:4566/", body: sqsJSONBody,
			headers: map[string]string{"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.SendMessage"},
		},
		{
			name: "form POST", method: http.MethodPost, target: "http://localhost:4566/123456789012/q",
			body:    "Action=SendMessage&MessageBody=a+b%2Fc&Version=2012-11-05",
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
		},
		{name: "escaped path", method: http.MethodGet, target: "http://localhost:4566/123456789012/my%20queue%E2%82%AC?a=b+c&a=%2F&z"},
		{name: "default port", method: http.MethodGet, target: "http://localhost:80/"},
		{name: "spaces in header values", method: http.MethodGet, target: "http://h/", headers: map[string]string{"X-Custom": "  a   b  "}},
		{
			name: "unsigned payload", method: http.MethodPost, target: "http://h/", body: "anything",
			headers: map[string]string{"X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD"},
		},
		{name: "14 minutes old", method: http.MethodGet, target: "http://h/", skew: -14 * time.Minute},
		{name: "14 minutes ahead", method: http.MethodGet, target: "http://h/", skew: 14 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			body := []byte(tt.body)
			r := newRequest(t, tt.method, tt.target, body)
			hash := payloadHash(body)
			for k, v := range tt.headers {
				r.Header.Set(k, v)
				if k == "X-Amz-Content-Sha256" {
					hash = v
				}
			}
			err := b.signer().SignHTTP(t.Context(), creds(exampleSecret), r, hash, "sqs", "us-east-1", b.now.Add(tt.skew))
			require.NoError(t, err)

			cred, err := b.verifier.Verify(r, body)
			require.NoError(t, err)
			require.Equal(t, sigv4.Credential{AccessKeyID: exampleKeyID, Date: "20150830", Region: "us-east-1", Service: "sqs"}, cred)
		})
	}
}

func TestVerifyAcceptsSessionTokenAndAccountKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := newRequest(t, http.MethodGet, "http://h/", nil)
	c := aws.Credentials{AccessKeyID: accountKeyID, SecretAccessKey: accountSecret, SessionToken: "token"}
	require.NoError(t, b.signer().SignHTTP(t.Context(), c, r, payloadHash(nil), "sqs", "eu-west-1", b.now))
	require.Equal(t, "token", r.Header.Get("X-Amz-Security-Token"))

	cred, err := b.verifier.Verify(r, nil)
	require.NoError(t, err)
	require.Equal(t, "eu-west-1", cred.Region)
	require.Equal(t, accountKeyID, sigv4.AccountID(cred.AccessKeyID))
}

func TestVerifyRejectsTampering(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(r *http.Request, body []byte) []byte
		code   string
		status int
		msg    string
	}{
		{"body", func(_ *http.Request, body []byte) []byte { return append(body, ' ') }, sigv4.CodeSignatureDoesNotMatch, 403, msgBadSignature},
		{
			"signed header", func(r *http.Request, b []byte) []byte {
				r.Header.Set("X-Amz-Target", "AmazonSQS.DeleteQueue")
				return b
			},
			sigv4.CodeSignatureDoesNotMatch, 403, msgBadSignature,
		},
		{"query added", func(r *http.Request, b []byte) []byte { r.URL.RawQuery = "a=b"; return b }, sigv4.CodeSignatureDoesNotMatch, 403, msgBadSignature},
		{"method", func(r *http.Request, b []byte) []byte { r.Method = http.MethodPut; return b }, sigv4.CodeSignatureDoesNotMatch, 403, msgBadSignature},
		{"path", func(r *http.Request, b []byte) []byte { r.URL.Path = "/000000000000/other"; return b }, sigv4.CodeSignatureDoesNotMatch, 403, msgBadSignature},
		{"host", func(r *http.Request, b []byte) []byte { r.Host = "127.0.0.1:4567"; return b }, sigv4.CodeSignatureDoesNotMatch, 403, msgBadSignature},
		{
			"date within window", func(r *http.Request, b []byte) []byte { r.Header.Set("X-Amz-Date", "20150830T123601Z"); return b },
			sigv4.CodeSignatureDoesNotMatch, 403, msgBadSignature,
		},
		{"signature upper-cased", func(r *http.Request, b []byte) []byte {
			a := r.Header.Get("Authorization")
			i := strings.Index(a, "Signature=") + len("Signature=")
			r.Header.Set("Authorization", a[:i]+strings.ToUpper(a[i:]))
			return b
		}, sigv4.CodeSignatureDoesNotMatch, 403, msgBadSignature},
		{"unknown key", func(r *http.Request, b []byte) []byte {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), exampleKeyID, "AKIDUNKNOWN", 1))
			return b
		}, sigv4.CodeInvalidClientTokenID, 403, "The security token included in the request is invalid."},
		{"host unsigned", func(r *http.Request, b []byte) []byte {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;", "", 1))
			return b
		}, sigv4.CodeSignatureDoesNotMatch, 403, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			body := []byte(sqsJSONBody)
			r := newRequest(t, http.MethodPost, "http://127.0.0.1:4566/", body)
			r.Header.Set("X-Amz-Target", "AmazonSQS.SendMessage")
			b.sign(t, r, body, exampleSecret, b.now)
			_, err := b.verifier.Verify(r, body)
			require.NoError(t, err, "unmutated request must verify")

			body = tt.mutate(r, body)
			_, err = b.verifier.Verify(r, body)
			requireAuthError(t, err, tt.code, tt.status, tt.msg)
		})
	}
}

func TestVerifyRejectsWrongSecret(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := newRequest(t, http.MethodGet, "http://h/", nil)
	b.sign(t, r, nil, "not-the-secret", b.now)
	_, err := b.verifier.Verify(r, nil)
	requireAuthError(t, err, sigv4.CodeSignatureDoesNotMatch, 403, msgBadSignature)
}

func TestVerifyChecksDeclaredPayloadHashAgainstBody(t *testing.T) {
	t.Parallel()
	b := setup(t)
	signedBody, sentBody := []byte("signed body"), []byte("other body")
	r := newRequest(t, http.MethodPost, "http://h/", sentBody)
	r.Header.Set("X-Amz-Content-Sha256", payloadHash(signedBody))
	require.NoError(t, b.signer().SignHTTP(t.Context(), creds(exampleSecret), r, payloadHash(signedBody), "sqs", "us-east-1", b.now))

	_, err := b.verifier.Verify(r, signedBody)
	require.NoError(t, err)
	_, err = b.verifier.Verify(r, sentBody)
	requireAuthError(t, err, sigv4.CodeSignatureDoesNotMatch, 403, msgBadSignature)
}

func TestVerifyTimeWindow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		skew time.Duration
		msg  string // "" means accepted
	}{
		{"exactly 15 minutes old", -15 * time.Minute, ""},
		{"exactly 15 minutes ahead", 15 * time.Minute, ""},
		{
			"15 minutes 1 second old", -15*time.Minute - time.Second,
			"Signature expired: 20150830T122059Z is now earlier than 20150830T122100Z (20150830T123600Z - 15 min.)",
		},
		{
			"15 minutes 1 second ahead", 15*time.Minute + time.Second,
			"Signature not yet current: 20150830T125101Z is still later than 20150830T125100Z (20150830T123600Z + 15 min.)",
		},
		{
			"a day old", -24 * time.Hour,
			"Signature expired: 20150829T123600Z is now earlier than 20150830T122100Z (20150830T123600Z - 15 min.)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			r := newRequest(t, http.MethodGet, "http://h/", nil)
			b.sign(t, r, nil, exampleSecret, b.now.Add(tt.skew))
			_, err := b.verifier.Verify(r, nil)
			if tt.msg == "" {
				require.NoError(t, err)
				return
			}
			requireAuthError(t, err, sigv4.CodeSignatureDoesNotMatch, 403, tt.msg)
		})
	}
}

func TestVerifyDateHeader(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := newRequest(t, http.MethodGet, "http://h/", nil)
	r.Header.Set("Date", "Sun, 30 Aug 2015 12:20:00 GMT")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sqs/aws4_request, SignedHeaders=date;host, Signature=00")
	_, err := b.verifier.Verify(r, nil)
	requireAuthError(t, err, sigv4.CodeSignatureDoesNotMatch, 403,
		"Signature expired: 20150830T122000Z is now earlier than 20150830T122100Z (20150830T123600Z - 15 min.)")

	r.Header.Set("Date", "yesterday")
	_, err = b.verifier.Verify(r, nil)
	requireAuthError(t, err, sigv4.CodeIncompleteSignature, 400,
		"Date must be in ISO-8601 'basic format'. Got 'yesterday'. See http://en.wikipedia.org/wiki/ISO_8601")
}

func TestVerifyScope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		credential string
		service    string // verifier's expected service
		msg        string
	}{
		{"empty region", "AKIDEXAMPLE/20150830//sqs/aws4_request", "", "Credential should be scoped to a valid region, not ''."},
		{"wrong service", "AKIDEXAMPLE/20150830/us-east-1/sns/aws4_request", "sqs", "Credential should be scoped to correct service: 'sqs'."},
		{
			"everything wrong", "AKIDEXAMPLE/20150829//sns/aws5_request", "sqs",
			"Credential should be scoped to a valid region, not ''. " +
				"Credential should be scoped to correct service: 'sqs'. " +
				"Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
				"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: " +
				"'20150829' != '20150830', from '20150830T123600Z'.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.verifier.Service = tt.service
			r := newRequest(t, http.MethodGet, "http://h/", nil)
			r.Header.Set("X-Amz-Date", "20150830T123600Z")
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+tt.credential+", SignedHeaders=host;x-amz-date, Signature=00")
			_, err := b.verifier.Verify(r, nil)
			requireAuthError(t, err, sigv4.CodeSignatureDoesNotMatch, 403, tt.msg)
		})
	}
}

func TestVerifyServiceMatches(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.verifier.Service = "sqs"
	r := newRequest(t, http.MethodGet, "http://h/", nil)
	b.sign(t, r, nil, exampleSecret, b.now)
	_, err := b.verifier.Verify(r, nil)
	require.NoError(t, err)
}

func TestVerifyUnsignedRequest(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, auth := range []string{"", "Bearer abc", "AWS AKIDEXAMPLE:c2lnbmF0dXJl"} {
		r := newRequest(t, http.MethodGet, "http://h/?Action=ListQueues", nil)
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		_, err := b.verifier.Verify(r, nil)
		require.ErrorIs(t, err, sigv4.ErrNoSignature)
		requireAuthError(t, err, sigv4.CodeMissingAuthenticationToken, 403, "Request is missing Authentication Token")
	}
}

func TestVerifierWithoutKeys(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := newRequest(t, http.MethodGet, "http://h/", nil)
	b.sign(t, r, nil, exampleSecret, time.Now())
	_, err := (&sigv4.Verifier{}).Verify(r, nil)
	requireAuthError(t, err, sigv4.CodeInvalidClientTokenID, 403, "The security token included in the request is invalid.")
}

func TestVerifyPresigned(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		expires int           // X-Amz-Expires; negative leaves it out
		signAt  time.Duration // relative to now
		code    string        // "" means accepted
		status  int
		msg     string
	}{
		{name: "fresh", expires: 60},
		{name: "at expiry", expires: 60, signAt: -60 * time.Second},
		{
			name: "one second past expiry", expires: 60, signAt: -61 * time.Second,
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, msg: "Request has expired",
		},
		{name: "long expiry honoured", expires: 3600, signAt: -59 * time.Minute},
		{name: "no expiry, 15 minutes old", expires: -1, signAt: -15 * time.Minute},
		{
			name: "no expiry, older", expires: -1, signAt: -16 * time.Minute, code: sigv4.CodeSignatureDoesNotMatch, status: 403,
			msg: "Signature expired: 20150830T122000Z is now earlier than 20150830T122100Z (20150830T123600Z - 15 min.)",
		},
		{
			name: "dated in the future", expires: 60, signAt: 16 * time.Minute, code: sigv4.CodeSignatureDoesNotMatch, status: 403,
			msg: "Signature not yet current: 20150830T125200Z is still later than 20150830T125100Z (20150830T123600Z + 15 min.)",
		},
		{
			name: "expiry over a week", expires: 604801, code: sigv4.CodeIncompleteSignature, status: 400,
			msg: "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			r := newRequest(t, http.MethodGet, "http://127.0.0.1:4566/123456789012/q?Action=ReceiveMessage", nil)
			p := b.presign(t, r, nil, tt.expires, b.now.Add(tt.signAt))
			cred, err := b.verifier.Verify(p, nil)
			if tt.code == "" {
				require.NoError(t, err)
				require.True(t, cred.Presigned)
				require.Equal(t, exampleKeyID, cred.AccessKeyID)
				return
			}
			requireAuthError(t, err, tt.code, tt.status, tt.msg)
		})
	}
}

func TestVerifyPresignedRejectsTampering(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(r *http.Request)
	}{
		{"query value", func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "ReceiveMessage", "DeleteQueue", 1)
		}},
		{"extra query parameter", func(r *http.Request) { r.URL.RawQuery += "&MaxNumberOfMessages=10" }},
		{"expiry extended", func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "X-Amz-Expires=60", "X-Amz-Expires=600", 1)
		}},
		{"path", func(r *http.Request) { r.URL.Path = "/123456789012/other" }},
		{"signature", func(r *http.Request) {
			q := r.URL.Query()
			q.Set("X-Amz-Signature", strings.Repeat("0", 64))
			r.URL.RawQuery = q.Encode()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			r := newRequest(t, http.MethodGet, "http://127.0.0.1:4566/123456789012/q?Action=ReceiveMessage", nil)
			p := b.presign(t, r, nil, 60, b.now)
			_, err := b.verifier.Verify(p, nil)
			require.NoError(t, err)
			tt.mutate(p)
			_, err = b.verifier.Verify(p, nil)
			requireAuthError(t, err, sigv4.CodeSignatureDoesNotMatch, 403, msgBadSignature)
		})
	}
}

func TestVerifyPresignedPOSTBody(t *testing.T) {
	t.Parallel()
	b := setup(t)
	body := []byte("Action=SendMessage&MessageBody=hi")
	p := b.presign(t, newRequest(t, http.MethodPost, "http://h/", body), body, 60, b.now)
	_, err := b.verifier.Verify(p, body)
	require.NoError(t, err)
	_, err = b.verifier.Verify(p, []byte("Action=SendMessage&MessageBody=ho"))
	requireAuthError(t, err, sigv4.CodeSignatureDoesNotMatch, 403, msgBadSignature)
}

func TestVerifyPresignedUnsignedPayload(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := newRequest(t, http.MethodPut, "http://h/bucket/key?X-Amz-Content-Sha256=UNSIGNED-PAYLOAD", nil)
	signedURL, _, err := b.signer().PresignHTTP(t.Context(), creds(exampleSecret), r, "UNSIGNED-PAYLOAD", "sqs", "us-east-1", b.now)
	require.NoError(t, err)
	p := newRequest(t, http.MethodPut, signedURL, []byte("any body"))
	_, err = b.verifier.Verify(p, []byte("any body"))
	require.NoError(t, err)
}

func TestErrorJSONType(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		sigv4.CodeIncompleteSignature:        "IncompleteSignatureException",
		sigv4.CodeInvalidClientTokenID:       "UnrecognizedClientException",
		sigv4.CodeSignatureDoesNotMatch:      "InvalidSignatureException",
		sigv4.CodeMissingAuthenticationToken: "MissingAuthenticationTokenException",
		"Other":                              "Other",
	}
	for code, want := range tests {
		e := &sigv4.Error{Code: code}
		require.Equal(t, want, e.JSONType())
		require.Equal(t, code == sigv4.CodeMissingAuthenticationToken, errors.Is(e, sigv4.ErrNoSignature))
	}
	require.Equal(t, "SignatureDoesNotMatch: m", (&sigv4.Error{Code: "SignatureDoesNotMatch", Message: "m"}).Error())
}

func TestVerifyUsesBodyNotRequestReader(t *testing.T) {
	t.Parallel()
	b := setup(t)
	body := []byte("payload")
	r := newRequest(t, http.MethodPost, "http://h/", body)
	b.sign(t, r, body, exampleSecret, b.now)
	r.Body = http.NoBody // the caller has already drained it
	_, err := b.verifier.Verify(r, bytes.Clone(body))
	require.NoError(t, err)
}
