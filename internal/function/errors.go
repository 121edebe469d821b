package function

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies a function error; the wire layer maps each code to AWS's
// exception name and HTTP status.
type Code int

// Error codes, one per Lambda exception the service returns.
const (
	CodeValidation Code = iota + 1
	CodeInvalidParameterValue
	CodeResourceNotFound
	CodeResourceConflict
	CodeInvalidRequestContent
	CodeRequestTooLarge
	CodePreconditionFailed
	CodeService
	CodeTooManyRequests
	CodeProvisionedConfigNotFound
	CodeAccessDenied // AWS's common AccessDeniedException, without a message
)

// Error is a domain error with AWS's message text.
type Error struct {
	Code    Code
	Message string
	Reason  string // TooManyRequestsException's throttle reason
	// Untyped marks the errors AWS answers without the body's "Type".
	Untyped bool
}

func (e *Error) Error() string { return e.Message }

func errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// IsCode reports whether err is a function *Error with the given code.
func IsCode(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

func invalidParameter(format string, args ...any) *Error {
	return errorf(CodeInvalidParameterValue, format, args...)
}

// constraint renders AWS's model-validation message for one field.
func constraint(value any, field, rule string) *Error {
	return validation(violation(value, field, rule))
}

// violation is one field's part of a model-validation message.
func violation(value any, field, rule string) string {
	return fmt.Sprintf("Value '%v' at '%s' failed to satisfy constraint: %s", value, field, rule)
}

// validation renders AWS's model-validation message for the violations.
func validation(violations ...string) *Error {
	plural := "s"
	if len(violations) == 1 {
		plural = ""
	}
	return errorf(CodeValidation, "%d validation error%s detected: %s", len(violations), plural, strings.Join(violations, "; "))
}

func notFound(arn string) *Error {
	return errorf(CodeResourceNotFound, "Function not found: %s", arn)
}
