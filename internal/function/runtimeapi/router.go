package runtimeapi

import "net/http"

// Version is the Runtime API version in every path.
const Version = "2018-06-01"

// NewRouter returns the Runtime API's routes served by s.
func NewRouter(s *Server) http.Handler {
	mux := http.NewServeMux()
	p := "/" + Version
	mux.HandleFunc("GET "+p+"/runtime/invocation/next", s.handleNext)
	mux.HandleFunc("POST "+p+"/runtime/invocation/{id}/response", s.handleResponse)
	mux.HandleFunc("POST "+p+"/runtime/invocation/{id}/error", s.handleError)
	mux.HandleFunc("POST "+p+"/runtime/init/error", s.handleInitError)
	mux.HandleFunc("GET /ping", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("pong")) })
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		renderError(w, http.StatusNotFound, "NotFound", "Not Found")
	})
	return mux
}
