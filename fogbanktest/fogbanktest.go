// Package fogbanktest starts an in-process fogbank for Go tests and hands
// back an aws.Config that points the AWS SDK for Go v2 at it.
//
//	srv := fogbanktest.Start(t)
//	client := sqs.NewFromConfig(srv.AWSConfig())
//
// Each server listens on its own free loopback port with its own store (an
// in-memory one unless WithStore or WithDataDir says otherwise) and stops when
// the test ends.
package fogbanktest

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/fogbank/fogbank/internal/app"
	"github.com/fogbank/fogbank/internal/config"
)

// Server is a running fogbank.
type Server struct {
	// URL is the endpoint, e.g. http://127.0.0.1:39211.
	URL string
	app *app.App
	cfg config.Config
}

// Option changes how Start configures the server.
type Option func(*config.Config)

// WithStore sets the store (see `fogbank up --store`), e.g. a postgres URL.
func WithStore(store string) Option { return func(c *config.Config) { c.Store = store } }

// WithDataDir keeps the embedded store in dir, so a test can restart fogbank
// on the same data.
func WithDataDir(dir string) Option {
	return func(c *config.Config) { c.DataDir, c.Store = dir, "" }
}

// WithStrictAuth verifies signatures against the given credentials
// ("AKID:SECRET,...").
func WithStrictAuth(credentials string) Option {
	return func(c *config.Config) { c.Auth, c.Credentials = config.AuthStrict, credentials }
}

// WithLambdaRetryDelay shortens the delay before the retries of
// asynchronous Lambda invocations (AWS waits about 1 and 2 minutes).
func WithLambdaRetryDelay(d time.Duration) Option {
	return func(c *config.Config) { c.LambdaRetryDelay = d }
}

// WithSFNTimeScale scales Step Functions Wait states, Retry intervals and
// timeouts (0.01 makes them 100× shorter).
func WithSFNTimeScale(scale float64) Option {
	return func(c *config.Config) { c.SFNTimeScale = scale }
}

// Start runs a fogbank for the duration of the test.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	cfg := config.Config{Addr: "127.0.0.1:0", Store: "memory", LogLevel: "warn"}
	for _, o := range opts {
		o(&cfg)
	}
	a := app.New(cfg, slog.New(slog.DiscardHandler))
	if err := a.Start(context.Background()); err != nil {
		tb.Fatalf("fogbanktest: start: %v", err)
	}
	s := &Server{URL: "http://" + a.Addr(), app: a, cfg: cfg}
	tb.Cleanup(func() { s.Stop() })
	return s
}

// Stop shuts the server down; tests normally leave this to Cleanup.
func (s *Server) Stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = s.app.Stop(ctx)
}

// AWSConfig returns a config for account 000000000000 in us-east-1.
func (s *Server) AWSConfig() aws.Config { return s.AWSConfigFor("test", "test", "us-east-1") }

// AWSConfigFor returns a config signing with the given credentials and
// region; a 12-digit access key id selects that account.
func (s *Server) AWSConfigFor(accessKeyID, secret, region string) aws.Config {
	return aws.Config{
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider(accessKeyID, secret, ""),
		BaseEndpoint:     aws.String(s.URL),
		RetryMaxAttempts: 1,
	}
}
