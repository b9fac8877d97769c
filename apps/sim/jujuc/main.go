// Command jujuc is charm-sim's hook-tool client. Each hook tool (config-get, relation-set, ...)
// is a symlink to this binary on the hook's PATH; it sends the invocation to the simulator over
// the unix socket in JUJU_AGENT_SOCKET_ADDRESS as one JSON line and replays the answer:
//
//	-> {"contextId":..., "tool":..., "args":[...], "cwd":..., "stdin":..., "files":{path: content}}
//	<- {"stdout":..., "stderr":..., "exitCode":N, "outputPath":...}
//
// stdin is read only when the args hold `--file -` (so a tool never blocks on an inherited
// stdin). Files named by `--file <path>` and `<key>#file=<path>` are read here, in the hook's
// own filesystem view, and sent along. `jujuc <tool> args...` also works.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const maxFile = 16 << 20

type request struct {
	ContextID string            `json:"contextId"`
	Tool      string            `json:"tool"`
	Args      []string          `json:"args"`
	Cwd       string            `json:"cwd"`
	Stdin     *string           `json:"stdin,omitempty"`
	Files     map[string]string `json:"files,omitempty"`
}

type response struct {
	Stdout   string `json:"stdout"`
	Stderr   string `json:"stderr"`
	ExitCode int    `json:"exitCode"`
	// OutputPath (from -o/--output) takes stdout instead of the terminal, relative to our cwd.
	OutputPath string `json:"outputPath,omitempty"`
}

func die(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "ERROR "+format+"\n", a...)
	os.Exit(1)
}

// fileArgs returns whether stdin is wanted and the file paths the args name.
func fileArgs(args []string) (bool, []string) {
	wantStdin := false
	var paths []string
	add := func(p string) {
		if p == "-" {
			wantStdin = true
		} else if p != "" {
			paths = append(paths, p)
		}
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		switch {
		case a == "--file" && i+1 < len(args):
			add(args[i+1])
			i++
		case strings.HasPrefix(a, "--file="):
			add(strings.TrimPrefix(a, "--file="))
		default:
			if k, v, ok := strings.Cut(a, "#file="); ok && !strings.Contains(k, "=") {
				add(v)
			}
		}
	}
	return wantStdin, paths
}

func readLimited(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxFile {
		return "", fmt.Errorf("larger than %d bytes", maxFile)
	}
	return string(b), nil
}

// dial connects to the agent socket. An abstract address (@name) is also tried padded with NULs
// to the full sun_path length, which is how Node 20 servers bind abstract names.
func dial(addr string) (net.Conn, error) {
	conn, err := net.DialTimeout("unix", addr, 10*time.Second)
	if err == nil || !strings.HasPrefix(addr, "@") || len(addr) >= 108 {
		return conn, err
	}
	if padded, perr := net.DialTimeout("unix", addr+strings.Repeat("\x00", 108-len(addr)), 10*time.Second); perr == nil {
		return padded, nil
	}
	return nil, err
}

func main() {
	tool := filepath.Base(os.Args[0])
	args := os.Args[1:]
	if tool == "jujuc" && len(args) > 0 {
		tool, args = args[0], args[1:]
	}
	ctxID := os.Getenv("JUJU_CONTEXT_ID")
	if ctxID == "" {
		die("JUJU_CONTEXT_ID not set")
	}
	addr := os.Getenv("JUJU_AGENT_SOCKET_ADDRESS")
	if addr == "" {
		die("JUJU_AGENT_SOCKET_ADDRESS not set")
	}
	if network := os.Getenv("JUJU_AGENT_SOCKET_NETWORK"); network != "" && network != "unix" {
		die("unsupported agent socket network %q", network)
	}
	cwd, _ := os.Getwd()
	req := request{ContextID: ctxID, Tool: tool, Args: args, Cwd: cwd}
	if req.Args == nil {
		req.Args = []string{}
	}
	wantStdin, paths := fileArgs(args)
	if wantStdin {
		s, err := readLimited(os.Stdin)
		if err != nil {
			die("cannot read stdin: %v", err)
		}
		req.Stdin = &s
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue // the tool reports the missing file in Juju's words
		}
		s, err := readLimited(f)
		f.Close()
		if err != nil {
			die("cannot read %s: %v", p, err)
		}
		if req.Files == nil {
			req.Files = map[string]string{}
		}
		req.Files[p] = s
	}
	conn, err := dial(addr)
	if err != nil {
		die("cannot connect to the hook-tool server: %v", err)
	}
	defer conn.Close()
	body, err := json.Marshal(req)
	if err != nil {
		die("cannot encode request: %v", err)
	}
	if _, err := conn.Write(append(body, '\n')); err != nil {
		die("cannot send request: %v", err)
	}
	line, err := bufio.NewReader(conn).ReadBytes('\n')
	if err != nil && len(line) == 0 {
		die("cannot read reply: %v", err)
	}
	var resp response
	if err := json.Unmarshal(line, &resp); err != nil {
		die("cannot decode reply: %v", err)
	}
	os.Stderr.WriteString(resp.Stderr)
	if resp.OutputPath == "" {
		os.Stdout.WriteString(resp.Stdout)
	} else if err := os.WriteFile(resp.OutputPath, []byte(resp.Stdout), 0o666); err != nil {
		fmt.Fprintf(os.Stderr, "ERROR %v\n", err)
		os.Exit(1)
	}
	os.Exit(resp.ExitCode)
}
