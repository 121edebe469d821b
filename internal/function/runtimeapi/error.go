package runtimeapi

import (
	"encoding/json"
	"io"
	"net/http"
)

// handleError takes a function error: the type in the header
// Lambda-Runtime-Function-Error-Type, the body {"errorMessage","errorType",
// "stackTrace"} passed through to the caller as AWS does.
func (s *Server) handleError(w http.ResponseWriter, r *http.Request) {
	res, ok := readError(w, r)
	if !ok {
		return
	}
	if status, typ := s.answer(r.PathValue("id"), res); status != 0 {
		renderError(w, status, typ, "Invalid request ID or state for "+r.PathValue("id"))
		return
	}
	renderAccepted(w)
}

// readError reads an error post; a body that is not an error document is
// wrapped in one.
func readError(w http.ResponseWriter, r *http.Request) (Result, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxResponse))
	if err != nil {
		renderError(w, http.StatusRequestEntityTooLarge, errEntityTooLarge, err.Error())
		return Result{}, false
	}
	typ := r.Header.Get("Lambda-Runtime-Function-Error-Type")
	if typ == "" {
		typ = "Unhandled"
	}
	if !json.Valid(body) {
		body = errorDocument(typ, string(body))
	}
	return Result{ErrorType: typ, Payload: body}, true
}

// errorDocument renders {"errorMessage","errorType"}.
func errorDocument(typ, msg string) []byte {
	b, _ := json.Marshal(struct {
		Message string `json:"errorMessage"`
		Type    string `json:"errorType"`
	}{msg, typ})
	return b
}
