package schemas

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/schema"
)

// wireError is one error as it goes on the wire.
type wireError struct {
	typ     string // the exception name, also X-Amzn-ErrorType and the body's Code
	status  int
	message string
}

// errorTable maps every domain error code to AWS's exception. A test checks
// each against the Schemas model (testdata/schemas-errors.json).
var errorTable = map[schema.Code]wireError{
	schema.CodeBadRequest:         {typ: "BadRequestException", status: http.StatusBadRequest},
	schema.CodeNotFound:           {typ: "NotFoundException", status: http.StatusNotFound},
	schema.CodeConflict:           {typ: "ConflictException", status: http.StatusConflict},
	schema.CodeForbidden:          {typ: "ForbiddenException", status: http.StatusForbidden},
	schema.CodePreconditionFailed: {typ: "PreconditionFailedException", status: http.StatusPreconditionFailed},
	schema.CodeInternal:           {typ: "InternalServerErrorException", status: http.StatusInternalServerError},
}

// toWire converts any error from the domain into an AWS error.
func toWire(err error) wireError {
	var w wireError
	if errors.As(err, &w) {
		return w
	}
	var se *schema.Error
	if errors.As(err, &se) {
		if w, ok := errorTable[se.Code]; ok {
			w.message = se.Message
			return w
		}
	}
	w = errorTable[schema.CodeInternal]
	w.message = "An internal error occurred."
	return w
}

func (w wireError) Error() string { return w.typ + ": " + w.message }

func badRequest(msg string) wireError {
	w := errorTable[schema.CodeBadRequest]
	w.message = msg
	return w
}

func unknownOperation(r *awsapi.Request) wireError {
	w := errorTable[schema.CodeNotFound]
	w.message = "Unknown operation " + r.HTTP.Method + " " + r.HTTP.URL.Path
	return w
}

// renderError renders {"Code":"…","Message":"…"} with X-Amzn-ErrorType.
func renderError(w wireError) awsapi.Response {
	b, _ := json.Marshal(map[string]string{"Code": w.typ, "Message": w.message})
	hdr := http.Header{}
	hdr.Set("X-Amzn-ErrorType", w.typ)
	return awsapi.Response{Status: w.status, ContentType: "application/json", Header: hdr, Body: b}
}
