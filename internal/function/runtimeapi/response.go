package runtimeapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// handleResponse takes the result of an invocation. aws-lambda-go sends it
// chunked with the trailers Lambda-Runtime-Function-Error-Type and
// -Error-Body, set when reading the handler's output failed part-way. A
// response sent with Lambda-Runtime-Function-Response-Mode: streaming to a
// caller that takes a stream is passed on as it arrives (stream.go); to
// any other caller it is buffered like any response.
func (s *Server) handleResponse(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if c := s.streaming(r, id); c != nil {
		s.stream(w, r, c)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxResponse))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		s.answerTooLarge(w, id)
		return
	case err != nil:
		renderError(w, http.StatusBadRequest, "InvalidResponse", err.Error())
		return
	}
	res := Result{Payload: body}
	if t := trailerError(r); t.Failed() {
		res = t
	}
	if status, typ := s.answer(id, res); status != 0 {
		renderError(w, status, typ, "Invalid request ID or state for "+id)
		return
	}
	renderAccepted(w)
}

// answerTooLarge fails the invocation with AWS's Function.ResponseSizeTooLarge
// and tells the runtime 413.
func (s *Server) answerTooLarge(w http.ResponseWriter, id string) {
	msg := fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", MaxResponse)
	s.answer(id, Result{ErrorType: "Function.ResponseSizeTooLarge", Payload: errorDocument("Function.ResponseSizeTooLarge", msg)})
	renderError(w, http.StatusRequestEntityTooLarge, errEntityTooLarge, msg)
}
