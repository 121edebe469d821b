package sns

import (
	"errors"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/topic"
)

// wireError is how one domain error code goes on the wire: the model's
// shape name (checked by a test), the query code and the HTTP status.
type wireError struct {
	shape     string
	queryCode string
	status    int
}

// errorTable maps every domain error code to AWS's.
var errorTable = map[topic.Code]wireError{
	topic.CodeInvalidParameter:             {"InvalidParameterException", "InvalidParameter", http.StatusBadRequest},
	topic.CodeParameterValueInvalid:        {"InvalidParameterValueException", "ParameterValueInvalid", http.StatusBadRequest},
	topic.CodeNotFound:                     {"NotFoundException", "NotFound", http.StatusNotFound},
	topic.CodeResourceNotFound:             {"ResourceNotFoundException", "ResourceNotFound", http.StatusNotFound},
	topic.CodeAuthorizationError:           {"AuthorizationErrorException", "AuthorizationError", http.StatusForbidden},
	topic.CodeTooManyEntriesInBatchRequest: {"TooManyEntriesInBatchRequestException", "TooManyEntriesInBatchRequest", http.StatusBadRequest},
	topic.CodeEmptyBatchRequest:            {"EmptyBatchRequestException", "EmptyBatchRequest", http.StatusBadRequest},
	topic.CodeBatchEntryIdsNotDistinct:     {"BatchEntryIdsNotDistinctException", "BatchEntryIdsNotDistinct", http.StatusBadRequest},
	topic.CodeInvalidBatchEntryID:          {"InvalidBatchEntryIdException", "InvalidBatchEntryId", http.StatusBadRequest},
	topic.CodeBatchRequestTooLong:          {"BatchRequestTooLongException", "BatchRequestTooLong", http.StatusBadRequest},
	topic.CodeTagLimitExceeded:             {"TagLimitExceededException", "TagLimitExceeded", http.StatusBadRequest},
	topic.CodeValidation:                   {"ValidationException", "ValidationException", http.StatusBadRequest},
}

func toWire(err error) *awsapi.Error {
	var we *awsapi.Error
	if errors.As(err, &we) {
		return we
	}
	var te *topic.Error
	if errors.As(err, &te) {
		if w, ok := errorTable[te.Code]; ok {
			return &awsapi.Error{Status: w.status, QueryCode: w.queryCode, Message: te.Message, Sender: true}
		}
	}
	return internalError()
}

func internalError() *awsapi.Error {
	return &awsapi.Error{Status: http.StatusInternalServerError, QueryCode: "InternalError", Message: "Internal Error"}
}

func invalidParameter(msg string) *topic.Error {
	return &topic.Error{Code: topic.CodeInvalidParameter, Message: "Invalid parameter: " + msg}
}
