package gl022

import (
	"runtime"
	"sync"
)

// target and its health checker are modelled on GoKer moby#28462: the daemon holds the target's
// lock and, two calls down, asks the monitor to stop with a send; the monitor gets the channel
// through a getter and a parameter, and between polls it locks the target.
type target struct {
	sync.Mutex
	health *healthCheck
}

type healthCheck struct {
	stop chan struct{}
}

func (h *healthCheck) stopChannel() chan struct{} {
	return h.stop
}

// bad: reached from (*daemon).stateChanged with t's lock held; monitorTarget needs that lock
// between two polls of its select, so it never gets back to receive.
func (h *healthCheck) stopMonitor() {
	if h.stop != nil {
		h.stop <- struct{}{} // want "GL022"
	}
}

type daemon struct {
	t *target
}

func (d *daemon) stateChanged() {
	t := d.t
	t.Lock()
	defer t.Unlock()
	d.updateHealth(t)
}

func (d *daemon) updateHealth(t *target) {
	t.health.stopMonitor()
}

func (d *daemon) startHealth(t *target) {
	if stop := t.health.stopChannel(); stop != nil {
		go monitorTarget(t, stop)
	}
}

func monitorTarget(t *target, stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
			probeTarget(t)
		}
	}
}

func probeTarget(t *target) {
	runtime.Gosched()
	t.Lock()
	defer t.Unlock()
}

// The same daemon after the fix of moby#28462: stopping closes the channel, which never blocks.
type service struct {
	sync.Mutex
	health *serviceHealth
}

type serviceHealth struct {
	stop chan struct{}
}

func (h *serviceHealth) stopChannel() chan struct{} {
	return h.stop
}

// ok: close instead of a send: the monitor sees it whenever it gets back to its select.
func (h *serviceHealth) stopMonitor() {
	if h.stop != nil {
		close(h.stop)
		h.stop = nil
	}
}

type supervisor struct {
	s *service
}

func (d *supervisor) stateChanged() {
	s := d.s
	s.Lock()
	defer s.Unlock()
	d.updateHealth(s)
}

func (d *supervisor) updateHealth(s *service) {
	s.health.stopMonitor()
}

func (d *supervisor) startHealth(s *service) {
	if stop := s.health.stopChannel(); stop != nil {
		go monitorService(s, stop)
	}
}

func monitorService(s *service, stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
			probeService(s)
		}
	}
}

func probeService(s *service) {
	s.Lock()
	defer s.Unlock()
}

// A worker whose stop request comes from a caller that released the lock first.
type worker struct {
	sync.Mutex
	stop  chan struct{}
	state int
}

func (w *worker) stopChannel() chan struct{} {
	return w.stop
}

// ok: the only caller, shutdown, unlocks w before it calls requestStop.
func (w *worker) requestStop() {
	w.stop <- struct{}{}
}

func (w *worker) shutdown() {
	w.Lock()
	w.state = 1
	w.Unlock()
	w.requestStop()
}

func (w *worker) start() {
	go runWorker(w, w.stopChannel())
}

func runWorker(w *worker, stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
			w.Lock()
			w.state++
			w.Unlock()
		}
	}
}
