package sqs

import (
	"errors"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/queue"
)

// wireError is how one queue error code goes on the wire: the JSON __type
// (short name), the query protocol's code, and the HTTP status.
type wireError struct {
	jsonType  string
	queryCode string
	status    int
}

const (
	sqsNS   = "com.amazonaws.sqs#"
	coralNS = "com.amazon.coral.service#"
)

// errorTable maps every domain error code to AWS's. A test checks that each
// name exists in the SQS model.
var errorTable = map[queue.Code]wireError{
	queue.CodeInvalidParameterValue:        {coralNS + "InvalidParameterValueException", "InvalidParameterValue", http.StatusBadRequest},
	queue.CodeMissingParameter:             {coralNS + "MissingRequiredParameterException", "MissingParameter", http.StatusBadRequest},
	queue.CodeQueueDoesNotExist:            {sqsNS + "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", http.StatusBadRequest},
	queue.CodeQueueNameExists:              {sqsNS + "QueueNameExists", "QueueAlreadyExists", http.StatusBadRequest},
	queue.CodeQueueDeletedRecently:         {sqsNS + "QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently", http.StatusBadRequest},
	queue.CodeInvalidAttributeName:         {sqsNS + "InvalidAttributeName", "InvalidAttributeName", http.StatusBadRequest},
	queue.CodeInvalidAttributeValue:        {sqsNS + "InvalidAttributeValue", "InvalidAttributeValue", http.StatusBadRequest},
	queue.CodeReceiptHandleIsInvalid:       {sqsNS + "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", http.StatusBadRequest},
	queue.CodeMessageNotInflight:           {sqsNS + "MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", http.StatusBadRequest},
	queue.CodePurgeQueueInProgress:         {sqsNS + "PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", http.StatusForbidden},
	queue.CodeTooManyEntriesInBatchRequest: {sqsNS + "TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", http.StatusBadRequest},
	queue.CodeEmptyBatchRequest:            {sqsNS + "EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", http.StatusBadRequest},
	queue.CodeBatchEntryIdsNotDistinct:     {sqsNS + "BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", http.StatusBadRequest},
	queue.CodeInvalidBatchEntryID:          {sqsNS + "InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", http.StatusBadRequest},
	queue.CodeBatchRequestTooLong:          {sqsNS + "BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", http.StatusBadRequest},
	queue.CodeInvalidMessageContents:       {sqsNS + "InvalidMessageContents", "InvalidMessageContents", http.StatusBadRequest},
	queue.CodeOverLimit:                    {sqsNS + "OverLimit", "OverLimit", http.StatusForbidden},
	queue.CodeResourceNotFound:             {sqsNS + "ResourceNotFoundException", "ResourceNotFoundException", http.StatusNotFound},
	queue.CodeUnsupportedOperation:         {sqsNS + "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", http.StatusBadRequest},
	queue.CodeAccessDenied:                 {coralNS + "AccessDeniedException", "AccessDenied", http.StatusForbidden},
	queue.CodeInvalidAddress:               {sqsNS + "InvalidAddress", "InvalidAddress", http.StatusNotFound},
}

// toWire converts any error from the domain into an AWS error.
func toWire(err error, proto awsapi.Protocol) *awsapi.Error {
	var we *awsapi.Error
	if errors.As(err, &we) {
		return we
	}
	var qe *queue.Error
	if errors.As(err, &qe) {
		w, ok := errorTable[qe.Code]
		if ok {
			msg := qe.Message
			if qe.Code == queue.CodeQueueDoesNotExist && proto == awsapi.ProtocolQuery {
				msg = "The specified queue does not exist for this wsdl version."
			}
			return &awsapi.Error{Status: w.status, JSONType: w.jsonType, QueryCode: w.queryCode, Message: msg, Sender: true}
		}
	}
	return internalError()
}

func internalError() *awsapi.Error {
	return &awsapi.Error{Status: http.StatusInternalServerError, JSONType: sqsNS + "InternalError", QueryCode: "InternalError", Message: "We encountered an internal error. Please try again."}
}

func invalidParameter(msg string) *awsapi.Error {
	return &awsapi.Error{Status: http.StatusBadRequest, JSONType: coralNS + "InvalidParameterValueException", QueryCode: "InvalidParameterValue", Message: msg, Sender: true}
}

func missingParameter(name string) *awsapi.Error {
	return &awsapi.Error{Status: http.StatusBadRequest, JSONType: coralNS + "MissingRequiredParameterException", QueryCode: "MissingParameter", Message: "The request must contain the parameter " + name + ".", Sender: true}
}

// batchCode is the Code of a failed batch entry: the query code.
func batchCode(e *queue.Error) string {
	if w, ok := errorTable[e.Code]; ok {
		return w.queryCode
	}
	return "InternalError"
}
