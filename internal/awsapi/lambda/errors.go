package lambda

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/function"
)

// wireError is one error as it goes on the wire.
type wireError struct {
	typ     string // the exception name, also X-Amzn-ErrorType
	status  int
	fault   string // the body's "Type": "User" or "Service"; "" for none
	upper   bool   // the model names the message "Message", not "message"
	message string
	reason  string // TooManyRequestsException's Reason
}

// errorTable maps every domain error code to AWS's exception. A test checks
// each against the Lambda model (testdata/lambda-errors.json).
var errorTable = map[function.Code]wireError{
	function.CodeValidation:            {typ: "ValidationException", status: http.StatusBadRequest},
	function.CodeInvalidParameterValue: {typ: "InvalidParameterValueException", status: http.StatusBadRequest, fault: "User"},
	function.CodeResourceNotFound:      {typ: "ResourceNotFoundException", status: http.StatusNotFound, fault: "User", upper: true},
	function.CodeResourceConflict:      {typ: "ResourceConflictException", status: http.StatusConflict, fault: "User"},
	function.CodeInvalidRequestContent: {typ: "InvalidRequestContentException", status: http.StatusBadRequest, fault: "User"},
	function.CodeRequestTooLarge:       {typ: "RequestTooLargeException", status: http.StatusRequestEntityTooLarge, fault: "User"},
	function.CodePreconditionFailed:    {typ: "PreconditionFailedException", status: http.StatusPreconditionFailed, fault: "User"},
	function.CodeAccessDenied:          {typ: "AccessDeniedException", status: http.StatusForbidden, upper: true},
	function.CodeService:               {typ: "ServiceException", status: http.StatusInternalServerError, fault: "Service", upper: true},
	function.CodeTooManyRequests:       {typ: "TooManyRequestsException", status: http.StatusTooManyRequests, fault: "User"},
	function.CodeProvisionedConfigNotFound: {
		typ: "ProvisionedConcurrencyConfigNotFoundException", status: http.StatusNotFound, fault: "User",
	},
}

// toWire converts any error from the domain into an AWS error.
func toWire(err error) wireError {
	var w wireError
	if errors.As(err, &w) {
		return w
	}
	var fe *function.Error
	if errors.As(err, &fe) {
		if w, ok := errorTable[fe.Code]; ok {
			w.message, w.reason = fe.Message, fe.Reason
			if fe.Untyped {
				w.fault = ""
			}
			return w
		}
	}
	w = errorTable[function.CodeService]
	w.message = "The Lambda service encountered an internal error."
	return w
}

func (w wireError) Error() string { return w.typ + ": " + w.message }

func invalidContent(msg string) wireError {
	w := errorTable[function.CodeInvalidRequestContent]
	w.message = msg
	return w
}

func unknownOperation(r *awsapi.Request) wireError {
	return wireError{typ: "UnknownOperationException", status: http.StatusNotFound, message: "Unknown operation " + r.HTTP.Method + " " + r.HTTP.URL.Path}
}

// renderError renders {"Type":"User","message":"…"} with X-Amzn-ErrorType.
func renderError(w wireError) awsapi.Response {
	body := map[string]any{}
	if w.fault != "" {
		body["Type"] = w.fault
	}
	if w.reason != "" {
		body["Reason"] = w.reason
	}
	switch {
	case w.message == "":
		body["Message"] = nil // AccessDeniedException, as AWS answers it
	case w.upper:
		body["Message"] = w.message
	default:
		body["message"] = w.message
	}
	b, _ := json.Marshal(body)
	hdr := http.Header{}
	hdr.Set("X-Amzn-ErrorType", w.typ)
	return awsapi.Response{Status: w.status, ContentType: "application/json", Header: hdr, Body: b}
}
