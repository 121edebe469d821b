package topic

import "fmt"

// Code classifies a topic error; the wire layer maps each to AWS's code and
// HTTP status.
type Code int

// Error codes, one per SNS error the service returns.
const (
	CodeInvalidParameter Code = iota + 1
	CodeParameterValueInvalid
	CodeNotFound
	CodeResourceNotFound
	CodeAuthorizationError
	CodeTooManyEntriesInBatchRequest
	CodeEmptyBatchRequest
	CodeBatchEntryIdsNotDistinct
	CodeInvalidBatchEntryID
	CodeBatchRequestTooLong
	CodeTagLimitExceeded
	CodeValidation
)

// Error is a domain error with AWS's message text.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("topic: %d: %s", e.Code, e.Message) }

func invalidParameter(msg string) *Error {
	return &Error{Code: CodeInvalidParameter, Message: "Invalid parameter: " + msg}
}

func invalidAttrs(reason string) *Error { return invalidParameter("Attributes Reason: " + reason) }

func valueInvalid(msg string) *Error { return &Error{Code: CodeParameterValueInvalid, Message: msg} }

var (
	errTopicNotFound        = &Error{Code: CodeNotFound, Message: "Topic does not exist"}
	errSubscriptionNotFound = &Error{Code: CodeNotFound, Message: "Subscription does not exist"}
	errResourceNotFound     = &Error{Code: CodeResourceNotFound, Message: "Resource does not exist"}
	errEmptyMessage         = invalidParameter("Empty message")
	errMessageTooLong       = invalidParameter("Message too long")
)
