package sigv4_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/awsapi/sigv4"
)

func TestParse(t *testing.T) {
	t.Parallel()
	const (
		validHeader = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sqs/aws4_request, " +
			"SignedHeaders=host;x-amz-date, Signature=abc"
		validQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=123456789012%2F20150830%2Feu-west-1%2Fsqs%2Faws4_request" +
			"&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=abc"
		allMissing = "Authorization header requires 'Credential' parameter. " +
			"Authorization header requires 'Signature' parameter. " +
			"Authorization header requires 'SignedHeaders' parameter. " +
			"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
			"Authorization=AWS4-HMAC-SHA256"
	)
	exampleCred := sigv4.Credential{AccessKeyID: "AKIDEXAMPLE", Date: "20150830", Region: "us-east-1", Service: "sqs"}
	tests := []struct {
		name   string
		header string // Authorization
		date   string // X-Amz-Date
		query  string
		want   sigv4.Credential
		code   string // "" means success
		msg    string
	}{
		{name: "header", header: validHeader, date: "20150830T123600Z", want: exampleCred},
		{
			name: "header without spaces", header: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sqs/aws4_request,SignedHeaders=host,Signature=abc",
			date: "x", want: exampleCred,
		},
		{
			name: "header with extra spaces and unknown parameter", header: "  AWS4-HMAC-SHA256   Credential=AKIDEXAMPLE/20150830/us-east-1/sqs/aws4_request ,  SignedHeaders=host ,Signature=abc, Extra=1",
			date: "x", want: exampleCred,
		},
		{
			name: "trailing slash ignored", header: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sqs/aws4_request/, SignedHeaders=host, Signature=abc",
			date: "x", want: exampleCred,
		},
		{
			name: "presigned", query: validQuery,
			want: sigv4.Credential{AccessKeyID: "123456789012", Date: "20150830", Region: "eu-west-1", Service: "sqs", Presigned: true},
		},
		{name: "no signature", code: sigv4.CodeMissingAuthenticationToken, msg: "Request is missing Authentication Token"},
		{name: "not SigV4", header: "Bearer eyJhbGciOi", code: sigv4.CodeMissingAuthenticationToken, msg: "Request is missing Authentication Token"},
		{
			name: "SigV2 query", query: "AWSAccessKeyId=AKID&Signature=x&SignatureVersion=2", code: sigv4.CodeMissingAuthenticationToken,
			msg: "Request is missing Authentication Token",
		},
		{
			name: "both", header: validHeader, date: "x", query: validQuery, code: sigv4.CodeSignatureDoesNotMatch,
			msg: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
		},
		{
			name: "unsupported algorithm", header: "AWS4-HMAC-SHA512 Credential=a", code: sigv4.CodeIncompleteSignature,
			msg: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'.",
		},
		{
			name: "missing equal sign", header: "AWS4-HMAC-SHA256 FooBar, BazBurp", code: sigv4.CodeIncompleteSignature,
			msg: "'FooBar' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 FooBar, BazBurp'.",
		},
		{name: "everything missing", header: "AWS4-HMAC-SHA256 Foo=Bar, Baz=Burp", code: sigv4.CodeIncompleteSignature, msg: allMissing},
		{name: "algorithm only", header: "AWS4-HMAC-SHA256", code: sigv4.CodeIncompleteSignature, msg: allMissing},
		{
			name: "only date missing", header: validHeader, code: sigv4.CodeIncompleteSignature,
			msg: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
		},
		{
			name: "empty credential and signature", header: "AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=", date: "x",
			code: sigv4.CodeIncompleteSignature,
			msg:  "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256",
		},
		{
			name: "four scope elements", header: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sqs, SignedHeaders=host, Signature=abc",
			date: "x", code: sigv4.CodeIncompleteSignature,
			msg: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20150830/us-east-1/sqs'",
		},
		{
			name: "six scope elements", header: "AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f, SignedHeaders=host, Signature=abc",
			date: "x", code: sigv4.CodeIncompleteSignature,
			msg: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d/e/f'",
		},
		{
			name: "presigned missing parameters", query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc", code: sigv4.CodeIncompleteSignature,
			msg: "AWS query-string parameters must include 'X-Amz-Credential'. " +
				"AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
				"AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
		},
		{
			name: "presigned empty algorithm", query: "X-Amz-Algorithm=", code: sigv4.CodeIncompleteSignature,
			msg: "AWS query-string parameters must include 'X-Amz-Algorithm'. " +
				"AWS query-string parameters must include 'X-Amz-Credential'. " +
				"AWS query-string parameters must include 'X-Amz-Signature'. " +
				"AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
				"AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
		},
		{
			name: "presigned unsupported algorithm", query: "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=a/b/c/d/e&X-Amz-Date=x&X-Amz-SignedHeaders=host&X-Amz-Signature=abc",
			code: sigv4.CodeIncompleteSignature, msg: "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'.",
		},
		{
			name: "presigned bad scope", query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID&X-Amz-Date=x&X-Amz-SignedHeaders=host&X-Amz-Signature=abc",
			code: sigv4.CodeIncompleteSignature,
			msg:  "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID'",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRequest(t, http.MethodGet, "http://127.0.0.1:4566/?"+tt.query, nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			if tt.date != "" {
				r.Header.Set("X-Amz-Date", tt.date)
			}
			got, err := sigv4.Parse(r)
			if tt.code == "" {
				require.NoError(t, err)
				require.Equal(t, tt.want, got)
				return
			}
			require.Equal(t, sigv4.Credential{}, got)
			status := http.StatusForbidden
			if tt.code == sigv4.CodeIncompleteSignature {
				status = http.StatusBadRequest
			}
			requireAuthError(t, err, tt.code, status, tt.msg)
			require.Equal(t, tt.code == sigv4.CodeMissingAuthenticationToken, errors.Is(err, sigv4.ErrNoSignature))
		})
	}
}

