package function

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/function/sandbox"
)

// pool holds the sandboxes of one function configuration. A sandbox is
// either idle (in idle) or running one invocation (counted in busy).
type pool struct {
	svc *Service
	cfg Function

	mu     sync.Mutex
	idle   []*idleEnv // most recently used last
	busy   map[*sandbox.Sandbox]struct{}
	closed bool

	// Provisioned concurrency: keep sandboxes are started ahead and never
	// expire; kept holds the live ones, starting counts those on the way.
	keep     int
	kept     map[*sandbox.Sandbox]struct{}
	starting int
	failure  string // why the last provisioned start failed
}

// idleEnv is an idle sandbox and the signal that ends its expiry wait.
type idleEnv struct {
	sb    *sandbox.Sandbox
	taken chan struct{}
}

func (s *Service) newPool(f Function) *pool {
	return &pool{svc: s, cfg: f, busy: map[*sandbox.Sandbox]struct{}{}, kept: map[*sandbox.Sandbox]struct{}{}}
}

// acquire returns an idle sandbox, or starts one (cold is then true).
func (p *pool) acquire() (sb *sandbox.Sandbox, cold bool, err error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, false, errPoolClosed
	}
	for len(p.idle) > 0 {
		e := p.takeIdle()
		if !e.sb.Dead() {
			p.busy[e.sb] = struct{}{}
			p.mu.Unlock()
			return e.sb, false, nil
		}
		go e.sb.Kill()
		p.lost(e.sb)
	}
	p.mu.Unlock()
	sb, err = p.start()
	if err != nil {
		return nil, false, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		go sb.Kill()
		return nil, false, errPoolClosed
	}
	p.busy[sb] = struct{}{}
	return sb, true, nil
}

var errPoolClosed = fmt.Errorf("function: pool retired")

// takeIdle removes an idle sandbox, a provisioned one first, else the most
// recently used. Callers hold p.mu and ensure one is idle.
func (p *pool) takeIdle() *idleEnv {
	i := len(p.idle) - 1
	for j := i; j >= 0; j-- {
		if _, ok := p.kept[p.idle[j].sb]; ok {
			i = j
			break
		}
	}
	e := p.idle[i]
	p.idle = append(p.idle[:i], p.idle[i+1:]...)
	close(e.taken)
	return e
}

// lost forgets a dead sandbox; a provisioned one is replaced. Callers hold
// p.mu.
func (p *pool) lost(sb *sandbox.Sandbox) {
	if _, ok := p.kept[sb]; ok {
		delete(p.kept, sb)
		p.fill()
	}
}

// setKeep sets how many sandboxes the pool keeps initialised.
func (p *pool) setKeep(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keep = n
	for sb := range p.kept {
		if len(p.kept) <= n {
			break
		}
		delete(p.kept, sb) // an ordinary sandbox from now on
		for _, e := range p.idle {
			if e.sb == sb {
				go p.expire(e)
			}
		}
	}
	p.fill()
}

// fill starts provisioned sandboxes up to keep. Callers hold p.mu.
func (p *pool) fill() {
	for ; !p.closed && len(p.kept)+p.starting < p.keep; p.starting++ {
		go p.provisionOne()
	}
}

func (p *pool) provisionOne() {
	sb, err := p.start()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.starting--
	if err != nil {
		p.failure = err.Error()
		p.svc.log.Warn("lambda: provisioned sandbox did not start", "function", p.cfg.Name, "version", p.cfg.Version(), "err", err)
		return
	}
	if p.closed || len(p.kept) >= p.keep {
		go sb.Kill()
		return
	}
	p.kept[sb] = struct{}{}
	p.idle = append(p.idle, &idleEnv{sb: sb, taken: make(chan struct{})})
}

// provisioned reports how many provisioned sandboxes are ready, and why
// the last one failed to start.
func (p *pool) provisioned() (int, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.kept), p.failure
}

// start starts a sandbox for the pool's configuration.
func (p *pool) start() (*sandbox.Sandbox, error) {
	cfg, err := p.svc.sandboxConfig(&p.cfg, p.svc.ids.Token(16))
	if err != nil {
		return nil, err
	}
	return sandbox.Start(cfg)
}

// release returns a sandbox after an invocation: to the idle list when it
// is reusable and the pool is current, else it is killed.
func (p *pool) release(sb *sandbox.Sandbox, reusable bool) {
	p.mu.Lock()
	delete(p.busy, sb)
	if !reusable || p.closed || sb.Dead() {
		p.lost(sb)
		p.mu.Unlock()
		sb.Kill()
		return
	}
	e := &idleEnv{sb: sb, taken: make(chan struct{})}
	p.idle = append(p.idle, e)
	_, kept := p.kept[sb]
	p.mu.Unlock()
	if !kept {
		go p.expire(e)
	}
}

// expire stops an idle sandbox that stays idle for IdleTimeout.
func (p *pool) expire(e *idleEnv) {
	t := p.svc.clock.NewTimer(p.svc.cfg.IdleTimeout)
	defer t.Stop()
	select {
	case <-e.taken:
		return
	case <-t.C():
	}
	p.mu.Lock()
	for i, x := range p.idle {
		if x == e {
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			close(e.taken)
			p.mu.Unlock()
			e.sb.Kill()
			return
		}
	}
	p.mu.Unlock()
}

// close retires the pool: idle sandboxes are killed now, busy ones when
// their invocation ends, or now too with killBusy (the service stops).
func (p *pool) close(killBusy bool) {
	p.mu.Lock()
	p.closed = true
	var kill []*sandbox.Sandbox
	for _, e := range p.idle {
		close(e.taken)
		kill = append(kill, e.sb)
	}
	p.idle = nil
	if killBusy {
		for sb := range p.busy {
			kill = append(kill, sb)
		}
	}
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, sb := range kill {
		wg.Go(sb.Kill)
	}
	wg.Wait()
}

// environment is what a sandbox's process sees: AWS's variables, the
// runtime's search paths into the merged layers (opt, standing in for /opt),
// then the function's own (validated not to override reserved ones).
func environment(f *Function, codeDir, runtimeDir, opt, stream string) []string {
	env := []string{
		"PATH=/usr/local/bin:/usr/bin:/bin" + optBin(opt),
		"LANG=en_US.UTF-8",
		"TZ=:UTC",
		"LAMBDA_TASK_ROOT=" + codeDir,
		"LAMBDA_RUNTIME_DIR=" + runtimeDir,
		"_HANDLER=" + f.Handler,
		"AWS_REGION=" + f.Region,
		"AWS_DEFAULT_REGION=" + f.Region,
		"AWS_LAMBDA_FUNCTION_NAME=" + f.Name,
		"AWS_LAMBDA_FUNCTION_VERSION=" + f.Version(),
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(f.MemorySize),
		"AWS_LAMBDA_LOG_GROUP_NAME=" + f.LogGroup(),
		"AWS_LAMBDA_LOG_STREAM_NAME=" + stream,
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
	}
	env = append(env, runtimeEnv(f, codeDir, opt)...)
	for k, v := range f.Environment {
		env = append(env, k+"="+v)
	}
	return env
}

// logStream is AWS's log stream name: yyyy/mm/dd/[$LATEST]<32 hex>.
func logStream(now time.Time, id string) string {
	return now.UTC().Format("2006/01/02") + "/[" + latest + "]" + id
}
