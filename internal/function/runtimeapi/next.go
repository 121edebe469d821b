package runtimeapi

import "net/http"

// handleNext blocks until the platform offers an invocation, then hands it
// to the runtime. Clients wait with no timeout, as AWS requires.
func (s *Server) handleNext(w http.ResponseWriter, r *http.Request) {
	s.startPoll()
	defer s.endPoll()
	select {
	case c := <-s.offered:
		s.mu.Lock()
		s.current = c
		s.mu.Unlock()
		renderInvocation(w, c.inv)
	case <-r.Context().Done():
	case <-s.closed:
		renderError(w, http.StatusInternalServerError, "Runtime.Shutdown", "the sandbox is shutting down")
	}
}
