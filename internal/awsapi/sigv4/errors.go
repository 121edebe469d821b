package sigv4

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Error codes, as the awsQuery protocol (and SQS's x-amzn-query-error) names them.
const (
	CodeIncompleteSignature        = "IncompleteSignature"
	CodeInvalidClientTokenID       = "InvalidClientTokenId"
	CodeSignatureDoesNotMatch      = "SignatureDoesNotMatch"
	CodeMissingAuthenticationToken = "MissingAuthenticationToken"
)

// ErrNoSignature matches (with errors.Is) the error Parse and Verify return
// for a request that carries no SigV4 signature at all. In permissive mode
// callers fall back to defaults on it; in strict mode they render it, as it is
// also an *Error with code MissingAuthenticationToken.
const ErrNoSignature = sentinel("sigv4: request is not signed")

// sentinel is a constant error value.
type sentinel string

// Error returns the sentinel's text.
func (s sentinel) Error() string { return string(s) }

// Error is an authentication failure as AWS reports it.
type Error struct {
	Code       string // query-protocol error code, e.g. "SignatureDoesNotMatch"
	Message    string // AWS's message text
	HTTPStatus int
}

// Error returns "Code: Message".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Is reports whether target is ErrNoSignature and e is the error for an
// unsigned request.
func (e *Error) Is(target error) bool {
	return target == ErrNoSignature && e.Code == CodeMissingAuthenticationToken
}

// JSONType is the error name plain AWS JSON services use for e's code, to be
// put after "com.amazon.coral.service#" in __type. It returns e.Code for codes
// it does not know.
func (e *Error) JSONType() string {
	switch e.Code {
	case CodeIncompleteSignature:
		return "IncompleteSignatureException"
	case CodeInvalidClientTokenID:
		return "UnrecognizedClientException"
	case CodeSignatureDoesNotMatch:
		return "InvalidSignatureException"
	case CodeMissingAuthenticationToken:
		return "MissingAuthenticationTokenException"
	default:
		return e.Code
	}
}

// incomplete returns an IncompleteSignature error (400).
func incomplete(format string, args ...any) *Error {
	return &Error{CodeIncompleteSignature, fmt.Sprintf(format, args...), http.StatusBadRequest}
}

// mismatch returns a SignatureDoesNotMatch error (403) with a specific message.
func mismatch(format string, args ...any) *Error {
	return &Error{CodeSignatureDoesNotMatch, fmt.Sprintf(format, args...), http.StatusForbidden}
}

// errMissingToken is the error for an unsigned request. AWS's query services
// answer "Request is missing Authentication Token" (recorded from STS and
// CloudWatch); "Missing Authentication Token" is API Gateway's wording.
func errMissingToken() *Error {
	return &Error{CodeMissingAuthenticationToken, "Request is missing Authentication Token", http.StatusForbidden}
}

// errUnknownKey is the error for an access key id the verifier does not know.
func errUnknownKey() *Error {
	return &Error{CodeInvalidClientTokenID, "The security token included in the request is invalid.", http.StatusForbidden}
}

// errBadSignature is the error for a signature that does not verify.
func errBadSignature() *Error {
	return mismatch("The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
}

// errBoth is the error for a request signed both ways at once.
func errBoth() *Error {
	return mismatch("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
}

// errAlgorithm is the error for an algorithm other than AWS4-HMAC-SHA256.
func errAlgorithm(algorithm string) *Error {
	return incomplete("Unsupported AWS 'algorithm': '%s'.", algorithm)
}

// errNotKeyValue is the error for an Authorization parameter without '='.
func errNotKeyValue(param, header string) *Error {
	return incomplete("'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", param, header)
}

// errScopeElements is the error for a credential that is not key/date/region/service/term.
func errScopeElements(credential string) *Error {
	return incomplete("Credential must have exactly 5 slash-delimited elements, "+
		"e.g. keyid/date/region/service/term, got '%s'", credential)
}

// errDateFormat is the error for a request date AWS cannot read.
func errDateFormat(date string) *Error {
	return incomplete("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", date)
}

// errHostNotSigned is the error for a signature that does not cover host.
func errHostNotSigned() *Error {
	return mismatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
}

// errExpired is the error for a request dated more than skew before now.
func errExpired(date, now time.Time) *Error {
	return mismatch("Signature expired: %s is now earlier than %s (%s - 15 min.)",
		stamp(date), stamp(now.Add(-maxSkew)), stamp(now))
}

// errNotYetCurrent is the error for a request dated more than skew after now.
func errNotYetCurrent(date, now time.Time) *Error {
	return mismatch("Signature not yet current: %s is still later than %s (%s + 15 min.)",
		stamp(date), stamp(now.Add(maxSkew)), stamp(now))
}

// errPresignExpired is the error for a presigned URL used after X-Amz-Expires.
// The text is S3's; AWS's query services are not known to report this case
// (SQS was observed to ignore X-Amz-Expires and apply the 15-minute window).
func errPresignExpired() *Error {
	return mismatch("Request has expired")
}

// errExpires is the error for an X-Amz-Expires that is not 0..604800. The
// texts are S3's (AuthorizationQueryParametersError), the only ones AWS is
// known to use for this.
func errExpires(n int64, parsed bool) *Error {
	switch {
	case !parsed:
		return incomplete("X-Amz-Expires should be a number")
	case n < 0:
		return incomplete("X-Amz-Expires must be non-negative")
	default:
		return incomplete("X-Amz-Expires must be less than a week (in seconds); " +
			"that is, the given X-Amz-Expires must be less than 604800 seconds")
	}
}

// missingParts builds the message listing every missing Authorization
// component, ending with the algorithm as AWS echoes it.
func missingParts(parts []string, algorithm string) *Error {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p)
		b.WriteByte(' ')
	}
	b.WriteString("Authorization=")
	b.WriteString(algorithm)
	return incomplete("%s", b.String())
}

// missingQueryParts builds the message listing every missing presigned-URL parameter.
func missingQueryParts(names []string) *Error {
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "AWS query-string parameters must include '%s'. ", n)
	}
	b.WriteString("Re-examine the query-string parameters.")
	return incomplete("%s", b.String())
}

// stamp formats t as AWS writes times in signature errors.
func stamp(t time.Time) string { return t.UTC().Format(isoBasic) }
