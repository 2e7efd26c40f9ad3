// Package registry collects the subcommands of a command-line program; the
// program's main picks one by name and runs it on the main goroutine.
package registry

// Command is one subcommand.
type Command struct {
	Name   string
	Action func(args []string) (int, error)
}

var commands = map[string]Command{}

// Add registers a subcommand.
func Add(c Command) { commands[c.Name] = c }

// Handle registers a subcommand from its parts.
func Handle(name string, action func(args []string) (int, error)) {
	commands[name] = Command{Name: name, Action: action}
}

// Run runs the named subcommand.
func Run(name string, args []string) (int, error) {
	return commands[name].Action(args)
}
