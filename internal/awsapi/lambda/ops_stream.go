package lambda

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/awsapi/protocol/eventstream"
	"github.com/fogbank/fogbank/internal/function"
)

// StreamPrefix is the path of InvokeWithResponseStream.
const StreamPrefix = "/2021-11-15/"

// invokeWithResponseStream serves InvokeWithResponseStream: the answer is
// an application/vnd.amazon.eventstream of PayloadChunk events, one per
// piece the runtime streams, each flushed as it arrives (the whole
// response, as one chunk, for a function that does not stream), ending
// with InvokeComplete {ErrorCode, ErrorDetails, LogResult}. Errors before
// a sandbox takes the invocation are JSON errors, as for Invoke.
func (h *Handler) invokeWithResponseStream(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	in, err := streamInput(r, name)
	if err != nil {
		return awsapi.Response{}, err
	}
	p := newPieces()
	started := make(chan string, 1)
	in.Started = func(version string) { started <- version }
	done := make(chan invoked, 1)
	go func() {
		out, err := h.svc.InvokeWithResponseStream(ctx, caller(r), in, p)
		p.end()
		done <- invoked{out, err}
	}()
	var version string
	select {
	case version = <-started:
	case res := <-done:
		if res.err != nil {
			return awsapi.Response{}, res.err
		}
		if res.out.Type == function.DryRun {
			return awsapi.Response{Status: http.StatusNoContent, ContentType: "application/json"}, nil
		}
		version = res.out.ExecutedVersion
		done <- res
	}
	tail := r.HTTP.Header.Get("X-Amz-Log-Type") == "Tail"
	resp := awsapi.Response{Status: http.StatusOK, ContentType: "application/vnd.amazon.eventstream", Header: http.Header{}}
	resp.Header.Set("X-Amz-Executed-Version", version)
	resp.Stream = func(w io.Writer, flush func()) {
		events := eventstream.NewWriter(w, flush)
		for piece := range p.c {
			if events.Event("PayloadChunk", "application/octet-stream", piece) != nil {
				p.gone()
			}
		}
		res := <-done
		_ = complete(events, res.out, tail)
	}
	return resp, nil
}

type invoked struct {
	out function.InvokeOutput
	err error
}

func streamInput(r *awsapi.Request, name string) (function.InvokeInput, error) {
	hdr := r.HTTP.Header
	in := function.InvokeInput{
		Name: name, Qualifier: r.HTTP.URL.Query().Get("Qualifier"),
		Type:    function.InvocationType(hdr.Get("X-Amz-Invocation-Type")),
		TraceID: hdr.Get("X-Amzn-Trace-Id"), Payload: r.Body, RequestID: r.ID,
	}
	if cc := hdr.Get("X-Amz-Client-Context"); cc != "" {
		b, err := base64.StdEncoding.DecodeString(cc)
		if err != nil {
			return in, invalidContent("Client context must be a valid Base64-encoded JSON object.")
		}
		in.ClientContext = string(b)
	}
	return in, nil
}

// pieces hands each piece the runtime streams to the response writer; once
// the client is gone, pieces are dropped.
type pieces struct {
	c    chan []byte
	away chan struct{}
}

func newPieces() *pieces { return &pieces{c: make(chan []byte, 16), away: make(chan struct{})} }

func (p *pieces) Write(b []byte) (int, error) {
	select {
	case p.c <- bytes.Clone(b):
	case <-p.away:
	}
	return len(b), nil
}

func (p *pieces) end() { close(p.c) }

func (p *pieces) gone() {
	select {
	case <-p.away:
	default:
		close(p.away)
	}
}

// complete ends the stream: a buffered response as one chunk, then
// InvokeComplete with the function error's type and message, if any.
func complete(events *eventstream.Writer, out function.InvokeOutput, tail bool) error {
	var done struct {
		ErrorCode    string `json:",omitempty"`
		ErrorDetails string `json:",omitempty"`
		LogResult    string `json:",omitempty"`
	}
	switch {
	case out.FunctionError != "":
		var doc struct{ ErrorType, ErrorMessage string }
		_ = json.Unmarshal(out.Payload, &doc)
		done.ErrorCode, done.ErrorDetails = cmp.Or(doc.ErrorType, out.FunctionError), doc.ErrorMessage
	case !out.Streamed && len(out.Payload) > 0:
		if err := events.Event("PayloadChunk", "application/octet-stream", out.Payload); err != nil {
			return err
		}
	}
	if tail {
		done.LogResult = base64.StdEncoding.EncodeToString(function.Tail(out.Log))
	}
	b, err := json.Marshal(done)
	if err != nil {
		return err
	}
	return events.Event("InvokeComplete", "application/json", b)
}
