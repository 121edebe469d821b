package sfn

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/flow"
	"github.com/fogbank/fogbank/internal/flow/engine"
)

// errorTable maps every domain error code to AWS's exception. A test checks
// each name against the Step Functions model.
var errorTable = map[flow.Code]string{
	flow.CodeValidation:                   "ValidationException",
	flow.CodeInvalidArn:                   "InvalidArn",
	flow.CodeInvalidName:                  "InvalidName",
	flow.CodeInvalidDefinition:            "InvalidDefinition",
	flow.CodeInvalidLoggingConfiguration:  "InvalidLoggingConfiguration",
	flow.CodeInvalidTracingConfiguration:  "InvalidTracingConfiguration",
	flow.CodeInvalidExecutionInput:        "InvalidExecutionInput",
	flow.CodeInvalidOutput:                "InvalidOutput",
	flow.CodeInvalidToken:                 "InvalidToken",
	flow.CodeStateMachineDoesNotExist:     "StateMachineDoesNotExist",
	flow.CodeStateMachineAlreadyExists:    "StateMachineAlreadyExists",
	flow.CodeStateMachineDeleting:         "StateMachineDeleting",
	flow.CodeStateMachineTypeNotSupported: "StateMachineTypeNotSupported",
	flow.CodeExecutionDoesNotExist:        "ExecutionDoesNotExist",
	flow.CodeExecutionAlreadyExists:       "ExecutionAlreadyExists",
	flow.CodeExecutionNotRedrivable:       "ExecutionNotRedrivable",
	flow.CodeTaskDoesNotExist:             "TaskDoesNotExist",
	flow.CodeTaskTimedOut:                 "TaskTimedOut",
	flow.CodeActivityDoesNotExist:         "ActivityDoesNotExist",
	flow.CodeActivityAlreadyExists:        "ActivityAlreadyExists",
	flow.CodeResourceNotFound:             "ResourceNotFound",
	flow.CodeConflict:                     "ConflictException",
	flow.CodeTooManyTags:                  "TooManyTags",
	flow.CodeMissingRequiredParameter:     "MissingRequiredParameter",
}

// otherErrors are the exceptions the handler emits itself.
var otherErrors = []string{"InternalFailure", "UnknownOperationException", "SerializationException"}

func toWire(err error) *awsapi.Error {
	var fe *flow.Error
	if errors.As(err, &fe) {
		if typ, ok := errorTable[fe.Code]; ok {
			return &awsapi.Error{Status: http.StatusBadRequest, JSONType: typ, Message: fe.Message, Sender: true}
		}
	}
	var re *engine.RequestError
	if errors.As(err, &re) {
		return &awsapi.Error{Status: http.StatusBadRequest, JSONType: re.Code, Message: re.Message, Sender: true}
	}
	return internalError()
}

func internalError() *awsapi.Error {
	return &awsapi.Error{Status: http.StatusInternalServerError, JSONType: "InternalFailure", Message: "An internal error occurred."}
}

// missing is AWS's error for an absent required member.
func missing(field string) error {
	return &flow.Error{Code: flow.CodeValidation, Message: fmt.Sprintf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)}
}
