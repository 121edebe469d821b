package sigv4

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// canonicalRequest builds the SigV4 canonical request for r as the client
// should have signed it.
func canonicalRequest(r *http.Request, s signed, body []byte) string {
	return strings.Join([]string{
		r.Method,
		canonicalURI(r.URL),
		canonicalQuery(rawQuery(r.URL), s.presigned),
		canonicalHeaders(r, s.signedHeaders),
		s.signedHeaders,
		payloadHash(r, s.presigned, body),
	}, "\n")
}

// stringToSign is the SigV4 string to sign for a canonical request.
func stringToSign(date time.Time, sc scope, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return algorithm + "\n" + date.UTC().Format(isoBasic) + "\n" + sc.String() + "\n" + hex.EncodeToString(sum[:])
}

// signature derives the signing key from secret and the scope and signs toSign.
func signature(secret string, sc scope, toSign string) string {
	key := hmacSHA256([]byte("AWS4"+secret), sc.date)
	key = hmacSHA256(key, sc.region)
	key = hmacSHA256(key, sc.service)
	key = hmacSHA256(key, sc.terminator)
	return hex.EncodeToString(hmacSHA256(key, toSign))
}

// hmacSHA256 is HMAC-SHA256(key, data).
func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// canonicalURI encodes the path as received once more, keeping slashes.
func canonicalURI(u *url.URL) string {
	p := ""
	if u != nil {
		p = u.EscapedPath()
	}
	if p == "" {
		p = "/"
	}
	return uriEncode(p, false)
}

// rawQuery is u's query string, or "" without a URL.
func rawQuery(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.RawQuery
}

// queryParam is one encoded name=value pair.
type queryParam struct{ name, value string }

// canonicalQuery decodes each pair, re-encodes it with SigV4's rules and sorts
// the encoded pairs. X-Amz-Signature is dropped from presigned URLs.
func canonicalQuery(raw string, presigned bool) string {
	var params []queryParam
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		p := queryParam{uriEncode(unescape(name), true), uriEncode(unescape(value), true)}
		if presigned && p.name == "X-Amz-Signature" {
			continue
		}
		params = append(params, p)
	}
	slices.SortFunc(params, func(a, b queryParam) int {
		return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.value, b.value))
	})
	pairs := make([]string, len(params))
	for i, p := range params {
		pairs[i] = p.name + "=" + p.value
	}
	return strings.Join(pairs, "&")
}

// unescape decodes a query component; a malformed escape is kept as sent,
// which then fails the signature check.
func unescape(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// uriEncode percent-encodes every byte outside RFC 3986's unreserved set
// (A-Z a-z 0-9 - . _ ~) with uppercase hex; '/' is kept unless encodeSlash.
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := range len(s) {
		c := s[i]
		if unreserved(c) || (c == '/' && !encodeSlash) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0x0f])
	}
	return b.String()
}

// unreserved reports whether c is in RFC 3986's unreserved set.
func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// canonicalHeaders writes "name:value\n" for each signed header, in the order
// the client listed them.
func canonicalHeaders(r *http.Request, list string) string {
	var b strings.Builder
	for name := range strings.SplitSeq(list, ";") {
		if name == "" {
			continue
		}
		name = strings.ToLower(name)
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(r, name))
		b.WriteByte('\n')
	}
	return b.String()
}

// headerValue is the canonical value of one lowercase header name.
func headerValue(r *http.Request, name string) string {
	if name == "host" {
		return collapseSpaces(host(r))
	}
	values := r.Header.Values(name)
	if len(values) == 0 {
		values = movedHeader(r, name)
	}
	cleaned := make([]string, len(values))
	for i, v := range values {
		cleaned[i] = strings.TrimSpace(collapseSpaces(v))
	}
	return strings.Join(cleaned, ",")
}

// movedHeader reads back a header that Go's HTTP server moves out of
// r.Header into a request field (Content-Length, Transfer-Encoding).
func movedHeader(r *http.Request, name string) []string {
	switch {
	case name == "content-length" && r.ContentLength >= 0:
		return []string{strconv.FormatInt(r.ContentLength, 10)}
	case name == "transfer-encoding":
		return r.TransferEncoding
	default:
		return nil
	}
}

// host is the request's host without a port that is the default for its scheme.
func host(r *http.Request) string {
	h := r.Host
	if h == "" && r.URL != nil {
		h = r.URL.Host
	}
	i := strings.LastIndexByte(h, ':')
	if i < 0 || strings.Contains(h[i:], "]") {
		return h
	}
	tls := r.TLS != nil || (r.URL != nil && strings.EqualFold(r.URL.Scheme, "https"))
	if port := h[i+1:]; (port == "443" && tls) || (port == "80" && !tls) {
		return strings.TrimSuffix(strings.TrimPrefix(h[:i], "["), "]")
	}
	return h
}

// collapseSpaces trims spaces at both ends and turns runs of spaces into one,
// as the SigV4 specification (and the AWS SDKs) do for header values.
func collapseSpaces(s string) string {
	s = strings.Trim(s, " ")
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := range len(s) {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// payloadHash is the hash the client declared (X-Amz-Content-Sha256 header,
// or query parameter on a presigned URL), else the SHA-256 of body.
func payloadHash(r *http.Request, presigned bool, body []byte) string {
	if declared := declaredPayloadHash(r, presigned); declared != "" {
		return declared
	}
	return bodyHash(body)
}

// declaredPayloadHash is X-Amz-Content-Sha256 as the client sent it, or "".
func declaredPayloadHash(r *http.Request, presigned bool) string {
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" {
		return h
	}
	if presigned && r.URL != nil {
		return r.URL.Query().Get("X-Amz-Content-Sha256")
	}
	return ""
}

// bodyHash is the lowercase hex SHA-256 of body.
func bodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}
