package queue

import (
	"errors"
	"fmt"
)

// Code classifies a queue error. The wire layer maps each code to AWS's
// error type, legacy query code and HTTP status.
type Code int

// Error codes, one per AWS SQS error the service can return.
const (
	CodeInvalidParameterValue Code = iota + 1
	CodeMissingParameter
	CodeQueueDoesNotExist
	CodeQueueNameExists
	CodeQueueDeletedRecently
	CodeInvalidAttributeName
	CodeInvalidAttributeValue
	CodeReceiptHandleIsInvalid
	CodeMessageNotInflight
	CodePurgeQueueInProgress
	CodeTooManyEntriesInBatchRequest
	CodeEmptyBatchRequest
	CodeBatchEntryIdsNotDistinct
	CodeInvalidBatchEntryID
	CodeBatchRequestTooLong
	CodeInvalidMessageContents
	CodeOverLimit
	CodeResourceNotFound
	CodeUnsupportedOperation
	CodeAccessDenied
	CodeInvalidAddress
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

// ErrQueueDoesNotExist is the error for an unknown queue.
var errQueueDoesNotExist = &Error{Code: CodeQueueDoesNotExist, Message: "The specified queue does not exist."}

// IsCode reports whether err is a queue *Error with the given code.
func IsCode(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

func invalidValue(param string, value any, reason string) *Error {
	return errorf(CodeInvalidParameterValue, "Value %v for parameter %s is invalid. Reason: %s", value, param, reason)
}

func invalidParams(reason string) *Error {
	return errorf(CodeInvalidParameterValue, "One or more parameters are invalid. Reason: %s", reason)
}

func missingParam(name string) *Error {
	return errorf(CodeMissingParameter, "The request must contain the parameter %s.", name)
}

func asError(err error, target **Error) bool { return errors.As(err, target) }
