package schema

import (
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strconv"
)

// Code is an error code of the Schemas API.
type Code string

// The error codes the service returns.
const (
	CodeBadRequest         Code = "BadRequestException"
	CodeNotFound           Code = "NotFoundException"
	CodeConflict           Code = "ConflictException"
	CodeForbidden          Code = "ForbiddenException"
	CodePreconditionFailed Code = "PreconditionFailedException"
	CodeInternal           Code = "InternalServerErrorException"
)

// Error is an error of the Schemas API with AWS's code and message.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// IsCode reports whether err is an *Error with the code.
func IsCode(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

func badRequest(format string, args ...any) error {
	return &Error{Code: CodeBadRequest, Message: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &Error{Code: CodeNotFound, Message: fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) error {
	return &Error{Code: CodeConflict, Message: fmt.Sprintf(format, args...)}
}

func forbidden(format string, args ...any) error {
	return &Error{Code: CodeForbidden, Message: fmt.Sprintf(format, args...)}
}

// Page is a page request: Limit (0: 100) and the NextToken of the last page.
type Page struct {
	Limit     int
	NextToken string
}

// page sorts keys and returns the slice of them the request asks for and the
// token of the next page ("" at the end). The token is the offset, opaque.
func page(keys []string, p Page) ([]string, string, error) {
	sort.Strings(keys)
	limit := p.Limit
	if limit < 0 || limit > 100 {
		return nil, "", badRequest("Limit must be between 1 and 100.")
	}
	if limit == 0 {
		limit = 100
	}
	start := 0
	if p.NextToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(p.NextToken)
		n, err2 := strconv.Atoi(string(raw))
		if err != nil || err2 != nil || n < 0 || n > len(keys) {
			return nil, "", badRequest("Invalid NextToken.")
		}
		start = n
	}
	end := min(start+limit, len(keys))
	next := ""
	if end < len(keys) {
		next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	}
	return keys[start:end], next, nil
}
