package flow

import (
	"errors"
	"fmt"
)

// Code classifies a flow error; the wire layer maps each code to AWS's
// exception name.
type Code int

// Error codes, one per Step Functions exception the service returns.
const (
	CodeValidation Code = iota + 1
	CodeInvalidArn
	CodeInvalidName
	CodeInvalidDefinition
	CodeInvalidLoggingConfiguration
	CodeInvalidTracingConfiguration
	CodeInvalidExecutionInput
	CodeInvalidOutput
	CodeInvalidToken
	CodeStateMachineDoesNotExist
	CodeStateMachineAlreadyExists
	CodeStateMachineDeleting
	CodeStateMachineTypeNotSupported
	CodeExecutionDoesNotExist
	CodeExecutionAlreadyExists
	CodeExecutionNotRedrivable
	CodeTaskDoesNotExist
	CodeTaskTimedOut
	CodeActivityDoesNotExist
	CodeActivityAlreadyExists
	CodeResourceNotFound
	CodeConflict
	CodeTooManyTags
	CodeMissingRequiredParameter
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

// IsCode reports whether err is a flow *Error with the given code.
func IsCode(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

func validation(format string, args ...any) *Error { return errorf(CodeValidation, format, args...) }

// constraint renders AWS's model-validation message for one field.
func constraint(value, field, rule string) *Error {
	return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, field, rule)
}

func invalidArn(arn string) *Error {
	return errorf(CodeInvalidArn, "Invalid Arn: '%s'", arn)
}

func wrongResourceType(kind string) *Error {
	return errorf(CodeInvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s'", kind)
}

func stateMachineNotFound(arn string) *Error {
	return errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", arn)
}

func executionNotFound(arn string) *Error {
	return errorf(CodeExecutionDoesNotExist, "Execution Does Not Exist: '%s'", arn)
}

func activityNotFound(arn string) *Error {
	return errorf(CodeActivityDoesNotExist, "Activity Does Not Exist: '%s'", arn)
}

func invalidName(name string) *Error {
	return errorf(CodeInvalidName, "Invalid Name: '%s'", name)
}

func typeNotSupported() *Error {
	return errorf(CodeStateMachineTypeNotSupported, "This operation is not supported by this type of state machine")
}
