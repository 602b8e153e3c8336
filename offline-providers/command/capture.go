package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
)

// maxLogLine bounds a log message: output without newlines (progress bars)
// is sent in pieces of this size instead of being held back until the end.
const maxLogLine = 16 << 10

// maxErrorOutput bounds the output quoted in an error: the end of a failing
// script's output says why it failed, and a huge message helps nobody.
const maxErrorOutput = 32 << 10

// outputCapture collects a command's stdout and stderr, each on its own and
// both interleaved in arrival order (for error messages), and forwards
// complete lines to the engine log as they arrive.
type outputCapture struct {
	mu       sync.Mutex
	combined bytes.Buffer
	stdout   *stream
	stderr   *stream
}

// stream is one of the two outputs. The SSH library copies each output in
// its own goroutine, so a stream is written by one goroutine at a time; only
// the combined buffer is shared.
type stream struct {
	capture *outputCapture
	own     bytes.Buffer
	lines   *lineWriter // nil when this stream is not logged
}

// newOutputCapture logs stdout lines to logStdout and stderr lines to
// logStderr; a nil function means that stream is not logged.
func newOutputCapture(logStdout, logStderr func(string)) *outputCapture {
	c := &outputCapture{}
	c.stdout = &stream{capture: c, lines: newLineWriter(logStdout)}
	c.stderr = &stream{capture: c, lines: newLineWriter(logStderr)}
	return c
}

func (s *stream) Write(p []byte) (int, error) {
	s.capture.mu.Lock()
	s.capture.combined.Write(p)
	s.capture.mu.Unlock()
	s.own.Write(p)
	if s.lines != nil {
		s.lines.Write(p)
	}
	return len(p), nil
}

// flush logs what is left after the last newline; call once the command ended.
func (c *outputCapture) flush() {
	for _, s := range []*stream{c.stdout, c.stderr} {
		if s.lines != nil {
			s.lines.Flush()
		}
	}
}

// errorText is the interleaved output for an error message, cut to its end.
func (c *outputCapture) errorText() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.combined.String()
	if len(out) > maxErrorOutput {
		cut := len(out) - maxErrorOutput
		out = fmt.Sprintf("[... %d bytes of output omitted ...]\n%s", cut, out[cut:])
	}
	return out
}

// trimNewline drops the one newline that ends almost every command's output,
// so `echo hi` gives "hi" (as upstream).
func trimNewline(s string) string {
	return strings.TrimSuffix(s, "\n")
}

// lineWriter cuts a stream into lines for the engine log.
type lineWriter struct {
	pending []byte
	emit    func(string)
}

func newLineWriter(emit func(string)) *lineWriter {
	if emit == nil {
		return nil
	}
	return &lineWriter{emit: emit}
}

func (w *lineWriter) Write(p []byte) {
	w.pending = append(w.pending, p...)
	for {
		i := bytes.IndexByte(w.pending, '\n')
		if i < 0 {
			break
		}
		w.send(w.pending[:i])
		w.pending = w.pending[i+1:]
	}
	for len(w.pending) >= maxLogLine {
		w.send(w.pending[:maxLogLine])
		w.pending = w.pending[maxLogLine:]
	}
	// Keep the buffer from growing without bound by moving the rest down.
	w.pending = append([]byte(nil), w.pending...)
}

// Flush sends a last line that had no newline.
func (w *lineWriter) Flush() {
	if len(w.pending) > 0 {
		w.send(w.pending)
		w.pending = nil
	}
}

func (w *lineWriter) send(line []byte) {
	w.emit(strings.TrimSuffix(string(line), "\r"))
}
