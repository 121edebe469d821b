// Command fogbank runs the AWS event-driven serverless stack in one binary.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/fogbank/fogbank/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
