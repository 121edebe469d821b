package runtimeapi

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzRuntimeAPIRouter sends arbitrary methods, paths, headers and bodies to
// the router: it must never panic, and must answer unknown ids with 400.
func FuzzRuntimeAPIRouter(f *testing.F) {
	f.Add("GET", "/2018-06-01/runtime/invocation/next", "", []byte(nil))
	f.Add("POST", "/2018-06-01/runtime/invocation/abc/response", "", []byte(`{"a":1}`))
	f.Add("POST", "/2018-06-01/runtime/invocation/abc/error", "Unhandled", []byte(`{"errorMessage":"x"}`))
	f.Add("POST", "/2018-06-01/runtime/init/error", "Runtime.Unknown", []byte(`not json`))
	f.Add("POST", "/2018-06-01/runtime/invocation//response", "", []byte{})
	f.Add("PUT", "/ping", "", []byte{0xff})
	f.Fuzz(func(t *testing.T, method, path, errType string, body []byte) {
		s := &Server{offered: make(chan *call), initErr: make(chan Result, 1), closed: make(chan struct{})}
		close(s.closed) // /next must not block
		h := NewRouter(s)
		req, err := http.NewRequest(method, "http://127.0.0.1:9001"+path, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Lambda-Runtime-Function-Error-Type", errType)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code == http.StatusAccepted && method == http.MethodPost && req.URL.Path != "/"+Version+"/runtime/init/error" {
			t.Fatalf("%s %s accepted with no invocation in flight", method, path)
		}
	})
}
