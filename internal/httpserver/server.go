// Package httpserver is fogbank's single listener: it reads each request,
// establishes who sent it (SigV4), finds the AWS service and protocol, and
// hands it to that service's wire handler. It also serves /health.
package httpserver

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/awsapi/sigv4"
	"github.com/fogbank/fogbank/internal/idgen"
)

// Config configures the server.
type Config struct {
	Addr          string
	Strict        bool            // verify SigV4 signatures
	Verifier      *sigv4.Verifier // used when Strict
	DefaultRegion string
	Logger        *slog.Logger
	IDs           idgen.Generator
	Router        *Router
}

// Server is the HTTP front door.
type Server struct {
	cfg  Config
	log  *slog.Logger
	srv  *http.Server
	ln   net.Listener
	once sync.Once
	done chan struct{}
}

// maxBody bounds a request body: a 1 MiB message, base64-encoded attributes
// and the protocol's overhead fit well below it.
const maxBody = 4 << 20

// New builds a server; Start begins listening.
func New(cfg Config) *Server {
	cfg.DefaultRegion = cmp.Or(cfg.DefaultRegion, "us-east-1")
	cfg.IDs = cmp.Or[idgen.Generator](cfg.IDs, idgen.Random{})
	s := &Server{cfg: cfg, log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)), done: make(chan struct{})}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	return s
}

// Start listens on the configured address and serves in the background.
func (s *Server) Start(ctx context.Context) error {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("httpserver: listen on %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("httpserver: serve", slog.Any("err", err))
		}
	}()
	return nil
}

// Addr returns the address the server listens on (useful with port 0).
func (s *Server) Addr() string {
	if s.ln == nil {
		return s.cfg.Addr
	}
	return s.ln.Addr().String()
}

// Stop stops accepting connections and waits for in-flight requests until
// ctx ends. It is safe to call more than once and without Start.
func (s *Server) Stop(ctx context.Context) error {
	var err error
	s.once.Do(func() {
		if s.ln == nil {
			return
		}
		err = s.srv.Shutdown(ctx)
		<-s.done
	})
	return err
}
