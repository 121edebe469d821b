package runtimeapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// MaxStreamedResponse is the soft limit of a streamed response: 20 MB.
const MaxStreamedResponse = 20 * 1024 * 1024

// streamMode is the value of Lambda-Runtime-Function-Response-Mode with
// which a runtime streams its response.
const streamMode = "streaming"

// streaming returns the call id names when the runtime streams its
// response and the caller takes a stream: it is current, unanswered and has
// a Stream.
func (s *Server) streaming(r *http.Request, id string) *call {
	if r.Header.Get("Lambda-Runtime-Function-Response-Mode") != streamMode {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.current
	if c == nil || c.inv.RequestID != id || c.answered || c.inv.Stream == nil {
		return nil
	}
	return c
}

// stream passes a streamed response to the invocation's Stream as each
// piece arrives; an error the runtime meets part-way comes in the
// trailers. The result is Streamed, with no payload unless it failed.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, c *call) {
	id := c.inv.RequestID
	n, err := c.copyStream(r.Body)
	switch {
	case errors.Is(err, errStreamTooLarge):
		msg := fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", MaxStreamedResponse)
		s.answer(id, Result{ErrorType: "Function.ResponseSizeTooLarge", Payload: errorDocument("Function.ResponseSizeTooLarge", msg), Streamed: true})
		renderError(w, http.StatusRequestEntityTooLarge, errEntityTooLarge, msg)
		return
	case err != nil:
		renderError(w, http.StatusBadRequest, "InvalidResponse", err.Error())
		return
	}
	res := Result{Streamed: true, StreamedBytes: n}
	if t := trailerError(r); t.Failed() {
		res.ErrorType, res.Payload = t.ErrorType, t.Payload
	}
	if status, typ := s.answer(id, res); status != 0 {
		renderError(w, status, typ, "Invalid request ID or state for "+id)
		return
	}
	renderAccepted(w)
}

var errStreamTooLarge = errors.New("runtimeapi: streamed response too large")

// copyStream writes body to the call's Stream piece by piece, until the
// body ends, the limit is passed, or the platform abandons the call.
func (c *call) copyStream(body io.Reader) (int, error) {
	buf := make([]byte, 32<<10)
	n := 0
	for {
		k, err := body.Read(buf)
		if k > 0 {
			n += k
			if n > MaxStreamedResponse {
				return n, errStreamTooLarge
			}
			c.write(buf[:k])
		}
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// write passes p to the call's Stream unless the call was abandoned; the
// caller of Invoke owns the Stream again once Invoke has returned.
func (c *call) write(p []byte) {
	c.streamMu.Lock()
	defer c.streamMu.Unlock()
	if !c.abandoned {
		_, _ = c.inv.Stream.Write(p)
	}
}

// trailerError is the function error of the trailers
// Lambda-Runtime-Function-Error-Type and -Error-Body (base64 of the error
// document, as aws-lambda-go sends it); a zero Result when there is none.
func trailerError(r *http.Request) Result {
	typ := r.Trailer.Get("Lambda-Runtime-Function-Error-Type")
	if typ == "" {
		return Result{}
	}
	body := r.Trailer.Get("Lambda-Runtime-Function-Error-Body")
	if b, err := base64.StdEncoding.DecodeString(body); err == nil {
		if json.Valid(b) {
			return Result{ErrorType: typ, Payload: b}
		}
		body = string(b)
	}
	return Result{ErrorType: typ, Payload: errorDocument(typ, body)}
}
