// Package awsapi is fogbank's AWS wire layer: it finds the service and
// protocol of each request, decodes it, calls the domain service, and renders
// results and errors exactly as AWS does. Only this package and its children
// know AWS's field names, XML, headers and status codes.
package awsapi

import (
	"context"
	"io"
	"net/http"
)

// Identity is who made a request and where.
type Identity struct {
	Account     string
	Region      string
	AccessKeyID string
}

// Protocol is an AWS wire protocol.
type Protocol int

// The protocols fogbank speaks.
const (
	ProtocolJSON Protocol = iota + 1
	ProtocolQuery
)

// Request is a decoded-enough view of one API call.
type Request struct {
	ID        string
	Identity  Identity
	Protocol  Protocol
	Operation string
	Host      string // as the client addressed us, for URLs we hand back
	HTTP      *http.Request
	Body      []byte
}

// Error is an AWS error as it goes on the wire.
type Error struct {
	Status    int
	JSONType  string // the JSON "__type", e.g. "com.amazonaws.sqs#QueueDoesNotExist"
	QueryCode string // the query protocol's Code (also x-amzn-query-error)
	Message   string
	Sender    bool
}

func (e *Error) Error() string { return e.QueryCode + ": " + e.Message }

// Response is what a service hands back to the HTTP layer.
type Response struct {
	Status      int
	ContentType string
	Header      http.Header
	Body        []byte
	// Stream, when set, writes the body after the status and headers, in
	// place of Body; flush sends what it wrote so far to the client.
	Stream func(w io.Writer, flush func())
}

// Service serves one AWS service's API.
type Service interface {
	// Serve handles one request of the given protocol. It always returns a
	// response; errors are rendered into it.
	Serve(ctx context.Context, r *Request) Response
}
