// Command archive builds an annotated source archive: a static site in which
// every archived article is a page and every passage that several outlets
// quote in common is marked and joined across them.
//
// Usage:
//
//	archive <command> [flags]
//
// Hugo's spellings work too: `archive server` is `archive serve`, and
// `archive --version` is `archive version`.
//
// Run `archive help` for the commands, `archive help <command>` for one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"runtime/trace"
	"sort"
	"strings"
	"syscall"
	"time"
)

// command is one subcommand: its own flag set, Run, and a Usage with examples.
type command interface {
	Run(ctx context.Context, args []string) error
	Usage() string
}

// commands is filled by each subcommand's file in its init function.
var commands = map[string]struct {
	summary string
	new     func(env *env) command
}{}

// aliases are other spellings of commands, as Hugo users type them.
var aliases = map[string]string{
	"server":    "serve",
	"--version": "version",
	"-version":  "version",
}

// lookup finds a command by name or alias.
func lookup(name string) (string, bool) {
	if a, ok := aliases[name]; ok {
		name = a
	}
	_, ok := commands[name]
	return name, ok
}

func register(name, summary string, new func(env *env) command) {
	commands[name] = struct {
		summary string
		new     func(env *env) command
	}{summary, new}
}

// env is what a command may touch of the outside world.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time // nil: time.Now
}

// clock returns the current time (tests set env.now).
func (e *env) clock() time.Time {
	if e.now != nil {
		return e.now()
	}
	return time.Now()
}

// usageError is a mistake in the command line: it prints Error: and Try:.
type usageError struct {
	msg string
	try string
}

func (e *usageError) Error() string { return e.msg }

func usagef(try, format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), try: try}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	endProfile := startProfile(os.Getenv("ARCHIVE_CPUPROFILE"), os.Stderr)
	endTrace := startTrace(os.Getenv("ARCHIVE_TRACE"), os.Stderr)
	code := run(ctx, os.Args[1:], &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	endTrace()
	endProfile()
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			name, ok := lookup(args[1])
			if !ok {
				fmt.Fprintf(e.stderr, "Error: unknown help topic %q\nTry: archive help\n", args[1])
				return 2
			}
			fmt.Fprint(e.stdout, commands[name].new(e).Usage())
			return 0
		}
		fmt.Fprint(e.stdout, mainUsage())
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	name, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(e.stderr, "Error: unknown command %q\nTry: archive help\n", args[0])
		return 2
	}
	cmd := commands[name].new(e)
	err := cmd.Run(ctx, args[1:])
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(e.stdout, cmd.Usage())
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "Error: %s\n", ue.msg)
		if ue.try != "" {
			fmt.Fprintf(e.stderr, "Try: %s\n", ue.try)
		}
		return 2
	default:
		fmt.Fprintf(e.stderr, "Error: %v\n", err)
		return 1
	}
}

func mainUsage() string {
	var b strings.Builder
	b.WriteString("archive builds an annotated source archive into a static site.\n\nUsage:\n\n\tarchive <command> [flags]\n\nCommands:\n\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "\t%-10s %s\n", n, commands[n].summary)
	}
	b.WriteString("\n'server' is another name for 'serve', and 'archive --version' for 'archive version'.\n")
	b.WriteString("Run 'archive help <command>' for a command's flags and examples.\n")
	return b.String()
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, usage func() string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	_ = usage
	return fs
}

// parseFlags parses args and turns flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("archive help "+fs.Name(), "%v", err)
	}
	return nil
}

// startProfile writes a CPU profile of the whole command to path when it
// is set (ARCHIVE_CPUPROFILE, for whoever makes archive faster: read it
// with `go tool pprof`); the returned function ends it.
func startProfile(path string, stderr io.Writer) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "Warning: ARCHIVE_CPUPROFILE: %v; running without a profile\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(stderr, "Warning: ARCHIVE_CPUPROFILE: %v\n", err)
		}
	}
}

// startTrace writes an execution trace of the whole command to path when
// it is set (ARCHIVE_TRACE: which steps run when, on how many cores; read
// it with `go tool trace`); the returned function ends it.
func startTrace(path string, stderr io.Writer) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = trace.Start(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "Warning: ARCHIVE_TRACE: %v; running without a trace\n", err)
		return func() {}
	}
	return func() {
		trace.Stop()
		if err := f.Close(); err != nil {
			fmt.Fprintf(stderr, "Warning: ARCHIVE_TRACE: %v\n", err)
		}
	}
}
