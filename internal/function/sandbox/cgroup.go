package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Limits puts sandboxes under memory and CPU limits through a delegated
// cgroup v2 subtree: each sandbox gets a child cgroup with memory.max set to
// its function's MemorySize and cpu.weight proportional to it (AWS gives one
// vCPU at 1,769 MB; the default weight 100 stands for one vCPU). The zero
// Limits applies none.
type Limits struct {
	parent string // the cgroup the sandboxes' cgroups are created in
}

// Enabled reports whether sandboxes get cgroups.
func (l Limits) Enabled() bool { return l.parent != "" }

// ProbeLimits finds a cgroup v2 subtree under root (normally /sys/fs/cgroup)
// where fogbank may create sandbox cgroups with the memory and cpu
// controllers: a child "fogbank-sandboxes" of its own cgroup. When there is
// none it returns the zero Limits and the reason.
func ProbeLimits(root string) (Limits, error) {
	if _, err := os.Stat(filepath.Join(root, "cgroup.controllers")); err != nil {
		return Limits{}, fmt.Errorf("cgroup v2 is not mounted at %s", root)
	}
	self, err := ownCgroup()
	if err != nil {
		return Limits{}, err
	}
	own := filepath.Join(root, filepath.FromSlash(self))
	ctl, err := os.ReadFile(filepath.Join(own, "cgroup.controllers")) //nolint:gosec // under the cgroup root
	if err != nil {
		return Limits{}, fmt.Errorf("cgroup %s is not readable: %w", own, err)
	}
	if f := strings.Fields(string(ctl)); !slices.Contains(f, "memory") || !slices.Contains(f, "cpu") {
		return Limits{}, fmt.Errorf("cgroup %s lacks the memory and cpu controllers (has %q)", own, strings.TrimSpace(string(ctl)))
	}
	parent := filepath.Join(own, "fogbank-sandboxes")
	if err := os.Mkdir(parent, 0o755); err != nil && !errors.Is(err, os.ErrExist) { //nolint:gosec // a cgroup directory
		return Limits{}, fmt.Errorf("cannot create a child cgroup in %s: %w", own, err)
	}
	if err := os.WriteFile(filepath.Join(own, "cgroup.subtree_control"), []byte("+memory +cpu"), 0o600); err != nil {
		_ = os.Remove(parent)
		return Limits{}, fmt.Errorf("cannot enable the memory and cpu controllers below %s: %w", own, err)
	}
	if err := os.WriteFile(filepath.Join(parent, "cgroup.subtree_control"), []byte("+memory +cpu"), 0o600); err != nil {
		_ = os.Remove(parent)
		return Limits{}, fmt.Errorf("cannot enable the memory and cpu controllers in %s: %w", parent, err)
	}
	return Limits{parent: parent}, nil
}

// ownCgroup is this process's cgroup v2 path ("0::/path" in /proc/self/cgroup).
func ownCgroup() (string, error) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", fmt.Errorf("cannot read /proc/self/cgroup: %w", err)
	}
	for line := range strings.Lines(string(b)) {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "0::"); ok {
			return p, nil
		}
	}
	return "", errors.New("no cgroup v2 entry in /proc/self/cgroup")
}

// CPUWeight is the cpu.weight of a sandbox with memoryMB: 100 (one vCPU's
// share) at 1,769 MB, proportional, within cgroup's 1..10000.
func CPUWeight(memoryMB int) int {
	return min(max(memoryMB*100/1769, 1), 10000)
}

// cgroup is one sandbox's cgroup.
type cgroup struct {
	dir string
	fd  *os.File // the directory, for clone into it (SysProcAttr.CgroupFD)
}

// create makes the sandbox's cgroup named id with its limits.
func (l Limits) create(id string, memoryMB int) (*cgroup, error) {
	dir := filepath.Join(l.parent, id)
	if err := os.Mkdir(dir, 0o755); err != nil { //nolint:gosec // a cgroup directory
		return nil, fmt.Errorf("sandbox: cgroup: %w", err)
	}
	cg := &cgroup{dir: dir}
	writes := [][2]string{
		{"memory.max", strconv.Itoa(memoryMB << 20)},
		{"memory.swap.max", "0"},
		{"cpu.weight", strconv.Itoa(CPUWeight(memoryMB))},
	}
	for _, w := range writes {
		if err := os.WriteFile(filepath.Join(dir, w[0]), []byte(w[1]), 0o600); err != nil && w[0] != "memory.swap.max" {
			cg.remove()
			return nil, fmt.Errorf("sandbox: cgroup %s: %w", w[0], err)
		}
	}
	fd, err := os.Open(dir) //nolint:gosec // the sandbox's own cgroup directory
	if err != nil {
		cg.remove()
		return nil, fmt.Errorf("sandbox: cgroup: %w", err)
	}
	cg.fd = fd
	return cg, nil
}

// peakMB is memory.peak in MB; 0 if unknown (kernels before 5.19).
func (c *cgroup) peakMB() int {
	b, err := os.ReadFile(filepath.Join(c.dir, "memory.peak"))
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return int((n + 1<<20 - 1) >> 20)
}

// kill kills every process in the cgroup (cgroup.kill, Linux 5.14+).
func (c *cgroup) kill() {
	_ = os.WriteFile(filepath.Join(c.dir, "cgroup.kill"), []byte("1"), 0o600)
}

// remove deletes the (empty) cgroup.
func (c *cgroup) remove() {
	if c.fd != nil {
		_ = c.fd.Close()
	}
	_ = os.Remove(c.dir)
}
