// Package awsjson implements the AWS JSON 1.0 and 1.1 protocols: operations
// named by X-Amz-Target, JSON bodies, and errors carrying "__type".
package awsjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Operation returns the operation named by an X-Amz-Target header value
// ("AmazonSQS.SendMessage" -> "SendMessage") for the given prefix.
func Operation(target, prefix string) (string, bool) {
	op, ok := strings.CutPrefix(target, prefix+".")
	return op, ok && op != ""
}

// Decode decodes a request body into v. An empty body is an empty object.
func Decode(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(v); err != nil {
		return describe(err)
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing content after the JSON document")
	}
	return nil
}

func describe(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("value of type %s is not valid for field %s", te.Value, te.Field)
	}
	return err
}

// Encode renders a response body; nil renders as {}.
func Encode(v any) ([]byte, error) {
	if v == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(v)
}

// ErrorBody renders {"__type": ..., "message": ...}.
func ErrorBody(typ, message string) []byte {
	b, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{typ, message})
	return b
}
