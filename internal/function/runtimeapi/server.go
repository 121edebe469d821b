package runtimeapi

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// MaxResponse is the largest buffered response AWS accepts: 6 MB plus 100
// bytes (6291556 bytes).
const MaxResponse = 6*1024*1024 + 100

// Invocation is one event handed to the runtime.
type Invocation struct {
	RequestID       string
	Deadline        time.Time
	FunctionArn     string
	TraceID         string
	ClientContext   string // JSON, sync invokes only
	CognitoIdentity string // JSON
	Payload         []byte
	// Stream, when set, takes a response the runtime streams, piece by
	// piece as it arrives, until Invoke returns (see Result.Streamed).
	// Without it a streamed response is buffered.
	Stream io.Writer
}

// Result is the runtime's answer to one invocation.
type Result struct {
	Payload   []byte // the response, or the error document
	ErrorType string // set for /error, /init/error and platform errors
	InitError bool   // the runtime failed before asking for an invocation
	// Streamed is set when the response went to Invocation.Stream
	// (StreamedBytes of it); Payload is then empty unless it failed.
	Streamed      bool
	StreamedBytes int
}

// Failed reports whether the result is a function error.
func (r Result) Failed() bool { return r.ErrorType != "" }

// ErrClosed is returned by Invoke once the server is closed.
var ErrClosed = errors.New("runtimeapi: server closed")

// Server is one sandbox's Runtime API.
type Server struct {
	srv     *http.Server
	ln      net.Listener
	offered chan *call    // the invocation Invoke offers to /next
	initErr chan Result   // at most one init error
	closed  chan struct{} // closed by Close

	mu      sync.Mutex
	current *call         // the invocation the runtime holds, if any
	waiting int           // /next requests blocked for an invocation
	pollc   chan struct{} // closed when a /next starts waiting; see Polling
	failed  bool          // an init error was reported
	failc   chan struct{} // closed once failed; see InitFailed
	once    sync.Once
}

// call is one invocation in flight.
type call struct {
	inv      Invocation
	result   chan Result // buffered 1
	answered bool        // guarded by Server.mu

	streamMu  sync.Mutex // guards inv.Stream's writes against abandon
	abandoned bool       // guarded by streamMu
}

// Listen starts a server on a free loopback port.
func Listen() (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln, offered: make(chan *call), initErr: make(chan Result, 1), closed: make(chan struct{})}
	s.srv = &http.Server{Handler: NewRouter(s), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Addr is host:port, the value of AWS_LAMBDA_RUNTIME_API.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops serving and ends a pending Invoke. Safe more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.closed)
		_ = s.srv.Close()
	})
}

// Invoke hands inv to the runtime's next /next and waits for its response or
// error, for an init error, or for ctx; on ctx it returns context.Cause.
func (s *Server) Invoke(ctx context.Context, inv Invocation) (Result, error) {
	c := &call{inv: inv, result: make(chan Result, 1)}
	select {
	case s.offered <- c:
	case r := <-s.initErr:
		return r, nil
	case <-ctx.Done():
		return Result{}, context.Cause(ctx)
	case <-s.closed:
		return Result{}, ErrClosed
	}
	select {
	case r := <-c.result:
		return r, nil
	case <-ctx.Done():
		s.abandon(c)
		return Result{}, context.Cause(ctx)
	case <-s.closed:
		s.abandon(c)
		return Result{}, ErrClosed
	}
}

// InitFailed returns a channel closed once the runtime has reported an
// init error (at once if it has).
func (s *Server) InitFailed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failc == nil {
		s.failc = make(chan struct{})
		if s.failed {
			close(s.failc)
		}
	}
	return s.failc
}

// initFailed records an init error for InitFailed; at most once.
func (s *Server) initFailed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed {
		return
	}
	s.failed = true
	if s.failc != nil {
		close(s.failc)
	}
}

// Polling returns a channel closed once the runtime is blocked in /next,
// ready for an invocation (at once if it already is). A sandbox uses it to
// tell a runtime that goes on from one that exits after an answer, as
// aws-lambda-go does after a panic.
func (s *Server) Polling() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.waiting > 0 {
		c := make(chan struct{})
		close(c)
		return c
	}
	if s.pollc == nil {
		s.pollc = make(chan struct{})
	}
	return s.pollc
}

// startPoll and endPoll bracket a /next request's wait.
func (s *Server) startPoll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waiting++
	if s.pollc != nil {
		close(s.pollc)
		s.pollc = nil
	}
}

func (s *Server) endPoll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waiting--
}

// abandon closes an invocation the platform stopped waiting for (its
// sandbox is killed): a late answer gets InvalidStateTransition.
func (s *Server) abandon(c *call) {
	s.mu.Lock()
	c.answered = true
	s.mu.Unlock()
	c.streamMu.Lock()
	c.abandoned = true
	c.streamMu.Unlock()
}

// answer records the runtime's answer to id. It returns the error type and
// status to render when the answer is not acceptable.
func (s *Server) answer(id string, r Result) (status int, typ string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.current
	if c == nil || c.inv.RequestID != id {
		return http.StatusBadRequest, errInvalidRequestID
	}
	if c.answered {
		return http.StatusForbidden, errInvalidStateTransition
	}
	c.answered = true
	c.result <- r
	return 0, ""
}
