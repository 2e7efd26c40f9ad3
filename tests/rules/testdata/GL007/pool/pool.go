// Package pool is a worker pool whose workers cannot be stopped.
package pool

import (
	"context"
	"fmt"
)

// Task is work for the pool.
type Task func()

// Pool runs tasks on n workers.
type Pool struct {
	tasks chan Task
	ctx   context.Context
}

// bad: New starts workers that range over nothing closable: each loops on a
// receive from p.tasks (made in New, never closed) and ignores p.ctx.
func New(ctx context.Context, n int) *Pool {
	p := &Pool{tasks: make(chan Task), ctx: ctx}
	for i := 0; i < n; i++ {
		go p.worker(i) // want "GL007"
	}
	return p
}

func (p *Pool) worker(id int) {
	for {
		task := <-p.tasks
		fmt.Println("worker", id)
		task()
	}
}

// Submit queues a task.
func (p *Pool) Submit(t Task) { p.tasks <- t }

// ok: a worker of another pool returns on its context.
type CtxPool struct {
	tasks chan Task
}

func NewCtxPool(ctx context.Context) *CtxPool {
	p := &CtxPool{tasks: make(chan Task)}
	go p.work(ctx)
	return p
}

func (p *CtxPool) work(ctx context.Context) {
	for {
		select {
		case t := <-p.tasks:
			t()
		case <-ctx.Done():
			return
		}
	}
}

// bad: a generator goroutine that sends forever; the send is not a way out.
func Counter() <-chan int {
	out := make(chan int)
	go func() { // want "GL007"
		for i := 0; ; i++ {
			out <- i
		}
	}()
	return out
}

// ok: the generator stops when the consumer closes done.
func CounterDone(done <-chan struct{}) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 0; ; i++ {
			select {
			case out <- i:
			case <-done:
				return
			}
		}
	}()
	return out
}
