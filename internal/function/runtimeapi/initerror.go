package runtimeapi

import "net/http"

// handleInitError takes a failure before the first /next. The sandbox is
// unusable afterwards: the pending (or next) Invoke returns it.
func (s *Server) handleInitError(w http.ResponseWriter, r *http.Request) {
	res, ok := readError(w, r)
	if !ok {
		return
	}
	res.InitError = true
	select {
	case s.initErr <- res:
		s.initFailed()
	default:
		renderError(w, http.StatusForbidden, errInvalidStateTransition, "init error already reported")
		return
	}
	renderAccepted(w)
}
