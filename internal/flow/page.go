package flow

import (
	"encoding/base64"
	"strconv"
)

// Page is a list request's maxResults and nextToken.
type Page struct {
	MaxResults int
	NextToken  string
}

// defaultPageSize is AWS's page size when maxResults is 0 (max 1000).
const defaultPageSize = 100

// paginate returns one page of all and the token of the next one.
func paginate[T any](all []T, p Page) ([]T, string, error) {
	if p.MaxResults < 0 || p.MaxResults > 1000 {
		return nil, "", constraint(strconv.Itoa(p.MaxResults), "maxResults", "Member must have value less than or equal to 1000")
	}
	start := 0
	if p.NextToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(p.NextToken)
		n, aerr := strconv.Atoi(string(raw))
		if err != nil || aerr != nil || n < 0 || n > len(all) {
			return nil, "", errorf(CodeInvalidToken, "Invalid Token: '%s'", p.NextToken)
		}
		start = n
	}
	size := p.MaxResults
	if size == 0 {
		size = defaultPageSize
	}
	end := min(start+size, len(all))
	next := ""
	if end < len(all) {
		next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	}
	out := all[start:end]
	if out == nil {
		out = []T{}
	}
	return out, next, nil
}