func TestParseDateHeaderSatisfiesPresence(t *testing.T) {
	t.Parallel()
	r := newRequest(t, http.MethodGet, "http://h/", nil)
	r.Header.Set("Date", "Sun, 30 Aug 2015 12:36:00 GMT")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sqs/aws4_request, SignedHeaders=date;host, Signature=abc")
	got, err := sigv4.Parse(r)
	require.NoError(t, err)
	require.Equal(t, "AKIDEXAMPLE", got.AccessKeyID)
}

func TestParseSDKSignedRequest(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := newRequest(t, http.MethodPost, "http://127.0.0.1:4566/", []byte("{}"))
	require.NoError(t, b.signer().SignHTTP(t.Context(), creds("any secret"), r, payloadHash([]byte("{}")), "sqs", "ap-south-1", b.now))
	got, err := sigv4.Parse(r)
	require.NoError(t, err)
	require.Equal(t, sigv4.Credential{AccessKeyID: exampleKeyID, Date: "20150830", Region: "ap-south-1", Service: "sqs"}, got)

	p := b.presign(t, newRequest(t, http.MethodGet, "http://127.0.0.1:4566/?Action=ListQueues", nil), nil, 300, b.now)
	got, err = sigv4.Parse(p)
	require.NoError(t, err)
	require.Equal(t, sigv4.Credential{AccessKeyID: exampleKeyID, Date: "20150830", Region: "us-east-1", Service: "sqs", Presigned: true}, got)
}

func TestAccountID(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"123456789012":         "123456789012",
		"000000000001":         "000000000001",
		"AKIAIOSFODNN7EXAMPLE": "000000000000",
		"12345678901":          "000000000000",
		"1234567890123":        "000000000000",
		"12345678901a":         "000000000000",
		"":                     "000000000000",
		"test":                 "000000000000",
		"１２３４５６７８９０１２":         "000000000000", // full-width digits are not digits here
		" 23456789012":         "000000000000",
	}
	for id, want := range tests {
		require.Equal(t, want, sigv4.AccountID(id), "AccountID(%q)", id)
	}
}
