package awsquery

import (
	"bytes"
	"encoding/xml"
)

// Response renders a successful query response:
//
//	<OpResponse xmlns="ns"><OpResult>...</OpResult><ResponseMetadata>...</ResponseMetadata></OpResponse>
//
// result may be nil for operations without output.
func Response(namespace, op string, result any, requestID string) ([]byte, error) {
	var buf bytes.Buffer
	e := xml.NewEncoder(&buf)
	resp := xml.StartElement{Name: xml.Name{Local: op + "Response"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: namespace}}}
	if err := e.EncodeToken(resp); err != nil {
		return nil, err
	}
	if result != nil {
		if err := e.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: op + "Result"}}); err != nil {
			return nil, err
		}
	}
	meta := struct {
		RequestID string `xml:"RequestId"`
	}{requestID}
	if err := e.EncodeElement(meta, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}}); err != nil {
		return nil, err
	}
	if err := e.EncodeToken(resp.End()); err != nil {
		return nil, err
	}
	if err := e.Flush(); err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), buf.Bytes()...), nil
}

// ErrorResponse renders a query error document.
func ErrorResponse(namespace, code, message string, sender bool, requestID string) []byte {
	type errBody struct {
		Type    string   `xml:"Type"`
		Code    string   `xml:"Code"`
		Message string   `xml:"Message"`
		Detail  struct{} `xml:"Detail"`
	}
	type envelope struct {
		XMLName   xml.Name `xml:"ErrorResponse"`
		Xmlns     string   `xml:"xmlns,attr"`
		Error     errBody  `xml:"Error"`
		RequestID string   `xml:"RequestId"`
	}
	typ := "Receiver"
	if sender {
		typ = "Sender"
	}
	env := envelope{Xmlns: namespace, Error: errBody{Type: typ, Code: code, Message: message}, RequestID: requestID}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	_ = xml.NewEncoder(&buf).Encode(env) // plain strings cannot fail to encode
	return buf.Bytes()
}
