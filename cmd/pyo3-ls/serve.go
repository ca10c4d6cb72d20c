package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/pyo3-ls/pyo3-ls/internal/server"
)

// serveMain runs the Language Server over stdin/stdout. The log goes to
// stderr or --log-file, never to stdout (which carries the protocol).
func serveMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Bool("stdio", true, "speak LSP over stdin/stdout (the only transport)")
	logFile := fs.String("log-file", "", "write the log to this file instead of stderr")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	debounce := fs.Duration("debounce", 0, "wait this long after the last edit before re-analysing (0: analyse at once, and again after a burst of edits)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "pyo3-ls serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	var lvl zapcore.Level
	if err := lvl.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "pyo3-ls serve: unknown log level %q\n", *logLevel)
		return 2
	}
	level := zap.NewAtomicLevelAt(lvl)
	logOut := stderr
	if *logFile != "" {
		f, err := server.OpenLogFile(*logFile)
		if err != nil {
			fmt.Fprintf(stderr, "pyo3-ls serve: %v\n", err)
			return 2
		}
		defer f.Close()
		logOut = f
	}
	log := server.NewLogger(logOut, level)
	defer func() { _ = log.Sync() }()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	srv := server.New(server.Options{Logger: log, Level: &level, Debounce: *debounce, Version: version})
	log.Info("pyo3-ls language server starting", zap.String("version", version), zap.Int("pid", os.Getpid()))
	code := srv.Serve(ctx, stdin, stdout)
	log.Info("pyo3-ls language server stopped", zap.Int("exit", code))
	return code
}
