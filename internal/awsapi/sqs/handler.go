// Package sqs serves the Amazon SQS API over both of its protocols: AWS JSON
// 1.0 (X-Amz-Target: AmazonSQS.<Op>) and the legacy query protocol (form in,
// XML out). Each operation decodes into one input struct, calls the queue
// service and encodes one output struct; errors are rendered in one place.
package sqs

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/awsapi/protocol/awsjson"
	"github.com/fogbank/fogbank/internal/awsapi/protocol/awsquery"
	"github.com/fogbank/fogbank/internal/queue"
)

// TargetPrefix is the X-Amz-Target prefix of SQS's JSON protocol.
const TargetPrefix = "AmazonSQS"

// xmlNamespace is the namespace of SQS's query responses.
const xmlNamespace = "http://queue.amazonaws.com/doc/2012-11-05/"

// Handler serves SQS.
type Handler struct {
	svc *queue.Service
	log *slog.Logger
	ops map[string]awsapi.Operation
}

// New builds the SQS handler.
func New(svc *queue.Service, log *slog.Logger) *Handler {
	h := &Handler{svc: svc, log: log}
	h.ops = map[string]awsapi.Operation{
		"CreateQueue":                  awsapi.Op(h.createQueue),
		"DeleteQueue":                  awsapi.Op(h.deleteQueue),
		"GetQueueUrl":                  awsapi.Op(h.getQueueURL),
		"ListQueues":                   awsapi.Op(h.listQueues),
		"GetQueueAttributes":           awsapi.Op(h.getQueueAttributes),
		"SetQueueAttributes":           awsapi.Op(h.setQueueAttributes),
		"PurgeQueue":                   awsapi.Op(h.purgeQueue),
		"TagQueue":                     awsapi.Op(h.tagQueue),
		"UntagQueue":                   awsapi.Op(h.untagQueue),
		"ListQueueTags":                awsapi.Op(h.listQueueTags),
		"AddPermission":                awsapi.Op(h.addPermission),
		"RemovePermission":             awsapi.Op(h.removePermission),
		"ListDeadLetterSourceQueues":   awsapi.Op(h.listDeadLetterSourceQueues),
		"SendMessage":                  awsapi.Op(h.sendMessage),
		"SendMessageBatch":             awsapi.Op(h.sendMessageBatch),
		"ReceiveMessage":               awsapi.Op(h.receiveMessage),
		"DeleteMessage":                awsapi.Op(h.deleteMessage),
		"DeleteMessageBatch":           awsapi.Op(h.deleteMessageBatch),
		"ChangeMessageVisibility":      awsapi.Op(h.changeMessageVisibility),
		"ChangeMessageVisibilityBatch": awsapi.Op(h.changeMessageVisibilityBatch),
		"StartMessageMoveTask":         awsapi.Op(h.startMessageMoveTask),
		"CancelMessageMoveTask":        awsapi.Op(h.cancelMessageMoveTask),
		"ListMessageMoveTasks":         awsapi.Op(h.listMessageMoveTasks),
	}
	return h
}

// Operations lists the operation names the handler serves.
func (h *Handler) Operations() []string {
	out := make([]string, 0, len(h.ops))
	for name := range h.ops {
		out = append(out, name)
	}
	return out
}

// Serve handles one SQS request.
func (h *Handler) Serve(ctx context.Context, r *awsapi.Request) awsapi.Response {
	o, ok := h.ops[r.Operation]
	if !ok {
		return h.renderError(r, unknownOperation(r))
	}
	in := o.NewInput()
	if err := h.decode(r, in); err != nil {
		return h.renderError(r, err)
	}
	out, err := o.Call(ctx, r, in)
	if err != nil {
		w := toWire(err, r.Protocol)
		if w.Status >= 500 {
			h.log.ErrorContext(ctx, "sqs: operation failed", slog.String("op", r.Operation), slog.String("request_id", r.ID), slog.Any("err", err))
		}
		return h.renderError(r, w)
	}
	return h.render(r, out)
}

func unknownOperation(r *awsapi.Request) *awsapi.Error {
	if r.Protocol == awsapi.ProtocolQuery {
		return &awsapi.Error{Status: http.StatusBadRequest, JSONType: "InvalidAction", QueryCode: "InvalidAction", Message: "The action " + r.Operation + " is not valid for this endpoint.", Sender: true}
	}
	return &awsapi.Error{Status: http.StatusBadRequest, JSONType: "UnknownOperationException", QueryCode: "UnknownOperationException", Message: "", Sender: true}
}

func (h *Handler) decode(r *awsapi.Request, in any) *awsapi.Error {
	if r.Protocol == awsapi.ProtocolJSON {
		if err := awsjson.Decode(r.Body, in); err != nil {
			return &awsapi.Error{Status: http.StatusBadRequest, JSONType: "com.amazonaws.sqs#InvalidParameterValue", QueryCode: "InvalidParameterValue", Message: "The request body is not valid: " + err.Error(), Sender: true}
		}
		return nil
	}
	form, err := queryForm(r)
	if err != nil {
		return invalidParameter("The request body is not a valid form.")
	}
	if err := awsquery.Decode(form, in); err != nil {
		return invalidParameter(err.Error())
	}
	return nil
}

// queryForm merges the URL query and a form body, as AWS accepts both.
func queryForm(r *awsapi.Request) (url.Values, error) {
	form := r.HTTP.URL.Query()
	if len(r.Body) > 0 {
		body, err := url.ParseQuery(string(r.Body))
		if err != nil {
			return nil, err
		}
		for k, v := range body {
			form[k] = v
		}
	}
	return form, nil
}

func (h *Handler) render(r *awsapi.Request, out any) awsapi.Response {
	if r.Protocol == awsapi.ProtocolJSON {
		body, err := awsjson.Encode(out)
		if err != nil {
			return h.renderError(r, internalError())
		}
		return awsapi.Response{Status: http.StatusOK, ContentType: "application/x-amz-json-1.0", Body: body}
	}
	body, err := awsquery.Response(xmlNamespace, r.Operation, out, r.ID)
	if err != nil {
		return h.renderError(r, internalError())
	}
	return awsapi.Response{Status: http.StatusOK, ContentType: "text/xml", Body: body}
}

func (h *Handler) renderError(r *awsapi.Request, e *awsapi.Error) awsapi.Response {
	if r.Protocol == awsapi.ProtocolJSON {
		hdr := http.Header{}
		fault := "Sender"
		if !e.Sender {
			fault = "Receiver"
		}
		hdr.Set("x-amzn-query-error", e.QueryCode+";"+fault)
		return awsapi.Response{Status: e.Status, ContentType: "application/x-amz-json-1.0", Header: hdr, Body: awsjson.ErrorBody(e.JSONType, e.Message)}
	}
	return awsapi.Response{Status: e.Status, ContentType: "text/xml", Body: awsquery.ErrorResponse(xmlNamespace, e.QueryCode, e.Message, e.Sender, r.ID)}
}
