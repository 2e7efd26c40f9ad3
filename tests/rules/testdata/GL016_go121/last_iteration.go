package gl016

import "fmt"

// ok: the goroutine starts for the first match and the loop returns at once:
// the loop variable never changes again while the goroutine runs.
func startFirst(jobs []Job, name string) bool {
	for _, job := range jobs {
		if job.Name == name {
			go func() {
				run(job)
			}()
			return true
		}
	}
	return false
}

// ok: a break of this loop right after the go statement.
func startOne(names []string) {
	for i, n := range names {
		if n == "" {
			continue
		}
		go func() {
			fmt.Println(i, n)
		}()
		break
	}
}

// ok: a labeled break out of the loop from inside a switch.
func startFromSwitch(jobs []Job) {
outer:
	for _, job := range jobs {
		switch job.Name {
		case "boot":
			go func() {
				run(job)
			}()
			break outer
		}
	}
}

// bad: the break only leaves the switch; the loop goes on and changes job.
func startInSwitch(jobs []Job) {
	for _, job := range jobs {
		switch job.Name {
		case "boot":
			go func() {
				run(job) // want "GL016"
			}()
			break
		}
	}
}

// bad: a conditional continue comes before the return: other iterations run.
func startMaybe(jobs []Job, skip func(Job) bool) {
	for _, job := range jobs {
		go func() {
			run(job) // want "GL016"
		}()
		if skip(job) {
			continue
		}
		return
	}
}

// bad: the break leaves only the inner loop; the outer variable moves on.
func startNested(groups [][]Job) {
	for g, jobs := range groups {
		for range jobs {
			go func() {
				fmt.Println("group", g) // want "GL016"
			}()
			break
		}
	}
}
