package bus

import (
	"errors"
	"fmt"
)

// Code classifies a bus error; the wire layer maps each code to AWS's
// exception name and HTTP status.
type Code int

// Error codes, one per EventBridge exception the service returns.
const (
	CodeValidation Code = iota + 1
	CodeResourceNotFound
	CodeResourceAlreadyExists
	CodeInvalidEventPattern
	CodeLimitExceeded
	CodeManagedRule
	CodeConcurrentModification
	CodeIllegalStatus
	CodeAccessDenied
	CodePolicyLengthExceeded
)

// Error is a domain error with AWS's message text.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return e.Message }

func errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// IsCode reports whether err is a bus *Error with the given code.
func IsCode(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

func validation(format string, args ...any) *Error { return errorf(CodeValidation, format, args...) }

func busNotFound(name string) *Error {
	return errorf(CodeResourceNotFound, "Event bus %s does not exist.", name)
}

func ruleNotFound(rule, bus string) *Error {
	return errorf(CodeResourceNotFound, "Rule %s does not exist on EventBus %s.", rule, bus)
}

// constraint renders AWS's model-validation message for one field.
func constraint(value, field, rule string) *Error {
	return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, field, rule)
}
