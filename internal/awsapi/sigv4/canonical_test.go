package sigv4

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The worked example from AWS's SigV4 documentation ("Examples of the
// complete Signature Version 4 signing process"): IAM ListUsers signed with
// AKIDEXAMPLE at 20150830T123600Z. Every intermediate value below is the one
// AWS publishes.
const (
	docCanonicalRequest = "GET\n" +
		"/\n" +
		"Action=ListUsers&Version=2010-05-08\n" +
		"content-type:application/x-www-form-urlencoded; charset=utf-8\n" +
		"host:iam.amazonaws.com\n" +
		"x-amz-date:20150830T123600Z\n" +
		"\n" +
		"content-type;host;x-amz-date\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	docStringToSign = "AWS4-HMAC-SHA256\n" +
		"20150830T123600Z\n" +
		"20150830/us-east-1/iam/aws4_request\n" +
		"f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"
	docSignature = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
	docSecret    = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

func TestCanonicalRequestAWSDocumentationExample(t *testing.T) {
	t.Parallel()
	r, err := http.NewRequest(http.MethodGet, "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08", nil)
	require.NoError(t, err)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	r.Header.Set("X-Amz-Date", "20150830T123600Z")
	s := signed{signedHeaders: "content-type;host;x-amz-date"}
	sc := scope{"AKIDEXAMPLE", "20150830", "us-east-1", "iam", "aws4_request"}
	date := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

	canonical := canonicalRequest(r, s, nil)
	require.Equal(t, docCanonicalRequest, canonical)
	toSign := stringToSign(date, sc, canonical)
	require.Equal(t, docStringToSign, toSign)
	require.Equal(t, docSignature, signature(docSecret, sc, toSign))
}

func TestCanonicalQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		raw       string
		presigned bool
		want      string
	}{
		{"empty", "", false, ""},
		{"sorted by name then value", "b=2&a=2&a=1", false, "a=1&a=2&b=2"},
		{"name without value", "acl&a=1", false, "a=1&acl="},
		{"space as plus or %20 becomes %20", "q=a+b&r=a%20b", false, "q=a%20b&r=a%20b"},
		{"reserved characters encoded", "k=a/b:c", false, "k=a%2Fb%3Ac"},
		{"unreserved characters decoded", "k=%7E%41", false, "k=~A"},
		{"sorted after encoding", "v=a-b&v=a/b", false, "v=a%2Fb&v=a-b"},
		{"empty pairs skipped", "a=1&&b=2&", false, "a=1&b=2"},
		{"malformed escape kept and re-encoded", "k=%zz", false, "k=%25zz"},
		{"signature kept when header-signed", "X-Amz-Signature=abc", false, "X-Amz-Signature=abc"},
		{"signature dropped when presigned", "X-Amz-Signature=abc&X-Amz-Date=1", true, "X-Amz-Date=1"},
		{"semicolon is data", "a=1;b=2", false, "a=1%3Bb%3D2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, canonicalQuery(tt.raw, tt.presigned))
		})
	}
}

func TestCanonicalURI(t *testing.T) {
	t.Parallel()
	tests := []struct{ target, want string }{
		{"http://h", "/"},
		{"http://h/", "/"},
		{"http://h/123456789012/my-queue", "/123456789012/my-queue"},
		{"http://h/a%20b", "/a%2520b"},
		{"http://h/a+b", "/a%2Bb"},
		{"http://h/a~b_c.d-e", "/a~b_c.d-e"},
		{"http://h/%E2%82%AC", "/%25E2%2582%25AC"},
		{"http://h/a//b/./c", "/a//b/./c"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			t.Parallel()
			r, err := http.NewRequest(http.MethodGet, tt.target, nil)
			require.NoError(t, err)
			require.Equal(t, tt.want, canonicalURI(r.URL))
		})
	}
}

func TestCanonicalHeaders(t *testing.T) {
	t.Parallel()
	r, err := http.NewRequest(http.MethodPost, "http://example.com:80/", nil)
	require.NoError(t, err)
	r.Header.Set("X-Amz-Date", "20150830T123600Z")
	r.Header.Set("My-Header1", "  a   b   c  ")
	r.Header.Add("My-Header2", `"a   b   c"`)
	r.Header.Add("My-Header2", "second")
	r.ContentLength = 12
	got := canonicalHeaders(r, "content-length;host;my-header1;my-header2;x-amz-date")
	require.Equal(t, "content-length:12\n"+
		"host:example.com\n"+
		"my-header1:a b c\n"+
		"my-header2:\"a b c\",second\n"+
		"x-amz-date:20150830T123600Z\n", got)
}

func TestHostStripsDefaultPort(t *testing.T) {
	t.Parallel()
	tests := []struct{ target, want string }{
		{"http://127.0.0.1:4566/", "127.0.0.1:4566"},
		{"http://localhost:80/", "localhost"},
		{"https://localhost:443/", "localhost"},
		{"https://localhost:80/", "localhost:80"},
		{"http://[::1]:80/", "::1"},
		{"http://[::1]/", "[::1]"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			t.Parallel()
			r, err := http.NewRequest(http.MethodGet, tt.target, nil)
			require.NoError(t, err)
			require.Equal(t, tt.want, host(r))
		})
	}
}

func TestCollapseSpaces(t *testing.T) {
	t.Parallel()
	require.Equal(t, "", collapseSpaces("   "))
	require.Equal(t, "a b", collapseSpaces("  a    b "))
	require.Equal(t, "a\t\tb", collapseSpaces("a\t\tb"))
}
