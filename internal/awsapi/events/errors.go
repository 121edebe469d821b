package events

import (
	"errors"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/bus"
)

// errorTable maps every domain error code to AWS's exception. A test checks
// each name against the EventBridge model.
var errorTable = map[bus.Code]string{
	bus.CodeValidation:             "ValidationException",
	bus.CodeResourceNotFound:       "ResourceNotFoundException",
	bus.CodeResourceAlreadyExists:  "ResourceAlreadyExistsException",
	bus.CodeInvalidEventPattern:    "InvalidEventPatternException",
	bus.CodeLimitExceeded:          "LimitExceededException",
	bus.CodeManagedRule:            "ManagedRuleException",
	bus.CodeConcurrentModification: "ConcurrentModificationException",
	bus.CodeIllegalStatus:          "IllegalStatusException",
	bus.CodeAccessDenied:           "AccessDeniedException",
	bus.CodePolicyLengthExceeded:   "PolicyLengthExceededException",
}

// otherErrors are the exceptions the handler emits itself.
var otherErrors = []string{"InternalException", "UnknownOperationException", "SerializationException"}

func toWire(err error) *awsapi.Error {
	var be *bus.Error
	if errors.As(err, &be) {
		if typ, ok := errorTable[be.Code]; ok {
			return &awsapi.Error{Status: http.StatusBadRequest, JSONType: typ, Message: be.Message, Sender: true}
		}
	}
	return internalError()
}

func internalError() *awsapi.Error {
	return &awsapi.Error{Status: http.StatusInternalServerError, JSONType: "InternalException", Message: "An internal error occurred."}
}
