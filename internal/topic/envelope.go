package topic

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// envelope is the JSON document SNS delivers to SQS and HTTP endpoints, its
// fields in AWS's order.
type envelope struct {
	Type              string                   `json:"Type"`
	MessageID         string                   `json:"MessageId"`
	Token             string                   `json:"Token,omitempty"`
	SequenceNumber    string                   `json:"SequenceNumber,omitempty"`
	TopicArn          string                   `json:"TopicArn"`
	Subject           string                   `json:"Subject,omitempty"`
	Message           string                   `json:"Message"`
	SubscribeURL      string                   `json:"SubscribeURL,omitempty"`
	Timestamp         string                   `json:"Timestamp"`
	SignatureVersion  string                   `json:"SignatureVersion,omitempty"`
	Signature         string                   `json:"Signature,omitempty"`
	SigningCertURL    string                   `json:"SigningCertURL,omitempty"`
	UnsubscribeURL    string                   `json:"UnsubscribeURL,omitempty"`
	MessageAttributes map[string]envelopeValue `json:"MessageAttributes,omitempty"`
}

type envelopeValue struct {
	Type  string `json:"Type"`
	Value string `json:"Value"`
}

// canonical is the string SNS signs: "Key\nValue\n" for the fields of the
// message type, in AWS's order.
func (e *envelope) canonical() string {
	var b strings.Builder
	add := func(k, v string) { b.WriteString(k + "\n" + v + "\n") }
	add("Message", e.Message)
	add("MessageId", e.MessageID)
	if e.Type == "Notification" {
		if e.Subject != "" {
			add("Subject", e.Subject)
		}
		add("Timestamp", e.Timestamp)
		add("TopicArn", e.TopicArn)
		add("Type", e.Type)
		return b.String()
	}
	add("SubscribeURL", e.SubscribeURL)
	add("Timestamp", e.Timestamp)
	add("Token", e.Token)
	add("TopicArn", e.TopicArn)
	add("Type", e.Type)
	return b.String()
}

// finish signs the envelope (standard topics) and renders it.
func (s *Service) finish(e *envelope, version, endpoint string) []byte {
	if e.SequenceNumber == "" {
		e.SignatureVersion = version
		e.Signature = s.signer.sign(version, e.canonical())
		e.SigningCertURL = endpoint + CertPath
	}
	b, _ := json.Marshal(e)
	return b
}

func unsubscribeURL(endpoint, subArn string) string {
	return endpoint + "/?Action=Unsubscribe&SubscriptionArn=" + subArn // unescaped, as AWS sends it
}

func envelopeAttrs(attrs map[string]MessageAttribute) map[string]envelopeValue {
	if len(attrs) == 0 {
		return nil
	}
	out := make(map[string]envelopeValue, len(attrs))
	for k, a := range attrs {
		v := a.str()
		if strings.HasPrefix(a.DataType, "Binary") {
			v = base64.StdEncoding.EncodeToString(a.BinaryValue)
		}
		out[k] = envelopeValue{Type: a.DataType, Value: v}
	}
	return out
}
