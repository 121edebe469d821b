package delivery

import (
	"container/heap"
	"slices"
)

// orderQueue holds the jobs of one OrderKey, earliest first. Only one of them
// is released to the heap at a time; the others wait here, burning no
// attempts and holding no worker.
type orderQueue struct {
	jobs    []queued
	running string // ID of the job in the heap or in flight; "" if none
}

type queued struct {
	job   Job
	ready bool // committed (woken or loaded); false while only reserved by Jobs
}

// before is the delivery order of the jobs of one OrderKey.
func before(a, b Job) bool {
	if a.FirstAt != b.FirstAt {
		return a.FirstAt < b.FirstAt
	}
	if a.OrderSeq != b.OrderSeq {
		return a.OrderSeq < b.OrderSeq
	}
	return a.ID < b.ID
}

func (q *orderQueue) index(id string) int {
	return slices.IndexFunc(q.jobs, func(e queued) bool { return e.job.ID == id })
}

// insert adds j in order, or updates it if it is there.
func (q *orderQueue) insert(j Job, ready bool) {
	if i := q.index(j.ID); i >= 0 {
		q.jobs[i] = queued{job: j, ready: ready || q.jobs[i].ready}
		return
	}
	i, _ := slices.BinarySearchFunc(q.jobs, j, func(e queued, t Job) int {
		if before(e.job, t) {
			return -1
		}
		return 1
	})
	q.jobs = slices.Insert(q.jobs, i, queued{job: j, ready: ready})
}

// reserveLocked holds j's place in its key's order before it is committed.
func (d *Dispatcher) reserveLocked(j Job) {
	d.queueOf(j.OrderKey).insert(j, false)
}

// readyLocked marks j committed and releases its key's head if it can run.
func (d *Dispatcher) readyLocked(j Job) {
	q := d.queueOf(j.OrderKey)
	q.insert(j, true)
	d.releaseLocked(q)
}

func (d *Dispatcher) queueOf(key string) *orderQueue {
	q := d.ordered[key]
	if q == nil {
		q = &orderQueue{}
		d.ordered[key] = q
	}
	return q
}

// releaseLocked pushes the first job of q into the heap unless a job of the
// key is already running or the first is not committed yet.
func (d *Dispatcher) releaseLocked(q *orderQueue) {
	if q.running != "" || len(q.jobs) == 0 || !q.jobs[0].ready {
		return
	}
	q.running = q.jobs[0].job.ID
	heap.Push(&d.pending, q.jobs[0].job)
}

// finish ends j's turn: the next job of its OrderKey may run.
func (d *Dispatcher) finish(j Job) {
	if j.OrderKey == "" {
		return
	}
	d.mu.Lock()
	d.finishLocked(j)
	d.mu.Unlock()
	d.signal()
}

func (d *Dispatcher) finishLocked(j Job) {
	q := d.ordered[j.OrderKey]
	if q == nil {
		return
	}
	if i := q.index(j.ID); i >= 0 {
		q.jobs = slices.Delete(q.jobs, i, i+1)
	}
	if q.running == j.ID {
		q.running = ""
	}
	if len(q.jobs) == 0 {
		delete(d.ordered, j.OrderKey)
		return
	}
	d.releaseLocked(q)
}

// waitingLocked counts the committed jobs held back behind their key's head.
func (d *Dispatcher) waitingLocked() int {
	n := 0
	for _, q := range d.ordered {
		for _, e := range q.jobs {
			if e.ready && e.job.ID != q.running {
				n++
			}
		}
	}
	return n
}
