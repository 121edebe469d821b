package eventstream

import (
	"io"
)

// Writer writes events (":message-type" event) to a response, flushing
// after each so the client sees it at once.
type Writer struct {
	w     io.Writer
	flush func()
}

// NewWriter returns a Writer on w; flush, if not nil, is called after each
// event (http.Flusher's Flush).
func NewWriter(w io.Writer, flush func()) *Writer {
	return &Writer{w: w, flush: flush}
}

// Event writes one event of the given type with its payload.
func (ew *Writer) Event(eventType, contentType string, payload []byte) error {
	hs := []Header{{Name: ":event-type", Value: eventType}}
	if contentType != "" {
		hs = append(hs, Header{Name: ":content-type", Value: contentType})
	}
	hs = append(hs, Header{Name: ":message-type", Value: "event"})
	b, err := Encode(Message{Headers: hs, Payload: payload})
	if err != nil {
		return err
	}
	if _, err := ew.w.Write(b); err != nil {
		return err
	}
	if ew.flush != nil {
		ew.flush()
	}
	return nil
}
