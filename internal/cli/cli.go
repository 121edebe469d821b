// Package cli is fogbank's command line: `fogbank up` runs the server,
// `fogbank version` prints the build. Every flag can also be set with a
// FOGBANK_* environment variable (--data-dir is FOGBANK_DATA_DIR).
package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/fogbank/fogbank/internal/app"
	"github.com/fogbank/fogbank/internal/config"
)

// Version is set at build time with -ldflags "-X .../cli.Version=...".
var Version = "dev" //nolint:gochecknoglobals // set by the linker

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:           "fogbank",
		Short:         "The AWS event-driven serverless stack in one binary",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetArgs(args)
	root.AddCommand(upCommand(stderr), versionCommand(stdout))
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "fogbank:", err)
		return 1
	}
	return 0
}

func versionCommand(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		RunE: func(*cobra.Command, []string) error {
			v := Version
			if info, ok := debug.ReadBuildInfo(); ok && v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
				v = info.Main.Version
			}
			fmt.Fprintf(stdout, "fogbank %s\n", v)
			return nil
		},
	}
}

func upCommand(stderr io.Writer) *cobra.Command {
	var cfg config.Config
	cmd := &cobra.Command{
		Use:   "up",
		Short: "Serve every fogbank service on one address",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := fromEnv(cmd.Flags()); err != nil {
				return err
			}
			if cfg.SFNMockConfig == "" {
				cfg.SFNMockConfig = os.Getenv("SFN_MOCK_CONFIG") // Step Functions Local's name
			}
			return runUp(cmd.Context(), cfg, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Addr, "addr", "127.0.0.1:4566", "listen address")
	f.StringVar(&cfg.DataDir, "data-dir", ".fogbank", "directory of the embedded store")
	f.StringVar(&cfg.Store, "store", "", "store: empty for a sqlite file in --data-dir, memory, sqlite:PATH, or postgres://URL")
	f.StringVar(&cfg.Auth, "auth", config.AuthPermissive, "permissive (signatures parsed, not checked) or strict (SigV4 verified)")
	f.StringVar(&cfg.Credentials, "credentials", "", "strict mode: ACCESS_KEY_ID:SECRET[,...]")
	f.StringVar(&cfg.DefaultRegion, "region", "us-east-1", "region for unsigned requests")
	f.StringVar(&cfg.LogLevel, "log-level", "info", "debug, info, warn or error")
	f.Float64Var(&cfg.SFNTimeScale, "sfn-time-scale", 1, "Step Functions time scale: 0.01 makes Wait states, retries and timeouts 100× shorter")
	f.StringVar(&cfg.SFNMockConfig, "sfn-mock-config", "", "Step Functions Local mock config file (also read from SFN_MOCK_CONFIG)")
	return cmd
}

// fromEnv sets every flag not given on the command line from FOGBANK_<FLAG>.
func fromEnv(flags *pflag.FlagSet) error {
	var err error
	flags.VisitAll(func(f *pflag.Flag) {
		if f.Changed || err != nil {
			return
		}
		name := "FOGBANK_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s: %w", name, e)
			}
		}
	})
	return err
}

func runUp(ctx context.Context, cfg config.Config, stderr io.Writer) error {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return err
	}
	level, _ := cfg.SlogLevel()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	a := app.New(cfg, log)
	start := time.Now()
	if err := a.Start(ctx); err != nil {
		return err
	}
	driver, target, _ := cfg.StoreTarget()
	log.Info("fogbank is up", slog.String("addr", "http://"+a.Addr()), slog.String("store", driver+":"+redact(target)), slog.String("auth", cfg.Auth), slog.Duration("startup", time.Since(start)))
	<-ctx.Done()
	log.Info("fogbank: shutting down")
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 25*time.Second)
	defer cancel()
	return a.Stop(stopCtx)
}

// redact hides a password in a store URL.
func redact(target string) string {
	if at := strings.LastIndex(target, "@"); at > 0 {
		if i := strings.Index(target, "://"); i > 0 && i < at {
			return target[:i+3] + "***" + target[at:]
		}
	}
	return target
}
