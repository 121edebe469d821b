// Package sns serves the Amazon SNS API over the AWS query protocol (form
// in, XML out in namespace http://sns.amazonaws.com/doc/2010-03-31/). Each
// operation decodes into one input struct, calls the topic service and
// encodes one output struct; errors are rendered in one place.
package sns

import (
	"bytes"
	"context"
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/awsapi/protocol/awsquery"
	"github.com/fogbank/fogbank/internal/topic"
)

// Namespace is the XML namespace of SNS responses.
const Namespace = "http://sns.amazonaws.com/doc/2010-03-31/"

// Handler serves SNS.
type Handler struct {
	svc *topic.Service
	log *slog.Logger
	ops map[string]awsapi.Operation
}

// New builds the SNS handler.
func New(svc *topic.Service, log *slog.Logger) *Handler {
	h := &Handler{svc: svc, log: log}
	h.ops = map[string]awsapi.Operation{
		"CreateTopic":               awsapi.Op(h.createTopic),
		"DeleteTopic":               awsapi.Op(h.deleteTopic),
		"GetTopicAttributes":        awsapi.Op(h.getTopicAttributes),
		"SetTopicAttributes":        awsapi.Op(h.setTopicAttributes),
		"ListTopics":                awsapi.Op(h.listTopics),
		"Subscribe":                 awsapi.Op(h.subscribe),
		"ConfirmSubscription":       awsapi.Op(h.confirmSubscription),
		"Unsubscribe":               awsapi.Op(h.unsubscribe),
		"GetSubscriptionAttributes": awsapi.Op(h.getSubscriptionAttributes),
		"SetSubscriptionAttributes": awsapi.Op(h.setSubscriptionAttributes),
		"ListSubscriptions":         awsapi.Op(h.listSubscriptions),
		"ListSubscriptionsByTopic":  awsapi.Op(h.listSubscriptionsByTopic),
		"Publish":                   awsapi.Op(h.publish),
		"PublishBatch":              awsapi.Op(h.publishBatch),
		"TagResource":               awsapi.Op(h.tagResource),
		"UntagResource":             awsapi.Op(h.untagResource),
		"ListTagsForResource":       awsapi.Op(h.listTagsForResource),
		"AddPermission":             awsapi.Op(h.addPermission),
		"RemovePermission":          awsapi.Op(h.removePermission),
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

// Serve handles one SNS request.
func (h *Handler) Serve(ctx context.Context, r *awsapi.Request) awsapi.Response {
	o, ok := h.ops[r.Operation]
	if !ok {
		return h.renderError(r, &awsapi.Error{Status: http.StatusBadRequest, QueryCode: "InvalidAction", Message: "The action " + r.Operation + " is not valid for this endpoint.", Sender: true})
	}
	in := o.NewInput()
	form, err := queryForm(r)
	if err == nil {
		err = awsquery.Decode(form, in)
	}
	if err != nil {
		return h.renderError(r, toWire(invalidParameter(err.Error())))
	}
	out, err := o.Call(ctx, r, in)
	if err != nil {
		w := toWire(err)
		if w.Status >= 500 {
			h.log.ErrorContext(ctx, "sns: operation failed", slog.String("op", r.Operation), slog.String("request_id", r.ID), slog.Any("err", err))
		}
		return h.renderError(r, w)
	}
	body, err := awsquery.Response(Namespace, r.Operation, out, r.ID)
	if err != nil {
		return h.renderError(r, internalError())
	}
	return awsapi.Response{Status: http.StatusOK, ContentType: "text/xml", Body: body}
}

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

func (h *Handler) renderError(r *awsapi.Request, e *awsapi.Error) awsapi.Response {
	return awsapi.Response{Status: e.Status, ContentType: "text/xml", Body: errorBody(e, r.ID)}
}

// errorBody is SNS's ErrorResponse: unlike SQS's, it has no Detail element.
func errorBody(e *awsapi.Error, requestID string) []byte {
	type errBody struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	type envelope struct {
		XMLName   xml.Name `xml:"ErrorResponse"`
		Xmlns     string   `xml:"xmlns,attr"`
		Error     errBody  `xml:"Error"`
		RequestID string   `xml:"RequestId"`
	}
	typ := "Receiver"
	if e.Sender {
		typ = "Sender"
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	_ = xml.NewEncoder(&buf).Encode(envelope{Xmlns: Namespace, Error: errBody{Type: typ, Code: e.QueryCode, Message: e.Message}, RequestID: requestID}) // plain strings cannot fail
	return buf.Bytes()
}

// caller is the domain's view of who is calling, and the endpoint used.
func caller(r *awsapi.Request) topic.Caller {
	scheme := "http"
	if r.HTTP != nil && r.HTTP.TLS != nil {
		scheme = "https"
	}
	return topic.Caller{Account: r.Identity.Account, Region: r.Identity.Region, Endpoint: scheme + "://" + r.Host}
}
