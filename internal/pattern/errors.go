package pattern

// AWS error codes carried by [Error].
const (
	// CodeInvalidEventPattern is EventBridge's code for a rejected event pattern.
	CodeInvalidEventPattern = "InvalidEventPatternException"
	// CodeValidation is EventBridge's code for an event TestEventPattern rejects.
	CodeValidation = "ValidationException"
	// CodeInvalidParameter is SNS's code for a rejected filter policy.
	CodeInvalidParameter = "InvalidParameter"
)

const (
	eventPatternPrefix = "Event pattern is not valid. Reason: "
	filterPolicyPrefix = "FilterPolicy: "
	invalidEventText   = "Parameter Event is not valid."
)

// Error is a validation failure with the AWS error code and message.
//
// For EventBridge patterns Message is the complete first line AWS returns, for
// example "Event pattern is not valid. Reason: Empty arrays are not allowed".
// For SNS filter policies Message is the text that follows the API-specific
// "Invalid parameter: " or "Invalid parameter: Attributes Reason: " prefix,
// usually "FilterPolicy: <reason>"; the API layer adds the prefix.
type Error struct {
	Code    string
	Message string
	// Reason is the bare reason, without any AWS prefix.
	Reason string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// reasonError is the internal error of the parsers: a reason text only.
type reasonError struct{ reason string }

func (e *reasonError) Error() string { return e.reason }

func fail(reason string) error { return &reasonError{reason: reason} }

func patternError(err error) *Error {
	r := err.Error()
	return &Error{Code: CodeInvalidEventPattern, Message: eventPatternPrefix + r, Reason: r}
}

func policyError(reason string) *Error {
	return &Error{Code: CodeInvalidParameter, Message: filterPolicyPrefix + reason, Reason: reason}
}

func invalidEventError() *Error {
	return &Error{Code: CodeValidation, Message: invalidEventText, Reason: invalidEventText}
}
