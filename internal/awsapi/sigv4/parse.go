package sigv4

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

const (
	algorithm       = "AWS4-HMAC-SHA256"
	terminator      = "aws4_request"
	isoBasic        = "20060102T150405Z"
	scopeDateLayout = "20060102"
	maxSkew         = 15 * time.Minute
	maxExpires      = 604800 // seconds: a week, the SigV4 ceiling for presigned URLs
	defaultAccount  = "000000000000"
)

// Credential is what a request says about who signed it.
type Credential struct {
	AccessKeyID string
	Date        string // yyyymmdd from the scope
	Region      string
	Service     string
	Presigned   bool
}

// signed is what a request says about its signature, checked only for being
// well formed.
type signed struct {
	presigned      bool
	credential     string // AKID/date/region/service/terminator, as sent
	signedHeaders  string // semicolon-separated, as sent
	signature      string
	date           string // X-Amz-Date (or Date), as sent
	fromDateHeader bool   // date came from the Date header
	expires        string // X-Amz-Expires, presigned URLs only
	hasExpires     bool
}

// scope is a credential split into its five elements.
type scope struct {
	accessKeyID, date, region, service, terminator string
}

// Parse extracts the credential scope from the Authorization header
// (AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request,
// SignedHeaders=..., Signature=...) or, for presigned URLs, from the
// X-Amz-Algorithm/X-Amz-Credential/... query parameters. It never verifies.
// A request with no signature at all returns an error matching
// ErrNoSignature (callers fall back to defaults in permissive mode). Every
// other error is an *Error.
func Parse(r *http.Request) (Credential, error) {
	s, err := readSignature(r)
	if err != nil {
		return Credential{}, err
	}
	sc, err := parseScope(s.credential)
	if err != nil {
		return Credential{}, err
	}
	return sc.credential(s.presigned), nil
}

// AccountID maps an access key id to an account: a 12-digit key id is that
// account; anything else is "000000000000".
func AccountID(accessKeyID string) string {
	if len(accessKeyID) != 12 {
		return defaultAccount
	}
	for i := range len(accessKeyID) {
		if accessKeyID[i] < '0' || accessKeyID[i] > '9' {
			return defaultAccount
		}
	}
	return accessKeyID
}

// readSignature finds the signature in the header or the query string and
// checks that it has every part.
func readSignature(r *http.Request) (signed, error) {
	header := strings.TrimSpace(r.Header.Get("Authorization"))
	query := url.Values{}
	if r.URL != nil {
		query = r.URL.Query()
	}
	_, presigned := query["X-Amz-Algorithm"]
	switch {
	case header != "" && presigned:
		return signed{}, errBoth()
	case presigned:
		return readQuery(query)
	case strings.HasPrefix(header, "AWS4-"):
		return readHeader(header, r.Header)
	default:
		return signed{}, errMissingToken()
	}
}

// readHeader parses an AWS4-* Authorization header.
func readHeader(header string, h http.Header) (signed, error) {
	alg, rest, _ := strings.Cut(header, " ")
	if alg != algorithm {
		return signed{}, errAlgorithm(alg)
	}
	params, err := headerParams(rest, header)
	if err != nil {
		return signed{}, err
	}
	s := signed{credential: params["Credential"], signedHeaders: params["SignedHeaders"], signature: params["Signature"]}
	s.date = h.Get("X-Amz-Date")
	if s.date == "" {
		s.date = h.Get("Date")
		s.fromDateHeader = true
	}
	if missing := missingHeaderParts(s, params); len(missing) > 0 {
		return signed{}, missingParts(missing, alg)
	}
	return s, nil
}

// headerParams splits "k=v, k=v" into a map; the last of repeated keys wins.
func headerParams(rest, header string) (map[string]string, error) {
	params := make(map[string]string)
	fields := strings.FieldsFunc(rest, func(c rune) bool { return c == ',' || c == ' ' || c == '\t' })
	for _, f := range fields {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return nil, errNotKeyValue(f, header)
		}
		params[k] = v
	}
	return params, nil
}

// missingHeaderParts lists AWS's sentence for each missing part, in AWS's order.
// SignedHeaders may be present and empty; the host check rejects that later.
func missingHeaderParts(s signed, params map[string]string) []string {
	var missing []string
	if s.credential == "" {
		missing = append(missing, "Authorization header requires 'Credential' parameter.")
	}
	if s.signature == "" {
		missing = append(missing, "Authorization header requires 'Signature' parameter.")
	}
	if _, ok := params["SignedHeaders"]; !ok {
		missing = append(missing, "Authorization header requires 'SignedHeaders' parameter.")
	}
	if s.date == "" {
		missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	return missing
}

// readQuery parses the X-Amz-* parameters of a presigned URL.
func readQuery(q url.Values) (signed, error) {
	var missing []string
	for _, name := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"} {
		if q.Get(name) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return signed{}, missingQueryParts(missing)
	}
	if alg := q.Get("X-Amz-Algorithm"); alg != algorithm {
		return signed{}, errAlgorithm(alg)
	}
	_, hasExpires := q["X-Amz-Expires"]
	return signed{
		presigned:     true,
		credential:    q.Get("X-Amz-Credential"),
		signedHeaders: q.Get("X-Amz-SignedHeaders"),
		signature:     q.Get("X-Amz-Signature"),
		date:          q.Get("X-Amz-Date"),
		expires:       q.Get("X-Amz-Expires"),
		hasExpires:    hasExpires,
	}, nil
}

// parseScope splits AKID/date/region/service/terminator. Trailing slashes
// are ignored, as AWS does.
func parseScope(credential string) (scope, error) {
	parts := strings.Split(strings.TrimRight(credential, "/"), "/")
	if len(parts) != 5 {
		return scope{}, errScopeElements(credential)
	}
	return scope{parts[0], parts[1], parts[2], parts[3], parts[4]}, nil
}

// credential converts the scope into the exported form.
func (sc scope) credential(presigned bool) Credential {
	return Credential{AccessKeyID: sc.accessKeyID, Date: sc.date, Region: sc.region, Service: sc.service, Presigned: presigned}
}

// String is the scope as it appears in the string to sign.
func (sc scope) String() string {
	return sc.date + "/" + sc.region + "/" + sc.service + "/" + sc.terminator
}
