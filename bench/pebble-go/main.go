// Command pebble-go is the Go side of the Pebble client benchmark: it runs one task against a
// Pebble socket with Pebble's own Go client (github.com/canonical/pebble/client) and prints one
// JSON object on stdout. The driver in bench/pebble-client runs it beside our client and ops.pebble.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/canonical/pebble/client"
	"gopkg.in/yaml.v3"
)

type result struct {
	Task string `json:"task"`
	// Seq: latency samples in milliseconds per operation.
	Samples map[string][]float64 `json:"samples,omitempty"`
	// Conc: calls and the wall time they took.
	Calls int `json:"calls,omitempty"`
	// Push and pull: bytes moved (all repetitions) and the wall time.
	Bytes     int64   `json:"bytes,omitempty"`
	Seconds   float64 `json:"seconds"`
	BaseKiB   int64   `json:"baseRssKiB"`
	PeakKiB   int64   `json:"peakRssKiB"`
	Transfers int     `json:"transfers,omitempty"`
}

var statusRe = map[string]*regexp.Regexp{
	"VmRSS": regexp.MustCompile(`(?m)^VmRSS:\s+(\d+) kB`),
	"VmHWM": regexp.MustCompile(`(?m)^VmHWM:\s+(\d+) kB`),
}

func statusKiB(field string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	m := statusRe[field].FindSubmatch(data)
	if m == nil {
		return -1
	}
	n, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return n
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

func getPlan(c *client.Client) error {
	data, err := c.PlanBytes(&client.PlanOptions{})
	if err != nil {
		return err
	}
	// our client and ops both parse the YAML plan; do the same work here
	var plan map[string]any
	return yaml.Unmarshal(data, &plan)
}

func seq(c *client.Client, n, warmup int, r *result) error {
	ops := []struct {
		name string
		call func() error
	}{
		{"services", func() error { _, err := c.Services(&client.ServicesOptions{}); return err }},
		{"plan", func() error { return getPlan(c) }},
		{"system-info", func() error { _, err := c.SysInfo(); return err }},
	}
	r.Samples = map[string][]float64{}
	for i := 0; i < warmup+n; i++ {
		for _, op := range ops {
			t0 := time.Now()
			if err := op.call(); err != nil {
				return fmt.Errorf("%s: %w", op.name, err)
			}
			if i >= warmup {
				r.Samples[op.name] = append(r.Samples[op.name], ms(time.Since(t0)))
			}
		}
	}
	return nil
}

func conc(c *client.Client, callers, perCaller int, r *result) error {
	run := func(per int) error {
		var wg sync.WaitGroup
		errs := make(chan error, callers)
		for i := 0; i < callers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < per; j++ {
					if _, err := c.Services(&client.ServicesOptions{}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		return <-errs
	}
	if err := run(2); err != nil { // warm-up: open the connections
		return err
	}
	t0 := time.Now()
	if err := run(perCaller); err != nil {
		return err
	}
	r.Seconds = time.Since(t0).Seconds()
	r.Calls = callers * perCaller
	return nil
}

func pushOnce(c *client.Client, source, dest string) (int64, error) {
	f, err := os.Open(source)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), c.Push(&client.PushOptions{Source: f, Path: dest})
}

// push times reps pushes after warm untimed ones.
func push(c *client.Client, source, dest string, reps, warm int, r *result) error {
	for i := 0; i < warm; i++ {
		if _, err := pushOnce(c, source, dest); err != nil {
			return err
		}
	}
	t0 := time.Now()
	for i := 0; i < reps; i++ {
		n, err := pushOnce(c, source, dest)
		if err != nil {
			return err
		}
		r.Bytes += n
	}
	r.Seconds = time.Since(t0).Seconds()
	r.Transfers = reps
	return nil
}

type counter struct{ n int64 }

func (w *counter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

func pullOnce(c *client.Client, path string) (int64, error) {
	var w counter
	err := c.Pull(&client.PullOptions{Path: path, Target: io.Writer(&w)})
	return w.n, err
}

// pull times reps pulls after warm untimed ones.
func pull(c *client.Client, path string, reps, warm int, r *result) error {
	for i := 0; i < warm; i++ {
		if _, err := pullOnce(c, path); err != nil {
			return err
		}
	}
	t0 := time.Now()
	for i := 0; i < reps; i++ {
		n, err := pullOnce(c, path)
		if err != nil {
			return err
		}
		r.Bytes += n
	}
	r.Seconds = time.Since(t0).Seconds()
	r.Transfers = reps
	return nil
}

func main() {
	socket := flag.String("socket", "", "Pebble socket path")
	task := flag.String("task", "", "seq | conc | push | pull")
	n := flag.Int("n", 500, "seq: measured iterations")
	warmup := flag.Int("warmup", 50, "seq: warm-up iterations")
	callers := flag.Int("callers", 64, "conc: concurrent callers")
	perCaller := flag.Int("per-caller", 100, "conc: calls per caller")
	file := flag.String("file", "", "push: local source; pull: remote path")
	dest := flag.String("dest", "", "push: remote destination")
	reps := flag.Int("reps", 1, "push/pull: repetitions")
	warm := flag.Int("warm-transfers", 0, "push/pull: untimed transfers before the timed ones")
	flag.Parse()
	if *socket == "" || *task == "" {
		fmt.Fprintln(os.Stderr, "pebble-go: --socket and --task are required")
		os.Exit(2)
	}
	c, err := client.New(&client.Config{Socket: *socket})
	if err != nil {
		fmt.Fprintln(os.Stderr, "pebble-go:", err)
		os.Exit(1)
	}
	r := result{Task: *task, BaseKiB: statusKiB("VmRSS")}
	switch *task {
	case "seq":
		err = seq(c, *n, *warmup, &r)
	case "conc":
		err = conc(c, *callers, *perCaller, &r)
	case "push":
		err = push(c, *file, *dest, *reps, *warm, &r)
	case "pull":
		err = pull(c, *file, *reps, *warm, &r)
	default:
		err = errors.New("unknown task " + *task)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "pebble-go %s: %v\n", *task, err)
		os.Exit(1)
	}
	r.PeakKiB = statusKiB("VmHWM")
	if err := json.NewEncoder(os.Stdout).Encode(&r); err != nil {
		os.Exit(1)
	}
}
