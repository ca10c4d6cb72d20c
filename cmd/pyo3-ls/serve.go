package main

import (
	"context"
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
	fs, help := newFlagSet("serve")
	fs.Bool("stdio", true, "speak LSP over stdin/stdout (the only transport)")
	logFile := fs.String("log-file", "", "write the log to this `FILE` instead of stderr")
	logLevel := newChoice("info", "debug", "info", "warn", "error")
	fs.Var(logLevel, "log-level", "log level")
	debounce := fs.Duration("debounce", 0, "wait this long after the last edit before re-analysing (0: analyse at once, and again after a burst of edits)")
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, "serve", err)
	}
	if *help {
		printHelp(stdout, "Usage: pyo3-ls serve [flags]\n\nRuns the Language Server over stdin/stdout (editors start it as `pyo3-ls` or `pyo3-ls serve`).\nThe log goes to stderr or --log-file, never to stdout.\n", fs, "")
		return 0
	}
	if fs.NArg() > 0 {
		return usageError(stderr, "serve", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	var lvl zapcore.Level
	if err := lvl.UnmarshalText([]byte(logLevel.val)); err != nil {
		return usageError(stderr, "serve", err)
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
	srv := server.New(server.Options{Logger: log, Level: &level, Debounce: *debounce, Version: Version()})
	log.Info("pyo3-ls language server starting", zap.String("version", Version()), zap.Int("pid", os.Getpid()))
	code := srv.Serve(ctx, stdin, stdout)
	log.Info("pyo3-ls language server stopped", zap.Int("exit", code))
	return code
}
